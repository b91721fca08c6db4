-- Accounts (issue 4): the people who log in, their login sessions, and the audit log of who changed what.
-- Same conventions as 0001: timestamptz, boolean, bigint.

-- One account per e-mail address (stored trimmed and lower-cased), across all operators. operator_id is
-- NULL only for platform admins. Only the password's hash is kept. The address compares bytes (COLLATE
-- "C"), as SQLite does, so that listings by address come in one order whatever the database's collation.
CREATE TABLE accounts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          text COLLATE "C" NOT NULL UNIQUE,
    name           text NOT NULL,
    role           text NOT NULL,
    operator_id    bigint REFERENCES operators (id),
    owner_kind     text,
    company_number text,
    password_hash  text NOT NULL,
    -- When an owner was confirmed or an installer certified, and by whom.
    approved_at    timestamptz,
    approved_by    bigint REFERENCES accounts (id),
    created_at     timestamptz NOT NULL,
    disabled_at    timestamptz
);

-- Listings go by operator and role (and the pending owners and installers of an operator).
CREATE INDEX accounts_by_operator ON accounts (operator_id, role);

-- A person's login sessions: only the SHA-256 of the secret is kept.
CREATE TABLE logins (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id),
    token_hash   text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    remote       text,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

-- Revoking an account's logins (password change, disabling).
CREATE INDEX logins_by_account ON logins (account_id);

-- Who changed what, before and after (JSON text). No foreign key to operators: an entry records what
-- happened, not a reference that must stay valid.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    operator_id bigint,
    action      text NOT NULL,
    subject     text NOT NULL,
    before_json text,
    after_json  text
);

CREATE INDEX audit_log_by_operator ON audit_log (operator_id, at);
CREATE INDEX audit_log_by_subject ON audit_log (subject, at);
