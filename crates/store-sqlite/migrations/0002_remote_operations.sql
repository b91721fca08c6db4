-- Remote operations (issue 3): the command history, the OCPP message log, the configuration keys a station
-- reported, the operators' default configuration and what applying it gave, and the REST API's tokens.
-- Same conventions as 0001: instants are INTEGER milliseconds (UTC), flags INTEGER 0/1, tables STRICT.

-- Every CSMS-initiated call and how it ended. The outcome columns stay NULL while the call is pending.
CREATE TABLE commands (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id   TEXT NOT NULL REFERENCES stations (id),
    action       TEXT NOT NULL,
    payload      TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    outcome      TEXT,
    answer       TEXT,
    error        TEXT,
    finished_at  INTEGER,
    latency_ms   INTEGER
) STRICT;

CREATE INDEX commands_by_station ON commands (station_id, requested_at);

-- Every OCPP-J frame in and out. No foreign key to stations: this is the hottest insert after meter values,
-- and a log entry is a record of what was on the wire, not a reference that must stay valid.
CREATE TABLE message_log (
    id           INTEGER PRIMARY KEY,
    station_id   TEXT NOT NULL,
    at           INTEGER NOT NULL,
    direction    TEXT NOT NULL,
    message_type INTEGER NOT NULL,
    message_id   TEXT NOT NULL,
    action       TEXT,
    text         TEXT NOT NULL
) STRICT;

-- Reads go by station and time window; the purge goes by time alone.
CREATE INDEX message_log_by_station ON message_log (station_id, at);
CREATE INDEX message_log_by_time ON message_log (at);

-- What GetConfiguration reported, per key; read_at is NULL for a key only ever set by ChangeConfiguration.
CREATE TABLE station_configuration (
    station_id TEXT NOT NULL REFERENCES stations (id),
    key        TEXT NOT NULL,
    value      TEXT,
    readonly   INTEGER NOT NULL,
    read_at    INTEGER,
    changed_at INTEGER,
    PRIMARY KEY (station_id, key)
) STRICT, WITHOUT ROWID;

-- An operator's default configuration, in the order it is applied.
CREATE TABLE operator_defaults (
    operator_id INTEGER NOT NULL REFERENCES operators (id),
    position    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (operator_id, key)
) STRICT, WITHOUT ROWID;

-- The last result of applying a default key to a station.
CREATE TABLE default_results (
    station_id TEXT NOT NULL REFERENCES stations (id),
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    result     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (station_id, key)
) STRICT, WITHOUT ROWID;

-- REST API tokens: only the SHA-256 of the secret is kept.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id  INTEGER NOT NULL REFERENCES operators (id),
    role         TEXT NOT NULL,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER,
    UNIQUE (operator_id, name)
) STRICT;
