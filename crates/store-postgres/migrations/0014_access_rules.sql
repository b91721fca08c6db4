-- Access rules per station (issue 5, "Access"). Same conventions as 0001: timestamptz, bigint.
-- "Authorization required" is stations.free_vend (off = free vend), not repeated here. Driver and group ids
-- refer to the drivers and driver_groups of migration 0011; they are kept as plain ids (no foreign key) so
-- that deleting a driver or group leaves the rules readable: an id nobody holds admits nobody.

-- The station's mode and available times. A station without a row is public and always open.
-- available_times is joule-core's text form (AvailableTimes::parse / Display), NULL = always open.
CREATE TABLE station_access (
    station_id      text PRIMARY KEY REFERENCES stations (id),
    mode            text NOT NULL CHECK (mode IN ('public', 'limited', 'private')),
    available_times text,
    updated_at      timestamptz NOT NULL
);

-- Per-connector overrides; NULL follows the station. authorization_required is 0 or 1 (an integer in both
-- backends, so one query decodes it).
CREATE TABLE station_access_connectors (
    station_id             text NOT NULL REFERENCES stations (id),
    connector              bigint NOT NULL CHECK (connector >= 1),
    mode                   text CHECK (mode IN ('public', 'limited', 'private')),
    authorization_required bigint CHECK (authorization_required IN (0, 1)),
    PRIMARY KEY (station_id, connector)
);

-- The limited lists: drivers and groups admitted at the station (connector 0) or at one connector.
CREATE TABLE station_access_admitted (
    station_id text NOT NULL REFERENCES stations (id),
    connector  bigint NOT NULL CHECK (connector >= 0),
    driver_id  bigint,
    group_id   bigint,
    CHECK ((driver_id IS NULL) <> (group_id IS NULL))
);
CREATE INDEX station_access_admitted_by_station ON station_access_admitted (station_id);

-- A group's available times at a station (they extend the station's for the group's members).
CREATE TABLE station_group_times (
    station_id text NOT NULL REFERENCES stations (id),
    group_id   bigint NOT NULL,
    times      text NOT NULL,
    PRIMARY KEY (station_id, group_id)
);
