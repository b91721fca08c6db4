-- Accounts (issue 4): the people who log in, their login sessions, and the audit log of who changed what.
-- Same conventions as 0001: instants are INTEGER milliseconds (UTC), tables STRICT.

-- One account per e-mail address (stored trimmed and lower-cased), across all operators. operator_id is
-- NULL only for platform admins. Only the password's hash is kept.
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    operator_id    INTEGER REFERENCES operators (id),
    owner_kind     TEXT,
    company_number TEXT,
    password_hash  TEXT NOT NULL,
    -- When an owner was confirmed or an installer certified, and by whom.
    approved_at    INTEGER,
    approved_by    INTEGER REFERENCES accounts (id),
    created_at     INTEGER NOT NULL,
    disabled_at    INTEGER
) STRICT;

-- Listings go by operator and role (and the pending owners and installers of an operator).
CREATE INDEX accounts_by_operator ON accounts (operator_id, role);

-- A person's login sessions: only the SHA-256 of the secret is kept.
CREATE TABLE logins (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    remote       TEXT,
    revoked_at   INTEGER,
    last_used_at INTEGER
) STRICT;

-- Revoking an account's logins (password change, disabling).
CREATE INDEX logins_by_account ON logins (account_id);

-- Who changed what, before and after (JSON text). No foreign key to operators: an entry records what
-- happened, not a reference that must stay valid.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    operator_id INTEGER,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
) STRICT;

CREATE INDEX audit_log_by_operator ON audit_log (operator_id, at);
CREATE INDEX audit_log_by_subject ON audit_log (subject, at);
