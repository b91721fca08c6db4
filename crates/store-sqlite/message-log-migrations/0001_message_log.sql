-- The message log's own file (joule-messages.db next to joule.db): every OCPP-J frame in and out.
-- No foreign key to stations (they live in the other file anyway): a log entry is a record of what was on
-- the wire, not a reference that must stay valid.
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
