-- The transaction a command led to (a RemoteStartTransaction's session), and an index for listing a tag's
-- sessions. Same conventions as 0001: timestamptz, boolean, bigint.

-- NULL until the station starts the transaction, and for commands that start none. No foreign key: the
-- history records what the station said, like meter values keep a transaction id Joule does not know.
ALTER TABLE commands ADD COLUMN transaction_id bigint;

CREATE INDEX sessions_by_id_tag ON sessions (id_tag, started_at);
