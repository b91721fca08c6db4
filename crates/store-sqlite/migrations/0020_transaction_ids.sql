-- The station's id of a session's transaction (OCPP 2.0.1 transactionId, an identifierString of at most 36
-- characters), beside Joule's own session id. OCPP 1.6 stations use the session id Joule assigned, so the
-- transaction id of every session so far is the session id's decimal text. A station finds its sessions by
-- it (stops and updates name the transaction), hence the index per station.
ALTER TABLE sessions ADD COLUMN transaction_id TEXT;
UPDATE sessions SET transaction_id = CAST(id AS TEXT);
CREATE INDEX sessions_by_transaction ON sessions (station_id, transaction_id);
