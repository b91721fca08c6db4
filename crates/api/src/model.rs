//! The API's JSON shapes. Field names are snake_case; OCPP payloads inside commands keep OCPP's own
//! camelCase, since they go to the station as they are. Times are RFC 3339 UTC.

use chrono::{DateTime, Utc};
use joule_app::accounts::{ApiToken, AuditEntry};
use joule_app::operations::{CommandRecord, DefaultResult, LoggedMessage, Operator, StationEvent, StoredConfigKey};
use joule_core::Role;
use joule_core::auth::IdToken;
use joule_core::meter::MeterSample;
use joule_core::session::Session;
use joule_core::station::{BootInfo, Connector, Station};
// A session's meter samples are the sessions use cases' to re-export; until they do, named from the store.
use joule_store::StoredSample;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct OperatorView {
    pub id: i64,
    pub name: String,
    /// The key in the operator's OCPP URL.
    pub key: String,
    /// The URL its stations connect to, followed by `/{station-id}`.
    pub ocpp_url: String,
    pub created_at: DateTime<Utc>,
}

impl OperatorView {
    pub fn new(o: Operator, settings: &joule_app::Settings) -> OperatorView {
        let ocpp_url = settings.ocpp_url(o.key.as_str());
        OperatorView { id: o.id.0, name: o.name, key: o.key.to_string(), ocpp_url, created_at: o.created_at }
    }
}

/// One key of the operator's default configuration.
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone, PartialEq)]
pub struct DefaultKey {
    /// An OCPP 1.6 configuration key, e.g. `MeterValueSampleInterval`.
    pub key: String,
    pub value: String,
}

/// What applying a default key to a station gave.
#[derive(Debug, Serialize, ToSchema)]
pub struct DefaultResultView {
    pub key: String,
    pub value: String,
    /// `Accepted`, `Rejected`, `RebootRequired`, `NotSupported` (the station's answer), or how the command
    /// ended without one: `offline`, `timeout`, `call-error`, `queue-full`, `disconnected`.
    pub result: String,
    pub at: DateTime<Utc>,
}

impl From<DefaultResult> for DefaultResultView {
    fn from(r: DefaultResult) -> Self {
        DefaultResultView { key: r.key, value: r.value, result: r.result, at: r.at }
    }
}

/// A station in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct StationSummary {
    pub id: String,
    pub operator_id: i64,
    /// pending, requested, active, verified, suspended, rejected or handed-over.
    pub state: String,
    /// Whether the station has a connection to Joule now.
    pub online: bool,
    pub free_vend: bool,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub firmware_version: Option<String>,
    pub last_heartbeat_at: Option<DateTime<Utc>>,
    pub connected_at: Option<DateTime<Utc>>,
    pub disconnected_at: Option<DateTime<Utc>>,
    // --- station owner and offline detection ---
    /// The owner account whose activation request was approved.
    pub owner_id: Option<i64>,
    /// Set while offline detection counts the station out of service (no traffic for longer than the
    /// operator's `offline_after_minutes`): since when.
    pub out_of_service_since: Option<DateTime<Utc>>,
}

impl From<&Station> for StationSummary {
    fn from(s: &Station) -> Self {
        StationSummary {
            id: s.id.to_string(),
            operator_id: s.operator_id.0,
            state: s.state.as_str().to_string(),
            online: s.online,
            free_vend: s.free_vend,
            vendor: s.boot.as_ref().map(|b| b.vendor.clone()),
            model: s.boot.as_ref().map(|b| b.model.clone()),
            firmware_version: s.boot.as_ref().and_then(|b| b.firmware_version.clone()),
            last_heartbeat_at: s.last_heartbeat_at,
            connected_at: s.connected_at,
            disconnected_at: s.disconnected_at,
            // --- station owner and offline detection ---
            owner_id: s.owner_id.map(|o| o.0),
            out_of_service_since: s.out_of_service_since,
        }
    }
}

/// What the station said in its last BootNotification (OCPP 1.6 §6.3).
#[derive(Debug, Serialize, ToSchema)]
pub struct BootView {
    pub vendor: String,
    pub model: String,
    pub serial_number: Option<String>,
    pub charge_box_serial_number: Option<String>,
    pub firmware_version: Option<String>,
    pub iccid: Option<String>,
    pub imsi: Option<String>,
    pub meter_type: Option<String>,
    pub meter_serial_number: Option<String>,
    pub booted_at: Option<DateTime<Utc>>,
}

impl BootView {
    fn new(b: &BootInfo, at: Option<DateTime<Utc>>) -> BootView {
        BootView {
            vendor: b.vendor.clone(),
            model: b.model.clone(),
            serial_number: b.serial_number.clone(),
            charge_box_serial_number: b.charge_box_serial_number.clone(),
            firmware_version: b.firmware_version.clone(),
            iccid: b.iccid.clone(),
            imsi: b.imsi.clone(),
            meter_type: b.meter_type.clone(),
            meter_serial_number: b.meter_serial_number.clone(),
            booted_at: at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectorView {
    /// 0 is the station as a whole.
    pub connector_id: u32,
    /// The EVSE the connector belongs to (OCPP 2.0.1 device model); 0 is the station as a whole. A 1.6
    /// station's connector N is EVSE N.
    pub evse_id: u32,
    /// The status as the station reported it (OCPP 1.6 ChargePointStatus: Available, Preparing, Charging, ...).
    pub status: String,
    /// The status in words every OCPP version shares (2.0.1 ConnectorStatusEnumType): Available, Occupied,
    /// Reserved, Unavailable or Faulted.
    pub state: String,
    /// Whether energy flows to a vehicle, when the station says (2.0.1 ChargingStateEnumType): Charging,
    /// EVConnected, SuspendedEV, SuspendedEVSE or Idle.
    pub charging_state: Option<String>,
    pub error_code: String,
    pub info: Option<String>,
    pub vendor_error_code: Option<String>,
    pub status_at: DateTime<Utc>,
}

impl From<Connector> for ConnectorView {
    fn from(c: Connector) -> Self {
        ConnectorView {
            connector_id: c.connector_id,
            evse_id: c.evse_id,
            status: c.status.as_str().to_string(),
            state: c.status.state.as_str().to_string(),
            charging_state: c.status.charging.map(|s| s.as_str().to_string()),
            error_code: c.error_code,
            info: c.info,
            vendor_error_code: c.vendor_error_code,
            status_at: c.status_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConfigKeyView {
    pub key: String,
    pub value: Option<String>,
    pub readonly: bool,
    /// When GetConfiguration last reported it; null for a key Joule only ever set.
    pub read_at: Option<DateTime<Utc>>,
    /// When a ChangeConfiguration of it was last accepted.
    pub changed_at: Option<DateTime<Utc>>,
}

impl From<StoredConfigKey> for ConfigKeyView {
    fn from(k: StoredConfigKey) -> Self {
        ConfigKeyView { key: k.key, value: k.value, readonly: k.readonly, read_at: k.read_at, changed_at: k.changed_at }
    }
}

/// A station with everything Joule knows about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StationDetail {
    pub id: String,
    pub operator_id: i64,
    pub state: String,
    pub online: bool,
    pub free_vend: bool,
    /// Whether the station must authenticate with a password (OCPP security profile 1).
    pub has_password: bool,
    pub boot: Option<BootView>,
    pub last_heartbeat_at: Option<DateTime<Utc>>,
    pub connected_at: Option<DateTime<Utc>>,
    pub disconnected_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Commands waiting for the station's outstanding call to end (null when not connected here).
    pub queued_commands: Option<usize>,
    pub connectors: Vec<ConnectorView>,
    /// As last read with GetConfiguration (refresh with `POST .../configuration/refresh`).
    pub configuration: Vec<ConfigKeyView>,
    /// What applying the operator's default configuration gave.
    pub defaults: Vec<DefaultResultView>,
    // --- station owner and offline detection ---
    /// The owner account whose activation request was approved.
    pub owner_id: Option<i64>,
    /// Set while offline detection counts the station out of service: since when.
    pub out_of_service_since: Option<DateTime<Utc>>,
}

impl StationDetail {
    pub fn new(s: Station, queued: Option<usize>) -> StationDetail {
        StationDetail {
            id: s.id.to_string(),
            operator_id: s.operator_id.0,
            state: s.state.as_str().to_string(),
            online: s.online,
            free_vend: s.free_vend,
            has_password: s.password_hash.is_some(),
            boot: s.boot.as_ref().map(|b| BootView::new(b, s.last_boot_at)),
            last_heartbeat_at: s.last_heartbeat_at,
            connected_at: s.connected_at,
            disconnected_at: s.disconnected_at,
            created_at: s.created_at,
            queued_commands: queued,
            connectors: Vec::new(),
            configuration: Vec::new(),
            defaults: Vec::new(),
            // --- station owner and offline detection ---
            owner_id: s.owner_id.map(|o| o.0),
            out_of_service_since: s.out_of_service_since,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StationEventView {
    /// e.g. DataTransfer, FirmwareStatusNotification, SecurityEventNotification, or a refused connection.
    pub kind: String,
    pub detail: String,
    pub at: DateTime<Utc>,
}

impl From<StationEvent> for StationEventView {
    fn from(e: StationEvent) -> Self {
        StationEventView { kind: e.kind, detail: e.detail, at: e.at }
    }
}

/// A command to send: any CSMS-initiated OCPP 1.6 action with its payload.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandRequest {
    /// The OCPP action, e.g. `Reset`, `ChangeConfiguration`, `TriggerMessage`, `RemoteStartTransaction`.
    pub action: String,
    /// The CALL payload, as OCPP 1.6 defines it (camelCase), e.g. `{"type": "Soft"}` for Reset.
    #[serde(default = "empty_object")]
    #[schema(value_type = Object)]
    pub payload: Value,
    /// For RemoteStartTransaction: how long to wait for the station to start the session, so the answer
    /// carries its transaction id (0 to 120 s; default 30).
    pub wait_for_start_secs: Option<u64>,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

/// A command that the station answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandAnswer {
    /// Its id in the station's command history.
    pub command_id: Option<i64>,
    pub station_id: String,
    pub action: String,
    /// The station's CALLRESULT payload, e.g. `{"status": "Accepted"}`.
    #[schema(value_type = Object)]
    pub answer: Value,
    /// From the request to the station's answer, in milliseconds.
    pub latency_ms: u64,
    /// For an accepted RemoteStartTransaction: the transaction the station started, if it did so while the
    /// request waited (otherwise it appears in the command history once it does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<i64>,
}

/// One entry of a station's command history.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandView {
    pub id: i64,
    pub station_id: String,
    pub action: String,
    #[schema(value_type = Object)]
    pub payload: Value,
    /// `token:<name>` for API calls, `system` for Joule's own (defaults, activation).
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    /// pending, answered, call-error, timeout, offline, queue-full or disconnected.
    pub outcome: String,
    #[schema(value_type = Option<Object>)]
    pub answer: Option<Value>,
    pub error: Option<String>,
    pub finished_at: Option<DateTime<Utc>>,
    pub latency_ms: Option<i64>,
    /// For a RemoteStartTransaction: the transaction the station started.
    pub transaction_id: Option<i64>,
}

impl From<CommandRecord> for CommandView {
    fn from(c: CommandRecord) -> Self {
        let parse = |s: &str| serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()));
        let outcome = c.outcome.as_ref();
        CommandView {
            id: c.id,
            station_id: c.station_id.to_string(),
            action: c.action,
            payload: parse(&c.payload_json),
            requested_by: c.requested_by,
            requested_at: c.requested_at,
            outcome: outcome.map(|o| o.kind.as_str()).unwrap_or("pending").to_string(),
            answer: outcome.and_then(|o| o.answer_json.as_deref()).map(parse),
            error: outcome.and_then(|o| o.error.clone()),
            finished_at: outcome.map(|o| o.finished_at),
            latency_ms: outcome.and_then(|o| o.latency_ms),
            transaction_id: c.transaction_id.map(|t| t.0),
        }
    }
}

/// One OCPP-J frame from the message log.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub at: DateTime<Utc>,
    /// `in` (station to Joule) or `out`.
    pub direction: String,
    /// 2 CALL, 3 CALLRESULT, 4 CALLERROR (0: text that was not a frame).
    pub message_type: u8,
    pub message_id: String,
    pub action: Option<String>,
    /// The frame exactly as it was on the wire.
    pub frame: String,
}

impl From<LoggedMessage> for MessageView {
    fn from(m: LoggedMessage) -> Self {
        MessageView {
            at: m.at,
            direction: m.direction.as_str().to_string(),
            message_type: m.message_type,
            message_id: m.message_id,
            action: m.action,
            frame: m.text,
        }
    }
}

/// An id token (RFID card or other idTag) that may charge at the operator's stations.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdTokenView {
    /// The token as stations report it: at most 36 characters (OCPP 2.0.1 IdTokenType); OCPP 1.6 stations
    /// present at most 20.
    pub tag: String,
    /// How the token is read or issued (OCPP 2.0.1 IdTokenEnumType): Central, eMAID, ISO14443, ISO15693,
    /// KeyCode, Local, MacAddress or NoAuthorization; null if not stated.
    #[serde(rename = "type")]
    pub token_type: Option<String>,
    /// Group (OCPP 1.6 parentIdTag): tokens with the same parent may stop each other's sessions.
    pub parent: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub blocked: bool,
}

impl From<IdToken> for IdTokenView {
    fn from(t: IdToken) -> Self {
        IdTokenView {
            tag: t.tag.to_string(),
            token_type: t.tag.kind().map(|k| k.as_str().to_string()),
            parent: t.parent.map(|p| p.to_string()),
            expires_at: t.expires_at,
            blocked: t.blocked,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIdToken {
    pub tag: String,
    /// OCPP 2.0.1 IdTokenEnumType (see the token's `type`); optional.
    #[serde(rename = "type")]
    pub token_type: Option<String>,
    pub parent: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub blocked: bool,
}

/// The new state of an id token: every field is replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdTokenUpdate {
    /// OCPP 2.0.1 IdTokenEnumType (see the token's `type`); absent or null: not stated.
    #[serde(rename = "type")]
    pub token_type: Option<String>,
    pub parent: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub blocked: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// The OCPP transaction id.
    pub transaction_id: i64,
    /// The station's own id of the transaction (OCPP 2.0.1 transactionId, at most 36 characters); for an
    /// OCPP 1.6 station, `transaction_id` as text.
    pub station_transaction_id: String,
    pub station_id: String,
    pub connector_id: u32,
    pub id_tag: String,
    /// How the id tag was authorized when the session started (Accepted, Invalid, ...).
    pub authorization: String,
    /// active or completed.
    pub state: String,
    pub meter_start_wh: i64,
    pub meter_stop_wh: Option<i64>,
    /// Meter stop minus meter start; null while active, or if the meter went backwards.
    pub energy_wh: Option<i64>,
    pub started_at: DateTime<Utc>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub stop_reason: Option<String>,
    pub reservation_id: Option<i64>,
}

impl From<Session> for SessionView {
    fn from(s: Session) -> Self {
        SessionView {
            transaction_id: s.id.0,
            station_transaction_id: s.transaction_id.to_string(),
            station_id: s.station_id.to_string(),
            connector_id: s.connector_id,
            id_tag: s.id_tag.to_string(),
            authorization: s.authorization.as_str().to_string(),
            state: if s.stopped_at.is_some() { "completed" } else { "active" }.to_string(),
            energy_wh: s.energy_wh(),
            meter_start_wh: s.meter_start_wh,
            meter_stop_wh: s.meter_stop_wh,
            started_at: s.started_at,
            stopped_at: s.stopped_at,
            stop_reason: s.stop_reason,
            reservation_id: s.reservation_id,
        }
    }
}

/// A session with its meter values.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDetail {
    #[serde(flatten)]
    pub session: SessionView,
    pub meter_values: Vec<SampleView>,
}

/// One sampled value (OCPP 1.6 SampledValue), normalised: energy in Wh, power in W.
#[derive(Debug, Serialize, ToSchema)]
pub struct SampleView {
    pub timestamp: DateTime<Utc>,
    pub connector_id: u32,
    pub measurand: String,
    pub phase: Option<String>,
    pub location: Option<String>,
    pub context: String,
    pub unit: Option<String>,
    /// Null when the value is not a number (e.g. signed data).
    pub value: Option<f64>,
    /// The value exactly as the station sent it.
    pub raw: String,
}

impl SampleView {
    pub fn new(connector_id: u32, s: MeterSample) -> SampleView {
        SampleView {
            timestamp: s.timestamp,
            connector_id,
            measurand: s.measurand,
            phase: s.phase,
            location: s.location,
            context: s.context,
            unit: s.unit,
            value: s.value,
            raw: s.raw,
        }
    }
}

impl From<StoredSample> for SampleView {
    fn from(s: StoredSample) -> Self {
        SampleView::new(s.connector_id, s.sample)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenView {
    pub id: i64,
    pub name: String,
    pub operator_id: i64,
    /// admin, operator or viewer.
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiToken> for ApiTokenView {
    fn from(t: ApiToken) -> Self {
        ApiTokenView {
            id: t.id,
            name: t.name,
            operator_id: t.operator_id.0,
            role: t.role.as_str().to_string(),
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiTokenRequest {
    /// Unique within the operator; shown in the command history as `token:<name>`.
    pub name: String,
    /// admin, operator or viewer; at most the role of the token that creates it.
    pub role: String,
}

/// A token just created: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiToken {
    #[serde(flatten)]
    pub token: ApiTokenView,
    /// Send as `Authorization: Bearer <secret>`. Not stored: keep it now.
    pub secret: String,
}

pub fn role_name(r: Role) -> String {
    r.as_str().to_string()
}

/// A person's account (never its password).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// platform-admin, operator-staff, owner, installer or driver.
    pub role: String,
    pub operator_id: Option<i64>,
    /// Owners: individual or company.
    pub owner_kind: Option<String>,
    pub company_number: Option<String>,
    /// Owners: confirmed by the operator (may ask for activations). Installers: certified (may claim,
    /// pinpoint and verify stations).
    pub approved: bool,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub disabled: bool,
}

impl From<joule_core::account::Account> for AccountView {
    fn from(a: joule_core::account::Account) -> Self {
        AccountView {
            id: a.id.0,
            email: a.email.to_string(),
            name: a.name,
            role: a.role.as_str().to_string(),
            operator_id: a.operator_id.map(|o| o.0),
            owner_kind: a.owner_kind.map(|k| k.as_str().to_string()),
            company_number: a.company_number,
            approved: a.approved_at.is_some(),
            approved_at: a.approved_at,
            created_at: a.created_at,
            disabled: a.disabled_at.is_some(),
        }
    }
}

/// One entry of the audit log: who did what, when, to what, with the state before and after.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `account:<e-mail>`, `token:<name>`, `cli` or `system`.
    pub actor: String,
    pub action: String,
    /// What it was done to, e.g. `account:12` or `station:CP-1`.
    pub subject: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        let parse = |s: &str| serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()));
        AuditView {
            id: e.id,
            at: e.at,
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            before: e.before.as_deref().map(parse),
            after: e.after.as_deref().map(parse),
        }
    }
}

/// A postal address, in requests and answers alike. Validated by `joule_core::address` (the country's
/// postal-code format, required parts); a 400 names the part at fault as `address.<part>`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AddressBody {
    pub street: String,
    pub house_number: Option<String>,
    pub postal_code: Option<String>,
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. NL.
    pub country: String,
    /// State, province or county, where the country's addresses need one.
    pub region: Option<String>,
}

impl AddressBody {
    /// The fields as the domain's validator takes them.
    pub fn input(&self) -> joule_core::address::AddressInput<'_> {
        joule_core::address::AddressInput {
            street: &self.street,
            house_number: self.house_number.as_deref().unwrap_or(""),
            postal_code: self.postal_code.as_deref().unwrap_or(""),
            city: &self.city,
            country: &self.country,
            region: self.region.as_deref().unwrap_or(""),
        }
    }
}

impl From<&joule_core::address::Address> for AddressBody {
    fn from(a: &joule_core::address::Address) -> Self {
        AddressBody {
            street: a.street().to_string(),
            house_number: a.house_number().map(str::to_string),
            postal_code: a.postal_code().map(str::to_string),
            city: a.city().to_string(),
            country: a.country().as_str().to_string(),
            region: a.region().map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use joule_core::OperatorId;
    use joule_core::account::{Account, AccountId, AccountRole, Email, OwnerKind};

    use super::AccountView;

    /// The accounts use cases write an account into the audit log as the API shows it: the log reads the
    /// same whichever of them wrote it.
    #[test]
    fn the_audit_logs_account_is_the_apis() {
        let now = chrono::Utc::now();
        let account = Account {
            id: AccountId(3),
            email: Email::parse("owner@example.com").unwrap(),
            name: "Owner Ltd".into(),
            role: AccountRole::Owner,
            operator_id: Some(OperatorId(2)),
            owner_kind: Some(OwnerKind::Company),
            company_number: Some("123".into()),
            approved_at: Some(now),
            approved_by: None,
            created_at: now,
            disabled_at: None,
        };
        let api = serde_json::to_value(AccountView::from(account.clone())).unwrap();
        assert_eq!(joule_app::accounts::snapshot(&account), api);
    }
}
