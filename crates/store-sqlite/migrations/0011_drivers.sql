-- Drivers and their groups (issue 5, access and tariffs). Same conventions as 0001: instants are INTEGER
-- milliseconds (UTC), tables STRICT.

-- A driver holds any number of id tokens (id_tokens.driver_id) and may be a person with an account (the
-- station owner charging at their own station is found through it).
CREATE TABLE drivers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id INTEGER NOT NULL REFERENCES operators (id),
    name        TEXT NOT NULL,
    email       TEXT,
    account_id  INTEGER REFERENCES accounts (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX drivers_by_operator ON drivers (operator_id, name);
-- One driver per account and operator: "the owner's tokens" must be one well-defined set.
CREATE UNIQUE INDEX drivers_by_account ON drivers (operator_id, account_id) WHERE account_id IS NOT NULL;

-- Groups of drivers, e.g. employees, residents.
CREATE TABLE driver_groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id INTEGER NOT NULL REFERENCES operators (id),
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (operator_id, name)
) STRICT;

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES driver_groups (id) ON DELETE CASCADE,
    driver_id INTEGER NOT NULL REFERENCES drivers (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, driver_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_by_driver ON group_members (driver_id, group_id);

ALTER TABLE id_tokens ADD COLUMN driver_id INTEGER REFERENCES drivers (id) ON DELETE SET NULL;
CREATE INDEX id_tokens_by_driver ON id_tokens (driver_id) WHERE driver_id IS NOT NULL;
