-- Password-reset links (issue 6: "reset password by an e-mailed link"). The secret is only in the mail; the
-- store keeps its SHA-256, like a login's. A link is used once and expires (the API sets an hour).
CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;

-- The mails-per-hour limit counts an account's recent links; a reset ends the account's other open links.
CREATE INDEX password_resets_by_account ON password_resets (account_id, created_at);
