//! Turning database rows into models. Both backends use the same column names, so the decoding lives here
//! once; a backend only says how to read one column of its row type ([`Columns`]). Every value read is
//! checked: a value the domain would refuse is `Corrupt`, never a panic.

use joule_core::account::{Account, AccountId, AccountRole, Email, OwnerKind};
use joule_core::auth::{AuthorizationStatus, IdToken};
use joule_core::meter::MeterSample;
use joule_core::session::Session;
use joule_core::station::{BootInfo, ChargingState, Connector, ConnectorState, ConnectorStatus, Station, StationState};
use joule_core::{IdTag, IdTokenType, OperatorId, OperatorKey, SessionId, StationId, Timestamp, TransactionId};

use joule_core::Role;

use crate::{
    ApiToken, AuditEntry, CommandOutcome, CommandOutcomeKind, CommandRecord, DefaultResult, Direction, LoggedMessage,
    Login, Operator, OutboxItem, OutboxKind, Result, StationEvent, StatusRecord, StoreError, StoredConfigKey,
    StoredSample, UnknownStop,
};

/// Reads one column of a row by name. A backend maps its driver's decode errors to `Corrupt`.
pub trait Columns {
    fn text(&self, col: &str) -> Result<String>;
    fn opt_text(&self, col: &str) -> Result<Option<String>>;
    fn int(&self, col: &str) -> Result<i64>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>>;
    fn opt_real(&self, col: &str) -> Result<Option<f64>>;
    fn flag(&self, col: &str) -> Result<bool>;
    fn time(&self, col: &str) -> Result<Timestamp>;
    fn opt_time(&self, col: &str) -> Result<Option<Timestamp>>;
    fn blob(&self, col: &str) -> Result<&[u8]>;
    fn opt_blob(&self, col: &str) -> Result<Option<&[u8]>>;
}

fn corrupt(col: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::corrupt(format!("column {col}: {err}"))
}

fn station_id(r: &impl Columns, col: &str) -> Result<StationId> {
    StationId::parse(&r.text(col)?).map_err(|e| corrupt(col, e))
}

fn id_tag(r: &impl Columns, col: &str) -> Result<IdTag> {
    IdTag::parse(&r.text(col)?).map_err(|e| corrupt(col, e))
}

fn opt_id_tag(r: &impl Columns, col: &str) -> Result<Option<IdTag>> {
    r.opt_text(col)?.map(|t| IdTag::parse(&t).map_err(|e| corrupt(col, e))).transpose()
}

/// The station's transaction id; a row without one (none is written so) is a 1.6 session, whose transaction
/// id is its session id.
fn transaction_id(r: &impl Columns) -> Result<TransactionId> {
    match r.opt_text("transaction_id")? {
        Some(t) => TransactionId::parse(&t).map_err(|e| corrupt("transaction_id", e)),
        None => Ok(TransactionId::of_session(SessionId(r.int("id")?))),
    }
}

fn connector_id(r: &impl Columns, col: &str) -> Result<u32> {
    let n = r.int(col)?;
    u32::try_from(n).map_err(|_| corrupt(col, format!("connector id {n} out of range")))
}

/// Phase and location are stored as `''` when absent (they are part of a unique key).
fn opt_nonempty(r: &impl Columns, col: &str) -> Result<Option<String>> {
    let s = r.text(col)?;
    Ok((!s.is_empty()).then_some(s))
}

pub fn operator(r: &impl Columns) -> Result<Operator> {
    Ok(Operator {
        id: OperatorId(r.int("id")?),
        name: r.text("name")?,
        key: OperatorKey::parse(&r.text("operator_key")?).map_err(|e| corrupt("operator_key", e))?,
        created_at: r.time("created_at")?,
    })
}

pub fn station(r: &impl Columns) -> Result<Station> {
    let state = r.text("state")?;
    let boot = match (r.opt_text("boot_vendor")?, r.opt_text("boot_model")?) {
        (Some(vendor), Some(model)) => Some(BootInfo {
            vendor,
            model,
            serial_number: r.opt_text("boot_serial_number")?,
            charge_box_serial_number: r.opt_text("boot_charge_box_serial_number")?,
            firmware_version: r.opt_text("boot_firmware_version")?,
            iccid: r.opt_text("boot_iccid")?,
            imsi: r.opt_text("boot_imsi")?,
            meter_type: r.opt_text("boot_meter_type")?,
            meter_serial_number: r.opt_text("boot_meter_serial_number")?,
        }),
        _ => None,
    };
    Ok(Station {
        id: station_id(r, "id")?,
        operator_id: OperatorId(r.int("operator_id")?),
        state: StationState::parse(&state).map_err(|e| corrupt("state", e))?,
        free_vend: r.flag("free_vend")?,
        password_hash: r.opt_text("password_hash")?,
        boot,
        last_boot_at: r.opt_time("last_boot_at")?,
        online: r.flag("online")?,
        connected_at: r.opt_time("connected_at")?,
        disconnected_at: r.opt_time("disconnected_at")?,
        last_heartbeat_at: r.opt_time("last_heartbeat_at")?,
        created_at: r.time("created_at")?,
        // --- station owner and offline detection ---
        owner_id: r.opt_int("owner_id")?.map(AccountId),
        out_of_service_since: r.opt_time("out_of_service_since")?,
    })
}

pub fn connector(r: &impl Columns) -> Result<Connector> {
    Ok(Connector {
        station_id: station_id(r, "station_id")?,
        evse_id: connector_id(r, "evse_id")?,
        connector_id: connector_id(r, "connector_id")?,
        status: connector_status(r)?,
        error_code: r.text("error_code")?,
        info: r.opt_text("info")?,
        vendor_error_code: r.opt_text("vendor_error_code")?,
        status_at: r.time("status_at")?,
    })
}

/// The status as reported (`status`) with the neutral state the adapter found it to mean (`state`,
/// `charging_state`; migration 0022 filled them for the rows stored before).
fn connector_status(r: &impl Columns) -> Result<ConnectorStatus> {
    let reported = r.text("status")?;
    let state = r.text("state")?;
    let state = ConnectorState::parse(&state).ok_or_else(|| corrupt("state", &state))?;
    let charging = match r.opt_text("charging_state")? {
        None => None,
        Some(c) => Some(ChargingState::parse(&c).ok_or_else(|| corrupt("charging_state", &c))?),
    };
    Ok(ConnectorStatus::reported(state, charging, &reported))
}

pub fn status_record(r: &impl Columns) -> Result<StatusRecord> {
    Ok(StatusRecord {
        station_id: station_id(r, "station_id")?,
        connector_id: connector_id(r, "connector_id")?,
        status: connector_status(r)?,
        error_code: r.text("error_code")?,
        info: r.opt_text("info")?,
        vendor_id: r.opt_text("vendor_id")?,
        vendor_error_code: r.opt_text("vendor_error_code")?,
        station_time: r.opt_time("station_time")?,
        received_at: r.time("received_at")?,
    })
}

pub fn id_token(r: &impl Columns) -> Result<IdToken> {
    Ok(IdToken {
        operator_id: OperatorId(r.int("operator_id")?),
        tag: id_tag(r, "tag")?.with_kind(match r.opt_text("token_type")? {
            None => None,
            Some(t) => Some(IdTokenType::parse(&t).map_err(|e| corrupt("token_type", e))?),
        }),
        parent: opt_id_tag(r, "parent")?,
        expires_at: r.opt_time("expires_at")?,
        blocked: r.flag("blocked")?,
    })
}

pub fn session(r: &impl Columns) -> Result<Session> {
    let auth = r.text("auth_status")?;
    Ok(Session {
        id: SessionId(r.int("id")?),
        transaction_id: transaction_id(r)?,
        station_id: station_id(r, "station_id")?,
        operator_id: OperatorId(r.int("operator_id")?),
        connector_id: connector_id(r, "connector_id")?,
        id_tag: id_tag(r, "id_tag")?,
        authorization: AuthorizationStatus::parse(&auth).ok_or_else(|| corrupt("auth_status", &auth))?,
        meter_start_wh: r.int("meter_start_wh")?,
        started_at: r.time("started_at")?,
        meter_stop_wh: r.opt_int("meter_stop_wh")?,
        stopped_at: r.opt_time("stopped_at")?,
        stop_reason: r.opt_text("stop_reason")?,
        stop_id_tag: opt_id_tag(r, "stop_id_tag")?,
        reservation_id: r.opt_int("reservation_id")?,
    })
}

pub fn unknown_stop(r: &impl Columns) -> Result<UnknownStop> {
    Ok(UnknownStop {
        station_id: station_id(r, "station_id")?,
        transaction_id: SessionId(r.int("transaction_id")?),
        id_tag: opt_id_tag(r, "id_tag")?,
        meter_stop_wh: r.int("meter_stop_wh")?,
        stopped_at: r.time("stopped_at")?,
        reason: r.opt_text("reason")?,
        received_at: r.time("received_at")?,
    })
}

pub fn stored_sample(r: &impl Columns) -> Result<StoredSample> {
    Ok(StoredSample {
        station_id: station_id(r, "station_id")?,
        connector_id: connector_id(r, "connector_id")?,
        transaction_id: r.opt_int("transaction_id")?.map(SessionId),
        sample: MeterSample {
            timestamp: r.time("ts")?,
            measurand: r.text("measurand")?,
            phase: opt_nonempty(r, "phase")?,
            location: opt_nonempty(r, "location")?,
            context: r.text("context")?,
            unit: r.opt_text("unit")?,
            value: r.opt_real("value")?,
            raw: r.text("raw")?,
            format: r.opt_text("format")?,
        },
    })
}

pub fn station_event(r: &impl Columns) -> Result<StationEvent> {
    Ok(StationEvent {
        station_id: station_id(r, "station_id")?,
        kind: r.text("kind")?,
        detail: r.text("detail")?,
        at: r.time("occurred_at")?,
    })
}

pub fn outbox_item(r: &impl Columns) -> Result<OutboxItem> {
    let kind = r.text("kind")?;
    Ok(OutboxItem {
        id: r.int("id")?,
        station_id: station_id(r, "station_id")?,
        kind: OutboxKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        created_at: r.time("created_at")?,
    })
}

/// A command with its outcome columns: all NULL while it is pending.
pub fn command_record(r: &impl Columns) -> Result<CommandRecord> {
    let outcome = match r.opt_text("outcome")? {
        None => None,
        Some(kind) => Some(CommandOutcome {
            kind: CommandOutcomeKind::parse(&kind).ok_or_else(|| corrupt("outcome", &kind))?,
            answer_json: r.opt_text("answer")?,
            error: r.opt_text("error")?,
            finished_at: r.opt_time("finished_at")?.ok_or_else(|| corrupt("finished_at", "NULL with an outcome"))?,
            latency_ms: r.opt_int("latency_ms")?,
        }),
    };
    Ok(CommandRecord {
        id: r.int("id")?,
        station_id: station_id(r, "station_id")?,
        action: r.text("action")?,
        payload_json: r.text("payload")?,
        requested_by: r.text("requested_by")?,
        requested_at: r.time("requested_at")?,
        outcome,
        transaction_id: r.opt_int("transaction_id")?.map(SessionId),
    })
}

pub fn logged_message(r: &impl Columns) -> Result<LoggedMessage> {
    let direction = r.text("direction")?;
    let message_type = r.int("message_type")?;
    Ok(LoggedMessage {
        station_id: station_id(r, "station_id")?,
        at: r.time("at")?,
        direction: Direction::parse(&direction).ok_or_else(|| corrupt("direction", &direction))?,
        message_type: u8::try_from(message_type).map_err(|_| corrupt("message_type", message_type))?,
        message_id: r.text("message_id")?,
        action: r.opt_text("action")?,
        text: r.text("text")?,
    })
}

pub fn stored_config_key(r: &impl Columns) -> Result<StoredConfigKey> {
    Ok(StoredConfigKey {
        key: r.text("key")?,
        value: r.opt_text("value")?,
        readonly: r.flag("readonly")?,
        read_at: r.opt_time("read_at")?,
        changed_at: r.opt_time("changed_at")?,
    })
}

pub fn default_result(r: &impl Columns) -> Result<DefaultResult> {
    Ok(DefaultResult { key: r.text("key")?, value: r.text("value")?, result: r.text("result")?, at: r.time("at")? })
}

pub fn api_token(r: &impl Columns) -> Result<ApiToken> {
    let role = r.text("role")?;
    Ok(ApiToken {
        id: r.int("id")?,
        operator_id: OperatorId(r.int("operator_id")?),
        role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
        name: r.text("name")?,
        created_at: r.time("created_at")?,
        last_used_at: r.opt_time("last_used_at")?,
        revoked_at: r.opt_time("revoked_at")?,
    })
}

/// An account from the columns of the `accounts` table (the password hash is not part of it).
pub fn account(r: &impl Columns) -> Result<Account> {
    let role = r.text("role")?;
    Ok(Account {
        id: AccountId(r.int("id")?),
        email: Email::parse(&r.text("email")?).map_err(|e| corrupt("email", e))?,
        name: r.text("name")?,
        role: AccountRole::parse(&role).map_err(|e| corrupt("role", e))?,
        operator_id: r.opt_int("operator_id")?.map(OperatorId),
        owner_kind: r
            .opt_text("owner_kind")?
            .map(|k| OwnerKind::parse(&k).map_err(|e| corrupt("owner_kind", e)))
            .transpose()?,
        company_number: r.opt_text("company_number")?,
        approved_at: r.opt_time("approved_at")?,
        approved_by: r.opt_int("approved_by")?.map(AccountId),
        created_at: r.time("created_at")?,
        disabled_at: r.opt_time("disabled_at")?,
    })
}

/// A login from the columns of its account (`accounts.*`) and its own, prefixed `login_` (`login_id`,
/// `login_created_at`, `login_expires_at`, `login_revoked_at`, `login_last_used_at`).
pub fn login(r: &impl Columns) -> Result<Login> {
    Ok(Login {
        id: r.int("login_id")?,
        account: account(r)?,
        created_at: r.time("login_created_at")?,
        expires_at: r.time("login_expires_at")?,
        revoked_at: r.opt_time("login_revoked_at")?,
        last_used_at: r.opt_time("login_last_used_at")?,
    })
}

pub fn audit_entry(r: &impl Columns) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.int("id")?,
        at: r.time("at")?,
        actor: r.text("actor")?,
        operator_id: r.opt_int("operator_id")?.map(OperatorId),
        action: r.text("action")?,
        subject: r.text("subject")?,
        before: r.opt_text("before_json")?,
        after: r.opt_text("after_json")?,
    })
}

/// An activation code from the columns of `activation_codes` (the hash is not part of it).
pub fn activation_code(r: &impl Columns) -> Result<crate::ActivationCodeRecord> {
    Ok(crate::ActivationCodeRecord {
        id: r.int("id")?,
        station_id: station_id(r, "station_id")?,
        mac: r.text("mac")?,
        created_at: r.time("created_at")?,
        created_by: r.text("created_by")?,
        used_at: r.opt_time("used_at")?,
        used_by: r.opt_int("used_by")?.map(AccountId),
    })
}

/// An installation from the columns of `installations` and `photo_size` (the photo's length, not the photo).
pub fn installation(r: &impl Columns) -> Result<crate::Installation> {
    let photo_size = r
        .opt_int("photo_size")?
        .map(|n| u64::try_from(n).map_err(|_| corrupt("photo_size", format!("negative size {n}"))))
        .transpose()?;
    Ok(crate::Installation {
        station_id: station_id(r, "station_id")?,
        claimed_by: r.opt_int("claimed_by")?.map(AccountId),
        claimed_at: r.opt_time("claimed_at")?,
        pinpointing: crate::Pinpointing {
            lat: r.opt_real("lat")?,
            lon: r.opt_real("lon")?,
            accuracy_m: r.opt_real("accuracy_m")?,
            vendor: r.opt_text("vendor")?,
            model: r.opt_text("model")?,
            serial_number: r.opt_text("serial_number")?,
            street: r.opt_text("street")?,
            house_number: r.opt_text("house_number")?,
            postal_code: r.opt_text("postal_code")?,
            city: r.opt_text("city")?,
            region: r.opt_text("region")?,
            country: r.opt_text("country")?,
            time_zone: r.opt_text("time_zone")?,
            parking_spot: r.opt_text("parking_spot")?,
            directions: r.opt_text("directions")?,
        },
        serial_locked_at: r.opt_time("serial_locked_at")?,
        photo_type: r.opt_text("photo_type")?,
        photo_size,
        photo_orientation: r
            .opt_int("photo_orientation")?
            .map(|n| u16::try_from(n).map_err(|_| corrupt("photo_orientation", format!("not an orientation: {n}"))))
            .transpose()?,
        updated_at: r.time("updated_at")?,
    })
}

/// An activation request from the columns of the `activation_requests` table.
pub fn activation_request(r: &impl Columns) -> Result<joule_core::activation::ActivationRequest> {
    use joule_core::activation as act;
    let state = r.text("state")?;
    let (street, house, postal) = (r.text("street")?, r.opt_text("house_number")?, r.opt_text("postal_code")?);
    let (city, country, region) = (r.text("city")?, r.text("country")?, r.opt_text("region")?);
    let address = joule_core::address::Address::new(&joule_core::address::AddressInput {
        street: &street,
        house_number: house.as_deref().unwrap_or(""),
        postal_code: postal.as_deref().unwrap_or(""),
        city: &city,
        country: &country,
        region: region.as_deref().unwrap_or(""),
    })
    .map_err(|e| corrupt("address", e))?;
    let installation = r.text("installation_type")?;
    let network = r.text("network")?;
    let form = act::ActivationForm {
        customer_number: r.text("customer_number")?,
        charge_points: act::decode_charge_points(&r.text("charge_points")?).map_err(|e| corrupt("charge_points", e))?,
        controller_number: r.opt_text("controller_number")?,
        installation_type: act::InstallationType::parse(&installation)
            .ok_or_else(|| corrupt("installation_type", &installation))?,
        features: act::decode_features(&r.text("features")?).map_err(|e| corrupt("features", e))?,
        address,
        network: act::NetworkMethod::parse(&network).ok_or_else(|| corrupt("network", &network))?,
        notes: r.opt_text("notes")?,
    };
    Ok(act::ActivationRequest {
        id: act::ActivationRequestId(r.int("id")?),
        operator_id: OperatorId(r.int("operator_id")?),
        owner_id: AccountId(r.int("owner_id")?),
        form,
        state: act::ActivationState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        reason: r.opt_text("reason")?,
        requested_at: r.time("requested_at")?,
        updated_at: r.opt_time("updated_at")?,
        updated_by: r.opt_text("updated_by")?,
    })
}

pub fn notification(r: &impl Columns) -> Result<crate::Notification> {
    Ok(crate::Notification {
        id: r.int("id")?,
        account_id: AccountId(r.int("account_id")?),
        kind: r.text("kind")?,
        text: r.text("text")?,
        created_at: r.time("created_at")?,
        read_at: r.opt_time("read_at")?,
    })
}

/// A row of `station_models`. A minimum firmware that no longer parses is corrupt, not ignored: the
/// checklist would otherwise pass stations it should not.
pub fn catalog_model(r: &impl Columns) -> Result<crate::CatalogModel> {
    let min_firmware = r
        .opt_text("min_firmware")?
        .map(|f| joule_core::catalog::FirmwareVersion::parse(&f).map_err(|e| corrupt("min_firmware", e.to_string())))
        .transpose()?;
    let model = joule_core::catalog::KnownModel::new(&r.text("vendor")?, &r.text("model")?, min_firmware)
        .map_err(|e| corrupt("model", e.to_string()))?;
    Ok(crate::CatalogModel { model, updated_at: r.time("updated_at")?, updated_by: r.text("updated_by")? })
}

/// A row of `operators LEFT JOIN operator_settings`: the defaults when the operator set nothing. A stored
/// value out of range is `Corrupt` (the tables' CHECKs keep it from happening).
pub fn operator_settings(r: &impl Columns) -> Result<joule_core::operator::OperatorSettings> {
    let days = r.opt_int("service_level_days")?;
    let minutes = r.opt_int("offline_after_minutes")?;
    match (days, minutes) {
        (Some(days), Some(minutes)) => {
            let days = u32::try_from(days).map_err(|_| corrupt("service_level_days", days))?;
            let minutes = u32::try_from(minutes).map_err(|_| corrupt("offline_after_minutes", minutes))?;
            joule_core::operator::OperatorSettings::new(days, minutes).map_err(|e| corrupt(&e.field.clone(), e))
        }
        _ => Ok(joule_core::operator::OperatorSettings::default()),
    }
}

pub fn backend(r: &impl Columns) -> Result<crate::Backend> {
    use joule_core::handover::{BackendName, BackendUrl};
    Ok(crate::Backend {
        id: r.int("id")?,
        operator_id: OperatorId(r.int("operator_id")?),
        name: BackendName::parse(&r.text("name")?).map_err(|e| corrupt("name", e))?,
        ocpp_url: BackendUrl::parse(&r.text("ocpp_url")?).map_err(|e| corrupt("ocpp_url", e))?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

pub fn provisioning_profile(r: &impl Columns) -> Result<crate::ProvisioningProfile> {
    use joule_core::handover::{ProvisioningMethod, ResetKind};
    let method = r.text("method")?;
    let method = match method.as_str() {
        "configuration-key" => {
            let key = r.opt_text("config_key")?.ok_or_else(|| corrupt("config_key", "missing"))?;
            ProvisioningMethod::configuration_key(&key)
        }
        "data-transfer" => {
            let vendor_id = r.opt_text("dt_vendor_id")?.ok_or_else(|| corrupt("dt_vendor_id", "missing"))?;
            ProvisioningMethod::data_transfer(&vendor_id, r.opt_text("dt_message_id")?.as_deref())
        }
        other => return Err(corrupt("method", other)),
    }
    .map_err(|e| corrupt("method", e))?;
    Ok(crate::ProvisioningProfile {
        operator_id: OperatorId(r.int("operator_id")?),
        vendor: r.text("vendor")?,
        method,
        append_station_id: r.flag("append_station_id")?,
        reset: ResetKind::parse(&r.text("reset")?).map_err(|e| corrupt("reset", e))?,
        updated_at: r.time("updated_at")?,
        updated_by: r.text("updated_by")?,
    })
}

/// A handover without its steps (read them with [`handover_step`]).
pub fn handover(r: &impl Columns) -> Result<crate::Handover> {
    use joule_core::handover::{BackendUrl, HandoverState};
    Ok(crate::Handover {
        id: r.int("id")?,
        station_id: station_id(r, "station_id")?,
        operator_id: OperatorId(r.int("operator_id")?),
        target_name: r.text("target_name")?,
        target_url: BackendUrl::parse(&r.text("target_url")?).map_err(|e| corrupt("target_url", e))?,
        backend_id: r.opt_int("backend_id")?,
        state: HandoverState::parse(&r.text("state")?).map_err(|e| corrupt("state", e))?,
        requested_by: r.text("requested_by")?,
        requested_at: r.time("requested_at")?,
        updated_at: r.time("updated_at")?,
        finished_at: r.opt_time("finished_at")?,
        detail: r.opt_text("detail")?,
        steps: Vec::new(),
    })
}

pub fn handover_step(r: &impl Columns) -> Result<crate::HandoverStep> {
    Ok(crate::HandoverStep {
        id: r.int("id")?,
        handover_id: r.int("handover_id")?,
        at: r.time("at")?,
        step: r.text("step")?,
        outcome: r.text("outcome")?,
        detail: r.opt_text("detail")?,
        command_id: r.opt_int("command_id")?,
    })
}

pub fn assignment(r: &impl Columns) -> Result<crate::Assignment> {
    Ok(crate::Assignment {
        station_id: station_id(r, "station_id")?,
        operator_id: OperatorId(r.int("operator_id")?),
        purchased_from: r.text("purchased_from")?,
        backend_id: r.opt_int("backend_id")?,
        backend_name: r.text("backend_name")?,
        assigned_by: r.text("assigned_by")?,
        assigned_at: r.time("assigned_at")?,
    })
}

/// A row of `tariff_versions`; the operator comes from the query that found it.
pub fn tariff_version(r: &impl Columns, operator: OperatorId) -> Result<crate::TariffVersion> {
    Ok(crate::TariffVersion {
        operator_id: operator,
        tariff_id: r.int("tariff_id")?,
        version: r.int("version")?,
        name: r.text("name")?,
        valid_from: r.time("valid_from")?,
        body: crate::tariffs::decode_body(&r.text("body")?)?,
        created_at: r.time("created_at")?,
        created_by: r.text("created_by")?,
    })
}

/// A row of `tariff_assignments`: the empty station, connector 0 and group 0 stand for "not limited".
pub fn tariff_assignment(r: &impl Columns) -> Result<crate::TariffAssignment> {
    let station = r.text("station_id")?;
    let connector = r.int("connector_id")?;
    let group = r.int("group_id")?;
    Ok(crate::TariffAssignment {
        operator_id: OperatorId(r.int("operator_id")?),
        target: joule_core::billing::TariffTarget {
            station: if station.is_empty() { None } else { Some(station_id(r, "station_id")?) },
            connector: if connector == 0 {
                None
            } else {
                Some(u32::try_from(connector).map_err(|e| corrupt("connector_id", e))?)
            },
            group: (group != 0).then_some(group),
        },
        tariff_id: r.int("tariff_id")?,
        updated_at: r.time("updated_at")?,
    })
}

/// A row of `operators LEFT JOIN billing_settings`: the defaults when the operator set nothing.
pub fn billing_settings(r: &impl Columns) -> Result<joule_core::billing::BillingSettings> {
    match r.opt_text("settings")? {
        Some(text) => crate::tariffs::decode_settings(&text),
        None => Ok(joule_core::billing::BillingSettings::default()),
    }
}

/// A row of `session_costs`.
pub fn session_cost(r: &impl Columns) -> Result<crate::SessionCost> {
    use crate::tariffs::decimal;
    let dec = |col: &str| -> Result<joule_core::tariff::Decimal> { decimal(col, &r.text(col)?) };
    let tariff = match (r.opt_int("tariff_id")?, r.opt_int("tariff_version")?) {
        (Some(id), Some(version)) => Some((id, version)),
        _ => None,
    };
    Ok(crate::SessionCost {
        transaction_id: SessionId(r.int("transaction_id")?),
        operator_id: OperatorId(r.int("operator_id")?),
        tariff,
        currency: joule_core::tariff::Currency::parse(&r.text("currency")?).map_err(|e| corrupt("currency", e))?,
        items: crate::tariffs::decode_items(&r.text("items")?)?,
        subtotal: dec("subtotal")?,
        adjustment: dec("adjustment")?,
        net: dec("net")?,
        vat_rate: dec("vat_rate")?,
        vat: dec("vat")?,
        total: dec("total")?,
        energy_wh: r.int("energy_wh")?,
        duration_secs: r.int("duration_secs")?,
        free: r
            .opt_text("free_reason")?
            .map(|t| joule_core::billing::FreeReason::parse(&t).map_err(|e| corrupt("free_reason", e)))
            .transpose()?,
        computed_at: r.time("computed_at")?,
    })
}

/// A driver row; `groups` are the ids of their groups (read apart: a row is one driver).
pub fn driver(r: &impl Columns, groups: Vec<i64>) -> Result<crate::Driver> {
    use joule_core::access::{DriverId, DriverName, GroupId};
    use joule_core::account::{AccountId, Email};
    let email = match r.opt_text("email")? {
        Some(e) => Some(Email::parse(&e).map_err(|err| corrupt("email", err))?),
        None => None,
    };
    Ok(crate::Driver {
        id: DriverId(r.int("id")?),
        operator_id: OperatorId(r.int("operator_id")?),
        name: DriverName::parse(&r.text("name")?).map_err(|e| corrupt("name", e))?,
        email,
        account_id: r.opt_int("account_id")?.map(AccountId),
        groups: groups.into_iter().map(GroupId).collect(),
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

/// A group row with a `members` count column.
pub fn driver_group(r: &impl Columns) -> Result<crate::DriverGroup> {
    use joule_core::access::{Group, GroupId, GroupName};
    Ok(crate::DriverGroup {
        operator_id: OperatorId(r.int("operator_id")?),
        group: Group {
            id: GroupId(r.int("id")?),
            name: GroupName::parse(&r.text("name")?).map_err(|e| corrupt("name", e))?,
        },
        members: r.int("members")?.max(0) as u64,
        created_at: r.time("created_at")?,
    })
}

/// An energy register reading (columns `ts`, `value`, `clock_aligned`).
pub fn energy_reading(r: &impl Columns) -> Result<joule_core::intervals::Reading> {
    Ok(joule_core::intervals::Reading {
        at: r.time("ts")?,
        wh: r.opt_real("value")?.ok_or_else(|| corrupt("value", "an energy reading without a value"))?,
        // An integer rather than a boolean: the two databases type a comparison differently.
        clock_aligned: r.int("clock_aligned")? != 0,
    })
}

/// A power sample (columns `connector_id`, `ts`, `value`); `previous_at` is the caller's to fill in.
pub fn power_sample(r: &impl Columns) -> Result<crate::PowerSample> {
    Ok(crate::PowerSample {
        connector_id: connector_id(r, "connector_id")?,
        at: r.time("ts")?,
        watts: r.opt_real("value")?.ok_or_else(|| corrupt("value", "a power sample without a value"))?,
        previous_at: None,
    })
}

fn access_mode(col: &str, text: &str) -> Result<joule_core::access::AccessMode> {
    use joule_core::access::AccessMode;
    match text {
        "public" => Ok(AccessMode::Public),
        "limited" => Ok(AccessMode::Limited { drivers: Vec::new(), groups: Vec::new() }),
        "private" => Ok(AccessMode::Private),
        other => Err(corrupt(col, format!("unknown access mode {other:?}"))),
    }
}

fn times(col: &str, text: &str) -> Result<joule_core::access::AvailableTimes> {
    joule_core::access::AvailableTimes::parse(text).map_err(|e| corrupt(col, e))
}

/// The station's access rules from its head row (`free_vend`, `mode`, `available_times`; `mode` NULL when
/// the rules were never set) and its part rows (`kind` c = connector override, a = admitted driver or group,
/// g = group times; with `connector`, `mode`, `auth`, `driver_id`, `group_id`, `times`).
pub fn access_rules<C: Columns>(head: &impl Columns, parts: &[C]) -> Result<joule_core::access::AccessRules> {
    use joule_core::access::{AccessMode, AccessRules, ConnectorAccess, ConnectorNo, DriverId, GroupId, GroupTimes};
    let mut rules = AccessRules {
        owner: head.opt_int("owner_driver")?.map(DriverId),
        mode: match head.opt_text("mode")? {
            Some(m) => access_mode("mode", &m)?,
            None => AccessMode::Public,
        },
        authorization_required: !head.flag("free_vend")?,
        available_times: head.opt_text("available_times")?.map(|t| times("available_times", &t)).transpose()?,
        group_times: Vec::new(),
        connectors: Vec::new(),
    };
    let connector = |r: &C| -> Result<u32> {
        let n = r.int("connector")?;
        u32::try_from(n).map_err(|_| corrupt("connector", n))
    };
    for r in parts {
        if r.text("kind")? == "c" {
            let n = connector(r)?;
            rules.connectors.push(ConnectorAccess {
                connector: ConnectorNo::new(n).map_err(|e| corrupt("connector", e))?,
                mode: r.opt_text("mode")?.map(|m| access_mode("mode", &m)).transpose()?,
                authorization_required: r.opt_int("auth")?.map(|a| a != 0),
            });
        }
    }
    for r in parts {
        match r.text("kind")?.as_str() {
            "a" => {
                let n = connector(r)?;
                let mode = if n == 0 {
                    Some(&mut rules.mode)
                } else {
                    rules.connectors.iter_mut().find(|c| c.connector.get() == n).and_then(|c| c.mode.as_mut())
                };
                // A list for a station or connector that is not limited is kept but has no effect.
                if let Some(AccessMode::Limited { drivers, groups }) = mode {
                    match (r.opt_int("driver_id")?, r.opt_int("group_id")?) {
                        (Some(d), None) => drivers.push(DriverId(d)),
                        (None, Some(g)) => groups.push(GroupId(g)),
                        _ => return Err(corrupt("station_access_admitted", "exactly one of driver and group")),
                    }
                }
            }
            "g" => {
                let group = r.opt_int("group_id")?.ok_or_else(|| corrupt("group_id", "missing"))?;
                let text = r.opt_text("times")?.ok_or_else(|| corrupt("times", "missing"))?;
                rules.group_times.push(GroupTimes { group: GroupId(group), times: times("times", &text)? });
            }
            _ => {}
        }
    }
    if let AccessMode::Limited { drivers, groups } = &mut rules.mode {
        drivers.sort();
        groups.sort();
    }
    for c in &mut rules.connectors {
        if let Some(AccessMode::Limited { drivers, groups }) = &mut c.mode {
            drivers.sort();
            groups.sort();
        }
    }
    rules.connectors.sort_by_key(|c| c.connector);
    rules.group_times.sort_by_key(|g| g.group);
    Ok(rules)
}

fn opt_version(r: &impl Columns, col: &str) -> Result<Option<i32>> {
    r.opt_int(col)?
        .map(|v| i32::try_from(v).map_err(|_| corrupt(col, format!("list version {v} out of range"))))
        .transpose()
}

/// A `local_list_sync` row, with the entries read beside it.
pub fn local_list_state(r: &impl Columns, sent: Vec<joule_core::local_list::Entry>) -> Result<crate::LocalListState> {
    let supported = match r.opt_int("supported")? {
        None => None,
        Some(0) => Some(false),
        Some(1) => Some(true),
        Some(n) => return Err(corrupt("supported", format!("{n} is neither 0 nor 1"))),
    };
    let sent_version = opt_version(r, "sent_version")?;
    Ok(crate::LocalListState {
        station_id: StationId::parse(&r.text("station_id")?).map_err(|e| corrupt("station_id", e))?,
        supported,
        station_version: opt_version(r, "station_version")?,
        sent_version,
        sent: if sent_version.is_some() { sent } else { Vec::new() },
        last_result: r.opt_text("last_result")?,
        last_detail: r.opt_text("last_detail")?,
        last_at: r.opt_time("last_at")?,
    })
}

/// A `local_list_entries` row.
pub fn local_list_entry(r: &impl Columns) -> Result<joule_core::local_list::Entry> {
    Ok(joule_core::local_list::Entry {
        tag: id_tag(r, "tag")?,
        expires_at: r.opt_time("expires_at")?,
        parent: opt_id_tag(r, "parent")?,
    })
}
