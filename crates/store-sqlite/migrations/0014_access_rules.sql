-- Access rules per station (issue 5, "Access"). Same conventions as 0001: instants are INTEGER milliseconds
-- (UTC), tables STRICT. "Authorization required" is stations.free_vend (off = free vend), not repeated here.
-- Driver and group ids refer to the drivers and driver_groups of migration 0011; they are kept as plain ids
-- (no foreign key) so that deleting a driver or group leaves the rules readable: an id nobody holds admits
-- nobody.

-- The station's mode and available times. A station without a row is public and always open.
-- available_times is joule-core's text form (AvailableTimes::parse / Display), NULL = always open.
CREATE TABLE station_access (
    station_id      TEXT PRIMARY KEY REFERENCES stations (id),
    mode            TEXT NOT NULL CHECK (mode IN ('public', 'limited', 'private')),
    available_times TEXT,
    updated_at      INTEGER NOT NULL
) STRICT;

-- Per-connector overrides; NULL follows the station. authorization_required is 0 or 1.
CREATE TABLE station_access_connectors (
    station_id             TEXT NOT NULL REFERENCES stations (id),
    connector              INTEGER NOT NULL CHECK (connector >= 1),
    mode                   TEXT CHECK (mode IN ('public', 'limited', 'private')),
    authorization_required INTEGER CHECK (authorization_required IN (0, 1)),
    PRIMARY KEY (station_id, connector)
) STRICT;

-- The limited lists: drivers and groups admitted at the station (connector 0) or at one connector.
CREATE TABLE station_access_admitted (
    station_id TEXT NOT NULL REFERENCES stations (id),
    connector  INTEGER NOT NULL CHECK (connector >= 0),
    driver_id  INTEGER,
    group_id   INTEGER,
    CHECK ((driver_id IS NULL) <> (group_id IS NULL))
) STRICT;
CREATE INDEX station_access_admitted_by_station ON station_access_admitted (station_id);

-- A group's available times at a station (they extend the station's for the group's members).
CREATE TABLE station_group_times (
    station_id TEXT NOT NULL REFERENCES stations (id),
    group_id   INTEGER NOT NULL,
    times      TEXT NOT NULL,
    PRIMARY KEY (station_id, group_id)
) STRICT;
