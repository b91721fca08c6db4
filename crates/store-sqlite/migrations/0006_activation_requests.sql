-- Activation requests (issue 4, route 1 "Joule as the backend") and the portal's inbox.
-- Same conventions as 0001: instants are INTEGER milliseconds (UTC), tables STRICT.

-- The owner's activation form and where the request is in the operator's queue. charge_points holds
-- "number:station:1,2;number:station:1" (neither numbers nor station ids contain ':', ';' or ','), features
-- "grid-plaza,load-balancer"; the address is stored in its parts, already validated and normalized.
CREATE TABLE activation_requests (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id       INTEGER NOT NULL REFERENCES operators (id),
    owner_id          INTEGER NOT NULL REFERENCES accounts (id),
    customer_number   TEXT NOT NULL,
    charge_points     TEXT NOT NULL,
    controller_number TEXT,
    installation_type TEXT NOT NULL,
    features          TEXT NOT NULL,
    street            TEXT NOT NULL,
    house_number      TEXT,
    postal_code       TEXT,
    city              TEXT NOT NULL,
    country           TEXT NOT NULL,
    region            TEXT,
    network           TEXT NOT NULL,
    notes             TEXT,
    -- requested, in-review, activated or rejected; reason only when rejected.
    state             TEXT NOT NULL,
    reason            TEXT,
    requested_at      INTEGER NOT NULL,
    updated_at        INTEGER,
    updated_by        TEXT
) STRICT;

-- The operator's queue (by state, oldest first) and an owner's own requests.
CREATE INDEX activation_requests_by_operator ON activation_requests (operator_id, state, requested_at);
CREATE INDEX activation_requests_by_owner ON activation_requests (owner_id, requested_at);

-- A person's portal inbox.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
) STRICT;

CREATE INDEX notifications_by_account ON notifications (account_id, created_at);
