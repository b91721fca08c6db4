-- Tariffs, assignments, billing settings and session costs (issue 5). Same conventions as 0001: instants are
-- INTEGER milliseconds (UTC), tables STRICT. Money is TEXT holding a decimal (never a float: DESIGN.md rule 4).
-- Tariff bodies, billing settings and cost items are JSON written and read by joule-store (src/tariffs.rs).
-- Depends only on 0001 (operators, sessions).

-- A tariff is an id; what it says lives in its versions, which are never changed once written: a change is a
-- new version, and a session is priced by the version in force at its start.
CREATE TABLE tariffs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_id INTEGER NOT NULL REFERENCES operators (id),
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX tariffs_by_operator ON tariffs (operator_id);

CREATE TABLE tariff_versions (
    tariff_id  INTEGER NOT NULL REFERENCES tariffs (id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    name       TEXT NOT NULL,
    valid_from INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (tariff_id, version)
) STRICT;

-- What a tariff is assigned to. The empty station, connector 0 and group 0 mean "not limited to one", so the
-- four shapes (operator default, station, connector, group [at a station]) share one primary key.
CREATE TABLE tariff_assignments (
    operator_id  INTEGER NOT NULL REFERENCES operators (id),
    station_id   TEXT NOT NULL,
    connector_id INTEGER NOT NULL CHECK (connector_id >= 0),
    group_id     INTEGER NOT NULL CHECK (group_id >= 0),
    tariff_id    INTEGER NOT NULL REFERENCES tariffs (id),
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (operator_id, station_id, connector_id, group_id)
) STRICT;

-- One row per operator that changed its billing settings; the others have joule-core's defaults.
CREATE TABLE billing_settings (
    operator_id INTEGER PRIMARY KEY REFERENCES operators (id),
    settings    TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- The cost of a completed session, replaced when it is recomputed.
CREATE TABLE session_costs (
    transaction_id INTEGER PRIMARY KEY REFERENCES sessions (id),
    operator_id    INTEGER NOT NULL REFERENCES operators (id),
    tariff_id      INTEGER REFERENCES tariffs (id),
    tariff_version INTEGER,
    currency       TEXT NOT NULL,
    subtotal       TEXT NOT NULL,
    adjustment     TEXT NOT NULL,
    net            TEXT NOT NULL,
    vat_rate       TEXT NOT NULL,
    vat            TEXT NOT NULL,
    total          TEXT NOT NULL,
    energy_wh      INTEGER NOT NULL,
    duration_secs  INTEGER NOT NULL,
    free_reason    TEXT,
    items          TEXT NOT NULL,
    computed_at    INTEGER NOT NULL
) STRICT;
-- Completed sessions without a cost are found by their stop time (the catch-up after a restart).
CREATE INDEX sessions_by_stop ON sessions (stopped_at) WHERE stopped_at IS NOT NULL;
