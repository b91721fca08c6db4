-- Remote operations (issue 3): the command history, the OCPP message log, the configuration keys a station
-- reported, the operators' default configuration and what applying it gave, and the REST API's tokens.
-- Same conventions as 0001: timestamptz, boolean, bigint.

-- Every CSMS-initiated call and how it ended. The outcome columns stay NULL while the call is pending.
CREATE TABLE commands (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id   text NOT NULL REFERENCES stations (id),
    action       text NOT NULL,
    payload      text NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    outcome      text,
    answer       text,
    error        text,
    finished_at  timestamptz,
    latency_ms   bigint
);

CREATE INDEX commands_by_station ON commands (station_id, requested_at);

-- Every OCPP-J frame in and out. No foreign key to stations: this is the hottest insert after meter values,
-- and a log entry is a record of what was on the wire, not a reference that must stay valid.
CREATE TABLE message_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id   text NOT NULL,
    at           timestamptz NOT NULL,
    direction    text NOT NULL,
    message_type bigint NOT NULL,
    message_id   text NOT NULL,
    action       text,
    text         text NOT NULL
);

-- Reads go by station and time window; the purge goes by time alone.
CREATE INDEX message_log_by_station ON message_log (station_id, at);
CREATE INDEX message_log_by_time ON message_log (at);

-- What GetConfiguration reported, per key; read_at is NULL for a key only ever set by ChangeConfiguration.
CREATE TABLE station_configuration (
    station_id text NOT NULL REFERENCES stations (id),
    key        text NOT NULL,
    value      text,
    readonly   boolean NOT NULL,
    read_at    timestamptz,
    changed_at timestamptz,
    PRIMARY KEY (station_id, key)
);

-- An operator's default configuration, in the order it is applied.
CREATE TABLE operator_defaults (
    operator_id bigint NOT NULL REFERENCES operators (id),
    position    bigint NOT NULL,
    key         text NOT NULL,
    value       text NOT NULL,
    PRIMARY KEY (operator_id, key)
);

-- The last result of applying a default key to a station.
CREATE TABLE default_results (
    station_id text NOT NULL REFERENCES stations (id),
    key        text NOT NULL,
    value      text NOT NULL,
    result     text NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (station_id, key)
);

-- REST API tokens: only the SHA-256 of the secret is kept.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id  bigint NOT NULL REFERENCES operators (id),
    role         text NOT NULL,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    UNIQUE (operator_id, name)
);
