-- Joule's schema on PostgreSQL. The same tables and column names as the SQLite schema (the row decoding in
-- joule-store reads both), in PostgreSQL's types: timestamptz, boolean, bigint.
--
-- Absent meter-value phases and locations are '' (not NULL) because they are part of a unique key, and NULLs
-- never collide in one.

CREATE TABLE operators (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    operator_key text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL
);

CREATE TABLE stations (
    id                            text PRIMARY KEY,
    operator_id                   bigint NOT NULL REFERENCES operators (id),
    state                         text NOT NULL,
    free_vend                     boolean NOT NULL DEFAULT false,
    password_hash                 text,
    -- What the last BootNotification said; boot_vendor is NULL until the first boot.
    boot_vendor                   text,
    boot_model                    text,
    boot_serial_number            text,
    boot_charge_box_serial_number text,
    boot_firmware_version         text,
    boot_iccid                    text,
    boot_imsi                     text,
    boot_meter_type               text,
    boot_meter_serial_number      text,
    last_boot_at                  timestamptz,
    online                        boolean NOT NULL DEFAULT false,
    connected_at                  timestamptz,
    disconnected_at               timestamptz,
    last_heartbeat_at             timestamptz,
    created_at                    timestamptz NOT NULL
);

CREATE INDEX stations_by_operator ON stations (operator_id);

CREATE TABLE connectors (
    station_id        text NOT NULL REFERENCES stations (id),
    connector_id      bigint NOT NULL,
    status            text NOT NULL,
    error_code        text NOT NULL,
    info              text,
    vendor_error_code text,
    status_at         timestamptz NOT NULL,
    PRIMARY KEY (station_id, connector_id)
);

CREATE TABLE status_history (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id        text NOT NULL REFERENCES stations (id),
    connector_id      bigint NOT NULL,
    status            text NOT NULL,
    error_code        text NOT NULL,
    info              text,
    vendor_id         text,
    vendor_error_code text,
    station_time      timestamptz,
    received_at       timestamptz NOT NULL
);

-- A re-sent StatusNotification is recognised only by the station's own timestamp.
CREATE UNIQUE INDEX status_history_natural_key
    ON status_history (station_id, connector_id, status, error_code, station_time)
    WHERE station_time IS NOT NULL;
CREATE INDEX status_history_by_connector ON status_history (station_id, connector_id);

CREATE TABLE id_tokens (
    operator_id bigint NOT NULL REFERENCES operators (id),
    tag         text NOT NULL,
    parent      text,
    expires_at  timestamptz,
    blocked     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (operator_id, tag)
);

-- Transaction ids come from this identity's sequence: never reused (a rolled-back start leaves a gap), and
-- within OCPP 1.6's integer.
CREATE TABLE sessions (
    id             bigint GENERATED ALWAYS AS IDENTITY (MAXVALUE 2147483647) PRIMARY KEY,
    station_id     text NOT NULL REFERENCES stations (id),
    operator_id    bigint NOT NULL REFERENCES operators (id),
    connector_id   bigint NOT NULL,
    id_tag         text NOT NULL,
    auth_status    text NOT NULL,
    meter_start_wh bigint NOT NULL,
    started_at     timestamptz NOT NULL,
    reservation_id bigint,
    meter_stop_wh  bigint,
    stopped_at     timestamptz,
    stop_reason    text,
    stop_id_tag    text
);

-- A re-sent StartTransaction has the same natural key and gets the same transaction id back. The unique
-- index also makes concurrent identical starts (on parallel writers) create one session.
CREATE UNIQUE INDEX sessions_natural_key ON sessions (station_id, connector_id, id_tag, started_at, meter_start_wh);
CREATE INDEX sessions_by_start ON sessions (started_at);
CREATE INDEX sessions_by_station ON sessions (station_id, started_at);
CREATE INDEX sessions_by_operator ON sessions (operator_id, started_at);
CREATE INDEX sessions_active ON sessions (station_id) WHERE stopped_at IS NULL;

CREATE TABLE unknown_stops (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id     text NOT NULL REFERENCES stations (id),
    transaction_id bigint NOT NULL,
    id_tag         text,
    meter_stop_wh  bigint NOT NULL,
    stopped_at     timestamptz NOT NULL,
    reason         text,
    received_at    timestamptz NOT NULL,
    UNIQUE (station_id, transaction_id, stopped_at)
);

CREATE INDEX unknown_stops_by_received ON unknown_stops (received_at);

CREATE TABLE meter_values (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id     text NOT NULL REFERENCES stations (id),
    connector_id   bigint NOT NULL,
    transaction_id bigint,
    ts             timestamptz NOT NULL,
    measurand      text NOT NULL,
    phase          text NOT NULL,
    location       text NOT NULL,
    context        text NOT NULL,
    unit           text,
    value          double precision,
    raw            text NOT NULL,
    format         text
);

-- Time first: samples arrive roughly in time order, so new index entries land at the right edge and a
-- commit dirties a handful of pages. Station first put each station's entries on its own page, so a batch
-- from N stations dirtied N pages (measured: 1.7 times the throughput on SQLite). Queries by station
-- therefore go by time window through this index.
CREATE UNIQUE INDEX meter_values_natural_key
    ON meter_values (ts, station_id, connector_id, measurand, phase, location, context);
CREATE INDEX meter_values_by_transaction ON meter_values (transaction_id, ts) WHERE transaction_id IS NOT NULL;

CREATE TABLE station_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id  text NOT NULL REFERENCES stations (id),
    kind        text NOT NULL,
    detail      text NOT NULL,
    occurred_at timestamptz NOT NULL
);

CREATE INDEX station_events_by_station ON station_events (station_id, occurred_at);

CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id text NOT NULL REFERENCES stations (id),
    kind       text NOT NULL,
    created_at timestamptz NOT NULL,
    closed_at  timestamptz,
    outcome    text
);

CREATE INDEX outbox_open ON outbox (id) WHERE closed_at IS NULL;
