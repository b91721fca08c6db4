-- Local authorization list sync (issue 5; OCPP 1.6 §3.5.3, §6.27, §6.41). Same conventions as 0001:
-- instants are INTEGER milliseconds (UTC), tables STRICT.

-- Per station: whether it supports local lists (NULL unknown, 0 no, 1 yes), the version its last
-- GetLocalListVersion.conf reported, the version of the last list it Accepted (NULL: nothing known to be
-- there, the next update is Full), and how the last sync ended.
CREATE TABLE local_list_sync (
    station_id      TEXT PRIMARY KEY REFERENCES stations (id),
    supported       INTEGER CHECK (supported IN (0, 1)),
    station_version INTEGER,
    sent_version    INTEGER,
    last_result     TEXT,
    last_detail     TEXT,
    last_at         INTEGER,
    updated_at      INTEGER NOT NULL
) STRICT;

-- The entries of the last list the station Accepted (what a Differential update is computed against).
CREATE TABLE local_list_entries (
    station_id TEXT NOT NULL REFERENCES stations (id),
    tag        TEXT NOT NULL,
    expires_at INTEGER,
    parent     TEXT,
    PRIMARY KEY (station_id, tag)
) STRICT;
