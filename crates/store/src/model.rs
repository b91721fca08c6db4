//! Rows the store reads and writes that are not domain types of their own.

use joule_core::account::{Account, AccountId, AccountRole, Email, OwnerKind};
use joule_core::meter::MeterSample;
use joule_core::session::Session;
use joule_core::station::{ConnectorStatus, StationState};
use joule_core::{IdTag, OperatorId, OperatorKey, Role, SessionId, StationId, Timestamp};

#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    pub id: OperatorId,
    pub name: String,
    pub key: OperatorKey,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewStation {
    pub id: StationId,
    pub operator_id: OperatorId,
    pub state: StationState,
    pub free_vend: bool,
    pub password_hash: Option<String>,
    pub created_at: Timestamp,
}

/// Which stations to list; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StationFilter {
    pub operator_id: Option<OperatorId>,
    pub state: Option<StationState>,
    pub online: Option<bool>,
    /// Stations with an id after this one (the list is by id, so the last id of a page gives the next page).
    pub after: Option<StationId>,
    pub limit: Option<u32>,
    // --- station owner and offline detection ---
    /// Only this owner's stations.
    pub owner_id: Option<AccountId>,
    /// Only stations offline detection counts out of service (true) or not (false).
    pub out_of_service: Option<bool>,
}

/// One entry of a connector's status history.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRecord {
    pub station_id: StationId,
    pub connector_id: u32,
    pub status: ConnectorStatus,
    pub error_code: String,
    pub info: Option<String>,
    pub vendor_id: Option<String>,
    pub vendor_error_code: Option<String>,
    /// The station's timestamp, if it sent one.
    pub station_time: Option<Timestamp>,
    pub received_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StartOutcome {
    pub session: Session,
    /// `false` when this start had been received before.
    pub created: bool,
}

/// Which sessions to list; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionFilter {
    pub operator_id: Option<OperatorId>,
    pub station_id: Option<StationId>,
    /// Sessions started at or after this instant.
    pub since: Option<Timestamp>,
    /// Sessions started before this instant, so that `since..until` windows tile without overlap.
    pub until: Option<Timestamp>,
    /// Sessions started with this tag (compared exactly).
    pub id_tag: Option<IdTag>,
    pub connector_id: Option<u32>,
    pub active_only: bool,
    pub limit: Option<u32>,
}

/// A StopTransaction for a transaction Joule does not know, acknowledged and kept for review.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownStop {
    pub station_id: StationId,
    pub transaction_id: SessionId,
    pub id_tag: Option<IdTag>,
    pub meter_stop_wh: i64,
    pub stopped_at: Timestamp,
    pub reason: Option<String>,
    pub received_at: Timestamp,
}

/// Samples of one connector (OCPP 1.6 MeterValues.req; connector 0 is the station's main meter).
#[derive(Debug, Clone, PartialEq)]
pub struct MeterBatch {
    pub station_id: StationId,
    pub connector_id: u32,
    pub transaction_id: Option<SessionId>,
    pub samples: Vec<MeterSample>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeterFilter {
    pub station_id: Option<StationId>,
    pub transaction_id: Option<SessionId>,
    /// Samples taken at or after this instant.
    pub since: Option<Timestamp>,
    /// Samples taken before this instant, so that `since..until` windows tile without overlap.
    pub until: Option<Timestamp>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredSample {
    pub station_id: StationId,
    pub connector_id: u32,
    /// The session the station named. A transaction id Joule does not know is kept as given.
    pub transaction_id: Option<SessionId>,
    pub sample: MeterSample,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StationEvent {
    pub station_id: StationId,
    /// e.g. `DataTransfer`, `DiagnosticsStatusNotification`, `FirmwareStatusNotification`,
    /// `SecurityEventNotification`.
    pub kind: String,
    /// A short human-readable summary (status, vendor id and message id, event type...).
    pub detail: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    /// Ask the station to send BootNotification now (after activation), OCPP 1.6 TriggerMessage.
    TriggerBoot,
}

impl OutboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::TriggerBoot => "trigger-boot",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxKind> {
        match s {
            "trigger-boot" => Some(OutboxKind::TriggerBoot),
            _ => None,
        }
    }
}

/// An open request in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub station_id: StationId,
    pub kind: OutboxKind,
    pub created_at: Timestamp,
}

/// A CSMS-initiated call about to be sent to a station, recorded before it is sent so that the history
/// shows it even if Joule stops before the answer comes. JSON travels as text: the store knows no JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCommand {
    pub station_id: StationId,
    /// The OCPP action, e.g. `Reset`, `ChangeConfiguration`.
    pub action: String,
    /// The CALL's payload, as JSON text.
    pub payload_json: String,
    /// Who asked: an API token's name, a CLI user, or Joule itself (`system`, e.g. applying defaults).
    pub requested_by: String,
    pub requested_at: Timestamp,
}

/// How a command ended: exactly one of these ("the station's answer, its CALLERROR, timeout,
/// station offline, queue full"; `Disconnected` is a station that dropped the connection mid-call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandOutcomeKind {
    /// A CALLRESULT (OCPP-J §4.2.2); its payload is in `answer_json`.
    Answered,
    /// A CALLERROR (OCPP-J §4.2.3); code and description are in `error`.
    CallError,
    /// No answer within the call timeout.
    Timeout,
    /// The station was not connected when the command was asked for.
    Offline,
    /// The station's command queue was full.
    QueueFull,
    /// The connection closed while the call was outstanding.
    Disconnected,
}

impl CommandOutcomeKind {
    pub const ALL: [CommandOutcomeKind; 6] = [
        CommandOutcomeKind::Answered,
        CommandOutcomeKind::CallError,
        CommandOutcomeKind::Timeout,
        CommandOutcomeKind::Offline,
        CommandOutcomeKind::QueueFull,
        CommandOutcomeKind::Disconnected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommandOutcomeKind::Answered => "answered",
            CommandOutcomeKind::CallError => "call-error",
            CommandOutcomeKind::Timeout => "timeout",
            CommandOutcomeKind::Offline => "offline",
            CommandOutcomeKind::QueueFull => "queue-full",
            CommandOutcomeKind::Disconnected => "disconnected",
        }
    }

    pub fn parse(s: &str) -> Option<CommandOutcomeKind> {
        CommandOutcomeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommandOutcome {
    pub kind: CommandOutcomeKind,
    /// The CALLRESULT payload, as JSON text, when answered.
    pub answer_json: Option<String>,
    /// The CALLERROR code and description, or why the call was not made or not answered.
    pub error: Option<String>,
    pub finished_at: Timestamp,
    /// From sending the CALL to its answer; `None` when nothing was sent (offline, queue full).
    pub latency_ms: Option<i64>,
}

/// One entry of a station's command history.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandRecord {
    pub id: i64,
    pub station_id: StationId,
    pub action: String,
    pub payload_json: String,
    pub requested_by: String,
    pub requested_at: Timestamp,
    /// `None` while the command is pending.
    pub outcome: Option<CommandOutcome>,
    /// The transaction the command led to (a RemoteStartTransaction's), once it is known.
    pub transaction_id: Option<SessionId>,
}

/// Which way a frame went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the station to Joule.
    In,
    /// From Joule to the station.
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            _ => None,
        }
    }
}

/// One OCPP-J frame as it was on the wire ("every frame in and out, per station").
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedMessage {
    pub station_id: StationId,
    pub at: Timestamp,
    pub direction: Direction,
    /// The OCPP-J MessageTypeId (§4.1.3): 2 CALL, 3 CALLRESULT, 4 CALLERROR.
    pub message_type: u8,
    pub message_id: String,
    /// The action: a CALL's own; for a CALLRESULT or CALLERROR, the action of the CALL it answers when the
    /// caller knows it.
    pub action: Option<String>,
    /// The frame's text, exactly as sent or received.
    pub text: String,
}

/// Which logged frames to read; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageFilter {
    pub station_id: Option<StationId>,
    /// Frames at or after this instant.
    pub since: Option<Timestamp>,
    /// Frames before this instant, so that windows tile without overlap.
    pub until: Option<Timestamp>,
    pub action: Option<String>,
    pub limit: Option<u32>,
}

/// A configuration key as a station reported it in GetConfiguration.conf (OCPP 1.6 §6.23 KeyValue).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigKey {
    pub key: String,
    /// Absent when the station reports no value (1.6 makes `value` optional).
    pub value: Option<String>,
    pub readonly: bool,
}

/// A configuration key as Joule knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredConfigKey {
    pub key: String,
    pub value: Option<String>,
    pub readonly: bool,
    /// When GetConfiguration last reported the key; `None` for a key Joule only ever set.
    pub read_at: Option<Timestamp>,
    /// When a ChangeConfiguration of the key was last Accepted (or RebootRequired).
    pub changed_at: Option<Timestamp>,
}

/// What applying one of the operator's default keys to a station gave.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultResult {
    pub key: String,
    pub value: String,
    /// The ChangeConfiguration.conf status (`Accepted`, `Rejected`, `RebootRequired`, `NotSupported`, OCPP 1.6
    /// §7.8), or how the command ended when there was no answer (`timeout`, `offline`...).
    pub result: String,
    pub at: Timestamp,
}

/// A REST API token to create. Hashing is the caller's: the store never sees the secret.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApiToken {
    pub operator_id: OperatorId,
    pub role: Role,
    /// Unique per operator, to tell tokens apart in listings and the command history.
    pub name: String,
    /// The SHA-256 of the secret, in lower-case hex.
    pub token_hash: String,
    pub created_at: Timestamp,
}

/// A REST API token, without its hash.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    pub id: i64,
    pub operator_id: OperatorId,
    pub role: Role,
    pub name: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    /// Set once the token is revoked; a revoked token authenticates nothing.
    pub revoked_at: Option<Timestamp>,
}

/// An account to create. Hashing is the caller's: the store never sees the password.
#[derive(Clone, PartialEq)]
pub struct NewAccount {
    /// The login name; unique across all operators.
    pub email: Email,
    pub name: String,
    pub role: AccountRole,
    /// `None` only for platform admins.
    pub operator_id: Option<OperatorId>,
    pub owner_kind: Option<OwnerKind>,
    pub company_number: Option<String>,
    /// The password's hash (argon2, PHC string).
    pub password_hash: String,
    pub created_at: Timestamp,
}

impl std::fmt::Debug for NewAccount {
    /// Everything but the password hash.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("email", &self.email)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("operator_id", &self.operator_id)
            .field("owner_kind", &self.owner_kind)
            .field("company_number", &self.company_number)
            .field("password_hash", &"(hidden)")
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// Which accounts to list; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountFilter {
    pub operator_id: Option<OperatorId>,
    pub role: Option<AccountRole>,
    /// Only owners and installers that are not approved yet (`approved_at` is `None`): the ones waiting for
    /// the operator to confirm or certify them.
    pub pending_approval: bool,
    pub limit: Option<u32>,
}

/// A login session to create: a person logged in and was given a secret, of which the store keeps the hash.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLogin {
    pub account_id: AccountId,
    /// The SHA-256 of the session secret, in lower-case hex; unique.
    pub token_hash: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Where the login came from (the client's address), for the record.
    pub remote: Option<String>,
}

/// A login session, with the account it belongs to as it is now, and without its hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Login {
    pub id: i64,
    pub account: Account,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Set once the login is revoked (logout, password change); a revoked login authenticates nothing.
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

/// One entry of the audit log: who did what to what, and what it was before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Given by the store; 0 in an entry to record.
    pub id: i64,
    pub at: Timestamp,
    /// Who acted: `account:<id>`, `token:<name>`, `system` or `cli`.
    pub actor: String,
    /// The operator the change belongs to; `None` for changes above operators (a platform admin's).
    pub operator_id: Option<OperatorId>,
    /// What was done, e.g. `account.create`, `account.approve`.
    pub action: String,
    /// What it was done to, e.g. `account:12`, `station:CP-1`.
    pub subject: String,
    /// The subject before the change, as JSON text; `None` for a creation.
    pub before: Option<String>,
    /// The subject after the change, as JSON text; `None` for a deletion.
    pub after: Option<String>,
}

/// Which audit entries to read; every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub operator_id: Option<OperatorId>,
    /// Compared exactly.
    pub subject: Option<String>,
    /// Entries at or after this instant.
    pub since: Option<Timestamp>,
    /// Entries before this instant, so that `since..until` windows tile without overlap.
    pub until: Option<Timestamp>,
    pub limit: Option<u32>,
}

/// A one-time activation code to store for a station. Hashing is the caller's: the store keeps the argon2
/// hash of the code's normalized form, never the code.
#[derive(Debug, Clone, PartialEq)]
pub struct NewActivationCode {
    pub station_id: StationId,
    /// The station's MAC address as `AA:BB:CC:DD:EE:FF`.
    pub mac: String,
    pub code_hash: String,
    pub created_at: Timestamp,
    /// Who generated it (`account:<e-mail>`, `token:<name>`).
    pub created_by: String,
}

/// A stored activation code, without its hash.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivationCodeRecord {
    pub id: i64,
    pub station_id: StationId,
    pub mac: String,
    pub created_at: Timestamp,
    pub created_by: String,
    /// Set when an installer claimed the station with it; a used code claims nothing again.
    pub used_at: Option<Timestamp>,
    pub used_by: Option<AccountId>,
}

/// What the installer (or the operator's staff) records when pinpointing a station. The store keeps what it
/// is given; validating it (coordinates, address, time zone, model) is the caller's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pinpointing {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// IANA zone name.
    pub time_zone: Option<String>,
    pub parking_spot: Option<String>,
    pub directions: Option<String>,
}

/// A station's installation record: its claim, its pinpointing, and its photo's type, size and orientation.
#[derive(Debug, Clone, PartialEq)]
pub struct Installation {
    pub station_id: StationId,
    pub claimed_by: Option<AccountId>,
    pub claimed_at: Option<Timestamp>,
    pub pinpointing: Pinpointing,
    /// Set once the operator marks the configuration complete; the serial number then changes only with
    /// `override_serial_lock` (a platform admin's change).
    pub serial_locked_at: Option<Timestamp>,
    /// `image/jpeg` or `image/png`, when there is a photo.
    pub photo_type: Option<String>,
    pub photo_size: Option<u64>,
    /// The photo's EXIF orientation (1 to 8) when it has one: how its stored pixels are turned to show it
    /// upright.
    pub photo_orientation: Option<u16>,
    pub updated_at: Timestamp,
}

/// The largest photo the store keeps (5 MiB).
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// A model in an operator's catalog, with who last changed it.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogModel {
    pub model: joule_core::catalog::KnownModel,
    pub updated_at: Timestamp,
    /// `account:<id>`, `token:<name>` or `cli`.
    pub updated_by: String,
}

/// A number of stations in one state, online or not (see [`StationStore::station_counts`](crate::StationStore::station_counts)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StationCount {
    pub state: StationState,
    pub online: bool,
    pub count: u64,
}

/// A password-reset link to record: the person asked for one and was mailed a secret, of which the store
/// keeps the hash (like a login's).
#[derive(Debug, Clone, PartialEq)]
pub struct NewPasswordReset {
    pub account_id: AccountId,
    /// The SHA-256 of the link's secret, in lower-case hex; unique.
    pub token_hash: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}
