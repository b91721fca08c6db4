-- Handover to third-party backends (issue 4, route 2) and the assignment of unclaimed stations (route 3).
-- Same conventions as 0001: timestamptz, bigint.

-- The central systems an operator hands stations over to. The URL is validated (ws:// or wss://) before it
-- is stored.
CREATE TABLE backends (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id bigint NOT NULL REFERENCES operators (id),
    name        text NOT NULL,
    ocpp_url    text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (operator_id, name)
);

-- How each vendor's stations are told a new central-system URL. vendor_key is the vendor as compared
-- (joule_core::catalog::vendor_key: case and legal form ignored); vendor as the operator wrote it.
-- method: configuration-key (config_key set) or data-transfer (dt_vendor_id set, dt_message_id optional).
CREATE TABLE provisioning_profiles (
    operator_id       bigint NOT NULL REFERENCES operators (id),
    vendor_key        text NOT NULL,
    vendor            text NOT NULL,
    method            text NOT NULL,
    config_key        text,
    dt_vendor_id      text,
    dt_message_id     text,
    append_station_id boolean NOT NULL,
    reset             text NOT NULL,
    updated_at        timestamptz NOT NULL,
    updated_by        text NOT NULL,
    PRIMARY KEY (operator_id, vendor_key)
);

-- One handover of a station. target_name and target_url are copied from the backend (backend_id, no
-- foreign key: the backend may be deleted later, the history stays) or given directly.
CREATE TABLE handovers (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    station_id   text NOT NULL REFERENCES stations (id),
    operator_id  bigint NOT NULL REFERENCES operators (id),
    target_name  text NOT NULL,
    target_url   text NOT NULL,
    backend_id   bigint,
    -- recorded, provisioning, waiting, handed-over, failed or cancelled
    state        text NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    detail       text
);

CREATE INDEX handovers_by_station ON handovers (station_id, requested_at);
CREATE INDEX handovers_by_state ON handovers (state);
-- At most one open handover per station, whatever the number of writers.
CREATE UNIQUE INDEX handovers_one_open ON handovers (station_id) WHERE state IN ('recorded', 'provisioning', 'waiting');

-- What each step of a handover sent and got back. command_id refers to the command history when the step
-- was a CALL.
CREATE TABLE handover_steps (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handover_id bigint NOT NULL REFERENCES handovers (id),
    at          timestamptz NOT NULL,
    step        text NOT NULL,
    outcome     text NOT NULL,
    detail      text,
    command_id  bigint
);

CREATE INDEX handover_steps_by_handover ON handover_steps (handover_id, id);

-- Route 3: which backend an unclaimed station was assigned to, once. backend_id is NULL for Joule itself.
CREATE TABLE station_assignments (
    station_id     text PRIMARY KEY REFERENCES stations (id),
    operator_id    bigint NOT NULL REFERENCES operators (id),
    purchased_from text NOT NULL,
    backend_id     bigint,
    backend_name   text NOT NULL,
    assigned_by    text NOT NULL,
    assigned_at    timestamptz NOT NULL
);
