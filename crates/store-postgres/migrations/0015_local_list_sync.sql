-- Local authorization list sync (issue 5; OCPP 1.6 §3.5.3, §6.27, §6.41). Same conventions as 0001:
-- timestamptz, bigint.

-- Per station: whether it supports local lists (NULL unknown, 0 no, 1 yes: an integer in both backends, so
-- one query decodes it), the version its last GetLocalListVersion.conf reported, the version of the last
-- list it Accepted (NULL: nothing known to be there, the next update is Full), and how the last sync ended.
CREATE TABLE local_list_sync (
    station_id      text PRIMARY KEY REFERENCES stations (id),
    supported       bigint CHECK (supported IN (0, 1)),
    station_version bigint,
    sent_version    bigint,
    last_result     text,
    last_detail     text,
    last_at         timestamptz,
    updated_at      timestamptz NOT NULL
);

-- The entries of the last list the station Accepted (what a Differential update is computed against).
CREATE TABLE local_list_entries (
    station_id text NOT NULL REFERENCES stations (id),
    tag        text NOT NULL,
    expires_at timestamptz,
    parent     text,
    PRIMARY KEY (station_id, tag)
);
