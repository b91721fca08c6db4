-- Stickers and the installer's claim (issue 4): one-time activation codes per station, and what the
-- installer recorded when pinpointing it. Same conventions as 0001: instants are INTEGER milliseconds (UTC),
-- tables STRICT.

-- Only the argon2 hash of a code is kept (of its normalized form); a code is used once: used_at is set by a
-- compare-and-set (WHERE used_at IS NULL). The MAC is stored as AA:BB:CC:DD:EE:FF.
CREATE TABLE activation_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id TEXT NOT NULL REFERENCES stations (id),
    mac        TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    used_at    INTEGER,
    used_by    INTEGER REFERENCES accounts (id)
) STRICT;

-- A claim looks up the open codes of a MAC address.
CREATE INDEX activation_codes_by_mac ON activation_codes (mac, used_at);
CREATE INDEX activation_codes_by_station ON activation_codes (station_id);

-- One row per station: who claimed it, and the pinpointing. The serial number is locked once the operator
-- marks the configuration complete (serial_locked_at). The photo is at most 5 MiB.
CREATE TABLE installations (
    station_id       TEXT PRIMARY KEY REFERENCES stations (id),
    claimed_by       INTEGER REFERENCES accounts (id),
    claimed_at       INTEGER,
    lat              REAL,
    lon              REAL,
    accuracy_m       REAL,
    vendor           TEXT,
    model            TEXT,
    serial_number    TEXT,
    serial_locked_at INTEGER,
    street           TEXT,
    house_number     TEXT,
    postal_code      TEXT,
    city             TEXT,
    region           TEXT,
    country          TEXT,
    time_zone        TEXT,
    parking_spot     TEXT,
    directions       TEXT,
    photo            BLOB CHECK (photo IS NULL OR length(photo) <= 5242880),
    photo_type       TEXT,
    photo_at         INTEGER,
    updated_at       INTEGER NOT NULL
) STRICT;
