-- Activation requests (issue 4, route 1 "Joule as the backend") and the portal's inbox.
-- Same conventions as 0001: timestamptz, bigint.

-- The owner's activation form and where the request is in the operator's queue. charge_points holds
-- "number:station:1,2;number:station:1" (neither numbers nor station ids contain ':', ';' or ','), features
-- "grid-plaza,load-balancer"; the address is stored in its parts, already validated and normalized.
CREATE TABLE activation_requests (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id       bigint NOT NULL REFERENCES operators (id),
    owner_id          bigint NOT NULL REFERENCES accounts (id),
    customer_number   text NOT NULL,
    charge_points     text NOT NULL,
    controller_number text,
    installation_type text NOT NULL,
    features          text NOT NULL,
    street            text NOT NULL,
    house_number      text,
    postal_code       text,
    city              text NOT NULL,
    country           text NOT NULL,
    region            text,
    network           text NOT NULL,
    notes             text,
    -- requested, in-review, activated or rejected; reason only when rejected.
    state             text NOT NULL,
    reason            text,
    requested_at      timestamptz NOT NULL,
    updated_at        timestamptz,
    updated_by        text
);

-- The operator's queue (by state, oldest first) and an owner's own requests.
CREATE INDEX activation_requests_by_operator ON activation_requests (operator_id, state, requested_at);
CREATE INDEX activation_requests_by_owner ON activation_requests (owner_id, requested_at);

-- A person's portal inbox.
CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    kind       text NOT NULL,
    text       text NOT NULL,
    created_at timestamptz NOT NULL,
    read_at    timestamptz
);

CREATE INDEX notifications_by_account ON notifications (account_id, created_at);
