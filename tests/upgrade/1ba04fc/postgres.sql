--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: _sqlx_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public._sqlx_migrations (
    version bigint NOT NULL,
    description text NOT NULL,
    installed_on timestamp with time zone DEFAULT now() NOT NULL,
    success boolean NOT NULL,
    checksum bytea NOT NULL,
    execution_time bigint NOT NULL
);


--
-- Name: accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.accounts (
    id bigint NOT NULL,
    email text NOT NULL COLLATE pg_catalog."C",
    name text NOT NULL,
    role text NOT NULL,
    operator_id bigint,
    owner_kind text,
    company_number text,
    password_hash text NOT NULL,
    approved_at timestamp with time zone,
    approved_by bigint,
    created_at timestamp with time zone NOT NULL,
    disabled_at timestamp with time zone
);


--
-- Name: accounts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.accounts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.accounts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: activation_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.activation_codes (
    id bigint NOT NULL,
    station_id text NOT NULL,
    mac text NOT NULL,
    code_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by text NOT NULL,
    used_at timestamp with time zone,
    used_by bigint
);


--
-- Name: activation_codes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.activation_codes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.activation_codes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: activation_requests; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.activation_requests (
    id bigint NOT NULL,
    operator_id bigint NOT NULL,
    owner_id bigint NOT NULL,
    customer_number text NOT NULL,
    charge_points text NOT NULL,
    controller_number text,
    installation_type text NOT NULL,
    features text NOT NULL,
    street text NOT NULL,
    house_number text,
    postal_code text,
    city text NOT NULL,
    country text NOT NULL,
    region text,
    network text NOT NULL,
    notes text,
    state text NOT NULL,
    reason text,
    requested_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone,
    updated_by text
);


--
-- Name: activation_requests_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.activation_requests ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.activation_requests_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    id bigint NOT NULL,
    operator_id bigint NOT NULL,
    role text NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone
);


--
-- Name: api_tokens_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.api_tokens ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.api_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor text NOT NULL,
    operator_id bigint,
    action text NOT NULL,
    subject text NOT NULL,
    before_json text,
    after_json text
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: backends; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.backends (
    id bigint NOT NULL,
    operator_id bigint NOT NULL,
    name text NOT NULL,
    ocpp_url text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: backends_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.backends ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.backends_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: billing_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.billing_settings (
    operator_id bigint NOT NULL,
    settings text NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: commands; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.commands (
    id bigint NOT NULL,
    station_id text NOT NULL,
    action text NOT NULL,
    payload text NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    outcome text,
    answer text,
    error text,
    finished_at timestamp with time zone,
    latency_ms bigint,
    transaction_id bigint
);


--
-- Name: commands_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.commands ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.commands_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: connectors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.connectors (
    station_id text NOT NULL,
    connector_id bigint NOT NULL,
    status text NOT NULL,
    error_code text NOT NULL,
    info text,
    vendor_error_code text,
    status_at timestamp with time zone NOT NULL
);


--
-- Name: default_results; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.default_results (
    station_id text NOT NULL,
    key text NOT NULL,
    value text NOT NULL,
    result text NOT NULL,
    at timestamp with time zone NOT NULL
);


--
-- Name: driver_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.driver_groups (
    id bigint NOT NULL,
    operator_id bigint NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: driver_groups_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.driver_groups ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.driver_groups_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: drivers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.drivers (
    id bigint NOT NULL,
    operator_id bigint NOT NULL,
    name text NOT NULL,
    email text,
    account_id bigint,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: drivers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.drivers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.drivers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: group_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.group_members (
    group_id bigint NOT NULL,
    driver_id bigint NOT NULL
);


--
-- Name: handover_steps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.handover_steps (
    id bigint NOT NULL,
    handover_id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    step text NOT NULL,
    outcome text NOT NULL,
    detail text,
    command_id bigint
);


--
-- Name: handover_steps_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.handover_steps ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.handover_steps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: handovers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.handovers (
    id bigint NOT NULL,
    station_id text NOT NULL,
    operator_id bigint NOT NULL,
    target_name text NOT NULL,
    target_url text NOT NULL,
    backend_id bigint,
    state text NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    detail text
);


--
-- Name: handovers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.handovers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.handovers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: id_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.id_tokens (
    operator_id bigint NOT NULL,
    tag text NOT NULL,
    parent text,
    expires_at timestamp with time zone,
    blocked boolean DEFAULT false NOT NULL,
    driver_id bigint
);


--
-- Name: installations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.installations (
    station_id text NOT NULL,
    claimed_by bigint,
    claimed_at timestamp with time zone,
    lat double precision,
    lon double precision,
    accuracy_m double precision,
    vendor text,
    model text,
    serial_number text,
    serial_locked_at timestamp with time zone,
    street text,
    house_number text,
    postal_code text,
    city text,
    region text,
    country text,
    time_zone text,
    parking_spot text,
    directions text,
    photo bytea,
    photo_type text,
    photo_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT installations_photo_check CHECK (((photo IS NULL) OR (octet_length(photo) <= 5242880)))
);


--
-- Name: local_list_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.local_list_entries (
    station_id text NOT NULL,
    tag text NOT NULL,
    expires_at timestamp with time zone,
    parent text
);


--
-- Name: local_list_sync; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.local_list_sync (
    station_id text NOT NULL,
    supported bigint,
    station_version bigint,
    sent_version bigint,
    last_result text,
    last_detail text,
    last_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT local_list_sync_supported_check CHECK ((supported = ANY (ARRAY[(0)::bigint, (1)::bigint])))
);


--
-- Name: logins; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logins (
    id bigint NOT NULL,
    account_id bigint NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    remote text,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone
);


--
-- Name: logins_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.logins ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.logins_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: message_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.message_log (
    id bigint NOT NULL,
    station_id text NOT NULL,
    at timestamp with time zone NOT NULL,
    direction text NOT NULL,
    message_type bigint NOT NULL,
    message_id text NOT NULL,
    action text,
    text text NOT NULL
);


--
-- Name: message_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.message_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.message_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: meter_quarter_backfill; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meter_quarter_backfill (
    pending bigint NOT NULL
);


--
-- Name: meter_quarter_days; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meter_quarter_days (
    station_id text NOT NULL,
    connector_id bigint NOT NULL,
    day bigint NOT NULL,
    quarters bytea NOT NULL
)
WITH (toast_tuple_target='8160');
ALTER TABLE ONLY public.meter_quarter_days ALTER COLUMN quarters SET STORAGE EXTERNAL;


--
-- Name: meter_values; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meter_values (
    id bigint NOT NULL,
    station_id text NOT NULL,
    connector_id bigint NOT NULL,
    transaction_id bigint,
    ts timestamp with time zone NOT NULL,
    measurand text NOT NULL,
    phase text NOT NULL,
    location text NOT NULL,
    context text NOT NULL,
    unit text,
    value double precision,
    raw text NOT NULL,
    format text
);


--
-- Name: meter_values_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.meter_values ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.meter_values_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications (
    id bigint NOT NULL,
    account_id bigint NOT NULL,
    kind text NOT NULL,
    text text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    read_at timestamp with time zone
);


--
-- Name: notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notifications ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: operator_defaults; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.operator_defaults (
    operator_id bigint NOT NULL,
    "position" bigint NOT NULL,
    key text NOT NULL,
    value text NOT NULL
);


--
-- Name: operator_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.operator_settings (
    operator_id bigint NOT NULL,
    service_level_days bigint NOT NULL,
    offline_after_minutes bigint NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT operator_settings_offline_after_minutes_check CHECK (((offline_after_minutes >= 1) AND (offline_after_minutes <= 10080))),
    CONSTRAINT operator_settings_service_level_days_check CHECK (((service_level_days >= 1) AND (service_level_days <= 30)))
);


--
-- Name: operators; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.operators (
    id bigint NOT NULL,
    name text NOT NULL,
    operator_key text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: operators_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.operators ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.operators_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    id bigint NOT NULL,
    station_id text NOT NULL,
    kind text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    outcome text
);


--
-- Name: outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.outbox ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: password_resets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.password_resets (
    id bigint NOT NULL,
    account_id bigint NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone
);


--
-- Name: password_resets_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.password_resets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.password_resets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: provisioning_profiles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.provisioning_profiles (
    operator_id bigint NOT NULL,
    vendor_key text NOT NULL,
    vendor text NOT NULL,
    method text NOT NULL,
    config_key text,
    dt_vendor_id text,
    dt_message_id text,
    append_station_id boolean NOT NULL,
    reset text NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by text NOT NULL
);


--
-- Name: session_costs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.session_costs (
    transaction_id bigint NOT NULL,
    operator_id bigint NOT NULL,
    tariff_id bigint,
    tariff_version bigint,
    currency text NOT NULL,
    subtotal text NOT NULL,
    adjustment text NOT NULL,
    net text NOT NULL,
    vat_rate text NOT NULL,
    vat text NOT NULL,
    total text NOT NULL,
    energy_wh bigint NOT NULL,
    duration_secs bigint NOT NULL,
    free_reason text,
    items text NOT NULL,
    computed_at timestamp with time zone NOT NULL
);


--
-- Name: sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sessions (
    id bigint NOT NULL,
    station_id text NOT NULL,
    operator_id bigint NOT NULL,
    connector_id bigint NOT NULL,
    id_tag text NOT NULL,
    auth_status text NOT NULL,
    meter_start_wh bigint NOT NULL,
    started_at timestamp with time zone NOT NULL,
    reservation_id bigint,
    meter_stop_wh bigint,
    stopped_at timestamp with time zone,
    stop_reason text,
    stop_id_tag text
);


--
-- Name: sessions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.sessions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.sessions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    MAXVALUE 2147483647
    CACHE 1
);


--
-- Name: station_access; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.station_access (
    station_id text NOT NULL,
    mode text NOT NULL,
    available_times text,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT station_access_mode_check CHECK ((mode = ANY (ARRAY['public'::text, 'limited'::text, 'private'::text])))
);


--
-- Name: station_access_admitted; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.station_access_admitted (
    station_id text NOT NULL,
    connector bigint NOT NULL,
    driver_id bigint,
    group_id bigint,
    CONSTRAINT station_access_admitted_check CHECK (((driver_id IS NULL) <> (group_id IS NULL))),
    CONSTRAINT station_access_admitted_connector_check CHECK ((connector >= 0))
);


--
-- Name: station_access_connectors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.station_access_connectors (
    station_id text NOT NULL,
    connector bigint NOT NULL,
    mode text,
    authorization_required bigint,
    CONSTRAINT station_access_connectors_authorization_required_check CHECK ((authorization_required = ANY (ARRAY[(0)::bigint, (1)::bigint]))),
    CONSTRAINT station_access_connectors_connector_check CHECK ((connector >= 1)),
    CONSTRAINT station_access_connectors_mode_check CHECK ((mode = ANY (ARRAY['public'::text, 'limited'::text, 'private'::text])))
);


--
-- Name: station_assignments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.station_assignments (
    station_id text NOT NULL,
    operator_id bigint NOT NULL,
    purchased_from text NOT NULL,
    backend_id bigint,
    backend_name text NOT NULL,
    assigned_by text NOT NULL,
    assigned_at timestamp with time zone NOT NULL
);


--
-- Name: station_configuration; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.station_configuration (
    station_id text NOT NULL,
    key text NOT NULL,
    value text,
    readonly boolean NOT NULL,
    read_at timestamp with time zone,
    changed_at timestamp with time zone
);


--
-- Name: station_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.station_events (
    id bigint NOT NULL,
    station_id text NOT NULL,
    kind text NOT NULL,
    detail text NOT NULL,
    occurred_at timestamp with time zone NOT NULL
);


--
-- Name: station_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.station_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.station_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: station_group_times; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.station_group_times (
    station_id text NOT NULL,
    group_id bigint NOT NULL,
    times text NOT NULL
);


--
-- Name: station_models; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.station_models (
    operator_id bigint NOT NULL,
    match_key text NOT NULL,
    vendor text NOT NULL,
    model text NOT NULL,
    min_firmware text,
    updated_at timestamp with time zone NOT NULL,
    updated_by text NOT NULL
);


--
-- Name: stations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stations (
    id text NOT NULL,
    operator_id bigint NOT NULL,
    state text NOT NULL,
    free_vend boolean DEFAULT false NOT NULL,
    password_hash text,
    boot_vendor text,
    boot_model text,
    boot_serial_number text,
    boot_charge_box_serial_number text,
    boot_firmware_version text,
    boot_iccid text,
    boot_imsi text,
    boot_meter_type text,
    boot_meter_serial_number text,
    last_boot_at timestamp with time zone,
    online boolean DEFAULT false NOT NULL,
    connected_at timestamp with time zone,
    disconnected_at timestamp with time zone,
    last_heartbeat_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    owner_id bigint,
    out_of_service_since timestamp with time zone
);


--
-- Name: status_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.status_history (
    id bigint NOT NULL,
    station_id text NOT NULL,
    connector_id bigint NOT NULL,
    status text NOT NULL,
    error_code text NOT NULL,
    info text,
    vendor_id text,
    vendor_error_code text,
    station_time timestamp with time zone,
    received_at timestamp with time zone NOT NULL
);


--
-- Name: status_history_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.status_history ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.status_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: tariff_assignments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tariff_assignments (
    operator_id bigint NOT NULL,
    station_id text NOT NULL,
    connector_id bigint NOT NULL,
    group_id bigint NOT NULL,
    tariff_id bigint NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT tariff_assignments_connector_id_check CHECK ((connector_id >= 0)),
    CONSTRAINT tariff_assignments_group_id_check CHECK ((group_id >= 0))
);


--
-- Name: tariff_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tariff_versions (
    tariff_id bigint NOT NULL,
    version bigint NOT NULL,
    name text NOT NULL,
    valid_from timestamp with time zone NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by text NOT NULL,
    CONSTRAINT tariff_versions_version_check CHECK ((version >= 1))
);


--
-- Name: tariffs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tariffs (
    id bigint NOT NULL,
    operator_id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: tariffs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.tariffs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.tariffs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: unknown_stops; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.unknown_stops (
    id bigint NOT NULL,
    station_id text NOT NULL,
    transaction_id bigint NOT NULL,
    id_tag text,
    meter_stop_wh bigint NOT NULL,
    stopped_at timestamp with time zone NOT NULL,
    reason text,
    received_at timestamp with time zone NOT NULL
);


--
-- Name: unknown_stops_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.unknown_stops ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.unknown_stops_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Data for Name: _sqlx_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public._sqlx_migrations VALUES (1, 'init', '2026-12-08 00:42:01.736435+00', true, '\x68f9927ba8ba27a99e9ce3dbc1c1bac06e6e0423e550973bba99be241b93343aea9bdbda82be1e71618aa8e751254fde', 413507583);
INSERT INTO public._sqlx_migrations VALUES (2, 'remote operations', '2026-12-08 00:42:02.151597+00', true, '\x1978a262b05b9ec5535bc5bffa1f57f5e4b9843e1fcd57fcc82bdfdf8ee714d01be923929cda4ae849986ccbde908fa9', 211938866);
INSERT INTO public._sqlx_migrations VALUES (3, 'command transactions', '2026-12-08 00:42:02.371397+00', true, '\x3c34fac4bb3a2b759c62d13553640c991f189266a37fda5871cd745406d24ac44b886ccc4c168199fecd4f822c731b9a', 36159339);
INSERT INTO public._sqlx_migrations VALUES (5, 'accounts', '2026-12-08 00:42:02.417063+00', true, '\x8238b69d709b64f0070ff5bbff563834a4afb42fd07c46a1341b1b13c3421d81d2dced6e1097e8311130dc828fe6bcba', 100964467);
INSERT INTO public._sqlx_migrations VALUES (6, 'activation requests', '2026-12-08 00:42:02.523613+00', true, '\xec7d226fea0dc1f14ea75355195c5486c0670290774b0a6984bfea8775a487a2ab5e696388112ad16b196fcf7416c060', 56418787);
INSERT INTO public._sqlx_migrations VALUES (7, 'claims', '2026-12-08 00:42:02.583671+00', true, '\xa00fd6c95c9205c6cfa97c2536da46c8006a1462b59fa21dc8152fe622093fad994b1731d2e42e1572a60f1a787db547', 52037690);
INSERT INTO public._sqlx_migrations VALUES (8, 'handover', '2026-12-08 00:42:02.64413+00', true, '\xb3f9dad6f73e9e3febeabc476d09026517f458f7e24747bbb43fd983399ca56151a8c32e71df5370ebd8c5b2fcb679a0', 83948782);
INSERT INTO public._sqlx_migrations VALUES (9, 'operator settings', '2026-12-08 00:42:02.731613+00', true, '\x340665a6b82041b9908653c22e684e57b2fbb7c610ffc94e0b6090e2197514fe25809f0c57c29a8f48b22d450e8f7d2a', 10437646);
INSERT INTO public._sqlx_migrations VALUES (10, 'station models', '2026-12-08 00:42:02.747581+00', true, '\x27950214461d89519aa9a5d8674d0c4afc11b23b1670331e7246846a604b499acac010fd3ca86283a5a5c6f7a206946f', 12052666);
INSERT INTO public._sqlx_migrations VALUES (11, 'drivers', '2026-12-08 00:42:02.762132+00', true, '\xb29acea0335e67921ad82513cc91375ff4a287d7002e9def4483ccdb91009bda71f3b1000f32667b81e7abeac28875dc', 49479422);
INSERT INTO public._sqlx_migrations VALUES (12, 'tariffs', '2026-12-08 00:42:02.81953+00', true, '\x7853c216062915b86925ebb56769586e1143a2b346ada1e9870f603f2169e33975ad7cf34654d80b4c4781eee95746ff', 44077961);
INSERT INTO public._sqlx_migrations VALUES (13, 'interval index', '2026-12-08 00:42:02.86756+00', true, '\x9320eb4496be85d730e51871609d80e960894c4ad49661de07b033f8f9389e68ad740592c7b5e02ccffe53e988d7d0f9', 62723894);
INSERT INTO public._sqlx_migrations VALUES (14, 'access rules', '2026-12-08 00:42:02.931625+00', true, '\x561390c08f98d1db2534bcdb1956ce6ed08a16ba04ccfba979cfba1a1fdd96783698024a046d9d4cb732527149501fb1', 105850160);
INSERT INTO public._sqlx_migrations VALUES (15, 'local list sync', '2026-12-08 00:42:03.059508+00', true, '\x3c86319803f67ceb3d05b5bda4f53710fcc489ac8c7bc60823881be73695a6689e77ce80d678706803364951df62af43', 47911391);
INSERT INTO public._sqlx_migrations VALUES (16, 'meter quarter days', '2026-12-08 00:42:03.115231+00', true, '\x75c43f58dd97c554f3ea11378ae8ca3d2924a1873a3125bd3f217a5af16e598f7541b72d1757c916c04ffb53bcda277d', 32050573);
INSERT INTO public._sqlx_migrations VALUES (17, 'password resets', '2026-12-08 00:42:03.144328+00', true, '\xc636c59a2a91bdc61355baf9c0a69b5e91e114f2c6e8a3e3708171daadc3ac12b0e4cdfe8bcb7a9b080509c43a314210', 55343020);


--
-- Data for Name: accounts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.accounts OVERRIDING SYSTEM VALUE VALUES (1, 'admin@fixture.example', 'Fixture Admin', 'platform-admin', NULL, NULL, NULL, '$argon2id$v=19$m=19456,t=2,p=1$eUaDF/KMreQyXjsLaE6VFg$wU5C5DWXLdtrA0KyHjpeG4OVzA+qRMCb0JuBqDNs5QQ', NULL, NULL, '2026-12-08 00:42:05.06+00', NULL);
INSERT INTO public.accounts OVERRIDING SYSTEM VALUE VALUES (2, 'staff@fixture.example', 'Fixture Staff', 'operator-staff', 1, NULL, NULL, '$argon2id$v=19$m=19456,t=2,p=1$e10KPcrMb5V5lQweu2ugyA$L5drFJAapkLmiWhCirNouknw+coAPhMU4BvMdLL7+p0', NULL, NULL, '2026-12-08 00:42:05.332+00', NULL);
INSERT INTO public.accounts OVERRIDING SYSTEM VALUE VALUES (3, 'installer@fixture.example', 'Fixture Installer', 'installer', 1, NULL, NULL, '$argon2id$v=19$m=19456,t=2,p=1$ZfLcPCFwd+jYOv5fpIA9hg$hJWHcu2W2yueVfDSjElD2FJw9g5luWfJHXQXp5We9zo', '2026-12-08 00:42:05.535+00', NULL, '2026-12-08 00:42:05.479+00', NULL);
INSERT INTO public.accounts OVERRIDING SYSTEM VALUE VALUES (4, 'driver@fixture.example', 'Ann Example', 'driver', 1, NULL, NULL, '$argon2id$v=19$m=19456,t=2,p=1$voxsDmNNcj8dt7+8/vbsYg$ZjbLxnW9GajSiAr5lBc5T9iGkXLsLxb16bbZZnGdUGI', NULL, NULL, '2026-12-08 00:42:05.814+00', NULL);
INSERT INTO public.accounts OVERRIDING SYSTEM VALUE VALUES (5, 'owner@fixture.example', 'Fixture Owner AG', 'owner', 1, 'company', 'CHE-123.456.789', '$argon2id$v=19$m=19456,t=2,p=1$NGrs/pmLBdyG2zyzv4Hwsg$fjWavPBEFlUIwMNELJ6zIJet+w/Py3nqYsVHfTyiM7g', '2026-12-08 00:42:06.915+00', 2, '2026-12-08 00:42:06.835+00', NULL);
INSERT INTO public.accounts OVERRIDING SYSTEM VALUE VALUES (6, 'leaver@fixture.example', 'Former Staff', 'operator-staff', 1, NULL, NULL, '$argon2id$v=19$m=19456,t=2,p=1$xg2DVY+Kq3RCeXYDImWTvw$U5VXpCme5+/Hgfw+A/zGAIsePQiS3wTmF740zURwR5o', NULL, NULL, '2026-12-08 00:42:07.295+00', '2026-12-08 00:42:07.374+00');


--
-- Data for Name: activation_codes; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.activation_codes OVERRIDING SYSTEM VALUE VALUES (2, 'FX-5', 'AA:BB:CC:00:00:05', '$argon2id$v=19$m=4096,t=1,p=1$DQeIUsIuxPy+D7aomTqkoQ$ThK33ebOP9Yks5dWR41nYGoIVMOvjJCKRy9ue9S5a9Q', '2026-12-08 00:42:17.789+00', 'account:staff@fixture.example', NULL, NULL);
INSERT INTO public.activation_codes OVERRIDING SYSTEM VALUE VALUES (1, 'FX-3', 'AA:BB:CC:00:00:03', '$argon2id$v=19$m=4096,t=1,p=1$oDF4V0tDuggAiJnsV4Vd9w$J3OuycXjNn03D+UGxCsX9CV//dUxi0lTFqcyZumUvlg', '2026-12-08 00:42:17.663+00', 'account:staff@fixture.example', '2026-12-08 00:42:17.929+00', 3);


--
-- Data for Name: activation_requests; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.activation_requests OVERRIDING SYSTEM VALUE VALUES (1, 1, 5, 'C-1001', '1:FX-3:1,2', 'CTRL-7', 'home', 'rfid-reader', 'Seestrasse', '12', '8002', 'Zürich', 'CH', NULL, 'lan', 'Fixture request', 'activated', NULL, '2026-12-08 00:42:16.726+00', '2026-12-08 00:42:16.829+00', 'account:staff@fixture.example');
INSERT INTO public.activation_requests OVERRIDING SYSTEM VALUE VALUES (2, 1, 5, 'C-1002', '1:FX-6:1,2', 'CTRL-7', 'home', 'rfid-reader', 'Seestrasse', '12', '8002', 'Zürich', 'CH', NULL, 'lan', 'Fixture request', 'rejected', 'The address is outside our service area.', '2026-12-08 00:42:16.927+00', '2026-12-08 00:42:16.971+00', 'account:staff@fixture.example');
INSERT INTO public.activation_requests OVERRIDING SYSTEM VALUE VALUES (3, 1, 5, 'C-1003', '1:FX-5:1,2', 'CTRL-7', 'home', 'rfid-reader', 'Seestrasse', '12', '8002', 'Zürich', 'CH', NULL, 'lan', 'Fixture request', 'in-review', NULL, '2026-12-08 00:42:17.329+00', '2026-12-08 00:42:17.398+00', 'account:staff@fixture.example');


--
-- Data for Name: api_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.api_tokens OVERRIDING SYSTEM VALUE VALUES (2, 1, 'viewer', 'fixture-viewer', 'd1149e7b30a8cf6ec982e155f8b4a81d71dfb0c0df0eee6e951dbd1ee432be3c', '2026-12-08 00:42:04.057+00', NULL, '2026-12-08 00:42:04.324+00');
INSERT INTO public.api_tokens OVERRIDING SYSTEM VALUE VALUES (3, 2, 'operator', 'other-operator', 'dbae6914e651993dc3f8a3764c5044a3cb7aef35a81a2aaba5ca33f69f636dd9', '2026-12-08 00:42:04.504+00', NULL, NULL);
INSERT INTO public.api_tokens OVERRIDING SYSTEM VALUE VALUES (1, 1, 'admin', 'fixture-admin', '18a63e124dfda6bba8fb9e92d527102db6e4d9baf2a61dbfe8ee63a6a8fd68ae', '2026-12-08 00:42:03.843+00', '2026-12-08 00:42:04.571+00', NULL);


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (1, '2026-12-08 00:42:05.107+00', 'cli', NULL, 'account.create', 'account:1', NULL, '{"approved":false,"email":"admin@fixture.example","role":"platform-admin"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (2, '2026-12-08 00:42:05.349+00', 'cli', 1, 'account.create', 'account:2', NULL, '{"approved":false,"email":"staff@fixture.example","role":"operator-staff"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (3, '2026-12-08 00:42:05.507+00', 'cli', 1, 'account.create', 'account:3', NULL, '{"approved":false,"email":"installer@fixture.example","role":"installer"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (4, '2026-12-08 00:42:05.547+00', 'cli', 1, 'account.approve', 'account:3', NULL, '{"approved":true,"email":"installer@fixture.example","role":"installer"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (5, '2026-12-08 00:42:05.859+00', 'cli', 1, 'account.create', 'account:4', NULL, '{"approved":false,"email":"driver@fixture.example","role":"driver"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (6, '2026-12-08 00:42:06.042+00', 'cli', 1, 'operator.settings', 'operator:1', '{"offline_after_minutes":15,"service_level_days":2}', '{"offline_after_minutes":30,"service_level_days":3}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (7, '2026-12-08 00:42:06.859+00', 'account:owner@fixture.example', 1, 'account.register', 'account:5', NULL, '{"approved":false,"approved_at":null,"company_number":"CHE-123.456.789","created_at":"2026-12-08T00:42:06.835Z","disabled":false,"email":"owner@fixture.example","id":5,"name":"Fixture Owner AG","operator_id":1,"owner_kind":"company","role":"owner"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (8, '2026-12-08 00:42:06.919+00', 'account:staff@fixture.example', 1, 'owner.confirm', 'account:5', '{"approved":false,"approved_at":null,"company_number":"CHE-123.456.789","created_at":"2026-12-08T00:42:06.835Z","disabled":false,"email":"owner@fixture.example","id":5,"name":"Fixture Owner AG","operator_id":1,"owner_kind":"company","role":"owner"}', '{"approved":true,"approved_at":"2026-12-08T00:42:06.915Z","company_number":"CHE-123.456.789","created_at":"2026-12-08T00:42:06.835Z","disabled":false,"email":"owner@fixture.example","id":5,"name":"Fixture Owner AG","operator_id":1,"owner_kind":"company","role":"owner"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (9, '2026-12-08 00:42:07.304+00', 'account:staff@fixture.example', 1, 'account.create', 'account:6', NULL, '{"approved":false,"approved_at":null,"company_number":null,"created_at":"2026-12-08T00:42:07.295Z","disabled":false,"email":"leaver@fixture.example","id":6,"name":"Former Staff","operator_id":1,"owner_kind":null,"role":"operator-staff"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (10, '2026-12-08 00:42:07.376+00', 'account:staff@fixture.example', 1, 'account.disable', 'account:6', '{"approved":false,"approved_at":null,"company_number":null,"created_at":"2026-12-08T00:42:07.295Z","disabled":false,"email":"leaver@fixture.example","id":6,"name":"Former Staff","operator_id":1,"owner_kind":null,"role":"operator-staff"}', '{"approved":false,"approved_at":null,"company_number":null,"created_at":"2026-12-08T00:42:07.295Z","disabled":true,"email":"leaver@fixture.example","id":6,"name":"Former Staff","operator_id":1,"owner_kind":null,"role":"operator-staff"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (11, '2026-12-08 00:42:08.888+00', 'token:fixture-admin', 1, 'driver.create', 'driver:1', NULL, '{"account_id":null,"created_at":"2026-12-08T00:42:08.875Z","email":"ann@example.com","groups":[],"id":1,"name":"Ann Example","tokens":[],"updated_at":"2026-12-08T00:42:08.875Z"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (12, '2026-12-08 00:42:08.94+00', 'token:fixture-admin', 1, 'driver.create', 'driver:2', NULL, '{"account_id":null,"created_at":"2026-12-08T00:42:08.935Z","email":null,"groups":[],"id":2,"name":"Bob Example","tokens":[],"updated_at":"2026-12-08T00:42:08.935Z"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (13, '2026-12-08 00:42:09.332+00', 'token:fixture-admin', 1, 'driver.update', 'driver:1', '{"account_id":null,"created_at":"2026-12-08T00:42:08.875Z","email":"ann@example.com","groups":[],"id":1,"name":"Ann Example","updated_at":"2026-12-08T00:42:08.875Z"}', '{"account_id":4,"created_at":"2026-12-08T00:42:08.875Z","email":"ann@example.com","groups":[],"id":1,"name":"Ann Example","tokens":[],"updated_at":"2026-12-08T00:42:09.307Z"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (14, '2026-12-08 00:42:09.374+00', 'token:fixture-admin', 1, 'group.create', 'group:1', NULL, '{"created_at":"2026-12-08T00:42:09.358Z","id":1,"members":0,"name":"residents"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (15, '2026-12-08 00:42:09.512+00', 'token:fixture-admin', 1, 'group.create', 'group:2', NULL, '{"created_at":"2026-12-08T00:42:09.511Z","id":2,"members":0,"name":"staff"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (16, '2026-12-08 00:42:09.607+00', 'token:fixture-admin', 1, 'group.join', 'group:1', NULL, '{"driver_id":1}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (17, '2026-12-08 00:42:09.668+00', 'token:fixture-admin', 1, 'group.join', 'group:2', NULL, '{"driver_id":2}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (18, '2026-12-08 00:42:09.739+00', 'token:fixture-admin', 1, 'driver.link', 'driver:1', NULL, '{"id_tag":"TAG-A"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (19, '2026-12-08 00:42:09.807+00', 'token:fixture-admin', 1, 'driver.link', 'driver:2', NULL, '{"id_tag":"TAG-B"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (20, '2026-12-08 00:42:09.907+00', 'token:fixture-admin', 1, 'id_tokens.import', 'operator:1', NULL, '{"counts":{"created":2,"lines":2,"rejected":0,"unchanged":0,"updated":0},"drivers_created":["Carol Import"],"groups_created":["imported"]}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (21, '2026-12-08 00:42:09.987+00', 'token:fixture-admin', 1, 'operator.billing', 'operator:1', '{"currency":"CHF","energy_mode":"half_up","energy_step_wh":1,"free_below_secs":120,"free_below_wh":200,"money_mode":"half_up","money_scale":2,"time_mode":"up","time_step_secs":60,"time_zone":"UTC","vat_rate":"8.1"}', '{"currency":"CHF","energy_mode":"half_up","energy_step_wh":1,"free_below_secs":120,"free_below_wh":200,"money_mode":"half_up","money_scale":2,"time_mode":"up","time_step_secs":60,"time_zone":"Europe/Zurich","vat_rate":"8.1"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (22, '2026-12-08 00:42:10.122+00', 'token:fixture-admin', 1, 'tariff.create', 'tariff:1', NULL, '{"created_at":"2026-12-08T00:42:10.083Z","created_by":"token:fixture-admin","description":["start fee 1 CHF (1.08 incl. 8.1 % VAT)","0.3 CHF (0.32 incl. 8.1 % VAT) per kWh"],"id":1,"name":"Standard","tariff":{"elements":[{"price_components":[{"price":"0.30","step_size":1,"type":"ENERGY"}]}],"start_fee":"1.00"},"valid_from":"2026-01-01T00:00:00Z","version":1}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (23, '2026-12-08 00:42:10.223+00', 'token:fixture-admin', 1, 'tariff.version', 'tariff:1', NULL, '{"created_at":"2026-12-08T00:42:10.178Z","created_by":"token:fixture-admin","description":["start fee 1 CHF (1.08 incl. 8.1 % VAT)","0.35 CHF (0.38 incl. 8.1 % VAT) per kWh"],"id":1,"name":"Standard","tariff":{"elements":[{"price_components":[{"price":"0.35","step_size":1,"type":"ENERGY"}]}],"start_fee":"1.00"},"valid_from":"2027-01-01T00:00:00Z","version":2}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (24, '2026-12-08 00:42:10.292+00', 'token:fixture-admin', 1, 'tariff.create', 'tariff:2', NULL, '{"created_at":"2026-12-08T00:42:10.284Z","created_by":"token:fixture-admin","description":["start fee 0.5 CHF (0.54 incl. 8.1 % VAT)","0.2 CHF (0.22 incl. 8.1 % VAT) per kWh"],"id":2,"name":"Residents","tariff":{"elements":[{"price_components":[{"price":"0.20","step_size":1,"type":"ENERGY"}]}],"start_fee":"0.50"},"valid_from":"2026-01-01T00:00:00Z","version":1}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (25, '2026-12-08 00:42:10.423+00', 'token:fixture-admin', 1, 'tariff.create', 'tariff:3', NULL, '{"created_at":"2026-12-08T00:42:10.401Z","created_by":"token:fixture-admin","description":["0.5 CHF (0.54 incl. 8.1 % VAT) per kWh"],"id":3,"name":"Fast","tariff":{"elements":[{"price_components":[{"price":"0.50","step_size":1,"type":"ENERGY"}]}]},"valid_from":"2026-01-01T00:00:00Z","version":1}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (26, '2026-12-08 00:42:10.555+00', 'token:fixture-admin', 1, 'tariff.assign', 'tariff:1', NULL, '{"connector":null,"group":null,"station":null}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (27, '2026-12-08 00:42:10.671+00', 'token:fixture-admin', 1, 'tariff.assign', 'tariff:2', NULL, '{"connector":null,"group":1,"station":null}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (28, '2026-12-08 00:42:10.921+00', 'token:fixture-admin', 1, 'tariff.assign', 'tariff:3', NULL, '{"connector":2,"group":null,"station":"FX-1"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (32, '2026-12-08 00:42:16.823+00', 'account:staff@fixture.example', 1, 'station.activate', 'station:FX-3', '{"state":"requested"}', '{"activation_request":1,"state":"active"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (29, '2026-12-08 00:42:16.74+00', 'account:owner@fixture.example', 1, 'activation.request', 'activation-request:1', NULL, '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-3"}],"controller_number":"CTRL-7","customer_number":"C-1001","features":["rfid-reader"],"id":1,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:16.726Z","state":"requested","updated_at":null,"updated_by":null}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (30, '2026-12-08 00:42:16.742+00', 'account:owner@fixture.example', 1, 'station.state', 'station:FX-3', '{"state":"pending"}', '{"activation_request":1,"state":"requested"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (31, '2026-12-08 00:42:16.784+00', 'account:staff@fixture.example', 1, 'activation.review', 'activation-request:1', '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-3"}],"controller_number":"CTRL-7","customer_number":"C-1001","features":["rfid-reader"],"id":1,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:16.726Z","state":"requested","updated_at":null,"updated_by":null}', '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-3"}],"controller_number":"CTRL-7","customer_number":"C-1001","features":["rfid-reader"],"id":1,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:16.726Z","state":"in-review","updated_at":"2026-12-08T00:42:16.772Z","updated_by":"account:staff@fixture.example"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (35, '2026-12-08 00:42:16.936+00', 'account:owner@fixture.example', 1, 'activation.request', 'activation-request:2', NULL, '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-6"}],"controller_number":"CTRL-7","customer_number":"C-1002","features":["rfid-reader"],"id":2,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:16.927Z","state":"requested","updated_at":null,"updated_by":null}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (36, '2026-12-08 00:42:16.942+00', 'account:owner@fixture.example', 1, 'station.state', 'station:FX-6', '{"state":"pending"}', '{"activation_request":2,"state":"requested"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (37, '2026-12-08 00:42:17.003+00', 'account:staff@fixture.example', 1, 'activation.reject', 'activation-request:2', '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-6"}],"controller_number":"CTRL-7","customer_number":"C-1002","features":["rfid-reader"],"id":2,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:16.927Z","state":"requested","updated_at":null,"updated_by":null}', '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-6"}],"controller_number":"CTRL-7","customer_number":"C-1002","features":["rfid-reader"],"id":2,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":"The address is outside our service area.","requested_at":"2026-12-08T00:42:16.927Z","state":"rejected","updated_at":"2026-12-08T00:42:16.971Z","updated_by":"account:staff@fixture.example"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (38, '2026-12-08 00:42:17.008+00', 'account:staff@fixture.example', 1, 'station.state', 'station:FX-6', '{"state":"requested"}', '{"activation_request":2,"state":"rejected"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (44, '2026-12-08 00:42:17.943+00', 'account:installer@fixture.example', 1, 'station.claim', 'station:FX-3', NULL, '{"address":null,"claimed_at":"2026-12-08T00:42:17.929Z","claimed_by":3,"directions":null,"gps":null,"model":null,"parking_spot":null,"photo":null,"serial_locked_at":null,"serial_number":null,"station_id":"FX-3","time_zone":null,"updated_at":"2026-12-08T00:42:17.929Z","vendor":null}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (45, '2026-12-08 00:42:18.016+00', 'account:installer@fixture.example', 1, 'installation.pinpoint', 'station:FX-3', '{"address":null,"claimed_at":"2026-12-08T00:42:17.929Z","claimed_by":3,"directions":null,"gps":null,"model":null,"parking_spot":null,"photo":null,"serial_locked_at":null,"serial_number":null,"station_id":"FX-3","time_zone":null,"updated_at":"2026-12-08T00:42:17.929Z","vendor":null}', '{"address":{"city":"Zürich","country":"CH","house_number":"1","postal_code":"8001","region":null,"street":"Bahnhofstrasse"},"claimed_at":"2026-12-08T00:42:17.929Z","claimed_by":3,"directions":"Level -1, next to the lift","gps":{"accuracy_m":4.5,"lat":47.3769,"lon":8.5417},"model":"FX-22","parking_spot":"P3","photo":null,"serial_locked_at":null,"serial_number":"FXS-0003","station_id":"FX-3","time_zone":"Europe/Zurich","updated_at":"2026-12-08T00:42:17.996Z","vendor":"Fixture Works"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (46, '2026-12-08 00:42:18.414+00', 'account:installer@fixture.example', 1, 'installation.photo', 'station:FX-3', '{"address":{"city":"Zürich","country":"CH","house_number":"1","postal_code":"8001","region":null,"street":"Bahnhofstrasse"},"claimed_at":"2026-12-08T00:42:17.929Z","claimed_by":3,"directions":"Level -1, next to the lift","gps":{"accuracy_m":4.5,"lat":47.3769,"lon":8.5417},"model":"FX-22","parking_spot":"P3","photo":null,"serial_locked_at":null,"serial_number":"FXS-0003","station_id":"FX-3","time_zone":"Europe/Zurich","updated_at":"2026-12-08T00:42:17.996Z","vendor":"Fixture Works"}', '{"address":{"city":"Zürich","country":"CH","house_number":"1","postal_code":"8001","region":null,"street":"Bahnhofstrasse"},"claimed_at":"2026-12-08T00:42:17.929Z","claimed_by":3,"directions":"Level -1, next to the lift","gps":{"accuracy_m":4.5,"lat":47.3769,"lon":8.5417},"model":"FX-22","parking_spot":"P3","photo":{"content_type":"image/png","size":73},"serial_locked_at":null,"serial_number":"FXS-0003","station_id":"FX-3","time_zone":"Europe/Zurich","updated_at":"2026-12-08T00:42:18.408Z","vendor":"Fixture Works"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (47, '2026-12-08 00:42:18.445+00', 'account:staff@fixture.example', 1, 'catalog.model.set', 'operator:1', NULL, '{"min_firmware":"1.4.0","model":"FX-22","updated_at":"2026-12-08T00:42:18.443Z","updated_by":"account:staff@fixture.example","vendor":"Fixture Works"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (48, '2026-12-08 00:42:18.487+00', 'account:staff@fixture.example', 1, 'catalog.model.set', 'operator:1', NULL, '{"min_firmware":null,"model":"FX-11","updated_at":"2026-12-08T00:42:18.486Z","updated_by":"account:staff@fixture.example","vendor":"Fixture Works"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (33, '2026-12-08 00:42:16.828+00', 'account:staff@fixture.example', 1, 'station.owner', 'station:FX-3', '{"owner_id":null}', '{"activation_request":1,"owner_id":5}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (34, '2026-12-08 00:42:16.837+00', 'account:staff@fixture.example', 1, 'activation.approve', 'activation-request:1', '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-3"}],"controller_number":"CTRL-7","customer_number":"C-1001","features":["rfid-reader"],"id":1,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:16.726Z","state":"in-review","updated_at":"2026-12-08T00:42:16.772Z","updated_by":"account:staff@fixture.example"}', '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-3"}],"controller_number":"CTRL-7","customer_number":"C-1001","features":["rfid-reader"],"id":1,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:16.726Z","state":"activated","updated_at":"2026-12-08T00:42:16.829Z","updated_by":"account:staff@fixture.example"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (39, '2026-12-08 00:42:17.335+00', 'account:owner@fixture.example', 1, 'activation.request', 'activation-request:3', NULL, '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-5"}],"controller_number":"CTRL-7","customer_number":"C-1003","features":["rfid-reader"],"id":3,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:17.329Z","state":"requested","updated_at":null,"updated_by":null}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (40, '2026-12-08 00:42:17.343+00', 'account:owner@fixture.example', 1, 'station.state', 'station:FX-5', '{"state":"pending"}', '{"activation_request":3,"state":"requested"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (41, '2026-12-08 00:42:17.407+00', 'account:staff@fixture.example', 1, 'activation.review', 'activation-request:3', '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-5"}],"controller_number":"CTRL-7","customer_number":"C-1003","features":["rfid-reader"],"id":3,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:17.329Z","state":"requested","updated_at":null,"updated_by":null}', '{"address":{"city":"Zürich","country":"CH","house_number":"12","postal_code":"8002","region":null,"street":"Seestrasse"},"charge_points":[{"connectors":[1,2],"number":"1","station_id":"FX-5"}],"controller_number":"CTRL-7","customer_number":"C-1003","features":["rfid-reader"],"id":3,"installation_type":"home","network":"lan","notes":"Fixture request","operator_id":1,"overdue":false,"owner_id":5,"reason":null,"requested_at":"2026-12-08T00:42:17.329Z","state":"in-review","updated_at":"2026-12-08T00:42:17.398Z","updated_by":"account:staff@fixture.example"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (42, '2026-12-08 00:42:17.675+00', 'account:staff@fixture.example', 1, 'activation_code.create', 'station:FX-3', NULL, '{"code_id":1,"mac":"AA:BB:CC:00:00:03"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (43, '2026-12-08 00:42:17.793+00', 'account:staff@fixture.example', 1, 'activation_code.create', 'station:FX-5', NULL, '{"code_id":2,"mac":"AA:BB:CC:00:00:05"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (49, '2026-12-08 00:42:18.543+00', 'account:staff@fixture.example', 1, 'installation.lock', 'station:FX-3', '{"address":{"city":"Zürich","country":"CH","house_number":"1","postal_code":"8001","region":null,"street":"Bahnhofstrasse"},"claimed_at":"2026-12-08T00:42:17.929Z","claimed_by":3,"directions":"Level -1, next to the lift","gps":{"accuracy_m":4.5,"lat":47.3769,"lon":8.5417},"model":"FX-22","parking_spot":"P3","photo":{"content_type":"image/png","size":73},"serial_locked_at":null,"serial_number":"FXS-0003","station_id":"FX-3","time_zone":"Europe/Zurich","updated_at":"2026-12-08T00:42:18.408Z","vendor":"Fixture Works"}', '{"address":{"city":"Zürich","country":"CH","house_number":"1","postal_code":"8001","region":null,"street":"Bahnhofstrasse"},"claimed_at":"2026-12-08T00:42:17.929Z","claimed_by":3,"directions":"Level -1, next to the lift","gps":{"accuracy_m":4.5,"lat":47.3769,"lon":8.5417},"model":"FX-22","parking_spot":"P3","photo":{"content_type":"image/png","size":73},"serial_locked_at":"2026-12-08T00:42:18.540Z","serial_number":"FXS-0003","station_id":"FX-3","time_zone":"Europe/Zurich","updated_at":"2026-12-08T00:42:18.540Z","vendor":"Fixture Works"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (50, '2026-12-08 00:42:19.386+00', 'account:installer@fixture.example', 1, 'station.test_session', 'station:FX-3', NULL, '{"answer":{"status":"Accepted"},"command":3,"id_tag":"TEST-73JKXVGC759D8G5","transaction_id":6}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (51, '2026-12-08 00:42:19.615+00', 'account:installer@fixture.example', 1, 'station.verify', 'station:FX-3', '{"state":"active"}', '{"checklist":[{"evidence":"connected now","item":"online","status":"green"},{"evidence":"last heartbeat 0 s ago, interval 300 s","item":"heartbeat","status":"green"},{"evidence":"reported 1.4.2, minimum 1.4.0","item":"firmware","status":"green"},{"evidence":"entered FXS-0003, reported by the station","item":"serial_number","status":"green"},{"evidence":"claimed with the sticker of AA:BB:CC:00:00:03, reported by the station","item":"mac","status":"green"},{"evidence":"GPS fix and photo present","item":"location","status":"green"},{"evidence":"session 6 delivered 300 Wh","item":"test_session","status":"green"}],"state":"verified"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (52, '2026-12-08 00:42:23.451+00', 'token:fixture-admin', 1, 'backend.create', 'backend:1', NULL, '{"created_at":"2026-12-08T00:42:23.447Z","id":1,"name":"Neighbour CSMS","ocpp_url":"ws://neighbour.example/ocpp","updated_at":"2026-12-08T00:42:23.447Z"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (53, '2026-12-08 00:42:23.483+00', 'token:fixture-admin', 1, 'provisioning-profile.set', 'provisioning-profile:fixtureworks', NULL, '{"append_station_id":true,"key":"CentralSystemUrl","method":"configuration-key","reset":"soft","updated_at":"2026-12-08T00:42:23.480Z","updated_by":"token:fixture-admin","vendor":"Fixture Works"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (54, '2026-12-08 00:42:23.547+00', 'token:fixture-admin', 1, 'handover.request', 'station:FX-7', NULL, '{"handover":1,"state":"recorded","target_name":"Neighbour CSMS","target_url":"ws://neighbour.example/ocpp"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (55, '2026-12-08 00:42:23.599+00', 'token:fixture-admin', 1, 'handover.confirm', 'station:FX-7', NULL, '{"detail":"confirmed by hand by token:fixture-admin","handover":1,"state":"handed-over"}');
INSERT INTO public.audit_log OVERRIDING SYSTEM VALUE VALUES (56, '2026-12-08 00:42:24.123+00', 'token:fixture-admin', 1, 'station.assign', 'station:FX-9', NULL, '{"backend":"joule","purchased_from":"Fixture Shop"}');


--
-- Data for Name: backends; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.backends OVERRIDING SYSTEM VALUE VALUES (1, 1, 'Neighbour CSMS', 'ws://neighbour.example/ocpp', '2026-12-08 00:42:23.447+00', '2026-12-08 00:42:23.447+00');


--
-- Data for Name: billing_settings; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.billing_settings VALUES (1, '{"currency":"CHF","vat_rate":"8.1","time_step_secs":60,"time_mode":"up","energy_step_wh":1,"energy_mode":"half_up","money_scale":2,"money_mode":"half_up","free_below_wh":200,"free_below_secs":120,"time_zone":"Europe/Zurich"}', '2026-12-08 00:42:09.983+00');


--
-- Data for Name: commands; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (1, 'FX-3', 'TriggerMessage', '{"requestedMessage":"BootNotification"}', 'system', '2026-12-08 00:42:17.505+00', 'offline', NULL, 'the station is not connected', '2026-12-08 00:42:17.514+00', NULL, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (2, 'FX-3', 'GetConfiguration', '{}', 'account:staff@fixture.example', '2026-12-08 00:42:19.284+00', 'answered', '{"configurationKey":[{"key":"SupportedFeatureProfiles","readonly":true,"value":"Core,FirmwareManagement,RemoteTrigger"},{"key":"NumberOfConnectors","readonly":true,"value":"2"},{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"MeterValueSampleInterval","readonly":false,"value":"300"},{"key":"ClockAlignedDataInterval","readonly":false,"value":"900"},{"key":"MacAddress","readonly":false,"value":"AA:BB:CC:00:00:03"}]}', NULL, '2026-12-08 00:42:19.319+00', 35, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (3, 'FX-3', 'RemoteStartTransaction', '{"connectorId":1,"idTag":"TEST-73JKXVGC759D8G5"}', 'account:installer@fixture.example', '2026-12-08 00:42:19.372+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:19.38+00', 8, 6);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (4, 'FX-SIM-00001', 'ChangeConfiguration', '{"key":"MeterValueSampleInterval","value":"60"}', 'system', '2026-12-08 00:42:19.895+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:19.991+00', 95, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (5, 'FX-SIM-00001', 'ChangeConfiguration', '{"key":"ClockAlignedDataInterval","value":"900"}', 'system', '2026-12-08 00:42:20.019+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:20.043+00', 24, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (6, 'FX-SIM-00001', 'GetConfiguration', '{}', 'token:fixture-admin', '2026-12-08 00:42:20.392+00', 'answered', '{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"MeterValueSampleInterval","readonly":false,"value":"60"},{"key":"ClockAlignedDataInterval","readonly":false,"value":"900"},{"key":"MeterValuesSampledData","readonly":false,"value":"Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage"},{"key":"NumberOfConnectors","readonly":true,"value":"2"},{"key":"ConnectionTimeOut","readonly":false,"value":"60"},{"key":"AuthorizeRemoteTxRequests","readonly":false,"value":"false"},{"key":"LocalAuthorizeOffline","readonly":false,"value":"true"},{"key":"LocalPreAuthorize","readonly":false,"value":"false"},{"key":"StopTransactionOnEVSideDisconnect","readonly":false,"value":"true"},{"key":"SupportedFeatureProfiles","readonly":true,"value":"Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"}]}', NULL, '2026-12-08 00:42:20.395+00', 2, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (7, 'FX-SIM-00001', 'ChangeConfiguration', '{"key":"HeartbeatInterval","value":"120"}', 'token:fixture-admin', '2026-12-08 00:42:20.42+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:20.431+00', 11, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (8, 'FX-SIM-00001', 'TriggerMessage', '{"connectorId":1,"requestedMessage":"StatusNotification"}', 'token:fixture-admin', '2026-12-08 00:42:20.448+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:20.452+00', 3, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (9, 'FX-SIM-00001', 'DataTransfer', '{"messageId":"Ping","vendorId":"FixtureWorks"}', 'token:fixture-admin', '2026-12-08 00:42:20.471+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:20.495+00', 24, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (10, 'FX-SIM-00001', 'ClearCache', '{}', 'token:fixture-admin', '2026-12-08 00:42:20.522+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:20.524+00', 1, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (11, 'FX-SIM-00001', 'GetLocalListVersion', '{}', 'token:fixture-admin', '2026-12-08 00:42:20.547+00', 'answered', '{"listVersion":0}', NULL, '2026-12-08 00:42:20.551+00', 4, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (12, 'FX-SIM-00001', 'SendLocalList', '{"listVersion":1,"localAuthorizationList":[{"idTag":"TAG-A","idTagInfo":{"status":"Accepted"}},{"idTag":"TAG-API","idTagInfo":{"expiryDate":"2030-06-30T12:00:00.000Z","parentIdTag":"TAG-A","status":"Accepted"}},{"idTag":"TAG-B","idTagInfo":{"expiryDate":"2100-01-01T00:00:00.000Z","parentIdTag":"TAG-A","status":"Accepted"}},{"idTag":"TAG-IMP-1","idTagInfo":{"status":"Accepted"}},{"idTag":"TEST-73JKXVGC759D8G5","idTagInfo":{"expiryDate":"2026-12-08T00:57:19.371Z","status":"Accepted"}}],"updateType":"Full"}', 'token:fixture-admin', '2026-12-08 00:42:20.567+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:20.571+00', 4, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (13, 'FX-SIM-00001', 'RemoteStartTransaction', '{"connectorId":1,"idTag":"TAG-A"}', 'token:fixture-admin', '2026-12-08 00:42:20.622+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:20.624+00', 2, 7);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (14, 'FX-SIM-00001', 'RemoteStopTransaction', '{"transactionId":7}', 'token:fixture-admin', '2026-12-08 00:42:23.005+00', 'answered', '{"status":"Accepted"}', NULL, '2026-12-08 00:42:23.008+00', 3, NULL);
INSERT INTO public.commands OVERRIDING SYSTEM VALUE VALUES (15, 'FX-SIM-00001', 'Reset', '{"type":"Soft"}', 'token:fixture-admin', '2026-12-08 00:42:23.391+00', 'offline', NULL, 'the station is not connected', '2026-12-08 00:42:23.395+00', NULL, NULL);


--
-- Data for Name: connectors; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.connectors VALUES ('FX-1', 0, 'Available', 'NoError', NULL, NULL, '2026-06-02 07:55:00+00');
INSERT INTO public.connectors VALUES ('FX-1', 1, 'Available', 'NoError', NULL, NULL, '2026-06-02 08:41:00+00');
INSERT INTO public.connectors VALUES ('FX-1', 2, 'Available', 'NoError', NULL, NULL, '2026-06-02 08:57:00+00');
INSERT INTO public.connectors VALUES ('FX-2', 0, 'Available', 'NoError', NULL, NULL, '2026-06-03 09:55:00+00');
INSERT INTO public.connectors VALUES ('FX-2', 2, 'Available', 'NoError', NULL, NULL, '2026-06-03 09:55:00+00');
INSERT INTO public.connectors VALUES ('FX-2', 1, 'Charging', 'NoError', NULL, NULL, '2026-06-03 11:00:05+00');
INSERT INTO public.connectors VALUES ('FX-3', 0, 'Available', 'NoError', NULL, NULL, '2026-12-08 00:42:18.983+00');
INSERT INTO public.connectors VALUES ('FX-3', 1, 'Available', 'NoError', NULL, NULL, '2026-12-08 00:42:20.379+00');
INSERT INTO public.connectors VALUES ('FX-SIM-00001', 0, 'Available', 'NoError', NULL, NULL, '2026-12-08 00:42:19.867+00');
INSERT INTO public.connectors VALUES ('FX-SIM-00001', 2, 'Available', 'NoError', NULL, NULL, '2026-12-08 00:42:19.952+00');
INSERT INTO public.connectors VALUES ('FX-SIM-00001', 1, 'Available', 'NoError', NULL, NULL, '2026-12-08 00:42:23.03+00');


--
-- Data for Name: default_results; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.default_results VALUES ('FX-SIM-00001', 'MeterValueSampleInterval', '60', 'Accepted', '2026-12-08 00:42:20.015+00');
INSERT INTO public.default_results VALUES ('FX-SIM-00001', 'ClockAlignedDataInterval', '900', 'Accepted', '2026-12-08 00:42:20.053+00');


--
-- Data for Name: driver_groups; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.driver_groups OVERRIDING SYSTEM VALUE VALUES (1, 1, 'residents', '2026-12-08 00:42:09.358+00');
INSERT INTO public.driver_groups OVERRIDING SYSTEM VALUE VALUES (2, 1, 'staff', '2026-12-08 00:42:09.511+00');
INSERT INTO public.driver_groups OVERRIDING SYSTEM VALUE VALUES (3, 1, 'imported', '2026-12-08 00:42:09.896+00');


--
-- Data for Name: drivers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.drivers OVERRIDING SYSTEM VALUE VALUES (2, 1, 'Bob Example', NULL, NULL, '2026-12-08 00:42:08.935+00', '2026-12-08 00:42:08.935+00');
INSERT INTO public.drivers OVERRIDING SYSTEM VALUE VALUES (1, 1, 'Ann Example', 'ann@example.com', 4, '2026-12-08 00:42:08.875+00', '2026-12-08 00:42:09.307+00');
INSERT INTO public.drivers OVERRIDING SYSTEM VALUE VALUES (3, 1, 'Carol Import', 'carol@example.com', NULL, '2026-12-08 00:42:09.896+00', '2026-12-08 00:42:09.896+00');


--
-- Data for Name: group_members; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.group_members VALUES (1, 1);
INSERT INTO public.group_members VALUES (2, 2);
INSERT INTO public.group_members VALUES (3, 3);
INSERT INTO public.group_members VALUES (1, 3);


--
-- Data for Name: handover_steps; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.handover_steps OVERRIDING SYSTEM VALUE VALUES (1, 1, '2026-12-08 00:42:23.588+00', 'confirmed', 'observed', 'confirmed by hand by token:fixture-admin', NULL);


--
-- Data for Name: handovers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.handovers OVERRIDING SYSTEM VALUE VALUES (1, 'FX-7', 1, 'Neighbour CSMS', 'ws://neighbour.example/ocpp', 1, 'handed-over', 'token:fixture-admin', '2026-12-08 00:42:23.522+00', '2026-12-08 00:42:23.591+00', '2026-12-08 00:42:23.591+00', 'confirmed by hand by token:fixture-admin');


--
-- Data for Name: id_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.id_tokens VALUES (1, 'TAG-BLOCKED', NULL, NULL, true, NULL);
INSERT INTO public.id_tokens VALUES (1, 'TAG-EXPIRED', NULL, '2020-01-02 00:00:00+00', false, NULL);
INSERT INTO public.id_tokens VALUES (1, 'TAG-API', 'TAG-A', '2030-06-30 12:00:00+00', false, NULL);
INSERT INTO public.id_tokens VALUES (2, 'TAG-A', NULL, NULL, false, NULL);
INSERT INTO public.id_tokens VALUES (1, 'TAG-A', NULL, NULL, false, 1);
INSERT INTO public.id_tokens VALUES (1, 'TAG-B', 'TAG-A', '2100-01-01 00:00:00+00', false, 2);
INSERT INTO public.id_tokens VALUES (1, 'TAG-IMP-1', NULL, NULL, false, 3);
INSERT INTO public.id_tokens VALUES (1, 'TAG-IMP-2', 'TAG-IMP-1', '2031-01-01 00:00:00+00', true, 3);
INSERT INTO public.id_tokens VALUES (1, 'TEST-73JKXVGC759D8G5', NULL, '2026-12-08 00:57:19.371+00', false, NULL);


--
-- Data for Name: installations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.installations VALUES ('FX-3', 3, '2026-12-08 00:42:17.929+00', 47.3769, 8.5417, 4.5, 'Fixture Works', 'FX-22', 'FXS-0003', '2026-12-08 00:42:18.54+00', 'Bahnhofstrasse', '1', '8001', 'Zürich', NULL, 'CH', 'Europe/Zurich', 'P3', 'Level -1, next to the lift', '\x89504e470d0a1a0a0000000d49484452000000040000000308020000003b9639910000001049444154789c633851a101470c38390050c610e1aa38af7f0000000049454e44ae426082', 'image/png', '2026-12-08 00:42:18.408+00', '2026-12-08 00:42:18.54+00');


--
-- Data for Name: local_list_entries; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.local_list_entries VALUES ('FX-SIM-00001', 'TAG-A', NULL, NULL);
INSERT INTO public.local_list_entries VALUES ('FX-SIM-00001', 'TAG-API', '2030-06-30 12:00:00+00', 'TAG-A');
INSERT INTO public.local_list_entries VALUES ('FX-SIM-00001', 'TAG-B', '2100-01-01 00:00:00+00', 'TAG-A');
INSERT INTO public.local_list_entries VALUES ('FX-SIM-00001', 'TAG-IMP-1', NULL, NULL);
INSERT INTO public.local_list_entries VALUES ('FX-SIM-00001', 'TEST-73JKXVGC759D8G5', '2026-12-08 00:57:19.371+00', NULL);


--
-- Data for Name: local_list_sync; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.local_list_sync VALUES ('FX-SIM-00001', 1, 1, 1, 'in-step', NULL, '2026-12-08 00:42:21.49+00', '2026-12-08 00:42:21.49+00');


--
-- Data for Name: logins; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.logins OVERRIDING SYSTEM VALUE VALUES (1, 2, '34ebcd3ca1c440f9c00f426f7dc4fd65e1c8174d6e1356cf07f9ba1369813fb1', '2026-12-08 00:42:06.404+00', '2026-12-08 12:42:06.404+00', '127.0.0.1', NULL, '2026-12-08 00:42:06.903+00');
INSERT INTO public.logins OVERRIDING SYSTEM VALUE VALUES (2, 5, '32a65d64fafa4e05ba0f169d98fa8dfc0edeb423ead930ee9e2bc1d838734aff', '2026-12-08 00:42:07.683+00', '2026-12-08 12:42:07.683+00', '127.0.0.1', NULL, '2026-12-08 00:42:16.725+00');
INSERT INTO public.logins OVERRIDING SYSTEM VALUE VALUES (3, 3, '3c62904ad080e271a4b1d6a965f70f4f23c7e6b1939c4d0d0712a2f5c4ef128f', '2026-12-08 00:42:07.987+00', '2026-12-08 12:42:07.987+00', '127.0.0.1', NULL, '2026-12-08 00:42:17.923+00');


--
-- Data for Name: message_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (1, 'FX-1', '2026-12-08 00:42:12.873+00', 'in', 2, 'FX-1-1', 'BootNotification', '[2, "FX-1-1", "BootNotification", {"chargePointVendor": "Fixture Works", "chargePointModel": "FX-22", "chargePointSerialNumber": "FXS-0001", "chargeBoxSerialNumber": "FXB-0001", "firmwareVersion": "1.4.2", "iccid": "8941000000000000001", "imsi": "228010000000001", "meterType": "FX-Meter", "meterSerialNumber": "FXM-0001"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (2, 'FX-1', '2026-12-08 00:42:12.955+00', 'out', 3, 'FX-1-1', 'BootNotification', '[3,"FX-1-1",{"currentTime":"2026-12-08T00:42:12.955Z","interval":300,"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (3, 'FX-1', '2026-12-08 00:42:12.955+00', 'in', 2, 'FX-1-2', 'StatusNotification', '[2, "FX-1-2", "StatusNotification", {"connectorId": 0, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-02T07:55:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (4, 'FX-1', '2026-12-08 00:42:12.995+00', 'out', 3, 'FX-1-2', 'StatusNotification', '[3,"FX-1-2",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (5, 'FX-1', '2026-12-08 00:42:12.995+00', 'in', 2, 'FX-1-3', 'StatusNotification', '[2, "FX-1-3", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-02T07:55:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (6, 'FX-1', '2026-12-08 00:42:13.016+00', 'out', 3, 'FX-1-3', 'StatusNotification', '[3,"FX-1-3",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (7, 'FX-1', '2026-12-08 00:42:13.017+00', 'in', 2, 'FX-1-4', 'StatusNotification', '[2, "FX-1-4", "StatusNotification", {"connectorId": 2, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-02T07:55:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (8, 'FX-1', '2026-12-08 00:42:13.021+00', 'out', 3, 'FX-1-4', 'StatusNotification', '[3,"FX-1-4",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (9, 'FX-1', '2026-12-08 00:42:13.021+00', 'in', 2, 'FX-1-5', 'Heartbeat', '[2, "FX-1-5", "Heartbeat", {}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (10, 'FX-1', '2026-12-08 00:42:13.04+00', 'out', 3, 'FX-1-5', 'Heartbeat', '[3,"FX-1-5",{"currentTime":"2026-12-08T00:42:13.021Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (11, 'FX-1', '2026-12-08 00:42:13.04+00', 'in', 2, 'FX-1-6', 'Authorize', '[2, "FX-1-6", "Authorize", {"idTag": "TAG-A"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (12, 'FX-1', '2026-12-08 00:42:13.071+00', 'out', 3, 'FX-1-6', 'Authorize', '[3,"FX-1-6",{"idTagInfo":{"status":"Accepted"}}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (13, 'FX-1', '2026-12-08 00:42:13.072+00', 'in', 2, 'FX-1-7', 'StartTransaction', '[2, "FX-1-7", "StartTransaction", {"connectorId": 1, "idTag": "TAG-A", "meterStart": 1000, "timestamp": "2026-06-02T08:00:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (14, 'FX-1', '2026-12-08 00:42:13.156+00', 'out', 3, 'FX-1-7', 'StartTransaction', '[3,"FX-1-7",{"idTagInfo":{"status":"Accepted"},"transactionId":1}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (15, 'FX-1', '2026-12-08 00:42:13.156+00', 'in', 2, 'FX-1-8', 'StatusNotification', '[2, "FX-1-8", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Charging", "timestamp": "2026-06-02T08:00:05.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (16, 'FX-1', '2026-12-08 00:42:13.223+00', 'out', 3, 'FX-1-8', 'StatusNotification', '[3,"FX-1-8",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (17, 'FX-1', '2026-12-08 00:42:13.223+00', 'in', 2, 'FX-1-9', 'MeterValues', '[2, "FX-1-9", "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "2026-06-02T08:05:00.000Z", "sampledValue": [{"value": "1500", "context": "Sample.Periodic", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}, {"value": "7000", "context": "Sample.Periodic", "measurand": "Power.Active.Import", "unit": "W"}]}], "transactionId": 1}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (18, 'FX-1', '2026-12-08 00:42:13.23+00', 'out', 3, 'FX-1-9', 'MeterValues', '[3,"FX-1-9",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (19, 'FX-1', '2026-12-08 00:42:13.231+00', 'in', 2, 'FX-1-10', 'StartTransaction', '[2, "FX-1-10", "StartTransaction", {"connectorId": 2, "idTag": "TAG-B", "meterStart": 20000, "timestamp": "2026-06-02T08:10:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (20, 'FX-1', '2026-12-08 00:42:13.243+00', 'out', 3, 'FX-1-10', 'StartTransaction', '[3,"FX-1-10",{"idTagInfo":{"expiryDate":"2100-01-01T00:00:00.000Z","parentIdTag":"TAG-A","status":"Accepted"},"transactionId":2}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (21, 'FX-1', '2026-12-08 00:42:13.243+00', 'in', 2, 'FX-1-11', 'StatusNotification', '[2, "FX-1-11", "StatusNotification", {"connectorId": 2, "errorCode": "NoError", "status": "Charging", "timestamp": "2026-06-02T08:10:05.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (22, 'FX-1', '2026-12-08 00:42:13.247+00', 'out', 3, 'FX-1-11', 'StatusNotification', '[3,"FX-1-11",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (23, 'FX-1', '2026-12-08 00:42:13.247+00', 'in', 2, 'FX-1-12', 'MeterValues', '[2, "FX-1-12", "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "2026-06-02T08:15:00.000Z", "sampledValue": [{"value": "2500", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}]}], "transactionId": 1}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (24, 'FX-1', '2026-12-08 00:42:13.25+00', 'out', 3, 'FX-1-12', 'MeterValues', '[3,"FX-1-12",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (25, 'FX-1', '2026-12-08 00:42:13.251+00', 'in', 2, 'FX-1-13', 'MeterValues', '[2, "FX-1-13", "MeterValues", {"connectorId": 2, "meterValue": [{"timestamp": "2026-06-02T08:15:00.000Z", "sampledValue": [{"value": "20.4", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "kWh"}, {"value": "11", "context": "Sample.Periodic", "measurand": "Power.Active.Import", "unit": "kW"}, {"value": "16.0", "context": "Sample.Periodic", "measurand": "Current.Import", "phase": "L1", "unit": "A"}, {"value": "15.5", "context": "Sample.Periodic", "measurand": "Current.Import", "phase": "L2", "unit": "A"}, {"value": "230.1", "context": "Sample.Periodic", "measurand": "Voltage", "phase": "L1-N", "unit": "V"}]}], "transactionId": 2}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (26, 'FX-1', '2026-12-08 00:42:13.258+00', 'out', 3, 'FX-1-13', 'MeterValues', '[3,"FX-1-13",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (27, 'FX-1', '2026-12-08 00:42:13.259+00', 'in', 2, 'FX-1-14', 'MeterValues', '[2, "FX-1-14", "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "2026-06-02T08:30:00.000Z", "sampledValue": [{"value": "3900", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}, {"value": "7200", "context": "Sample.Periodic", "measurand": "Power.Active.Import", "unit": "W"}]}], "transactionId": 1}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (28, 'FX-1', '2026-12-08 00:42:13.267+00', 'out', 3, 'FX-1-14', 'MeterValues', '[3,"FX-1-14",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (29, 'FX-1', '2026-12-08 00:42:13.267+00', 'in', 2, 'FX-1-15', 'MeterValues', '[2, "FX-1-15", "MeterValues", {"connectorId": 2, "meterValue": [{"timestamp": "2026-06-02T08:30:00.000Z", "sampledValue": [{"value": "21.9", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "kWh"}, {"value": "10.5", "context": "Sample.Periodic", "measurand": "Power.Active.Import", "unit": "kW"}]}], "transactionId": 2}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (30, 'FX-1', '2026-12-08 00:42:13.271+00', 'out', 3, 'FX-1-15', 'MeterValues', '[3,"FX-1-15",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (31, 'FX-1', '2026-12-08 00:42:13.271+00', 'in', 2, 'FX-1-16', 'StopTransaction', '[2, "FX-1-16", "StopTransaction", {"transactionId": 1, "meterStop": 5000, "timestamp": "2026-06-02T08:40:00.000Z", "reason": "Local", "idTag": "TAG-A", "transactionData": [{"timestamp": "2026-06-02T08:40:00.000Z", "sampledValue": [{"value": "5000", "context": "Transaction.End", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}]}]}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (32, 'FX-1', '2026-12-08 00:42:13.307+00', 'out', 3, 'FX-1-16', 'StopTransaction', '[3,"FX-1-16",{"idTagInfo":{"status":"Accepted"}}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (33, 'FX-1', '2026-12-08 00:42:13.308+00', 'in', 2, 'FX-1-17', 'StatusNotification', '[2, "FX-1-17", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Finishing", "timestamp": "2026-06-02T08:40:05.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (34, 'FX-1', '2026-12-08 00:42:13.315+00', 'out', 3, 'FX-1-17', 'StatusNotification', '[3,"FX-1-17",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (35, 'FX-1', '2026-12-08 00:42:13.315+00', 'in', 2, 'FX-1-18', 'StatusNotification', '[2, "FX-1-18", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-02T08:41:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (36, 'FX-1', '2026-12-08 00:42:13.319+00', 'out', 3, 'FX-1-18', 'StatusNotification', '[3,"FX-1-18",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (37, 'FX-1', '2026-12-08 00:42:13.319+00', 'in', 2, 'FX-1-19', 'MeterValues', '[2, "FX-1-19", "MeterValues", {"connectorId": 2, "meterValue": [{"timestamp": "2026-06-02T08:45:00.000Z", "sampledValue": [{"value": "22.8", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "kWh"}]}], "transactionId": 2}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (38, 'FX-1', '2026-12-08 00:42:13.327+00', 'out', 3, 'FX-1-19', 'MeterValues', '[3,"FX-1-19",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (39, 'FX-1', '2026-12-08 00:42:13.327+00', 'in', 2, 'FX-1-20', 'StopTransaction', '[2, "FX-1-20", "StopTransaction", {"transactionId": 2, "meterStop": 23000, "timestamp": "2026-06-02T08:50:00.000Z", "reason": "EVDisconnected"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (40, 'FX-1', '2026-12-08 00:42:13.329+00', 'out', 3, 'FX-1-20', 'StopTransaction', '[3,"FX-1-20",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (41, 'FX-1', '2026-12-08 00:42:13.329+00', 'in', 2, 'FX-1-21', 'StatusNotification', '[2, "FX-1-21", "StatusNotification", {"connectorId": 2, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-02T08:50:05.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (42, 'FX-1', '2026-12-08 00:42:13.334+00', 'out', 3, 'FX-1-21', 'StatusNotification', '[3,"FX-1-21",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (43, 'FX-1', '2026-12-08 00:42:13.334+00', 'in', 2, 'FX-1-22', 'MeterValues', '[2, "FX-1-22", "MeterValues", {"connectorId": 0, "meterValue": [{"timestamp": "2026-06-02T08:00:00.000Z", "sampledValue": [{"value": "100000", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}]}, {"timestamp": "2026-06-02T08:15:00.000Z", "sampledValue": [{"value": "101200", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}]}, {"timestamp": "2026-06-02T08:30:00.000Z", "sampledValue": [{"value": "103400", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}]}, {"timestamp": "2026-06-02T08:45:00.000Z", "sampledValue": [{"value": "105300", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}]}, {"timestamp": "2026-06-02T09:00:00.000Z", "sampledValue": [{"value": "106000", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}]}]}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (44, 'FX-1', '2026-12-08 00:42:13.343+00', 'out', 3, 'FX-1-22', 'MeterValues', '[3,"FX-1-22",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (45, 'FX-1', '2026-12-08 00:42:13.348+00', 'in', 2, 'FX-1-23', 'StopTransaction', '[2, "FX-1-23", "StopTransaction", {"transactionId": 999999, "meterStop": 777, "timestamp": "2026-06-02T08:55:00.000Z", "reason": "Other", "idTag": "TAG-A"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (46, 'FX-1', '2026-12-08 00:42:13.383+00', 'out', 3, 'FX-1-23', 'StopTransaction', '[3,"FX-1-23",{"idTagInfo":{"status":"Accepted"}}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (47, 'FX-1', '2026-12-08 00:42:13.392+00', 'in', 2, 'FX-1-24', 'StatusNotification', '[2, "FX-1-24", "StatusNotification", {"connectorId": 2, "errorCode": "GroundFailure", "status": "Faulted", "timestamp": "2026-06-02T08:56:00.000Z", "info": "fixture fault", "vendorId": "FixtureWorks", "vendorErrorCode": "E42"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (48, 'FX-1', '2026-12-08 00:42:13.423+00', 'out', 3, 'FX-1-24', 'StatusNotification', '[3,"FX-1-24",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (49, 'FX-1', '2026-12-08 00:42:13.429+00', 'in', 2, 'FX-1-25', 'StatusNotification', '[2, "FX-1-25", "StatusNotification", {"connectorId": 2, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-02T08:57:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (50, 'FX-1', '2026-12-08 00:42:13.43+00', 'out', 3, 'FX-1-25', 'StatusNotification', '[3,"FX-1-25",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (51, 'FX-1', '2026-12-08 00:42:13.451+00', 'in', 2, 'FX-1-26', 'DataTransfer', '[2, "FX-1-26", "DataTransfer", {"vendorId": "FixtureWorks", "messageId": "Diag", "data": "hello"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (52, 'FX-1', '2026-12-08 00:42:13.467+00', 'out', 3, 'FX-1-26', 'DataTransfer', '[3,"FX-1-26",{"status":"UnknownVendorId"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (53, 'FX-1', '2026-12-08 00:42:13.482+00', 'in', 2, 'FX-1-27', 'FirmwareStatusNotification', '[2, "FX-1-27", "FirmwareStatusNotification", {"status": "Installed"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (54, 'FX-1', '2026-12-08 00:42:13.495+00', 'out', 3, 'FX-1-27', 'FirmwareStatusNotification', '[3,"FX-1-27",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (55, 'FX-1', '2026-12-08 00:42:13.495+00', 'in', 2, 'FX-1-28', 'DiagnosticsStatusNotification', '[2, "FX-1-28", "DiagnosticsStatusNotification", {"status": "Uploaded"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (56, 'FX-1', '2026-12-08 00:42:13.503+00', 'out', 3, 'FX-1-28', 'DiagnosticsStatusNotification', '[3,"FX-1-28",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (57, 'FX-1', '2026-12-08 00:42:13.503+00', 'in', 2, 'FX-1-29', 'Heartbeat', '[2, "FX-1-29", "Heartbeat", {}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (58, 'FX-1', '2026-12-08 00:42:13.507+00', 'out', 3, 'FX-1-29', 'Heartbeat', '[3,"FX-1-29",{"currentTime":"2026-12-08T00:42:13.503Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (59, 'FX-2', '2026-12-08 00:42:14.655+00', 'in', 2, 'FX-2-1', 'BootNotification', '[2, "FX-2-1", "BootNotification", {"chargePointVendor": "Fixture Works", "chargePointModel": "FX-11", "chargePointSerialNumber": "FXS-0002", "chargeBoxSerialNumber": "FXB-0002", "firmwareVersion": "1.3.0", "iccid": "8941000000000000002", "imsi": "228010000000002", "meterType": "FX-Meter", "meterSerialNumber": "FXM-0002"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (60, 'FX-2', '2026-12-08 00:42:14.671+00', 'out', 3, 'FX-2-1', 'BootNotification', '[3,"FX-2-1",{"currentTime":"2026-12-08T00:42:14.671Z","interval":300,"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (61, 'FX-2', '2026-12-08 00:42:14.678+00', 'in', 2, 'FX-2-2', 'StatusNotification', '[2, "FX-2-2", "StatusNotification", {"connectorId": 0, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-03T09:55:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (62, 'FX-2', '2026-12-08 00:42:14.69+00', 'out', 3, 'FX-2-2', 'StatusNotification', '[3,"FX-2-2",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (63, 'FX-2', '2026-12-08 00:42:14.695+00', 'in', 2, 'FX-2-3', 'StatusNotification', '[2, "FX-2-3", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-03T09:55:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (64, 'FX-2', '2026-12-08 00:42:14.723+00', 'out', 3, 'FX-2-3', 'StatusNotification', '[3,"FX-2-3",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (65, 'FX-2', '2026-12-08 00:42:14.731+00', 'in', 2, 'FX-2-4', 'StatusNotification', '[2, "FX-2-4", "StatusNotification", {"connectorId": 2, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-03T09:55:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (66, 'FX-2', '2026-12-08 00:42:14.767+00', 'out', 3, 'FX-2-4', 'StatusNotification', '[3,"FX-2-4",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (67, 'FX-2', '2026-12-08 00:42:14.775+00', 'in', 2, 'FX-2-5', 'StartTransaction', '[2, "FX-2-5", "StartTransaction", {"connectorId": 1, "idTag": "TAG-B", "meterStart": 0, "timestamp": "2026-06-03T10:00:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (68, 'FX-2', '2026-12-08 00:42:14.804+00', 'out', 3, 'FX-2-5', 'StartTransaction', '[3,"FX-2-5",{"idTagInfo":{"expiryDate":"2100-01-01T00:00:00.000Z","parentIdTag":"TAG-A","status":"Accepted"},"transactionId":3}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (69, 'FX-2', '2026-12-08 00:42:14.811+00', 'in', 2, 'FX-2-6', 'StatusNotification', '[2, "FX-2-6", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Charging", "timestamp": "2026-06-03T10:00:05.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (70, 'FX-2', '2026-12-08 00:42:14.839+00', 'out', 3, 'FX-2-6', 'StatusNotification', '[3,"FX-2-6",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (71, 'FX-2', '2026-12-08 00:42:14.867+00', 'in', 2, 'FX-2-7', 'MeterValues', '[2, "FX-2-7", "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "2026-06-03T10:15:00.000Z", "sampledValue": [{"value": "1000", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}, {"value": "4000", "context": "Sample.Periodic", "measurand": "Power.Active.Import", "unit": "W"}]}], "transactionId": 3}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (72, 'FX-2', '2026-12-08 00:42:14.895+00', 'out', 3, 'FX-2-7', 'MeterValues', '[3,"FX-2-7",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (73, 'FX-2', '2026-12-08 00:42:14.895+00', 'in', 2, 'FX-2-8', 'MeterValues', '[2, "FX-2-8", "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "2026-06-03T10:30:00.000Z", "sampledValue": [{"value": "2000", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}]}], "transactionId": 3}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (74, 'FX-2', '2026-12-08 00:42:14.901+00', 'out', 3, 'FX-2-8', 'MeterValues', '[3,"FX-2-8",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (75, 'FX-2', '2026-12-08 00:42:14.915+00', 'in', 2, 'FX-2-9', 'StopTransaction', '[2, "FX-2-9", "StopTransaction", {"transactionId": 3, "meterStop": 2000, "timestamp": "2026-06-03T10:30:00.000Z", "reason": "Local", "idTag": "TAG-B"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (76, 'FX-2', '2026-12-08 00:42:14.927+00', 'out', 3, 'FX-2-9', 'StopTransaction', '[3,"FX-2-9",{"idTagInfo":{"expiryDate":"2100-01-01T00:00:00.000Z","parentIdTag":"TAG-A","status":"Accepted"}}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (77, 'FX-2', '2026-12-08 00:42:14.935+00', 'in', 2, 'FX-2-10', 'StatusNotification', '[2, "FX-2-10", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": "2026-06-03T10:31:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (78, 'FX-2', '2026-12-08 00:42:14.952+00', 'out', 3, 'FX-2-10', 'StatusNotification', '[3,"FX-2-10",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (79, 'FX-2', '2026-12-08 00:42:14.952+00', 'in', 2, 'FX-2-11', 'StartTransaction', '[2, "FX-2-11", "StartTransaction", {"connectorId": 2, "idTag": "TAG-A", "meterStart": 500, "timestamp": "2026-06-03T10:40:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (80, 'FX-2', '2026-12-08 00:42:15.001+00', 'out', 3, 'FX-2-11', 'StartTransaction', '[3,"FX-2-11",{"idTagInfo":{"status":"Accepted"},"transactionId":4}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (81, 'FX-2', '2026-12-08 00:42:15.002+00', 'in', 2, 'FX-2-12', 'StopTransaction', '[2, "FX-2-12", "StopTransaction", {"transactionId": 4, "meterStop": 600, "timestamp": "2026-06-03T10:41:00.000Z", "reason": "Local", "idTag": "TAG-A"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (82, 'FX-2', '2026-12-08 00:42:15.016+00', 'out', 3, 'FX-2-12', 'StopTransaction', '[3,"FX-2-12",{"idTagInfo":{"status":"Accepted"}}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (83, 'FX-2', '2026-12-08 00:42:15.023+00', 'in', 2, 'FX-2-13', 'StartTransaction', '[2, "FX-2-13", "StartTransaction", {"connectorId": 1, "idTag": "TAG-A", "meterStart": 2000, "timestamp": "2026-06-03T11:00:00.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (84, 'FX-2', '2026-12-08 00:42:15.055+00', 'out', 3, 'FX-2-13', 'StartTransaction', '[3,"FX-2-13",{"idTagInfo":{"status":"Accepted"},"transactionId":5}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (85, 'FX-2', '2026-12-08 00:42:15.067+00', 'in', 2, 'FX-2-14', 'StatusNotification', '[2, "FX-2-14", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Charging", "timestamp": "2026-06-03T11:00:05.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (86, 'FX-2', '2026-12-08 00:42:15.071+00', 'out', 3, 'FX-2-14', 'StatusNotification', '[3,"FX-2-14",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (87, 'FX-2', '2026-12-08 00:42:15.071+00', 'in', 2, 'FX-2-15', 'MeterValues', '[2, "FX-2-15", "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "2026-06-03T11:15:00.000Z", "sampledValue": [{"value": "2600", "context": "Sample.Clock", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}, {"value": "2400", "context": "Sample.Periodic", "measurand": "Power.Active.Import", "unit": "W"}]}], "transactionId": 5}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (88, 'FX-2', '2026-12-08 00:42:15.075+00', 'out', 3, 'FX-2-15', 'MeterValues', '[3,"FX-2-15",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (89, 'FX-2', '2026-12-08 00:42:15.079+00', 'in', 2, 'FX-2-16', 'Heartbeat', '[2, "FX-2-16", "Heartbeat", {}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (90, 'FX-2', '2026-12-08 00:42:15.083+00', 'out', 3, 'FX-2-16', 'Heartbeat', '[3,"FX-2-16",{"currentTime":"2026-12-08T00:42:15.079Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (91, 'FX-4', '2026-12-08 00:42:15.867+00', 'in', 2, 'FX-4-1', 'BootNotification', '[2, "FX-4-1", "BootNotification", {"chargePointVendor": "Fixture Works", "chargePointModel": "FX-22", "chargePointSerialNumber": "FXS-FX-4", "chargeBoxSerialNumber": "FXB-0009", "firmwareVersion": "1.2.0", "iccid": "8941000000000000009", "imsi": "228010000000009", "meterType": "FX-Meter", "meterSerialNumber": "FXM-0009"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (92, 'FX-4', '2026-12-08 00:42:15.888+00', 'out', 3, 'FX-4-1', 'BootNotification', '[3,"FX-4-1",{"currentTime":"2026-12-08T00:42:15.888Z","interval":60,"status":"Pending"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (93, 'FX-5', '2026-12-08 00:42:16.327+00', 'in', 2, 'FX-5-1', 'BootNotification', '[2, "FX-5-1", "BootNotification", {"chargePointVendor": "Fixture Works", "chargePointModel": "FX-22", "chargePointSerialNumber": "FXS-FX-5", "chargeBoxSerialNumber": "FXB-0009", "firmwareVersion": "1.2.0", "iccid": "8941000000000000009", "imsi": "228010000000009", "meterType": "FX-Meter", "meterSerialNumber": "FXM-0009"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (94, 'FX-5', '2026-12-08 00:42:16.335+00', 'out', 3, 'FX-5-1', 'BootNotification', '[3,"FX-5-1",{"currentTime":"2026-12-08T00:42:16.335Z","interval":60,"status":"Pending"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (95, 'FX-3', '2026-12-08 00:42:18.978+00', 'in', 2, 'FX-3-1', 'BootNotification', '[2, "FX-3-1", "BootNotification", {"chargePointVendor": "Fixture Works", "chargePointModel": "FX-22", "chargePointSerialNumber": "FXS-0003", "chargeBoxSerialNumber": "FXB-0003", "firmwareVersion": "1.4.2", "iccid": "8941000000000000003", "imsi": "228010000000003", "meterType": "FX-Meter", "meterSerialNumber": "FXM-0003"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (96, 'FX-3', '2026-12-08 00:42:18.98+00', 'out', 3, 'FX-3-1', 'BootNotification', '[3,"FX-3-1",{"currentTime":"2026-12-08T00:42:18.980Z","interval":300,"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (97, 'FX-3', '2026-12-08 00:42:18.983+00', 'in', 2, 'FX-3-2', 'StatusNotification', '[2, "FX-3-2", "StatusNotification", {"connectorId": 0, "errorCode": "NoError", "status": "Available", "timestamp": "2026-12-08T00:42:18.983Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (98, 'FX-3', '2026-12-08 00:42:18.992+00', 'out', 3, 'FX-3-2', 'StatusNotification', '[3,"FX-3-2",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (99, 'FX-3', '2026-12-08 00:42:19+00', 'in', 2, 'FX-3-3', 'StatusNotification', '[2, "FX-3-3", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": "2026-12-08T00:42:19.000Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (100, 'FX-3', '2026-12-08 00:42:19.003+00', 'out', 3, 'FX-3-3', 'StatusNotification', '[3,"FX-3-3",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (101, 'FX-3', '2026-12-08 00:42:19.008+00', 'in', 2, 'FX-3-4', 'Heartbeat', '[2, "FX-3-4", "Heartbeat", {}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (102, 'FX-3', '2026-12-08 00:42:19.01+00', 'out', 3, 'FX-3-4', 'Heartbeat', '[3,"FX-3-4",{"currentTime":"2026-12-08T00:42:19.008Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (103, 'FX-3', '2026-12-08 00:42:19.289+00', 'out', 2, 'j5-1', 'GetConfiguration', '[2,"j5-1","GetConfiguration",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (104, 'FX-3', '2026-12-08 00:42:19.296+00', 'in', 3, 'j5-1', 'GetConfiguration', '[3, "j5-1", {"configurationKey": [{"key": "SupportedFeatureProfiles", "readonly": true, "value": "Core,FirmwareManagement,RemoteTrigger"}, {"key": "NumberOfConnectors", "readonly": true, "value": "2"}, {"key": "HeartbeatInterval", "readonly": false, "value": "300"}, {"key": "MeterValueSampleInterval", "readonly": false, "value": "300"}, {"key": "ClockAlignedDataInterval", "readonly": false, "value": "900"}, {"key": "MacAddress", "readonly": false, "value": "AA:BB:CC:00:00:03"}]}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (105, 'FX-3', '2026-12-08 00:42:19.377+00', 'out', 2, 'j5-2', 'RemoteStartTransaction', '[2,"j5-2","RemoteStartTransaction",{"connectorId":1,"idTag":"TEST-73JKXVGC759D8G5"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (106, 'FX-3', '2026-12-08 00:42:19.38+00', 'in', 3, 'j5-2', 'RemoteStartTransaction', '[3, "j5-2", {"status": "Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (107, 'FX-3', '2026-12-08 00:42:19.38+00', 'in', 2, 'FX-3-5', 'StartTransaction', '[2, "FX-3-5", "StartTransaction", {"connectorId": 1, "idTag": "TEST-73JKXVGC759D8G5", "meterStart": 10000, "timestamp": "2026-12-08T00:42:19.379Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (108, 'FX-3', '2026-12-08 00:42:19.386+00', 'out', 3, 'FX-3-5', 'StartTransaction', '[3,"FX-3-5",{"idTagInfo":{"expiryDate":"2026-12-08T00:57:19.371Z","status":"Accepted"},"transactionId":6}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (109, 'FX-3', '2026-12-08 00:42:19.387+00', 'in', 2, 'FX-3-6', 'StatusNotification', '[2, "FX-3-6", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Charging", "timestamp": "2026-12-08T00:42:19.379Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (110, 'FX-3', '2026-12-08 00:42:19.388+00', 'out', 3, 'FX-3-6', 'StatusNotification', '[3,"FX-3-6",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (111, 'FX-3', '2026-12-08 00:42:19.389+00', 'in', 2, 'FX-3-7', 'MeterValues', '[2, "FX-3-7", "MeterValues", {"connectorId": 1, "meterValue": [{"timestamp": "2026-12-08T00:42:19.879Z", "sampledValue": [{"value": "10150", "context": "Sample.Periodic", "measurand": "Energy.Active.Import.Register", "location": "Outlet", "unit": "Wh"}, {"value": "3600", "context": "Sample.Periodic", "measurand": "Power.Active.Import", "unit": "W"}]}], "transactionId": 6}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (112, 'FX-3', '2026-12-08 00:42:19.392+00', 'out', 3, 'FX-3-7', 'MeterValues', '[3,"FX-3-7",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (113, 'FX-3', '2026-12-08 00:42:19.399+00', 'in', 2, 'FX-3-8', 'StopTransaction', '[2, "FX-3-8", "StopTransaction", {"transactionId": 6, "meterStop": 10300, "timestamp": "2026-12-08T00:42:20.379Z", "reason": "Local", "idTag": "TEST-73JKXVGC759D8G5"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (114, 'FX-3', '2026-12-08 00:42:19.421+00', 'out', 3, 'FX-3-8', 'StopTransaction', '[3,"FX-3-8",{"idTagInfo":{"expiryDate":"2026-12-08T00:57:19.371Z","status":"Accepted"}}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (115, 'FX-3', '2026-12-08 00:42:19.421+00', 'in', 2, 'FX-3-9', 'StatusNotification', '[2, "FX-3-9", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": "2026-12-08T00:42:20.379Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (116, 'FX-3', '2026-12-08 00:42:19.423+00', 'out', 3, 'FX-3-9', 'StatusNotification', '[3,"FX-3-9",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (117, 'FX-3', '2026-12-08 00:42:19.436+00', 'in', 2, 'FX-3-10', 'Heartbeat', '[2, "FX-3-10", "Heartbeat", {}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (118, 'FX-3', '2026-12-08 00:42:19.439+00', 'out', 3, 'FX-3-10', 'Heartbeat', '[3,"FX-3-10",{"currentTime":"2026-12-08T00:42:19.436Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (119, 'FX-SIM-00001', '2026-12-08 00:42:19.86+00', 'in', 2, 'b03c08de-1', 'BootNotification', '[2,"b03c08de-1","BootNotification",{"chargePointModel":"joule-sim","chargePointSerialNumber":"FX-SIM-00001","chargePointVendor":"Joule","firmwareVersion":"joule-sim-0.1.0"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (120, 'FX-SIM-00001', '2026-12-08 00:42:19.863+00', 'out', 3, 'b03c08de-1', 'BootNotification', '[3,"b03c08de-1",{"currentTime":"2026-12-08T00:42:19.863Z","interval":300,"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (121, 'FX-SIM-00001', '2026-12-08 00:42:19.867+00', 'in', 2, 'b03c08de-2', 'StatusNotification', '[2,"b03c08de-2","StatusNotification",{"connectorId":0,"errorCode":"NoError","status":"Available","timestamp":"2026-12-08T00:42:19.867Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (122, 'FX-SIM-00001', '2026-12-08 00:42:19.894+00', 'out', 3, 'b03c08de-2', 'StatusNotification', '[3,"b03c08de-2",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (123, 'FX-SIM-00001', '2026-12-08 00:42:19.896+00', 'in', 2, 'b03c08de-3', 'StatusNotification', '[2,"b03c08de-3","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2026-12-08T00:42:19.896Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (124, 'FX-SIM-00001', '2026-12-08 00:42:19.944+00', 'out', 3, 'b03c08de-3', 'StatusNotification', '[3,"b03c08de-3",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (125, 'FX-SIM-00001', '2026-12-08 00:42:19.945+00', 'out', 2, 'j6-1', 'ChangeConfiguration', '[2,"j6-1","ChangeConfiguration",{"key":"MeterValueSampleInterval","value":"60"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (126, 'FX-SIM-00001', '2026-12-08 00:42:19.955+00', 'in', 2, 'b03c08de-4', 'StatusNotification', '[2,"b03c08de-4","StatusNotification",{"connectorId":2,"errorCode":"NoError","status":"Available","timestamp":"2026-12-08T00:42:19.952Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (127, 'FX-SIM-00001', '2026-12-08 00:42:19.967+00', 'out', 3, 'b03c08de-4', 'StatusNotification', '[3,"b03c08de-4",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (128, 'FX-SIM-00001', '2026-12-08 00:42:19.967+00', 'in', 3, 'j6-1', 'ChangeConfiguration', '[3,"j6-1",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (129, 'FX-SIM-00001', '2026-12-08 00:42:20.041+00', 'out', 2, 'j6-2', 'ChangeConfiguration', '[2,"j6-2","ChangeConfiguration",{"key":"ClockAlignedDataInterval","value":"900"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (130, 'FX-SIM-00001', '2026-12-08 00:42:20.041+00', 'in', 3, 'j6-2', 'ChangeConfiguration', '[3,"j6-2",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (131, 'FX-SIM-00001', '2026-12-08 00:42:20.393+00', 'out', 2, 'j6-3', 'GetConfiguration', '[2,"j6-3","GetConfiguration",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (132, 'FX-SIM-00001', '2026-12-08 00:42:20.393+00', 'in', 3, 'j6-3', 'GetConfiguration', '[3,"j6-3",{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"MeterValueSampleInterval","readonly":false,"value":"60"},{"key":"ClockAlignedDataInterval","readonly":false,"value":"900"},{"key":"MeterValuesSampledData","readonly":false,"value":"Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage"},{"key":"NumberOfConnectors","readonly":true,"value":"2"},{"key":"ConnectionTimeOut","readonly":false,"value":"60"},{"key":"AuthorizeRemoteTxRequests","readonly":false,"value":"false"},{"key":"LocalAuthorizeOffline","readonly":false,"value":"true"},{"key":"LocalPreAuthorize","readonly":false,"value":"false"},{"key":"StopTransactionOnEVSideDisconnect","readonly":false,"value":"true"},{"key":"SupportedFeatureProfiles","readonly":true,"value":"Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"}]}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (133, 'FX-SIM-00001', '2026-12-08 00:42:20.427+00', 'out', 2, 'j6-4', 'ChangeConfiguration', '[2,"j6-4","ChangeConfiguration",{"key":"HeartbeatInterval","value":"120"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (134, 'FX-SIM-00001', '2026-12-08 00:42:20.427+00', 'in', 3, 'j6-4', 'ChangeConfiguration', '[3,"j6-4",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (135, 'FX-SIM-00001', '2026-12-08 00:42:20.451+00', 'out', 2, 'j6-5', 'TriggerMessage', '[2,"j6-5","TriggerMessage",{"connectorId":1,"requestedMessage":"StatusNotification"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (136, 'FX-SIM-00001', '2026-12-08 00:42:20.451+00', 'in', 3, 'j6-5', 'TriggerMessage', '[3,"j6-5",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (137, 'FX-SIM-00001', '2026-12-08 00:42:20.451+00', 'in', 2, 'b03c08de-5', 'StatusNotification', '[2,"b03c08de-5","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2026-12-08T00:42:20.451Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (138, 'FX-SIM-00001', '2026-12-08 00:42:20.453+00', 'out', 3, 'b03c08de-5', 'StatusNotification', '[3,"b03c08de-5",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (139, 'FX-SIM-00001', '2026-12-08 00:42:20.474+00', 'out', 2, 'j6-6', 'DataTransfer', '[2,"j6-6","DataTransfer",{"messageId":"Ping","vendorId":"FixtureWorks"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (140, 'FX-SIM-00001', '2026-12-08 00:42:20.495+00', 'in', 3, 'j6-6', 'DataTransfer', '[3,"j6-6",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (141, 'FX-SIM-00001', '2026-12-08 00:42:20.524+00', 'out', 2, 'j6-7', 'ClearCache', '[2,"j6-7","ClearCache",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (142, 'FX-SIM-00001', '2026-12-08 00:42:20.524+00', 'in', 3, 'j6-7', 'ClearCache', '[3,"j6-7",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (143, 'FX-SIM-00001', '2026-12-08 00:42:20.551+00', 'out', 2, 'j6-8', 'GetLocalListVersion', '[2,"j6-8","GetLocalListVersion",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (144, 'FX-SIM-00001', '2026-12-08 00:42:20.551+00', 'in', 3, 'j6-8', 'GetLocalListVersion', '[3,"j6-8",{"listVersion":0}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (145, 'FX-SIM-00001', '2026-12-08 00:42:20.571+00', 'out', 2, 'j6-9', 'SendLocalList', '[2,"j6-9","SendLocalList",{"listVersion":1,"localAuthorizationList":[{"idTag":"TAG-A","idTagInfo":{"status":"Accepted"}},{"idTag":"TAG-API","idTagInfo":{"expiryDate":"2030-06-30T12:00:00.000Z","parentIdTag":"TAG-A","status":"Accepted"}},{"idTag":"TAG-B","idTagInfo":{"expiryDate":"2100-01-01T00:00:00.000Z","parentIdTag":"TAG-A","status":"Accepted"}},{"idTag":"TAG-IMP-1","idTagInfo":{"status":"Accepted"}},{"idTag":"TEST-73JKXVGC759D8G5","idTagInfo":{"expiryDate":"2026-12-08T00:57:19.371Z","status":"Accepted"}}],"updateType":"Full"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (146, 'FX-SIM-00001', '2026-12-08 00:42:20.571+00', 'in', 3, 'j6-9', 'SendLocalList', '[3,"j6-9",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (147, 'FX-SIM-00001', '2026-12-08 00:42:20.624+00', 'out', 2, 'j6-10', 'RemoteStartTransaction', '[2,"j6-10","RemoteStartTransaction",{"connectorId":1,"idTag":"TAG-A"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (148, 'FX-SIM-00001', '2026-12-08 00:42:20.624+00', 'in', 3, 'j6-10', 'RemoteStartTransaction', '[3,"j6-10",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (149, 'FX-SIM-00001', '2026-12-08 00:42:20.624+00', 'in', 2, 'b03c08de-6', 'StatusNotification', '[2,"b03c08de-6","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Preparing","timestamp":"2026-12-08T00:42:20.624Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (150, 'FX-SIM-00001', '2026-12-08 00:42:20.631+00', 'out', 3, 'b03c08de-6', 'StatusNotification', '[3,"b03c08de-6",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (151, 'FX-SIM-00001', '2026-12-08 00:42:20.635+00', 'in', 2, 'b03c08de-7', 'StartTransaction', '[2,"b03c08de-7","StartTransaction",{"connectorId":1,"idTag":"TAG-A","meterStart":1638244,"timestamp":"2026-12-08T00:42:20.631Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (152, 'FX-SIM-00001', '2026-12-08 00:42:20.643+00', 'out', 3, 'b03c08de-7', 'StartTransaction', '[3,"b03c08de-7",{"idTagInfo":{"status":"Accepted"},"transactionId":7}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (153, 'FX-SIM-00001', '2026-12-08 00:42:20.645+00', 'in', 2, 'b03c08de-8', 'StatusNotification', '[2,"b03c08de-8","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2026-12-08T00:42:20.645Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (154, 'FX-SIM-00001', '2026-12-08 00:42:20.653+00', 'out', 3, 'b03c08de-8', 'StatusNotification', '[3,"b03c08de-8",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (155, 'FX-SIM-00001', '2026-12-08 00:42:22.655+00', 'in', 2, 'b03c08de-9', 'MeterValues', '[2,"b03c08de-9","MeterValues",{"connectorId":1,"meterValue":[{"sampledValue":[{"context":"Sample.Periodic","format":"Raw","location":"Outlet","measurand":"Energy.Active.Import.Register","unit":"Wh","value":"1638246"},{"context":"Sample.Periodic","location":"Outlet","measurand":"Power.Active.Import","unit":"W","value":"3480.7"},{"context":"Sample.Periodic","location":"Outlet","measurand":"Current.Import","phase":"L1","unit":"A","value":"15.40"},{"context":"Sample.Periodic","location":"Outlet","measurand":"Voltage","phase":"L1-N","unit":"V","value":"226.1"}],"timestamp":"2026-12-08T00:42:22.655Z"}],"transactionId":7}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (156, 'FX-SIM-00001', '2026-12-08 00:42:22.663+00', 'out', 3, 'b03c08de-9', 'MeterValues', '[3,"b03c08de-9",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (157, 'FX-SIM-00001', '2026-12-08 00:42:23.007+00', 'out', 2, 'j6-11', 'RemoteStopTransaction', '[2,"j6-11","RemoteStopTransaction",{"transactionId":7}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (158, 'FX-SIM-00001', '2026-12-08 00:42:23.007+00', 'in', 3, 'j6-11', 'RemoteStopTransaction', '[3,"j6-11",{"status":"Accepted"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (159, 'FX-SIM-00001', '2026-12-08 00:42:23.007+00', 'in', 2, 'b03c08de-10', 'StopTransaction', '[2,"b03c08de-10","StopTransaction",{"idTag":"TAG-A","meterStop":1638246,"reason":"Remote","timestamp":"2026-12-08T00:42:23.007Z","transactionId":7}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (160, 'FX-SIM-00001', '2026-12-08 00:42:23.027+00', 'out', 3, 'b03c08de-10', 'StopTransaction', '[3,"b03c08de-10",{"idTagInfo":{"status":"Accepted"}}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (161, 'FX-SIM-00001', '2026-12-08 00:42:23.028+00', 'in', 2, 'b03c08de-11', 'StatusNotification', '[2,"b03c08de-11","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Finishing","timestamp":"2026-12-08T00:42:23.028Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (162, 'FX-SIM-00001', '2026-12-08 00:42:23.029+00', 'out', 3, 'b03c08de-11', 'StatusNotification', '[3,"b03c08de-11",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (163, 'FX-SIM-00001', '2026-12-08 00:42:23.03+00', 'in', 2, 'b03c08de-12', 'StatusNotification', '[2,"b03c08de-12","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2026-12-08T00:42:23.030Z"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (164, 'FX-SIM-00001', '2026-12-08 00:42:23.03+00', 'out', 3, 'b03c08de-12', 'StatusNotification', '[3,"b03c08de-12",{}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (165, 'FX-9', '2026-12-08 00:42:24.023+00', 'in', 2, 'FX-9-1', 'BootNotification', '[2, "FX-9-1", "BootNotification", {"chargePointVendor": "Fixture Works", "chargePointModel": "FX-22", "chargePointSerialNumber": "FXS-FX-9", "chargeBoxSerialNumber": "FXB-0009", "firmwareVersion": "1.2.0", "iccid": "8941000000000000009", "imsi": "228010000000009", "meterType": "FX-Meter", "meterSerialNumber": "FXM-0009"}]');
INSERT INTO public.message_log OVERRIDING SYSTEM VALUE VALUES (166, 'FX-9', '2026-12-08 00:42:24.035+00', 'out', 3, 'FX-9-1', 'BootNotification', '[3,"FX-9-1",{"currentTime":"2026-12-08T00:42:24.035Z","interval":60,"status":"Pending"}]');


--
-- Data for Name: meter_quarter_backfill; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meter_quarter_days; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.meter_quarter_days VALUES ('FX-1', 1, 20606, '\x0100000000070000000000000008e093040000000000007097400b00000000000000000088a3400100000000000000000078ae40c0270900000000000088b340');
INSERT INTO public.meter_quarter_days VALUES ('FX-1', 2, 20606, '\x01000000000e000000000000000b000000000000000000ecd3400b00000000000000000063d5400b00000000000000000044d640');
INSERT INTO public.meter_quarter_days VALUES ('FX-1', 0, 20606, '\x01000000001f000000000000000b0000000000000000006af8400b000000000000000000b5f8400b0000000000000000803ef9400b000000000000000040b5f9400b000000000000000000e1f940');
INSERT INTO public.meter_quarter_days VALUES ('FX-2', 1, 20607, '\x010000000000260000000000000b000000000000000000408f400b000000000000000000409f400b00000000000000000050a440');
INSERT INTO public.meter_quarter_days VALUES ('FX-3', 1, 20795, '\x0104000000000000000000000008274a0b000000000000d3c340');
INSERT INTO public.meter_quarter_days VALUES ('FX-SIM-00001', 1, 20795, '\x0104000000000000000000000008ff540b000000000066ff3841');


--
-- Data for Name: meter_values; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (1, 'FX-1', 1, 1, '2026-06-02 08:05:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Periodic', 'Wh', 1500, '1500', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (2, 'FX-1', 1, 1, '2026-06-02 08:05:00+00', 'Power.Active.Import', '', '', 'Sample.Periodic', 'W', 7000, '7000', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (3, 'FX-1', 1, 1, '2026-06-02 08:15:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 2500, '2500', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (4, 'FX-1', 2, 2, '2026-06-02 08:15:00+00', 'Current.Import', 'L1', '', 'Sample.Periodic', 'A', 16, '16.0', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (5, 'FX-1', 2, 2, '2026-06-02 08:15:00+00', 'Current.Import', 'L2', '', 'Sample.Periodic', 'A', 15.5, '15.5', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (6, 'FX-1', 2, 2, '2026-06-02 08:15:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 20400, '20.4', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (7, 'FX-1', 2, 2, '2026-06-02 08:15:00+00', 'Power.Active.Import', '', '', 'Sample.Periodic', 'W', 11000, '11', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (8, 'FX-1', 2, 2, '2026-06-02 08:15:00+00', 'Voltage', 'L1-N', '', 'Sample.Periodic', 'V', 230.1, '230.1', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (9, 'FX-1', 1, 1, '2026-06-02 08:30:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 3900, '3900', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (10, 'FX-1', 1, 1, '2026-06-02 08:30:00+00', 'Power.Active.Import', '', '', 'Sample.Periodic', 'W', 7200, '7200', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (11, 'FX-1', 2, 2, '2026-06-02 08:30:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 21900, '21.9', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (12, 'FX-1', 2, 2, '2026-06-02 08:30:00+00', 'Power.Active.Import', '', '', 'Sample.Periodic', 'W', 10500, '10.5', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (13, 'FX-1', 1, 1, '2026-06-02 08:40:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Transaction.End', 'Wh', 5000, '5000', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (14, 'FX-1', 2, 2, '2026-06-02 08:45:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 22800, '22.8', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (15, 'FX-1', 0, NULL, '2026-06-02 08:00:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 100000, '100000', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (16, 'FX-1', 0, NULL, '2026-06-02 08:15:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 101200, '101200', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (17, 'FX-1', 0, NULL, '2026-06-02 08:30:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 103400, '103400', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (18, 'FX-1', 0, NULL, '2026-06-02 08:45:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 105300, '105300', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (19, 'FX-1', 0, NULL, '2026-06-02 09:00:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 106000, '106000', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (20, 'FX-2', 1, 3, '2026-06-03 10:15:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 1000, '1000', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (21, 'FX-2', 1, 3, '2026-06-03 10:15:00+00', 'Power.Active.Import', '', '', 'Sample.Periodic', 'W', 4000, '4000', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (22, 'FX-2', 1, 3, '2026-06-03 10:30:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 2000, '2000', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (23, 'FX-2', 1, 5, '2026-06-03 11:15:00+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Clock', 'Wh', 2600, '2600', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (24, 'FX-2', 1, 5, '2026-06-03 11:15:00+00', 'Power.Active.Import', '', '', 'Sample.Periodic', 'W', 2400, '2400', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (25, 'FX-3', 1, 6, '2026-12-08 00:42:19.879+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Periodic', 'Wh', 10150, '10150', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (26, 'FX-3', 1, 6, '2026-12-08 00:42:19.879+00', 'Power.Active.Import', '', '', 'Sample.Periodic', 'W', 3600, '3600', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (27, 'FX-SIM-00001', 1, 7, '2026-12-08 00:42:22.655+00', 'Current.Import', 'L1', 'Outlet', 'Sample.Periodic', 'A', 15.4, '15.40', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (28, 'FX-SIM-00001', 1, 7, '2026-12-08 00:42:22.655+00', 'Energy.Active.Import.Register', '', 'Outlet', 'Sample.Periodic', 'Wh', 1638246, '1638246', 'Raw');
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (29, 'FX-SIM-00001', 1, 7, '2026-12-08 00:42:22.655+00', 'Power.Active.Import', '', 'Outlet', 'Sample.Periodic', 'W', 3480.7, '3480.7', NULL);
INSERT INTO public.meter_values OVERRIDING SYSTEM VALUE VALUES (30, 'FX-SIM-00001', 1, 7, '2026-12-08 00:42:22.655+00', 'Voltage', 'L1-N', 'Outlet', 'Sample.Periodic', 'V', 226.1, '226.1', NULL);


--
-- Data for Name: notifications; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.notifications OVERRIDING SYSTEM VALUE VALUES (2, 5, 'activation.rejected', 'Your activation request 2 (customer C-1002) for station(s) FX-6 is rejected: The address is outside our service area.', '2026-12-08 00:42:17.011+00', NULL);
INSERT INTO public.notifications OVERRIDING SYSTEM VALUE VALUES (1, 5, 'activation.activated', 'Your activation request 1 (customer C-1001) is approved: station(s) FX-3 are active.', '2026-12-08 00:42:16.841+00', '2026-12-08 00:42:17.591+00');


--
-- Data for Name: operator_defaults; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.operator_defaults VALUES (1, 0, 'MeterValueSampleInterval', '60');
INSERT INTO public.operator_defaults VALUES (1, 1, 'ClockAlignedDataInterval', '900');


--
-- Data for Name: operator_settings; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.operator_settings VALUES (1, 3, 30, '2026-12-08 00:42:05.996+00');


--
-- Data for Name: operators; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.operators OVERRIDING SYSTEM VALUE VALUES (1, 'Fixture Charging', '2w3534d36ptirg2s', '2026-12-08 00:42:03.504+00');
INSERT INTO public.operators OVERRIDING SYSTEM VALUE VALUES (2, 'Other Operator', 'q9dwfkbfq7q92nyp', '2026-12-08 00:42:03.62+00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox OVERRIDING SYSTEM VALUE VALUES (1, 'FX-3', 'trigger-boot', '2026-12-08 00:42:16.819+00', '2026-12-08 00:42:17.524+00', 'station offline; it is accepted at its next boot');


--
-- Data for Name: password_resets; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.password_resets OVERRIDING SYSTEM VALUE VALUES (1, 3, 'aff7ac5d7b89778bbdfb81d809451b3c4c1728997b88d08513fbf0de5c92ace9', '2026-12-08 00:42:23.424+00', '2026-12-08 01:42:23.424+00', NULL);


--
-- Data for Name: provisioning_profiles; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.provisioning_profiles VALUES (1, 'fixtureworks', 'Fixture Works', 'configuration-key', 'CentralSystemUrl', NULL, NULL, true, 'soft', '2026-12-08 00:42:23.48+00', 'token:fixture-admin');


--
-- Data for Name: session_costs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.session_costs VALUES (1, 1, 2, 1, 'CHF', '1.30', '0.00', '1.30', '8.1', '0.11', '1.41', 4000, 2400, NULL, '[{"kind":"start_fee","element":null,"from":"2026-06-02T08:00:00Z","to":"2026-06-02T08:00:00Z","quantity":"1","billed":"1","unit_price":"0.50","amount":"0.50"},{"kind":"energy","element":0,"from":"2026-06-02T08:00:00Z","to":"2026-06-02T08:40:00Z","quantity":"4000","billed":"4000","unit_price":"0.20","amount":"0.80"}]', '2026-12-08 00:42:13.273+00');
INSERT INTO public.session_costs VALUES (2, 1, 3, 1, 'CHF', '1.50', '0.00', '1.50', '8.1', '0.12', '1.62', 3000, 2400, NULL, '[{"kind":"energy","element":0,"from":"2026-06-02T08:10:00Z","to":"2026-06-02T08:50:00Z","quantity":"3000","billed":"3000","unit_price":"0.50","amount":"1.50"}]', '2026-12-08 00:42:13.329+00');
INSERT INTO public.session_costs VALUES (3, 1, 1, 1, 'CHF', '1.60', '0.00', '1.60', '8.1', '0.13', '1.73', 2000, 1800, NULL, '[{"kind":"start_fee","element":null,"from":"2026-06-03T10:00:00Z","to":"2026-06-03T10:00:00Z","quantity":"1","billed":"1","unit_price":"1.00","amount":"1.00"},{"kind":"energy","element":0,"from":"2026-06-03T10:00:00Z","to":"2026-06-03T10:30:00Z","quantity":"2000","billed":"2000","unit_price":"0.30","amount":"0.60"}]', '2026-12-08 00:42:14.919+00');
INSERT INTO public.session_costs VALUES (4, 1, 2, 1, 'CHF', '0', '0', '0', '8.1', '0', '0', 100, 60, 'below_threshold', '[]', '2026-12-08 00:42:15.014+00');
INSERT INTO public.session_costs VALUES (6, 1, 1, 1, 'CHF', '0', '0', '0', '8.1', '0', '0', 300, 1, 'below_threshold', '[]', '2026-12-08 00:42:19.404+00');
INSERT INTO public.session_costs VALUES (7, 1, 2, 1, 'CHF', '0', '0', '0', '8.1', '0', '0', 2, 2, 'below_threshold', '[]', '2026-12-08 00:42:23.011+00');


--
-- Data for Name: sessions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.sessions OVERRIDING SYSTEM VALUE VALUES (1, 'FX-1', 1, 1, 'TAG-A', 'Accepted', 1000, '2026-06-02 08:00:00+00', NULL, 5000, '2026-06-02 08:40:00+00', 'Local', 'TAG-A');
INSERT INTO public.sessions OVERRIDING SYSTEM VALUE VALUES (2, 'FX-1', 1, 2, 'TAG-B', 'Accepted', 20000, '2026-06-02 08:10:00+00', NULL, 23000, '2026-06-02 08:50:00+00', 'EVDisconnected', NULL);
INSERT INTO public.sessions OVERRIDING SYSTEM VALUE VALUES (3, 'FX-2', 1, 1, 'TAG-B', 'Accepted', 0, '2026-06-03 10:00:00+00', NULL, 2000, '2026-06-03 10:30:00+00', 'Local', 'TAG-B');
INSERT INTO public.sessions OVERRIDING SYSTEM VALUE VALUES (4, 'FX-2', 1, 2, 'TAG-A', 'Accepted', 500, '2026-06-03 10:40:00+00', NULL, 600, '2026-06-03 10:41:00+00', 'Local', 'TAG-A');
INSERT INTO public.sessions OVERRIDING SYSTEM VALUE VALUES (5, 'FX-2', 1, 1, 'TAG-A', 'Accepted', 2000, '2026-06-03 11:00:00+00', NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.sessions OVERRIDING SYSTEM VALUE VALUES (6, 'FX-3', 1, 1, 'TEST-73JKXVGC759D8G5', 'Accepted', 10000, '2026-12-08 00:42:19.379+00', NULL, 10300, '2026-12-08 00:42:20.379+00', 'Local', 'TEST-73JKXVGC759D8G5');
INSERT INTO public.sessions OVERRIDING SYSTEM VALUE VALUES (7, 'FX-SIM-00001', 1, 1, 'TAG-A', 'Accepted', 1638244, '2026-12-08 00:42:20.631+00', NULL, 1638246, '2026-12-08 00:42:23.007+00', 'Remote', 'TAG-A');


--
-- Data for Name: station_access; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.station_access VALUES ('FX-2', 'limited', NULL, '2026-12-08 00:42:12.004+00');
INSERT INTO public.station_access VALUES ('FX-8', 'public', 'mon-fri 07:00-19:00; 2026-12-25 closed', '2026-12-08 00:42:12.177+00');


--
-- Data for Name: station_access_admitted; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.station_access_admitted VALUES ('FX-2', 0, 1, NULL);
INSERT INTO public.station_access_admitted VALUES ('FX-2', 0, NULL, 2);


--
-- Data for Name: station_access_connectors; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.station_access_connectors VALUES ('FX-8', 2, 'private', NULL);


--
-- Data for Name: station_assignments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.station_assignments VALUES ('FX-9', 1, 'Fixture Shop', NULL, 'joule', 'token:fixture-admin', '2026-12-08 00:42:24.108+00');


--
-- Data for Name: station_configuration; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.station_configuration VALUES ('FX-3', 'SupportedFeatureProfiles', 'Core,FirmwareManagement,RemoteTrigger', true, '2026-12-08 00:42:19.296+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-3', 'NumberOfConnectors', '2', true, '2026-12-08 00:42:19.296+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-3', 'HeartbeatInterval', '300', false, '2026-12-08 00:42:19.296+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-3', 'MeterValueSampleInterval', '300', false, '2026-12-08 00:42:19.296+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-3', 'ClockAlignedDataInterval', '900', false, '2026-12-08 00:42:19.296+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-3', 'MacAddress', 'AA:BB:CC:00:00:03', false, '2026-12-08 00:42:19.296+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'MeterValueSampleInterval', '60', false, '2026-12-08 00:42:20.393+00', '2026-12-08 00:42:19.967+00');
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'ClockAlignedDataInterval', '900', false, '2026-12-08 00:42:20.393+00', '2026-12-08 00:42:20.041+00');
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'MeterValuesSampledData', 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage', false, '2026-12-08 00:42:20.393+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'NumberOfConnectors', '2', true, '2026-12-08 00:42:20.393+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'ConnectionTimeOut', '60', false, '2026-12-08 00:42:20.393+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'AuthorizeRemoteTxRequests', 'false', false, '2026-12-08 00:42:20.393+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'LocalAuthorizeOffline', 'true', false, '2026-12-08 00:42:20.393+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'LocalPreAuthorize', 'false', false, '2026-12-08 00:42:20.393+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'StopTransactionOnEVSideDisconnect', 'true', false, '2026-12-08 00:42:20.393+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'SupportedFeatureProfiles', 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger', true, '2026-12-08 00:42:20.393+00', NULL);
INSERT INTO public.station_configuration VALUES ('FX-SIM-00001', 'HeartbeatInterval', '120', false, '2026-12-08 00:42:20.393+00', '2026-12-08 00:42:20.427+00');


--
-- Data for Name: station_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.station_events OVERRIDING SYSTEM VALUE VALUES (1, 'FX-1', 'DataTransfer', 'vendorId=FixtureWorks messageId=Diag data=hello', '2026-12-08 00:42:13.451+00');
INSERT INTO public.station_events OVERRIDING SYSTEM VALUE VALUES (2, 'FX-1', 'FirmwareStatusNotification', 'Installed', '2026-12-08 00:42:13.482+00');
INSERT INTO public.station_events OVERRIDING SYSTEM VALUE VALUES (3, 'FX-1', 'DiagnosticsStatusNotification', 'Uploaded', '2026-12-08 00:42:13.495+00');
INSERT INTO public.station_events OVERRIDING SYSTEM VALUE VALUES (4, 'FX-2', 'ConnectionRefused', 'wrong station password from 127.0.0.1:50062', '2026-12-08 00:42:14.136+00');


--
-- Data for Name: station_group_times; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.station_group_times VALUES ('FX-8', 1, 'sat 08:00-12:00');


--
-- Data for Name: station_models; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.station_models VALUES (1, 'fixtureworksfx22', 'Fixture Works', 'FX-22', '1.4.0', '2026-12-08 00:42:18.443+00', 'account:staff@fixture.example');
INSERT INTO public.station_models VALUES (1, 'fixtureworksfx11', 'Fixture Works', 'FX-11', NULL, '2026-12-08 00:42:18.486+00', 'account:staff@fixture.example');


--
-- Data for Name: stations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.stations VALUES ('OB-1', 2, 'pending', false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, '2026-12-08 00:42:11.842+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-1', 1, 'active', false, NULL, 'Fixture Works', 'FX-22', 'FXS-0001', 'FXB-0001', '1.4.2', '8941000000000000001', '228010000000001', 'FX-Meter', 'FXM-0001', '2026-12-08 00:42:12.873+00', false, '2026-12-08 00:42:12.85+00', '2026-12-08 00:42:13.515+00', '2026-12-08 00:42:13.503+00', '2026-12-08 00:42:10.802+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-2', 1, 'active', false, '$argon2id$v=19$m=4096,t=1,p=1$oCoL9XQYeZR9ghWzAtCZXQ$qHXVVl67fpKCJbpVX+b82P51oLDsO69MQbkYpjKZ51E', 'Fixture Works', 'FX-11', 'FXS-0002', 'FXB-0002', '1.3.0', '8941000000000000002', '228010000000002', 'FX-Meter', 'FXM-0002', '2026-12-08 00:42:14.655+00', false, '2026-12-08 00:42:14.632+00', '2026-12-08 00:42:15.087+00', '2026-12-08 00:42:15.079+00', '2026-12-08 00:42:11.071+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-4', 1, 'pending', false, NULL, 'Fixture Works', 'FX-22', 'FXS-FX-4', 'FXB-0009', '1.2.0', '8941000000000000009', '228010000000009', 'FX-Meter', 'FXM-0009', '2026-12-08 00:42:15.867+00', false, '2026-12-08 00:42:15.865+00', '2026-12-08 00:42:15.888+00', NULL, '2026-12-08 00:42:15.855+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-6', 1, 'rejected', false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, '2026-12-08 00:42:11.504+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-5', 1, 'requested', false, NULL, 'Fixture Works', 'FX-22', 'FXS-FX-5', 'FXB-0009', '1.2.0', '8941000000000000009', '228010000000009', 'FX-Meter', 'FXM-0009', '2026-12-08 00:42:16.327+00', false, '2026-12-08 00:42:16.323+00', '2026-12-08 00:42:16.355+00', NULL, '2026-12-08 00:42:11.39+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-3', 1, 'verified', false, NULL, 'Fixture Works', 'FX-22', 'FXS-0003', 'FXB-0003', '1.4.2', '8941000000000000003', '228010000000003', 'FX-Meter', 'FXM-0003', '2026-12-08 00:42:18.978+00', false, '2026-12-08 00:42:18.956+00', '2026-12-08 00:42:19.679+00', '2026-12-08 00:42:19.436+00', '2026-12-08 00:42:11.283+00', 5, NULL);
INSERT INTO public.stations VALUES ('FX-SIM-00001', 1, 'active', false, NULL, 'Joule', 'joule-sim', 'FX-SIM-00001', NULL, 'joule-sim-0.1.0', NULL, NULL, NULL, NULL, '2026-12-08 00:42:19.86+00', false, '2026-12-08 00:42:19.843+00', '2026-12-08 00:42:23.236+00', NULL, '2026-12-08 00:42:11.715+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-7', 1, 'handed-over', false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, '2026-12-08 00:42:11.596+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-9', 1, 'pending', false, NULL, 'Fixture Works', 'FX-22', 'FXS-FX-9', 'FXB-0009', '1.2.0', '8941000000000000009', '228010000000009', 'FX-Meter', 'FXM-0009', '2026-12-08 00:42:24.023+00', false, '2026-12-08 00:42:24.022+00', '2026-12-08 00:42:24.236+00', NULL, '2026-12-08 00:42:24.021+00', NULL, NULL);
INSERT INTO public.stations VALUES ('FX-8', 1, 'suspended', true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, '2026-12-08 00:42:11.631+00', NULL, NULL);


--
-- Data for Name: status_history; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (1, 'FX-1', 0, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-02 07:55:00+00', '2026-12-08 00:42:12.955+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (2, 'FX-1', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-02 07:55:00+00', '2026-12-08 00:42:12.995+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (3, 'FX-1', 2, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-02 07:55:00+00', '2026-12-08 00:42:13.017+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (4, 'FX-1', 1, 'Charging', 'NoError', NULL, NULL, NULL, '2026-06-02 08:00:05+00', '2026-12-08 00:42:13.156+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (5, 'FX-1', 2, 'Charging', 'NoError', NULL, NULL, NULL, '2026-06-02 08:10:05+00', '2026-12-08 00:42:13.243+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (6, 'FX-1', 1, 'Finishing', 'NoError', NULL, NULL, NULL, '2026-06-02 08:40:05+00', '2026-12-08 00:42:13.308+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (7, 'FX-1', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-02 08:41:00+00', '2026-12-08 00:42:13.315+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (8, 'FX-1', 2, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-02 08:50:05+00', '2026-12-08 00:42:13.329+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (9, 'FX-1', 2, 'Faulted', 'GroundFailure', 'fixture fault', 'FixtureWorks', 'E42', '2026-06-02 08:56:00+00', '2026-12-08 00:42:13.392+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (10, 'FX-1', 2, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-02 08:57:00+00', '2026-12-08 00:42:13.429+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (11, 'FX-2', 0, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-03 09:55:00+00', '2026-12-08 00:42:14.678+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (12, 'FX-2', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-03 09:55:00+00', '2026-12-08 00:42:14.695+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (13, 'FX-2', 2, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-03 09:55:00+00', '2026-12-08 00:42:14.731+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (14, 'FX-2', 1, 'Charging', 'NoError', NULL, NULL, NULL, '2026-06-03 10:00:05+00', '2026-12-08 00:42:14.811+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (15, 'FX-2', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-06-03 10:31:00+00', '2026-12-08 00:42:14.935+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (16, 'FX-2', 1, 'Charging', 'NoError', NULL, NULL, NULL, '2026-06-03 11:00:05+00', '2026-12-08 00:42:15.067+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (17, 'FX-3', 0, 'Available', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:18.983+00', '2026-12-08 00:42:18.983+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (18, 'FX-3', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:19+00', '2026-12-08 00:42:19+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (19, 'FX-3', 1, 'Charging', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:19.379+00', '2026-12-08 00:42:19.387+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (20, 'FX-3', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:20.379+00', '2026-12-08 00:42:19.421+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (21, 'FX-SIM-00001', 0, 'Available', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:19.867+00', '2026-12-08 00:42:19.868+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (22, 'FX-SIM-00001', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:19.896+00', '2026-12-08 00:42:19.896+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (23, 'FX-SIM-00001', 2, 'Available', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:19.952+00', '2026-12-08 00:42:19.955+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (24, 'FX-SIM-00001', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:20.451+00', '2026-12-08 00:42:20.451+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (25, 'FX-SIM-00001', 1, 'Preparing', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:20.624+00', '2026-12-08 00:42:20.624+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (26, 'FX-SIM-00001', 1, 'Charging', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:20.645+00', '2026-12-08 00:42:20.645+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (27, 'FX-SIM-00001', 1, 'Finishing', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:23.028+00', '2026-12-08 00:42:23.028+00');
INSERT INTO public.status_history OVERRIDING SYSTEM VALUE VALUES (28, 'FX-SIM-00001', 1, 'Available', 'NoError', NULL, NULL, NULL, '2026-12-08 00:42:23.03+00', '2026-12-08 00:42:23.03+00');


--
-- Data for Name: tariff_assignments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tariff_assignments VALUES (1, '', 0, 0, 1, '2026-12-08 00:42:10.551+00');
INSERT INTO public.tariff_assignments VALUES (1, '', 0, 1, 2, '2026-12-08 00:42:10.656+00');
INSERT INTO public.tariff_assignments VALUES (1, 'FX-1', 2, 0, 3, '2026-12-08 00:42:10.916+00');


--
-- Data for Name: tariff_versions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tariff_versions VALUES (1, 1, 'Standard', '2026-01-01 00:00:00+00', '{"elements":[{"price_components":[{"type":"ENERGY","price":"0.30","step_size":1}]}],"start_fee":"1.00"}', '2026-12-08 00:42:10.083+00', 'token:fixture-admin');
INSERT INTO public.tariff_versions VALUES (1, 2, 'Standard', '2027-01-01 00:00:00+00', '{"elements":[{"price_components":[{"type":"ENERGY","price":"0.35","step_size":1}]}],"start_fee":"1.00"}', '2026-12-08 00:42:10.178+00', 'token:fixture-admin');
INSERT INTO public.tariff_versions VALUES (2, 1, 'Residents', '2026-01-01 00:00:00+00', '{"elements":[{"price_components":[{"type":"ENERGY","price":"0.20","step_size":1}]}],"start_fee":"0.50"}', '2026-12-08 00:42:10.284+00', 'token:fixture-admin');
INSERT INTO public.tariff_versions VALUES (3, 1, 'Fast', '2026-01-01 00:00:00+00', '{"elements":[{"price_components":[{"type":"ENERGY","price":"0.50","step_size":1}]}]}', '2026-12-08 00:42:10.401+00', 'token:fixture-admin');


--
-- Data for Name: tariffs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tariffs OVERRIDING SYSTEM VALUE VALUES (1, 1, '2026-12-08 00:42:10.083+00');
INSERT INTO public.tariffs OVERRIDING SYSTEM VALUE VALUES (2, 1, '2026-12-08 00:42:10.284+00');
INSERT INTO public.tariffs OVERRIDING SYSTEM VALUE VALUES (3, 1, '2026-12-08 00:42:10.401+00');


--
-- Data for Name: unknown_stops; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.unknown_stops OVERRIDING SYSTEM VALUE VALUES (1, 'FX-1', 999999, 'TAG-A', 777, '2026-06-02 08:55:00+00', 'Other', '2026-12-08 00:42:13.349+00');


--
-- Name: accounts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.accounts_id_seq', 6, true);


--
-- Name: activation_codes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.activation_codes_id_seq', 2, true);


--
-- Name: activation_requests_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.activation_requests_id_seq', 3, true);


--
-- Name: api_tokens_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.api_tokens_id_seq', 3, true);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 56, true);


--
-- Name: backends_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.backends_id_seq', 1, true);


--
-- Name: commands_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.commands_id_seq', 15, true);


--
-- Name: driver_groups_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.driver_groups_id_seq', 3, true);


--
-- Name: drivers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.drivers_id_seq', 3, true);


--
-- Name: handover_steps_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.handover_steps_id_seq', 1, true);


--
-- Name: handovers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.handovers_id_seq', 1, true);


--
-- Name: logins_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.logins_id_seq', 3, true);


--
-- Name: message_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.message_log_id_seq', 166, true);


--
-- Name: meter_values_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meter_values_id_seq', 30, true);


--
-- Name: notifications_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notifications_id_seq', 2, true);


--
-- Name: operators_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.operators_id_seq', 2, true);


--
-- Name: outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_id_seq', 1, true);


--
-- Name: password_resets_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.password_resets_id_seq', 1, true);


--
-- Name: sessions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.sessions_id_seq', 7, true);


--
-- Name: station_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.station_events_id_seq', 4, true);


--
-- Name: status_history_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.status_history_id_seq', 28, true);


--
-- Name: tariffs_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.tariffs_id_seq', 3, true);


--
-- Name: unknown_stops_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.unknown_stops_id_seq', 1, true);


--
-- Name: _sqlx_migrations _sqlx_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public._sqlx_migrations
    ADD CONSTRAINT _sqlx_migrations_pkey PRIMARY KEY (version);


--
-- Name: accounts accounts_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_email_key UNIQUE (email);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


--
-- Name: activation_codes activation_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activation_codes
    ADD CONSTRAINT activation_codes_pkey PRIMARY KEY (id);


--
-- Name: activation_requests activation_requests_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activation_requests
    ADD CONSTRAINT activation_requests_pkey PRIMARY KEY (id);


--
-- Name: api_tokens api_tokens_operator_id_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_operator_id_name_key UNIQUE (operator_id, name);


--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);


--
-- Name: api_tokens api_tokens_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: backends backends_operator_id_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.backends
    ADD CONSTRAINT backends_operator_id_name_key UNIQUE (operator_id, name);


--
-- Name: backends backends_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.backends
    ADD CONSTRAINT backends_pkey PRIMARY KEY (id);


--
-- Name: billing_settings billing_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.billing_settings
    ADD CONSTRAINT billing_settings_pkey PRIMARY KEY (operator_id);


--
-- Name: commands commands_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commands
    ADD CONSTRAINT commands_pkey PRIMARY KEY (id);


--
-- Name: connectors connectors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.connectors
    ADD CONSTRAINT connectors_pkey PRIMARY KEY (station_id, connector_id);


--
-- Name: default_results default_results_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.default_results
    ADD CONSTRAINT default_results_pkey PRIMARY KEY (station_id, key);


--
-- Name: driver_groups driver_groups_operator_id_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.driver_groups
    ADD CONSTRAINT driver_groups_operator_id_name_key UNIQUE (operator_id, name);


--
-- Name: driver_groups driver_groups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.driver_groups
    ADD CONSTRAINT driver_groups_pkey PRIMARY KEY (id);


--
-- Name: drivers drivers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drivers
    ADD CONSTRAINT drivers_pkey PRIMARY KEY (id);


--
-- Name: group_members group_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.group_members
    ADD CONSTRAINT group_members_pkey PRIMARY KEY (group_id, driver_id);


--
-- Name: handover_steps handover_steps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handover_steps
    ADD CONSTRAINT handover_steps_pkey PRIMARY KEY (id);


--
-- Name: handovers handovers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handovers
    ADD CONSTRAINT handovers_pkey PRIMARY KEY (id);


--
-- Name: id_tokens id_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.id_tokens
    ADD CONSTRAINT id_tokens_pkey PRIMARY KEY (operator_id, tag);


--
-- Name: installations installations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.installations
    ADD CONSTRAINT installations_pkey PRIMARY KEY (station_id);


--
-- Name: local_list_entries local_list_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_list_entries
    ADD CONSTRAINT local_list_entries_pkey PRIMARY KEY (station_id, tag);


--
-- Name: local_list_sync local_list_sync_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_list_sync
    ADD CONSTRAINT local_list_sync_pkey PRIMARY KEY (station_id);


--
-- Name: logins logins_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logins
    ADD CONSTRAINT logins_pkey PRIMARY KEY (id);


--
-- Name: logins logins_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logins
    ADD CONSTRAINT logins_token_hash_key UNIQUE (token_hash);


--
-- Name: message_log message_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.message_log
    ADD CONSTRAINT message_log_pkey PRIMARY KEY (id);


--
-- Name: meter_quarter_days meter_quarter_days_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meter_quarter_days
    ADD CONSTRAINT meter_quarter_days_pkey PRIMARY KEY (station_id, connector_id, day);


--
-- Name: meter_values meter_values_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meter_values
    ADD CONSTRAINT meter_values_pkey PRIMARY KEY (id);


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: operator_defaults operator_defaults_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operator_defaults
    ADD CONSTRAINT operator_defaults_pkey PRIMARY KEY (operator_id, key);


--
-- Name: operator_settings operator_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operator_settings
    ADD CONSTRAINT operator_settings_pkey PRIMARY KEY (operator_id);


--
-- Name: operators operators_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operators
    ADD CONSTRAINT operators_name_key UNIQUE (name);


--
-- Name: operators operators_operator_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operators
    ADD CONSTRAINT operators_operator_key_key UNIQUE (operator_key);


--
-- Name: operators operators_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operators
    ADD CONSTRAINT operators_pkey PRIMARY KEY (id);


--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);


--
-- Name: password_resets password_resets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.password_resets
    ADD CONSTRAINT password_resets_pkey PRIMARY KEY (id);


--
-- Name: password_resets password_resets_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.password_resets
    ADD CONSTRAINT password_resets_token_hash_key UNIQUE (token_hash);


--
-- Name: provisioning_profiles provisioning_profiles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provisioning_profiles
    ADD CONSTRAINT provisioning_profiles_pkey PRIMARY KEY (operator_id, vendor_key);


--
-- Name: session_costs session_costs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_costs
    ADD CONSTRAINT session_costs_pkey PRIMARY KEY (transaction_id);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);


--
-- Name: station_access_connectors station_access_connectors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_access_connectors
    ADD CONSTRAINT station_access_connectors_pkey PRIMARY KEY (station_id, connector);


--
-- Name: station_access station_access_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_access
    ADD CONSTRAINT station_access_pkey PRIMARY KEY (station_id);


--
-- Name: station_assignments station_assignments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_assignments
    ADD CONSTRAINT station_assignments_pkey PRIMARY KEY (station_id);


--
-- Name: station_configuration station_configuration_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_configuration
    ADD CONSTRAINT station_configuration_pkey PRIMARY KEY (station_id, key);


--
-- Name: station_events station_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_events
    ADD CONSTRAINT station_events_pkey PRIMARY KEY (id);


--
-- Name: station_group_times station_group_times_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_group_times
    ADD CONSTRAINT station_group_times_pkey PRIMARY KEY (station_id, group_id);


--
-- Name: station_models station_models_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_models
    ADD CONSTRAINT station_models_pkey PRIMARY KEY (operator_id, match_key);


--
-- Name: stations stations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stations
    ADD CONSTRAINT stations_pkey PRIMARY KEY (id);


--
-- Name: status_history status_history_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.status_history
    ADD CONSTRAINT status_history_pkey PRIMARY KEY (id);


--
-- Name: tariff_assignments tariff_assignments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tariff_assignments
    ADD CONSTRAINT tariff_assignments_pkey PRIMARY KEY (operator_id, station_id, connector_id, group_id);


--
-- Name: tariff_versions tariff_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tariff_versions
    ADD CONSTRAINT tariff_versions_pkey PRIMARY KEY (tariff_id, version);


--
-- Name: tariffs tariffs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tariffs
    ADD CONSTRAINT tariffs_pkey PRIMARY KEY (id);


--
-- Name: unknown_stops unknown_stops_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unknown_stops
    ADD CONSTRAINT unknown_stops_pkey PRIMARY KEY (id);


--
-- Name: unknown_stops unknown_stops_station_id_transaction_id_stopped_at_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unknown_stops
    ADD CONSTRAINT unknown_stops_station_id_transaction_id_stopped_at_key UNIQUE (station_id, transaction_id, stopped_at);


--
-- Name: accounts_by_operator; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX accounts_by_operator ON public.accounts USING btree (operator_id, role);


--
-- Name: activation_codes_by_mac; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX activation_codes_by_mac ON public.activation_codes USING btree (mac, used_at);


--
-- Name: activation_codes_by_station; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX activation_codes_by_station ON public.activation_codes USING btree (station_id);


--
-- Name: activation_requests_by_operator; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX activation_requests_by_operator ON public.activation_requests USING btree (operator_id, state, requested_at);


--
-- Name: activation_requests_by_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX activation_requests_by_owner ON public.activation_requests USING btree (owner_id, requested_at);


--
-- Name: audit_log_by_operator; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_by_operator ON public.audit_log USING btree (operator_id, at);


--
-- Name: audit_log_by_subject; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_by_subject ON public.audit_log USING btree (subject, at);


--
-- Name: commands_by_station; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commands_by_station ON public.commands USING btree (station_id, requested_at);


--
-- Name: drivers_by_account; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX drivers_by_account ON public.drivers USING btree (operator_id, account_id) WHERE (account_id IS NOT NULL);


--
-- Name: drivers_by_operator; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX drivers_by_operator ON public.drivers USING btree (operator_id, name);


--
-- Name: group_members_by_driver; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX group_members_by_driver ON public.group_members USING btree (driver_id, group_id);


--
-- Name: handover_steps_by_handover; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX handover_steps_by_handover ON public.handover_steps USING btree (handover_id, id);


--
-- Name: handovers_by_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX handovers_by_state ON public.handovers USING btree (state);


--
-- Name: handovers_by_station; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX handovers_by_station ON public.handovers USING btree (station_id, requested_at);


--
-- Name: handovers_one_open; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX handovers_one_open ON public.handovers USING btree (station_id) WHERE (state = ANY (ARRAY['recorded'::text, 'provisioning'::text, 'waiting'::text]));


--
-- Name: id_tokens_by_driver; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX id_tokens_by_driver ON public.id_tokens USING btree (driver_id) WHERE (driver_id IS NOT NULL);


--
-- Name: logins_by_account; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX logins_by_account ON public.logins USING btree (account_id);


--
-- Name: message_log_by_station; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX message_log_by_station ON public.message_log USING btree (station_id, at);


--
-- Name: message_log_by_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX message_log_by_time ON public.message_log USING btree (at);


--
-- Name: meter_values_by_station_measurand; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meter_values_by_station_measurand ON public.meter_values USING btree (station_id, measurand, connector_id, ts) INCLUDE (value, context, phase, location, unit);


--
-- Name: meter_values_by_transaction; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meter_values_by_transaction ON public.meter_values USING btree (transaction_id, ts) WHERE (transaction_id IS NOT NULL);


--
-- Name: meter_values_natural_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX meter_values_natural_key ON public.meter_values USING btree (ts, station_id, connector_id, measurand, phase, location, context);


--
-- Name: notifications_by_account; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_by_account ON public.notifications USING btree (account_id, created_at);


--
-- Name: outbox_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_open ON public.outbox USING btree (id) WHERE (closed_at IS NULL);


--
-- Name: password_resets_by_account; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX password_resets_by_account ON public.password_resets USING btree (account_id, created_at);


--
-- Name: sessions_active; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_active ON public.sessions USING btree (station_id) WHERE (stopped_at IS NULL);


--
-- Name: sessions_by_id_tag; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_by_id_tag ON public.sessions USING btree (id_tag, started_at);


--
-- Name: sessions_by_operator; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_by_operator ON public.sessions USING btree (operator_id, started_at);


--
-- Name: sessions_by_start; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_by_start ON public.sessions USING btree (started_at);


--
-- Name: sessions_by_station; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_by_station ON public.sessions USING btree (station_id, started_at);


--
-- Name: sessions_by_stop; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_by_stop ON public.sessions USING btree (stopped_at) WHERE (stopped_at IS NOT NULL);


--
-- Name: sessions_natural_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX sessions_natural_key ON public.sessions USING btree (station_id, connector_id, id_tag, started_at, meter_start_wh);


--
-- Name: station_access_admitted_by_station; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX station_access_admitted_by_station ON public.station_access_admitted USING btree (station_id);


--
-- Name: station_events_by_station; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX station_events_by_station ON public.station_events USING btree (station_id, occurred_at);


--
-- Name: stations_by_operator; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stations_by_operator ON public.stations USING btree (operator_id);


--
-- Name: stations_by_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stations_by_owner ON public.stations USING btree (owner_id);


--
-- Name: status_history_by_connector; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX status_history_by_connector ON public.status_history USING btree (station_id, connector_id);


--
-- Name: status_history_natural_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX status_history_natural_key ON public.status_history USING btree (station_id, connector_id, status, error_code, station_time) WHERE (station_time IS NOT NULL);


--
-- Name: tariffs_by_operator; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tariffs_by_operator ON public.tariffs USING btree (operator_id);


--
-- Name: unknown_stops_by_received; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX unknown_stops_by_received ON public.unknown_stops USING btree (received_at);


--
-- Name: accounts accounts_approved_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_approved_by_fkey FOREIGN KEY (approved_by) REFERENCES public.accounts(id);


--
-- Name: accounts accounts_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: activation_codes activation_codes_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activation_codes
    ADD CONSTRAINT activation_codes_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: activation_codes activation_codes_used_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activation_codes
    ADD CONSTRAINT activation_codes_used_by_fkey FOREIGN KEY (used_by) REFERENCES public.accounts(id);


--
-- Name: activation_requests activation_requests_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activation_requests
    ADD CONSTRAINT activation_requests_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: activation_requests activation_requests_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activation_requests
    ADD CONSTRAINT activation_requests_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.accounts(id);


--
-- Name: api_tokens api_tokens_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: backends backends_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.backends
    ADD CONSTRAINT backends_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: billing_settings billing_settings_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.billing_settings
    ADD CONSTRAINT billing_settings_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: commands commands_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commands
    ADD CONSTRAINT commands_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: connectors connectors_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.connectors
    ADD CONSTRAINT connectors_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: default_results default_results_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.default_results
    ADD CONSTRAINT default_results_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: driver_groups driver_groups_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.driver_groups
    ADD CONSTRAINT driver_groups_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: drivers drivers_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drivers
    ADD CONSTRAINT drivers_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id);


--
-- Name: drivers drivers_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drivers
    ADD CONSTRAINT drivers_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: group_members group_members_driver_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.group_members
    ADD CONSTRAINT group_members_driver_id_fkey FOREIGN KEY (driver_id) REFERENCES public.drivers(id) ON DELETE CASCADE;


--
-- Name: group_members group_members_group_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.group_members
    ADD CONSTRAINT group_members_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.driver_groups(id) ON DELETE CASCADE;


--
-- Name: handover_steps handover_steps_handover_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handover_steps
    ADD CONSTRAINT handover_steps_handover_id_fkey FOREIGN KEY (handover_id) REFERENCES public.handovers(id);


--
-- Name: handovers handovers_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handovers
    ADD CONSTRAINT handovers_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: handovers handovers_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.handovers
    ADD CONSTRAINT handovers_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: id_tokens id_tokens_driver_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.id_tokens
    ADD CONSTRAINT id_tokens_driver_id_fkey FOREIGN KEY (driver_id) REFERENCES public.drivers(id) ON DELETE SET NULL;


--
-- Name: id_tokens id_tokens_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.id_tokens
    ADD CONSTRAINT id_tokens_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: installations installations_claimed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.installations
    ADD CONSTRAINT installations_claimed_by_fkey FOREIGN KEY (claimed_by) REFERENCES public.accounts(id);


--
-- Name: installations installations_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.installations
    ADD CONSTRAINT installations_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: local_list_entries local_list_entries_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_list_entries
    ADD CONSTRAINT local_list_entries_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: local_list_sync local_list_sync_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.local_list_sync
    ADD CONSTRAINT local_list_sync_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: logins logins_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logins
    ADD CONSTRAINT logins_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id);


--
-- Name: meter_quarter_days meter_quarter_days_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meter_quarter_days
    ADD CONSTRAINT meter_quarter_days_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: meter_values meter_values_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meter_values
    ADD CONSTRAINT meter_values_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: notifications notifications_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id);


--
-- Name: operator_defaults operator_defaults_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operator_defaults
    ADD CONSTRAINT operator_defaults_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: operator_settings operator_settings_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.operator_settings
    ADD CONSTRAINT operator_settings_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: outbox outbox_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: password_resets password_resets_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.password_resets
    ADD CONSTRAINT password_resets_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id);


--
-- Name: provisioning_profiles provisioning_profiles_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provisioning_profiles
    ADD CONSTRAINT provisioning_profiles_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: session_costs session_costs_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_costs
    ADD CONSTRAINT session_costs_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: session_costs session_costs_tariff_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_costs
    ADD CONSTRAINT session_costs_tariff_id_fkey FOREIGN KEY (tariff_id) REFERENCES public.tariffs(id);


--
-- Name: session_costs session_costs_transaction_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_costs
    ADD CONSTRAINT session_costs_transaction_id_fkey FOREIGN KEY (transaction_id) REFERENCES public.sessions(id);


--
-- Name: sessions sessions_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: sessions sessions_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: station_access_admitted station_access_admitted_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_access_admitted
    ADD CONSTRAINT station_access_admitted_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: station_access_connectors station_access_connectors_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_access_connectors
    ADD CONSTRAINT station_access_connectors_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: station_access station_access_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_access
    ADD CONSTRAINT station_access_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: station_assignments station_assignments_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_assignments
    ADD CONSTRAINT station_assignments_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: station_assignments station_assignments_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_assignments
    ADD CONSTRAINT station_assignments_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: station_configuration station_configuration_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_configuration
    ADD CONSTRAINT station_configuration_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: station_events station_events_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_events
    ADD CONSTRAINT station_events_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: station_group_times station_group_times_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_group_times
    ADD CONSTRAINT station_group_times_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: station_models station_models_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.station_models
    ADD CONSTRAINT station_models_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: stations stations_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stations
    ADD CONSTRAINT stations_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: stations stations_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stations
    ADD CONSTRAINT stations_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.accounts(id);


--
-- Name: status_history status_history_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.status_history
    ADD CONSTRAINT status_history_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- Name: tariff_assignments tariff_assignments_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tariff_assignments
    ADD CONSTRAINT tariff_assignments_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: tariff_assignments tariff_assignments_tariff_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tariff_assignments
    ADD CONSTRAINT tariff_assignments_tariff_id_fkey FOREIGN KEY (tariff_id) REFERENCES public.tariffs(id);


--
-- Name: tariff_versions tariff_versions_tariff_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tariff_versions
    ADD CONSTRAINT tariff_versions_tariff_id_fkey FOREIGN KEY (tariff_id) REFERENCES public.tariffs(id);


--
-- Name: tariffs tariffs_operator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tariffs
    ADD CONSTRAINT tariffs_operator_id_fkey FOREIGN KEY (operator_id) REFERENCES public.operators(id);


--
-- Name: unknown_stops unknown_stops_station_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.unknown_stops
    ADD CONSTRAINT unknown_stops_station_id_fkey FOREIGN KEY (station_id) REFERENCES public.stations(id);


--
-- PostgreSQL database dump complete
--


