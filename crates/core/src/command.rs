//! What Joule asks of a station, and what the station answers, in words that do not depend on the OCPP
//! version it speaks.
//!
//! A [`StationCommand`] is what a use case wants done ("reset softly", "start a session on EVSE 2 for this
//! token", "read these settings"); an [`Outcome`] is what the station answered ("accepted", "these values",
//! "list version 7"). The version adapters of the gateway turn a command into the station's own action and
//! payload and its answer back into an outcome; nothing else knows the wire.
//!
//! # Addressing: EVSEs and connectors
//!
//! OCPP 2.0.1 addresses an EVSE (one charging point, `evseId` from 1) and, within it, a connector
//! (`connectorId` from 1); 1.6 has only connectors, each of which is a charging point of its own, and uses
//! connector 0 for the station as a whole. So:
//!
//! - 1.6 connector N (N ≥ 1) is EVSE N, with no connector named: [`Evse::new(N)`](Evse::new). A 1.6
//!   adapter reads the EVSE id as the connector id and refuses a command that names a connector other
//!   than 1 within it (1.6 has nothing to address it with).
//! - 1.6 connector 0 is [`Target::Station`], where a command may be for the whole station (availability,
//!   reservations of any connector, charging profiles, trigger).
//!
//! Ids are JSON integers that stations read as 32-bit signed numbers in both versions, hence the bound
//! [`Evse::MAX`].

use std::fmt;

use crate::auth::AuthorizationStatus;
use crate::{DomainError, IdTag, Timestamp};

/// The OCPP versions Joule speaks with stations. 2.0.1 joins when its adapter does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OcppVersion {
    /// OCPP 1.6J with the security extension (Security Whitepaper, edition 3).
    V16,
}

impl OcppVersion {
    /// The version as people write it.
    pub fn as_str(self) -> &'static str {
        match self {
            OcppVersion::V16 => "1.6",
        }
    }
}

impl fmt::Display for OcppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An EVSE and, optionally, one of its connectors (see the module's description for 1.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Evse {
    id: u32,
    connector: Option<u32>,
}

impl Evse {
    /// The largest id a station reads (a 32-bit signed integer on the wire).
    pub const MAX: u32 = i32::MAX as u32;

    /// EVSE `id` (from 1), no connector named. Also how a 1.6 connector `id` is addressed.
    pub fn new(id: u32) -> Result<Evse, DomainError> {
        Ok(Evse { id: Self::checked("EVSE id", id)?, connector: None })
    }

    /// Connector `connector` (from 1) of EVSE `id` (from 1).
    pub fn with_connector(id: u32, connector: u32) -> Result<Evse, DomainError> {
        Ok(Evse { id: Self::checked("EVSE id", id)?, connector: Some(Self::checked("connector id", connector)?) })
    }

    /// Reads an id from outside (a request's `connector_id`): from 1 to [`Evse::MAX`].
    pub fn parse_id(id: i64) -> Result<Evse, DomainError> {
        match u32::try_from(id) {
            Ok(id) => Evse::new(id),
            Err(_) => Err(DomainError::invalid("EVSE id", &id.to_string(), format!("must be 1 to {}", Self::MAX))),
        }
    }

    fn checked(what: &'static str, id: u32) -> Result<u32, DomainError> {
        if id == 0 || id > Self::MAX {
            return Err(DomainError::invalid(what, &id.to_string(), format!("must be 1 to {}", Self::MAX)));
        }
        Ok(id)
    }

    pub fn id(self) -> u32 {
        self.id
    }

    pub fn connector(self) -> Option<u32> {
        self.connector
    }
}

/// What a command applies to: the whole station, or one EVSE (1.6: connector 0, or connector N).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Station,
    Evse(Evse),
}

impl Target {
    /// Reads a 1.6-style number from outside: 0 is the station, N ≥ 1 EVSE N.
    pub fn parse_id(id: i64) -> Result<Target, DomainError> {
        if id == 0 { Ok(Target::Station) } else { Evse::parse_id(id).map(Target::Evse) }
    }

    /// The EVSE, `None` for the station.
    pub fn evse(self) -> Option<Evse> {
        match self {
            Target::Station => None,
            Target::Evse(e) => Some(e),
        }
    }
}

/// How a station restarts. OCPP 2.0.1's OnIdle (after the running sessions end) is [`ResetType::Soft`],
/// Immediate is [`ResetType::Hard`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetType {
    Soft,
    Hard,
}

/// Whether an EVSE (or the station) may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Operative,
    Inoperative,
}

/// A message a station is asked to send now (1.6 TriggerMessage and ExtendedTriggerMessage; 2.0.1
/// TriggerMessage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerKind {
    BootNotification,
    Heartbeat,
    StatusNotification,
    MeterValues,
    /// The state of a firmware update.
    FirmwareStatus,
    /// The state of a diagnostics upload (1.6 GetDiagnostics).
    DiagnosticsStatus,
    /// The state of a log upload (1.6 security extension GetLog; 2.0.1 GetLog).
    LogStatus,
    /// A new certificate signing request for the station's own certificate.
    SignCertificate,
}

/// A setting of a station, by the name the station knows it by, or by what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingKey {
    /// An OCPP 1.6 configuration key (§9), by name.
    Configuration(String),
    /// An OCPP 2.0.1 variable of a component (2.0.1 Part 1 §2.5 device model).
    Variable(ComponentVariable),
    /// A setting Joule itself relies on: each adapter knows its version's name for it.
    Known(KnownSetting),
}

impl fmt::Display for SettingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingKey::Configuration(name) => f.write_str(name),
            SettingKey::Variable(v) => v.fmt(f),
            SettingKey::Known(k) => write!(f, "({})", k.as_str()),
        }
    }
}

/// An OCPP 2.0.1 component's variable, with its instances and the attribute meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentVariable {
    pub component: String,
    pub component_instance: Option<String>,
    /// The EVSE the component belongs to, for components per EVSE.
    pub evse: Option<Evse>,
    pub variable: String,
    pub variable_instance: Option<String>,
    /// `None` is the actual value.
    pub attribute: Option<AttributeType>,
}

impl fmt::Display for ComponentVariable {
    /// `Component[.instance]/Variable[.instance]`, with `@Target`, `@MinSet`, `@MaxSet` for those attributes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.component)?;
        if let Some(i) = &self.component_instance {
            write!(f, ".{i}")?;
        }
        write!(f, "/{}", self.variable)?;
        if let Some(i) = &self.variable_instance {
            write!(f, ".{i}")?;
        }
        match self.attribute {
            None | Some(AttributeType::Actual) => Ok(()),
            Some(a) => write!(f, "@{}", a.as_str()),
        }
    }
}

/// OCPP 2.0.1 AttributeEnumType.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    Actual,
    Target,
    MinSet,
    MaxSet,
}

impl AttributeType {
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::Actual => "Actual",
            AttributeType::Target => "Target",
            AttributeType::MinSet => "MinSet",
            AttributeType::MaxSet => "MaxSet",
        }
    }
}

/// The settings Joule reads or changes by meaning. Values are text as stations give them; booleans are
/// `true`/`false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KnownSetting {
    /// Seconds between heartbeats.
    HeartbeatInterval,
    /// Whether the station has local authorization lists at all (a boolean).
    LocalListAvailable,
    /// Whether its local list is in use (a boolean).
    LocalListEnabled,
    /// How many entries its local list holds at most.
    LocalListMaxLength,
    /// How many entries one local list update may carry at most.
    SendLocalListMaxLength,
}

impl KnownSetting {
    pub const ALL: [KnownSetting; 5] = [
        KnownSetting::HeartbeatInterval,
        KnownSetting::LocalListAvailable,
        KnownSetting::LocalListEnabled,
        KnownSetting::LocalListMaxLength,
        KnownSetting::SendLocalListMaxLength,
    ];

    /// Joule's own name for it (not a station's).
    pub fn as_str(self) -> &'static str {
        match self {
            KnownSetting::HeartbeatInterval => "heartbeat-interval",
            KnownSetting::LocalListAvailable => "local-list-available",
            KnownSetting::LocalListEnabled => "local-list-enabled",
            KnownSetting::LocalListMaxLength => "local-list-max-length",
            KnownSetting::SendLocalListMaxLength => "send-local-list-max-length",
        }
    }
}

/// A session a station is asked to start.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestStart {
    /// Where; the station chooses when absent.
    pub evse: Option<Evse>,
    pub id_token: IdTag,
    /// A profile for the session only (1.6 TxProfile, 2.0.1 TxProfile).
    pub charging_profile: Option<ChargingProfile>,
    /// OCPP 2.0.1 remoteStartId, which the station echoes in its TransactionEvent; 1.6 has none.
    pub remote_start_id: Option<i32>,
}

/// A local list update (1.6 SendLocalList, 2.0.1 SendLocalList).
#[derive(Debug, Clone, PartialEq)]
pub struct LocalListUpdate {
    pub version: i32,
    pub update_type: crate::local_list::UpdateType,
    pub entries: Vec<LocalListEntry>,
}

/// One entry of a local list update: a token with what the station is to answer for it, or, without
/// one (in a differential update), the token removed.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalListEntry {
    pub id_token: IdTag,
    pub info: Option<TokenInfo>,
}

/// What a station answers for a token on its own (1.6 IdTagInfo, 2.0.1 IdTokenInfo).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenInfo {
    pub status: AuthorizationStatus,
    pub expires_at: Option<Timestamp>,
    pub parent: Option<IdTag>,
}

/// A reservation (1.6 ReserveNow; 2.0.1 ReserveNow).
#[derive(Debug, Clone, PartialEq)]
pub struct Reservation {
    pub reservation_id: i32,
    /// The station: any EVSE (1.6 connector 0, where the station allows it).
    pub target: Target,
    pub expires_at: Timestamp,
    pub id_token: IdTag,
    pub parent: Option<IdTag>,
}

/// What a charging profile is for (1.6 §7.10, 2.0.1 ChargingProfilePurposeEnumType).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfilePurpose {
    /// A limit for the whole station (1.6 ChargePointMaxProfile, 2.0.1 ChargingStationMaxProfile).
    StationMax,
    /// The default for new sessions.
    TxDefault,
    /// For one session.
    Tx,
}

/// How a profile's schedule is laid out in time (1.6 §7.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    Absolute,
    Recurring,
    Relative,
}

/// How a recurring profile repeats (1.6 §7.37).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recurrency {
    Daily,
    Weekly,
}

/// The unit of a schedule's limits. Stations write it too (a composite schedule), so a unit Joule does
/// not know is kept as it was given, and its limits are not to be read as A or W.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateUnit {
    Amperes,
    Watts,
    Other(String),
}

/// A charging profile (1.6 §7.8 ChargingProfile).
#[derive(Debug, Clone, PartialEq)]
pub struct ChargingProfile {
    pub id: i32,
    /// For a profile of one session: the station's transaction id (text: 2.0.1 ids are strings).
    pub transaction_id: Option<String>,
    pub stack_level: u32,
    pub purpose: ProfilePurpose,
    pub kind: ProfileKind,
    pub recurrency: Option<Recurrency>,
    pub valid_from: Option<Timestamp>,
    pub valid_to: Option<Timestamp>,
    pub schedule: ChargingSchedule,
}

/// A schedule of limits (1.6 §7.13).
#[derive(Debug, Clone, PartialEq)]
pub struct ChargingSchedule {
    pub duration_secs: Option<u32>,
    pub start: Option<Timestamp>,
    pub unit: RateUnit,
    pub periods: Vec<SchedulePeriod>,
    pub min_rate: Option<f64>,
}

/// One period of a schedule (1.6 §7.14): from `start_secs` after the schedule's start, at most `limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulePeriod {
    pub start_secs: u32,
    /// In the schedule's unit.
    pub limit: f64,
    pub phases: Option<u32>,
}

/// Which profiles to clear; every field narrows, none clears them all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClearProfiles {
    pub id: Option<i32>,
    pub target: Option<Target>,
    pub purpose: Option<ProfilePurpose>,
    pub stack_level: Option<u32>,
}

/// A firmware update (1.6 UpdateFirmware, or with a signature the security extension's
/// SignedUpdateFirmware; 2.0.1 UpdateFirmware).
#[derive(Debug, Clone, PartialEq)]
pub struct FirmwareUpdate {
    /// Where the station downloads the image (a URI).
    pub location: String,
    pub retrieve_at: Timestamp,
    pub retries: Option<u32>,
    pub retry_interval_secs: Option<u32>,
    pub signed: Option<SignedFirmware>,
}

/// What a signed firmware update adds.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedFirmware {
    pub request_id: i32,
    pub install_at: Option<Timestamp>,
    /// PEM.
    pub signing_certificate: String,
    /// Base64.
    pub signature: String,
}

/// Which log a station uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// 1.6 GetDiagnostics, or GetLog DiagnosticsLog with a request id.
    Diagnostics,
    Security,
}

/// A diagnostics or log upload.
#[derive(Debug, Clone, PartialEq)]
pub struct LogUpload {
    pub kind: LogKind,
    /// Where the station uploads it (a URI).
    pub location: String,
    /// 1.6 GetLog and 2.0.1 need one; a 1.6 diagnostics upload without one is GetDiagnostics.
    pub request_id: Option<i32>,
    pub oldest: Option<Timestamp>,
    pub latest: Option<Timestamp>,
    pub retries: Option<u32>,
    pub retry_interval_secs: Option<u32>,
}

/// A vendor's own message (1.6 §5.6 DataTransfer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTransfer {
    pub vendor_id: String,
    pub message_id: Option<String>,
    /// Free text (often JSON in a string).
    pub data: Option<String>,
}

/// Which certificates (1.6 security extension CertificateUseEnumType; 2.0.1 has more kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateKind {
    /// The root of the central system's certificate (1.6 CentralSystemRootCertificate, 2.0.1
    /// CSMSRootCertificate).
    CentralSystemRoot,
    ManufacturerRoot,
    /// 2.0.1 only.
    V2gRoot,
    /// 2.0.1 only.
    MobilityOperatorRoot,
}

/// A certificate's hash algorithm. Stations write it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashAlgorithm {
    Sha256,
    Sha384,
    Sha512,
    Other(String),
}

/// Identifies an installed certificate (CertificateHashDataType).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateHash {
    pub algorithm: HashAlgorithm,
    pub issuer_name_hash: String,
    pub issuer_key_hash: String,
    pub serial_number: String,
}

/// Everything Joule can ask of a station.
#[derive(Debug, Clone, PartialEq)]
pub enum StationCommand {
    Reset(ResetType),
    RequestStart(RequestStart),
    /// Stop a session, by the station's transaction id (text: 2.0.1 ids are strings; 1.6 ids are integers).
    RequestStop {
        transaction_id: String,
    },
    Unlock(Evse),
    ChangeAvailability {
        target: Target,
        availability: Availability,
    },
    /// Read these settings; all of them when empty.
    ReadSettings {
        keys: Vec<SettingKey>,
    },
    ChangeSetting {
        key: SettingKey,
        value: String,
    },
    Trigger {
        message: TriggerKind,
        /// `None`: not said (the station decides, e.g. every connector's status).
        target: Option<Target>,
    },
    /// Empty the station's authorization cache.
    ClearCache,
    SendLocalList(LocalListUpdate),
    GetLocalListVersion,
    ReserveNow(Reservation),
    CancelReservation {
        reservation_id: i32,
    },
    SetChargingProfile {
        target: Target,
        profile: ChargingProfile,
    },
    ClearChargingProfiles(ClearProfiles),
    GetCompositeSchedule {
        target: Target,
        duration_secs: u32,
        unit: Option<RateUnit>,
    },
    UpdateFirmware(FirmwareUpdate),
    UploadLog(LogUpload),
    DataTransfer(DataTransfer),
    InstallCertificate {
        kind: CertificateKind,
        /// PEM.
        certificate: String,
    },
    DeleteCertificate(CertificateHash),
    ListCertificates {
        kind: CertificateKind,
    },
    /// The signed certificate chain (PEM) for the station's signing request.
    CertificateSigned {
        chain: String,
    },
}

/// The kinds of [`StationCommand`], without their values: to tell commands apart in a history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    Reset,
    RequestStart,
    RequestStop,
    Unlock,
    ChangeAvailability,
    ReadSettings,
    ChangeSetting,
    Trigger,
    ClearCache,
    SendLocalList,
    GetLocalListVersion,
    ReserveNow,
    CancelReservation,
    SetChargingProfile,
    ClearChargingProfiles,
    GetCompositeSchedule,
    UpdateFirmware,
    UploadLog,
    DataTransfer,
    InstallCertificate,
    DeleteCertificate,
    ListCertificates,
    CertificateSigned,
}

impl StationCommand {
    pub fn kind(&self) -> CommandKind {
        match self {
            StationCommand::Reset(_) => CommandKind::Reset,
            StationCommand::RequestStart(_) => CommandKind::RequestStart,
            StationCommand::RequestStop { .. } => CommandKind::RequestStop,
            StationCommand::Unlock(_) => CommandKind::Unlock,
            StationCommand::ChangeAvailability { .. } => CommandKind::ChangeAvailability,
            StationCommand::ReadSettings { .. } => CommandKind::ReadSettings,
            StationCommand::ChangeSetting { .. } => CommandKind::ChangeSetting,
            StationCommand::Trigger { .. } => CommandKind::Trigger,
            StationCommand::ClearCache => CommandKind::ClearCache,
            StationCommand::SendLocalList(_) => CommandKind::SendLocalList,
            StationCommand::GetLocalListVersion => CommandKind::GetLocalListVersion,
            StationCommand::ReserveNow(_) => CommandKind::ReserveNow,
            StationCommand::CancelReservation { .. } => CommandKind::CancelReservation,
            StationCommand::SetChargingProfile { .. } => CommandKind::SetChargingProfile,
            StationCommand::ClearChargingProfiles(_) => CommandKind::ClearChargingProfiles,
            StationCommand::GetCompositeSchedule { .. } => CommandKind::GetCompositeSchedule,
            StationCommand::UpdateFirmware(_) => CommandKind::UpdateFirmware,
            StationCommand::UploadLog(_) => CommandKind::UploadLog,
            StationCommand::DataTransfer(_) => CommandKind::DataTransfer,
            StationCommand::InstallCertificate { .. } => CommandKind::InstallCertificate,
            StationCommand::DeleteCertificate(_) => CommandKind::DeleteCertificate,
            StationCommand::ListCertificates { .. } => CommandKind::ListCertificates,
            StationCommand::CertificateSigned { .. } => CommandKind::CertificateSigned,
        }
    }
}

/// A station's verdict on a command. The names are those both OCPP versions use; a value a station
/// invents is kept as [`CommandStatus::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandStatus {
    Accepted,
    Rejected,
    /// Accepted, effective after a restart (a setting).
    RebootRequired,
    NotSupported,
    NotImplemented,
    /// Accepted, effective once running sessions end (availability).
    Scheduled,
    Unlocked,
    UnlockFailed,
    Failed,
    /// A local list update for another version than the station holds.
    VersionMismatch,
    Faulted,
    Occupied,
    Unavailable,
    /// Nothing matched (clearing charging profiles).
    Unknown,
    NotFound,
    /// Accepted, and an earlier request of the same kind was cancelled.
    AcceptedCanceled,
    InvalidCertificate,
    RevokedCertificate,
    UnknownMessageId,
    UnknownVendorId,
    Other(String),
}

impl CommandStatus {
    const KNOWN: [CommandStatus; 20] = [
        CommandStatus::Accepted,
        CommandStatus::Rejected,
        CommandStatus::RebootRequired,
        CommandStatus::NotSupported,
        CommandStatus::NotImplemented,
        CommandStatus::Scheduled,
        CommandStatus::Unlocked,
        CommandStatus::UnlockFailed,
        CommandStatus::Failed,
        CommandStatus::VersionMismatch,
        CommandStatus::Faulted,
        CommandStatus::Occupied,
        CommandStatus::Unavailable,
        CommandStatus::Unknown,
        CommandStatus::NotFound,
        CommandStatus::AcceptedCanceled,
        CommandStatus::InvalidCertificate,
        CommandStatus::RevokedCertificate,
        CommandStatus::UnknownMessageId,
        CommandStatus::UnknownVendorId,
    ];

    /// The status as the station wrote it (the specifications' spelling for known ones).
    pub fn name(&self) -> &str {
        match self {
            CommandStatus::Accepted => "Accepted",
            CommandStatus::Rejected => "Rejected",
            CommandStatus::RebootRequired => "RebootRequired",
            CommandStatus::NotSupported => "NotSupported",
            CommandStatus::NotImplemented => "NotImplemented",
            CommandStatus::Scheduled => "Scheduled",
            CommandStatus::Unlocked => "Unlocked",
            CommandStatus::UnlockFailed => "UnlockFailed",
            CommandStatus::Failed => "Failed",
            CommandStatus::VersionMismatch => "VersionMismatch",
            CommandStatus::Faulted => "Faulted",
            CommandStatus::Occupied => "Occupied",
            CommandStatus::Unavailable => "Unavailable",
            CommandStatus::Unknown => "Unknown",
            CommandStatus::NotFound => "NotFound",
            CommandStatus::AcceptedCanceled => "AcceptedCanceled",
            CommandStatus::InvalidCertificate => "InvalidCertificate",
            CommandStatus::RevokedCertificate => "RevokedCertificate",
            CommandStatus::UnknownMessageId => "UnknownMessageId",
            CommandStatus::UnknownVendorId => "UnknownVendorId",
            CommandStatus::Other(s) => s,
        }
    }

    /// Reads a status by its name (exactly as [`CommandStatus::name`] writes it); anything else is
    /// [`CommandStatus::Other`].
    pub fn from_name(name: &str) -> CommandStatus {
        Self::KNOWN.into_iter().find(|s| s.name() == name).unwrap_or_else(|| CommandStatus::Other(name.to_string()))
    }

    /// Whether the station did or will do what it was asked (Accepted, RebootRequired, Scheduled,
    /// Unlocked, AcceptedCanceled).
    pub fn is_accepted(&self) -> bool {
        matches!(
            self,
            CommandStatus::Accepted
                | CommandStatus::RebootRequired
                | CommandStatus::Scheduled
                | CommandStatus::Unlocked
                | CommandStatus::AcceptedCanceled
        )
    }
}

impl fmt::Display for CommandStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One setting as a station reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingValue {
    pub key: SettingKey,
    /// `None`: the station did not say (e.g. a write-only key).
    pub value: Option<String>,
    pub readonly: bool,
}

/// The answer to [`StationCommand::ReadSettings`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsRead {
    pub values: Vec<SettingValue>,
    /// Keys asked for that the station does not know.
    pub unknown: Vec<SettingKey>,
}

/// The answer to [`StationCommand::GetCompositeSchedule`].
#[derive(Debug, Clone, PartialEq)]
pub struct CompositeSchedule {
    pub status: CommandStatus,
    pub target: Option<Target>,
    pub start: Option<Timestamp>,
    pub schedule: Option<ChargingSchedule>,
}

/// What a station answered, by the kind of command.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A verdict, the answer to most commands.
    Status(CommandStatus),
    /// An answer with nothing in it (1.6 UpdateFirmware.conf).
    Acknowledged,
    Settings(SettingsRead),
    /// The station's local list version: 0 holds no list; -1 has local lists disabled (1.6 §6.28).
    LocalListVersion(i32),
    CompositeSchedule(CompositeSchedule),
    DataTransfer {
        status: CommandStatus,
        data: Option<String>,
    },
    Certificates {
        status: CommandStatus,
        hashes: Vec<CertificateHash>,
    },
    /// The answer to a log upload: whether it starts (1.6 GetDiagnostics gives no status) and the file
    /// name (none: nothing to upload).
    Upload {
        status: Option<CommandStatus>,
        file_name: Option<String>,
    },
}

impl Outcome {
    /// The station's verdict, where the answer has one.
    pub fn status(&self) -> Option<&CommandStatus> {
        match self {
            Outcome::Status(s)
            | Outcome::CompositeSchedule(CompositeSchedule { status: s, .. })
            | Outcome::DataTransfer { status: s, .. }
            | Outcome::Certificates { status: s, .. } => Some(s),
            Outcome::Upload { status, .. } => status.as_ref(),
            Outcome::Acknowledged | Outcome::Settings(_) | Outcome::LocalListVersion(_) => None,
        }
    }
}

/// OCPP-J CALLERROR codes (1.6 §4.2.3; 2.0.1 Part 4 §4.3 renames two and adds three, read as their 1.6
/// counterparts or [`CallErrorCode::GenericError`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallErrorCode {
    NotImplemented,
    NotSupported,
    InternalError,
    ProtocolError,
    SecurityError,
    FormationViolation,
    PropertyConstraintViolation,
    OccurrenceConstraintViolation,
    TypeConstraintViolation,
    GenericError,
}

impl CallErrorCode {
    /// The code as OCPP-J 1.6 spells it (`OccurenceConstraintViolation` with one "r" is its own).
    pub fn as_str(self) -> &'static str {
        match self {
            CallErrorCode::NotImplemented => "NotImplemented",
            CallErrorCode::NotSupported => "NotSupported",
            CallErrorCode::InternalError => "InternalError",
            CallErrorCode::ProtocolError => "ProtocolError",
            CallErrorCode::SecurityError => "SecurityError",
            CallErrorCode::FormationViolation => "FormationViolation",
            CallErrorCode::PropertyConstraintViolation => "PropertyConstraintViolation",
            CallErrorCode::OccurrenceConstraintViolation => "OccurenceConstraintViolation",
            CallErrorCode::TypeConstraintViolation => "TypeConstraintViolation",
            CallErrorCode::GenericError => "GenericError",
        }
    }

    /// Whether the station says it has no such feature: it is not worth asking again.
    pub fn refuses_feature(self) -> bool {
        matches!(self, CallErrorCode::NotSupported | CallErrorCode::NotImplemented)
    }
}

impl fmt::Display for CallErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connectors_of_one_six_are_evses_and_zero_is_the_station() {
        assert_eq!(Target::parse_id(0), Ok(Target::Station));
        let two = Target::parse_id(2).expect("EVSE 2");
        assert_eq!(two.evse().map(Evse::id), Some(2));
        assert_eq!(two.evse().and_then(Evse::connector), None, "a 1.6 connector names no connector within");
        assert!(Target::parse_id(-1).is_err());
        assert!(Evse::parse_id(0).is_err(), "EVSEs count from 1");
        assert!(Evse::parse_id(i64::from(i32::MAX)).is_ok());
        assert!(Evse::parse_id(i64::from(i32::MAX) + 1).is_err(), "stations read 32-bit ids");
        assert!(Evse::with_connector(1, 0).is_err());
        assert_eq!(Evse::with_connector(1, 2).map(Evse::connector), Ok(Some(2)));
    }

    #[test]
    fn statuses_keep_what_stations_invent() {
        for s in CommandStatus::KNOWN {
            assert_eq!(CommandStatus::from_name(s.name()), s);
        }
        assert_eq!(CommandStatus::from_name("Sleeping"), CommandStatus::Other("Sleeping".into()));
        assert_eq!(CommandStatus::from_name("accepted").name(), "accepted", "names are exact");
        assert!(CommandStatus::RebootRequired.is_accepted());
        assert!(!CommandStatus::Rejected.is_accepted());
        let read = Outcome::Settings(SettingsRead::default());
        assert_eq!(read.status(), None);
        assert_eq!(Outcome::Upload { status: None, file_name: None }.status(), None);
    }

    #[test]
    fn settings_are_shown_by_their_names() {
        assert_eq!(SettingKey::Configuration("HeartbeatInterval".into()).to_string(), "HeartbeatInterval");
        let v = ComponentVariable {
            component: "OCPPCommCtrlr".into(),
            component_instance: None,
            evse: None,
            variable: "HeartbeatInterval".into(),
            variable_instance: None,
            attribute: None,
        };
        assert_eq!(SettingKey::Variable(v.clone()).to_string(), "OCPPCommCtrlr/HeartbeatInterval");
        let target =
            ComponentVariable { component_instance: Some("1".into()), attribute: Some(AttributeType::Target), ..v };
        assert_eq!(target.to_string(), "OCPPCommCtrlr.1/HeartbeatInterval@Target");
    }

    #[test]
    fn every_command_has_its_kind() {
        assert_eq!(StationCommand::ClearCache.kind(), CommandKind::ClearCache);
        let change = StationCommand::ChangeSetting {
            key: SettingKey::Known(KnownSetting::LocalListEnabled),
            value: "true".into(),
        };
        assert_eq!(change.kind(), CommandKind::ChangeSetting);
    }
}
