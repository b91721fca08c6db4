-- Operator settings, station owners and offline detection (issue 4). Same conventions as 0001: instants are
-- INTEGER milliseconds (UTC), tables STRICT. Depends only on 0001 and 0005 (operators, stations, accounts).

-- One row per operator that changed a setting; an operator without a row has the defaults (service level
-- 2 working days, out of service after 15 minutes without traffic). The ranges repeat joule-core's checks.
CREATE TABLE operator_settings (
    operator_id           INTEGER PRIMARY KEY REFERENCES operators (id),
    service_level_days    INTEGER NOT NULL CHECK (service_level_days BETWEEN 1 AND 30),
    offline_after_minutes INTEGER NOT NULL CHECK (offline_after_minutes BETWEEN 1 AND 10080),
    updated_at            INTEGER NOT NULL
) STRICT;

-- The owner whose activation request was approved, and since when offline detection counts the station
-- out of service (set by a compare-and-set on NULL, so two sweeps mark it once).
ALTER TABLE stations ADD COLUMN owner_id INTEGER REFERENCES accounts (id);
ALTER TABLE stations ADD COLUMN out_of_service_since INTEGER;

-- An owner's own stations.
CREATE INDEX stations_by_owner ON stations (owner_id);
