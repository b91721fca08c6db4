-- Stickers and the installer's claim (issue 4): one-time activation codes per station, and what the
-- installer recorded when pinpointing it. Same conventions as 0001: timestamptz, boolean, bigint.

-- Only the argon2 hash of a code is kept (of its normalized form); a code is used once: used_at is set by a
-- compare-and-set (WHERE used_at IS NULL). The MAC is stored as AA:BB:CC:DD:EE:FF.
CREATE TABLE activation_codes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id text NOT NULL REFERENCES stations (id),
    mac        text NOT NULL,
    code_hash  text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    used_at    timestamptz,
    used_by    bigint REFERENCES accounts (id)
);

-- A claim looks up the open codes of a MAC address.
CREATE INDEX activation_codes_by_mac ON activation_codes (mac, used_at);
CREATE INDEX activation_codes_by_station ON activation_codes (station_id);

-- One row per station: who claimed it, and the pinpointing. The serial number is locked once the operator
-- marks the configuration complete (serial_locked_at). The photo is at most 5 MiB.
CREATE TABLE installations (
    station_id       text PRIMARY KEY REFERENCES stations (id),
    claimed_by       bigint REFERENCES accounts (id),
    claimed_at       timestamptz,
    lat              double precision,
    lon              double precision,
    accuracy_m       double precision,
    vendor           text,
    model            text,
    serial_number    text,
    serial_locked_at timestamptz,
    street           text,
    house_number     text,
    postal_code      text,
    city             text,
    region           text,
    country          text,
    time_zone        text,
    parking_spot     text,
    directions       text,
    photo            bytea CHECK (photo IS NULL OR octet_length(photo) <= 5242880),
    photo_type       text,
    photo_at         timestamptz,
    updated_at       timestamptz NOT NULL
);
