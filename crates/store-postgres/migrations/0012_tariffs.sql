-- Tariffs, assignments, billing settings and session costs (issue 5). Same conventions as 0001: instants are
-- timestamptz, bigint. Money is text holding a decimal (never a float: DESIGN.md rule 4).
-- Tariff bodies, billing settings and cost items are JSON written and read by joule-store (src/tariffs.rs).
-- Depends only on 0001 (operators, sessions).

-- A tariff is an id; what it says lives in its versions, which are never changed once written: a change is a
-- new version, and a session is priced by the version in force at its start.
CREATE TABLE tariffs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id bigint NOT NULL REFERENCES operators (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX tariffs_by_operator ON tariffs (operator_id);

CREATE TABLE tariff_versions (
    tariff_id  bigint NOT NULL REFERENCES tariffs (id),
    version    bigint NOT NULL CHECK (version >= 1),
    name       text NOT NULL,
    valid_from timestamptz NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    PRIMARY KEY (tariff_id, version)
);

-- What a tariff is assigned to. The empty station, connector 0 and group 0 mean "not limited to one", so the
-- four shapes (operator default, station, connector, group [at a station]) share one primary key.
CREATE TABLE tariff_assignments (
    operator_id  bigint NOT NULL REFERENCES operators (id),
    station_id   text NOT NULL,
    connector_id bigint NOT NULL CHECK (connector_id >= 0),
    group_id     bigint NOT NULL CHECK (group_id >= 0),
    tariff_id    bigint NOT NULL REFERENCES tariffs (id),
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (operator_id, station_id, connector_id, group_id)
);

-- One row per operator that changed its billing settings; the others have joule-core's defaults.
CREATE TABLE billing_settings (
    operator_id bigint PRIMARY KEY REFERENCES operators (id),
    settings    text NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The cost of a completed session, replaced when it is recomputed.
CREATE TABLE session_costs (
    transaction_id bigint PRIMARY KEY REFERENCES sessions (id),
    operator_id    bigint NOT NULL REFERENCES operators (id),
    tariff_id      bigint REFERENCES tariffs (id),
    tariff_version bigint,
    currency       text NOT NULL,
    subtotal       text NOT NULL,
    adjustment     text NOT NULL,
    net            text NOT NULL,
    vat_rate       text NOT NULL,
    vat            text NOT NULL,
    total          text NOT NULL,
    energy_wh      bigint NOT NULL,
    duration_secs  bigint NOT NULL,
    free_reason    text,
    items          text NOT NULL,
    computed_at    timestamptz NOT NULL
);
-- Completed sessions without a cost are found by their stop time (the catch-up after a restart).
CREATE INDEX sessions_by_stop ON sessions (stopped_at) WHERE stopped_at IS NOT NULL;
