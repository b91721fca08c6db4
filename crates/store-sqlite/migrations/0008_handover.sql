-- Handover to third-party backends (issue 4, route 2) and the assignment of unclaimed stations (route 3).
-- Same conventions as 0001: instants are INTEGER milliseconds (UTC), tables STRICT.

-- The central systems an operator hands stations over to. The URL is validated (ws:// or wss://) before it
-- is stored.
CREATE TABLE backends (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id INTEGER NOT NULL REFERENCES operators (id),
    name        TEXT NOT NULL,
    ocpp_url    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (operator_id, name)
) STRICT;

-- How each vendor's stations are told a new central-system URL. vendor_key is the vendor as compared
-- (joule_core::catalog::vendor_key: case and legal form ignored); vendor as the operator wrote it.
-- method: configuration-key (config_key set) or data-transfer (dt_vendor_id set, dt_message_id optional).
CREATE TABLE provisioning_profiles (
    operator_id       INTEGER NOT NULL REFERENCES operators (id),
    vendor_key        TEXT NOT NULL,
    vendor            TEXT NOT NULL,
    method            TEXT NOT NULL,
    config_key        TEXT,
    dt_vendor_id      TEXT,
    dt_message_id     TEXT,
    append_station_id INTEGER NOT NULL,
    reset             TEXT NOT NULL,
    updated_at        INTEGER NOT NULL,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (operator_id, vendor_key)
) STRICT;

-- One handover of a station. target_name and target_url are copied from the backend (backend_id, no
-- foreign key: the backend may be deleted later, the history stays) or given directly.
CREATE TABLE handovers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id   TEXT NOT NULL REFERENCES stations (id),
    operator_id  INTEGER NOT NULL REFERENCES operators (id),
    target_name  TEXT NOT NULL,
    target_url   TEXT NOT NULL,
    backend_id   INTEGER,
    -- recorded, provisioning, waiting, handed-over, failed or cancelled
    state        TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    detail       TEXT
) STRICT;

CREATE INDEX handovers_by_station ON handovers (station_id, requested_at);
CREATE INDEX handovers_by_state ON handovers (state);
-- At most one open handover per station, whatever the number of writers.
CREATE UNIQUE INDEX handovers_one_open ON handovers (station_id) WHERE state IN ('recorded', 'provisioning', 'waiting');

-- What each step of a handover sent and got back. command_id refers to the command history when the step
-- was a CALL.
CREATE TABLE handover_steps (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    handover_id INTEGER NOT NULL REFERENCES handovers (id),
    at          INTEGER NOT NULL,
    step        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    detail      TEXT,
    command_id  INTEGER
) STRICT;

CREATE INDEX handover_steps_by_handover ON handover_steps (handover_id, id);

-- Route 3: which backend an unclaimed station was assigned to, once. backend_id is NULL for Joule itself.
CREATE TABLE station_assignments (
    station_id     TEXT PRIMARY KEY REFERENCES stations (id),
    operator_id    INTEGER NOT NULL REFERENCES operators (id),
    purchased_from TEXT NOT NULL,
    backend_id     INTEGER,
    backend_name   TEXT NOT NULL,
    assigned_by    TEXT NOT NULL,
    assigned_at    INTEGER NOT NULL
) STRICT;
