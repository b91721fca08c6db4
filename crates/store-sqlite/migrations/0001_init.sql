-- Joule's schema on SQLite.
--
-- Instants are INTEGER milliseconds since the Unix epoch (UTC). Flags are INTEGER 0/1. Tables are STRICT so
-- that a value of the wrong type is refused instead of stored. Absent meter-value phases and locations are ''
-- (not NULL) because they are part of a unique key, and NULLs never collide in one.

CREATE TABLE operators (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    operator_key TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE stations (
    id                            TEXT PRIMARY KEY,
    operator_id                   INTEGER NOT NULL REFERENCES operators (id),
    state                         TEXT NOT NULL,
    free_vend                     INTEGER NOT NULL DEFAULT 0,
    password_hash                 TEXT,
    -- What the last BootNotification said; boot_vendor is NULL until the first boot.
    boot_vendor                   TEXT,
    boot_model                    TEXT,
    boot_serial_number            TEXT,
    boot_charge_box_serial_number TEXT,
    boot_firmware_version         TEXT,
    boot_iccid                    TEXT,
    boot_imsi                     TEXT,
    boot_meter_type               TEXT,
    boot_meter_serial_number      TEXT,
    last_boot_at                  INTEGER,
    online                        INTEGER NOT NULL DEFAULT 0,
    connected_at                  INTEGER,
    disconnected_at               INTEGER,
    last_heartbeat_at             INTEGER,
    created_at                    INTEGER NOT NULL
) STRICT;

CREATE INDEX stations_by_operator ON stations (operator_id);

CREATE TABLE connectors (
    station_id        TEXT NOT NULL REFERENCES stations (id),
    connector_id      INTEGER NOT NULL,
    status            TEXT NOT NULL,
    error_code        TEXT NOT NULL,
    info              TEXT,
    vendor_error_code TEXT,
    status_at         INTEGER NOT NULL,
    PRIMARY KEY (station_id, connector_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE status_history (
    id                INTEGER PRIMARY KEY,
    station_id        TEXT NOT NULL REFERENCES stations (id),
    connector_id      INTEGER NOT NULL,
    status            TEXT NOT NULL,
    error_code        TEXT NOT NULL,
    info              TEXT,
    vendor_id         TEXT,
    vendor_error_code TEXT,
    station_time      INTEGER,
    received_at       INTEGER NOT NULL
) STRICT;

-- A re-sent StatusNotification is recognised only by the station's own timestamp.
CREATE UNIQUE INDEX status_history_natural_key
    ON status_history (station_id, connector_id, status, error_code, station_time)
    WHERE station_time IS NOT NULL;
CREATE INDEX status_history_by_connector ON status_history (station_id, connector_id);

CREATE TABLE id_tokens (
    operator_id INTEGER NOT NULL REFERENCES operators (id),
    tag         TEXT NOT NULL,
    parent      TEXT,
    expires_at  INTEGER,
    blocked     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (operator_id, tag)
) STRICT, WITHOUT ROWID;

-- AUTOINCREMENT: a transaction id is never handed out twice, even after the newest session is deleted.
-- The CHECK keeps ids within OCPP 1.6's integer.
CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT CHECK (id <= 2147483647),
    station_id     TEXT NOT NULL REFERENCES stations (id),
    operator_id    INTEGER NOT NULL REFERENCES operators (id),
    connector_id   INTEGER NOT NULL,
    id_tag         TEXT NOT NULL,
    auth_status    TEXT NOT NULL,
    meter_start_wh INTEGER NOT NULL,
    started_at     INTEGER NOT NULL,
    reservation_id INTEGER,
    meter_stop_wh  INTEGER,
    stopped_at     INTEGER,
    stop_reason    TEXT,
    stop_id_tag    TEXT
) STRICT;

-- A re-sent StartTransaction has the same natural key and gets the same transaction id back.
CREATE UNIQUE INDEX sessions_natural_key ON sessions (station_id, connector_id, id_tag, started_at, meter_start_wh);
CREATE INDEX sessions_by_start ON sessions (started_at);
CREATE INDEX sessions_by_station ON sessions (station_id, started_at);
CREATE INDEX sessions_by_operator ON sessions (operator_id, started_at);
CREATE INDEX sessions_active ON sessions (station_id) WHERE stopped_at IS NULL;

CREATE TABLE unknown_stops (
    id             INTEGER PRIMARY KEY,
    station_id     TEXT NOT NULL REFERENCES stations (id),
    transaction_id INTEGER NOT NULL,
    id_tag         TEXT,
    meter_stop_wh  INTEGER NOT NULL,
    stopped_at     INTEGER NOT NULL,
    reason         TEXT,
    received_at    INTEGER NOT NULL,
    UNIQUE (station_id, transaction_id, stopped_at)
) STRICT;

CREATE INDEX unknown_stops_by_received ON unknown_stops (received_at);

-- The big table. Its id is assigned by the writer (see insert_meter_rows) so that a multi-row insert can
-- tell which rows were new.
CREATE TABLE meter_values (
    id             INTEGER PRIMARY KEY,
    station_id     TEXT NOT NULL REFERENCES stations (id),
    connector_id   INTEGER NOT NULL,
    transaction_id INTEGER,
    ts             INTEGER NOT NULL,
    measurand      TEXT NOT NULL,
    phase          TEXT NOT NULL,
    location       TEXT NOT NULL,
    context        TEXT NOT NULL,
    unit           TEXT,
    value          REAL,
    raw            TEXT NOT NULL,
    format         TEXT
) STRICT;

-- Time first: samples arrive roughly in time order, so new index entries land at the right edge and a
-- commit dirties a handful of pages. Station first put each station's entries on its own page, so a batch
-- from N stations dirtied N pages (measured: 1.7 times the throughput). Queries by station therefore go by
-- time window through this index.
CREATE UNIQUE INDEX meter_values_natural_key
    ON meter_values (ts, station_id, connector_id, measurand, phase, location, context);
CREATE INDEX meter_values_by_transaction ON meter_values (transaction_id, ts) WHERE transaction_id IS NOT NULL;

CREATE TABLE station_events (
    id          INTEGER PRIMARY KEY,
    station_id  TEXT NOT NULL REFERENCES stations (id),
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    occurred_at INTEGER NOT NULL
) STRICT;

CREATE INDEX station_events_by_station ON station_events (station_id, occurred_at);

-- AUTOINCREMENT: readers use the id as a cursor, so ids must never be reused.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id TEXT NOT NULL REFERENCES stations (id),
    kind       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closed_at  INTEGER,
    outcome    TEXT
) STRICT;

CREATE INDEX outbox_open ON outbox (id) WHERE closed_at IS NULL;
