//! Joule's commands to a 1.6 station: a [`StationCommand`] becomes the 1.6 CALL that says it (OCPP 1.6 §5,
//! the security extension for certificates, signed firmware, logs and the extended trigger), a station's
//! CALLRESULT becomes an [`Outcome`], and an expert's pass-through is validated as a 1.6 station would
//! validate it (OCPP-J §4.2.3) and read back as the command it stands for.
//!
//! Addressing (see [`joule_core::command`]): EVSE N is 1.6 connector N, [`Target::Station`] is connector 0.
//! The known settings are these 1.6 configuration keys (§9): HeartbeatInterval; LocalAuthListEnabled,
//! LocalAuthListMaxLength, SendLocalListMaxLength (§9.4); "local lists available" is whether
//! SupportedFeatureProfiles (§9.1.10) names LocalAuthListManagement.

use joule_app::{CommandFailure, Recorded, UnreadableAnswer};
use joule_core::IdTag;
use joule_core::command::{
    Availability, CertificateHash, CertificateKind, ChargingProfile, ChargingSchedule, ClearProfiles, CommandKind,
    CommandStatus, CompositeSchedule, DataTransfer, Evse, FirmwareUpdate, HashAlgorithm, KnownSetting, LocalListEntry,
    LocalListUpdate, LogKind, LogUpload, Outcome, ProfileKind, ProfilePurpose, RateUnit, Recurrency, RequestStart,
    Reservation, ResetType, SchedulePeriod, SettingKey, SettingValue, SettingsRead, SignedFirmware, StationCommand,
    Target, TokenInfo, TriggerKind,
};
use joule_core::local_list::UpdateType;
use ocpp::v16::{self, CentralSystemRequest as Req, Request as _};
use serde_json::Value;

/// A command ready to go to a 1.6 station.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub request: Req,
    /// The payload as it goes on the wire (for a pass-through: as the expert wrote it).
    pub payload: Value,
    /// The command it stands for, known settings named as 1.6 names them; `None` for a pass-through that
    /// has no typed meaning.
    pub command: Option<StationCommand>,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> CommandFailure {
    CommandFailure::Invalid { field: Some(field.into()), message: message.into() }
}

// --- the pass-through ---

/// Checks that `action` is a CSMS-initiated OCPP 1.6 action and `payload` a valid payload for it, as the
/// station would (OCPP-J §4.2.3), so an operator hears about a mistake before a station refuses it. The
/// field at fault is a path into the payload (`payload.connectorId`), or `action`.
pub(crate) fn validate(action: &str, payload: &Value) -> Result<Req, CommandFailure> {
    Req::decode(action, payload).map_err(|e| {
        if !Req::ACTIONS.contains(&action) {
            let message = if v16::ChargePointRequest::ACTIONS.contains(&action) {
                format!("{action} is sent by stations, not to them")
            } else {
                format!("{action} is not an OCPP 1.6 action (names are case-sensitive)")
            };
            return invalid("action", message);
        }
        let field = wire_path(&e.description).map(|p| format!("payload.{p}"));
        CommandFailure::Invalid { field: field.or(Some("payload".into())), message: e.description }
    })
}

/// The property path a decoding error starts with (`connectorId: expected an integer`), if it names one.
fn wire_path(description: &str) -> Option<String> {
    description.split_once(": ").map(|(path, _)| path.to_string()).filter(|p| !p.contains(' ') && !p.is_empty())
}

/// A pass-through, validated, with the command it stands for.
pub(crate) fn interpret(action: &str, payload: Value) -> Result<Prepared, CommandFailure> {
    let request = validate(action, &payload)?;
    let command = typed(&request);
    Ok(Prepared { request, payload, command })
}

// --- typed commands ---

/// A typed command as a 1.6 CALL. `Invalid` names the command's own property (`transaction_id`, `key`)
/// when 1.6 cannot carry its value (a transaction id that is no integer, a key longer than 50 characters).
pub(crate) fn prepare(command: &StationCommand) -> Result<Prepared, CommandFailure> {
    let command = resolve(command)?;
    let request = encode(&command)?;
    let payload = request.to_payload();
    // What 1.6 bounds beyond the types (string lengths): checked as a station would, so that nothing a
    // station must refuse goes out.
    Req::decode(request.action(), &payload).map_err(|e| {
        let field = wire_path(&e.description).filter(|p| p != "payload").map(|p| neutral_path(&p));
        CommandFailure::Invalid { field: field.or(Some("command".into())), message: e.description }
    })?;
    Ok(Prepared { request, payload, command: Some(command) })
}

/// A 1.6 property path in the command's terms: `chargingProfile.stackLevel` is `charging_profile.stack_level`,
/// an idTag is the `id_token`, GetConfiguration's `key` list the `keys`.
fn neutral_path(path: &str) -> String {
    path.split('.')
        .map(|segment| {
            let (name, index) = segment.split_at(segment.find('[').unwrap_or(segment.len()));
            let name = match name {
                "idTag" => "id_token".to_string(),
                "parentIdTag" => "parent".to_string(),
                "localAuthorizationList" => "entries".to_string(),
                "key" if !index.is_empty() => "keys".to_string(),
                other => snake(other),
            };
            format!("{name}{index}")
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The 1.6 configuration key of a known setting (§9).
fn key_of(setting: KnownSetting) -> &'static str {
    match setting {
        KnownSetting::HeartbeatInterval => "HeartbeatInterval",
        KnownSetting::LocalListAvailable => "SupportedFeatureProfiles",
        KnownSetting::LocalListEnabled => "LocalAuthListEnabled",
        KnownSetting::LocalListMaxLength => "LocalAuthListMaxLength",
        KnownSetting::SendLocalListMaxLength => "SendLocalListMaxLength",
    }
}

/// The feature profile that says a station has local lists (§3.5, §9.1.10).
const LOCAL_LIST_PROFILE: &str = "LocalAuthListManagement";

/// The command with its settings named as 1.6 names them.
fn resolve(command: &StationCommand) -> Result<StationCommand, CommandFailure> {
    let name = |field: &str, key: &SettingKey| -> Result<SettingKey, CommandFailure> {
        match key {
            SettingKey::Configuration(_) => Ok(key.clone()),
            SettingKey::Known(k) => Ok(SettingKey::Configuration(key_of(*k).to_string())),
            SettingKey::Variable(v) => {
                Err(invalid(field, format!("{v} is an OCPP 2.0.1 variable; a 1.6 station has configuration keys")))
            }
        }
    };
    Ok(match command {
        StationCommand::ReadSettings { keys } => StationCommand::ReadSettings {
            keys: keys.iter().enumerate().map(|(i, k)| name(&format!("keys[{i}]"), k)).collect::<Result<_, _>>()?,
        },
        StationCommand::ChangeSetting { key: SettingKey::Known(KnownSetting::LocalListAvailable), .. } => {
            return Err(invalid("key", "whether a 1.6 station has local lists is its feature profiles: read-only"));
        }
        StationCommand::ChangeSetting { key, value } => {
            StationCommand::ChangeSetting { key: name("key", key)?, value: value.clone() }
        }
        other => other.clone(),
    })
}

/// A number 1.6 carries as a (32-bit) integer.
fn int(field: &str, n: u32) -> Result<i32, CommandFailure> {
    i32::try_from(n).map_err(|_| invalid(field, format!("{n} is above {}", i32::MAX)))
}

fn opt_int(field: &str, n: Option<u32>) -> Result<Option<i32>, CommandFailure> {
    n.map(|n| int(field, n)).transpose()
}

/// EVSE N is connector N; a connector within an EVSE has no 1.6 address beyond the first.
fn connector_of(field: &str, evse: Evse) -> Result<i32, CommandFailure> {
    match evse.connector() {
        None | Some(1) => int(field, evse.id()),
        Some(c) => Err(invalid(
            field,
            format!("connector {c} of EVSE {}: a 1.6 station has one connector per connector id", evse.id()),
        )),
    }
}

fn target_of(field: &str, target: Target) -> Result<i32, CommandFailure> {
    match target {
        Target::Station => Ok(0),
        Target::Evse(e) => connector_of(field, e),
    }
}

fn transaction_of(field: &str, id: &str) -> Result<i32, CommandFailure> {
    id.trim().parse().map_err(|_| invalid(field, format!("{id:?} is not an OCPP 1.6 transaction id (an integer)")))
}

fn purpose_of(p: ProfilePurpose) -> v16::ChargingProfilePurposeType {
    match p {
        ProfilePurpose::StationMax => v16::ChargingProfilePurposeType::ChargePointMaxProfile,
        ProfilePurpose::TxDefault => v16::ChargingProfilePurposeType::TxDefaultProfile,
        ProfilePurpose::Tx => v16::ChargingProfilePurposeType::TxProfile,
    }
}

/// A unit 1.6 does not know is passed on as given (the 1.6 schema lets it through; the station decides).
fn unit_of(unit: &RateUnit) -> v16::ChargingRateUnitType {
    match unit {
        RateUnit::Amperes => v16::ChargingRateUnitType::A,
        RateUnit::Watts => v16::ChargingRateUnitType::W,
        RateUnit::Other(u) => v16::ChargingRateUnitType::Other(u.clone()),
    }
}

fn profile_of(field: &str, p: &ChargingProfile) -> Result<v16::ChargingProfile, CommandFailure> {
    let s = &p.schedule;
    let at = |name: &str| format!("{field}.{name}");
    Ok(v16::ChargingProfile {
        charging_profile_id: p.id,
        transaction_id: p.transaction_id.as_deref().map(|t| transaction_of(&at("transaction_id"), t)).transpose()?,
        stack_level: int(&at("stack_level"), p.stack_level)?,
        charging_profile_purpose: purpose_of(p.purpose),
        charging_profile_kind: match p.kind {
            ProfileKind::Absolute => v16::ChargingProfileKindType::Absolute,
            ProfileKind::Recurring => v16::ChargingProfileKindType::Recurring,
            ProfileKind::Relative => v16::ChargingProfileKindType::Relative,
        },
        recurrency_kind: p.recurrency.map(|r| match r {
            Recurrency::Daily => v16::RecurrencyKindType::Daily,
            Recurrency::Weekly => v16::RecurrencyKindType::Weekly,
        }),
        valid_from: p.valid_from,
        valid_to: p.valid_to,
        charging_schedule: v16::ChargingSchedule {
            duration: opt_int(&at("schedule.duration_secs"), s.duration_secs)?,
            start_schedule: s.start,
            charging_rate_unit: unit_of(&s.unit),
            charging_schedule_period: s
                .periods
                .iter()
                .enumerate()
                .map(|(i, period)| {
                    Ok(v16::ChargingSchedulePeriod {
                        start_period: int(&at(&format!("schedule.periods[{i}].start_secs")), period.start_secs)?,
                        limit: period.limit,
                        number_phases: opt_int(&at(&format!("schedule.periods[{i}].phases")), period.phases)?,
                    })
                })
                .collect::<Result<_, CommandFailure>>()?,
            min_charging_rate: s.min_rate,
        },
    })
}

fn certificate_use(field: &str, kind: CertificateKind) -> Result<v16::CertificateUse, CommandFailure> {
    match kind {
        CertificateKind::CentralSystemRoot => Ok(v16::CertificateUse::CentralSystemRootCertificate),
        CertificateKind::ManufacturerRoot => Ok(v16::CertificateUse::ManufacturerRootCertificate),
        CertificateKind::V2gRoot | CertificateKind::MobilityOperatorRoot => {
            Err(invalid(field, "OCPP 1.6 has central system and manufacturer root certificates only"))
        }
    }
}

fn hash_of(h: &CertificateHash) -> v16::CertificateHashData {
    v16::CertificateHashData {
        hash_algorithm: match &h.algorithm {
            HashAlgorithm::Sha256 => v16::HashAlgorithm::SHA256,
            HashAlgorithm::Sha384 => v16::HashAlgorithm::SHA384,
            HashAlgorithm::Sha512 => v16::HashAlgorithm::SHA512,
            HashAlgorithm::Other(a) => v16::HashAlgorithm::Other(a.clone()),
        },
        issuer_name_hash: h.issuer_name_hash.clone(),
        issuer_key_hash: h.issuer_key_hash.clone(),
        serial_number: h.serial_number.clone(),
    }
}

fn trigger_of(message: TriggerKind) -> Result<v16::MessageTrigger, v16::ExtendedMessageTrigger> {
    match message {
        TriggerKind::BootNotification => Ok(v16::MessageTrigger::BootNotification),
        TriggerKind::Heartbeat => Ok(v16::MessageTrigger::Heartbeat),
        TriggerKind::StatusNotification => Ok(v16::MessageTrigger::StatusNotification),
        TriggerKind::MeterValues => Ok(v16::MessageTrigger::MeterValues),
        TriggerKind::FirmwareStatus => Ok(v16::MessageTrigger::FirmwareStatusNotification),
        TriggerKind::DiagnosticsStatus => Ok(v16::MessageTrigger::DiagnosticsStatusNotification),
        // Only the security extension's ExtendedTriggerMessage asks for these.
        TriggerKind::LogStatus => Err(v16::ExtendedMessageTrigger::LogStatusNotification),
        TriggerKind::SignCertificate => Err(v16::ExtendedMessageTrigger::SignChargePointCertificate),
    }
}

/// The 1.6 request of a command whose settings are named as 1.6 names them.
fn encode(command: &StationCommand) -> Result<Req, CommandFailure> {
    Ok(match command {
        StationCommand::Reset(kind) => Req::from(v16::ResetRequest {
            kind: match kind {
                ResetType::Soft => v16::ResetType::Soft,
                ResetType::Hard => v16::ResetType::Hard,
            },
        }),
        StationCommand::RequestStart(r) => Req::from(v16::RemoteStartTransactionRequest {
            connector_id: r.evse.map(|e| connector_of("evse", e)).transpose()?,
            id_tag: r.id_token.to_string(),
            charging_profile: r.charging_profile.as_ref().map(|p| profile_of("charging_profile", p)).transpose()?,
        }),
        StationCommand::RequestStop { transaction_id } => Req::from(v16::RemoteStopTransactionRequest {
            transaction_id: transaction_of("transaction_id", transaction_id)?,
        }),
        StationCommand::Unlock(evse) => {
            Req::from(v16::UnlockConnectorRequest { connector_id: connector_of("evse", *evse)? })
        }
        StationCommand::ChangeAvailability { target, availability } => Req::from(v16::ChangeAvailabilityRequest {
            connector_id: target_of("target", *target)?,
            kind: match availability {
                Availability::Operative => v16::AvailabilityType::Operative,
                Availability::Inoperative => v16::AvailabilityType::Inoperative,
            },
        }),
        StationCommand::ReadSettings { keys } => Req::from(v16::GetConfigurationRequest {
            key: (!keys.is_empty()).then(|| keys.iter().map(|k| k.to_string()).collect()),
        }),
        StationCommand::ChangeSetting { key, value } => {
            Req::from(v16::ChangeConfigurationRequest { key: key.to_string(), value: value.clone() })
        }
        StationCommand::Trigger { message, target } => {
            let connector_id = target.map(|t| target_of("target", t)).transpose()?;
            match trigger_of(*message) {
                Ok(requested_message) => Req::from(v16::TriggerMessageRequest { requested_message, connector_id }),
                Err(requested_message) => {
                    Req::from(v16::ExtendedTriggerMessageRequest { requested_message, connector_id })
                }
            }
        }
        StationCommand::ClearCache => Req::from(v16::ClearCacheRequest {}),
        StationCommand::SendLocalList(update) => Req::from(v16::SendLocalListRequest {
            list_version: update.version,
            local_authorization_list: Some(
                update
                    .entries
                    .iter()
                    .map(|e| v16::AuthorizationData {
                        id_tag: e.id_token.to_string(),
                        id_tag_info: e.info.as_ref().map(|i| v16::IdTagInfo {
                            expiry_date: i.expires_at,
                            parent_id_tag: i.parent.as_ref().map(|p| p.to_string()),
                            status: super::authorization_status(i.status),
                        }),
                    })
                    .collect(),
            ),
            update_type: match update.update_type {
                UpdateType::Full => v16::UpdateType::Full,
                UpdateType::Differential => v16::UpdateType::Differential,
            },
        }),
        StationCommand::GetLocalListVersion => Req::from(v16::GetLocalListVersionRequest {}),
        StationCommand::ReserveNow(r) => Req::from(v16::ReserveNowRequest {
            connector_id: target_of("target", r.target)?,
            expiry_date: r.expires_at,
            id_tag: r.id_token.to_string(),
            parent_id_tag: r.parent.as_ref().map(|p| p.to_string()),
            reservation_id: r.reservation_id,
        }),
        StationCommand::CancelReservation { reservation_id } => {
            Req::from(v16::CancelReservationRequest { reservation_id: *reservation_id })
        }
        StationCommand::SetChargingProfile { target, profile } => Req::from(v16::SetChargingProfileRequest {
            connector_id: target_of("target", *target)?,
            cs_charging_profiles: profile_of("profile", profile)?,
        }),
        StationCommand::ClearChargingProfiles(c) => Req::from(v16::ClearChargingProfileRequest {
            id: c.id,
            connector_id: c.target.map(|t| target_of("target", t)).transpose()?,
            charging_profile_purpose: c.purpose.map(purpose_of),
            stack_level: opt_int("stack_level", c.stack_level)?,
        }),
        StationCommand::GetCompositeSchedule { target, duration_secs, unit } => {
            Req::from(v16::GetCompositeScheduleRequest {
                connector_id: target_of("target", *target)?,
                duration: int("duration_secs", *duration_secs)?,
                charging_rate_unit: unit.as_ref().map(unit_of),
            })
        }
        StationCommand::UpdateFirmware(f) => match &f.signed {
            None => Req::from(v16::UpdateFirmwareRequest {
                location: f.location.clone(),
                retries: opt_int("retries", f.retries)?,
                retrieve_date: f.retrieve_at,
                retry_interval: opt_int("retry_interval_secs", f.retry_interval_secs)?,
            }),
            Some(s) => Req::from(v16::SignedUpdateFirmwareRequest {
                retries: opt_int("retries", f.retries)?,
                retry_interval: opt_int("retry_interval_secs", f.retry_interval_secs)?,
                request_id: s.request_id,
                firmware: v16::Firmware {
                    location: f.location.clone(),
                    retrieve_date_time: f.retrieve_at,
                    install_date_time: s.install_at,
                    signing_certificate: s.signing_certificate.clone(),
                    signature: s.signature.clone(),
                },
            }),
        },
        StationCommand::UploadLog(l) => match (l.kind, l.request_id) {
            (LogKind::Diagnostics, None) => Req::from(v16::GetDiagnosticsRequest {
                location: l.location.clone(),
                retries: opt_int("retries", l.retries)?,
                retry_interval: opt_int("retry_interval_secs", l.retry_interval_secs)?,
                start_time: l.oldest,
                stop_time: l.latest,
            }),
            (LogKind::Security, None) => {
                return Err(invalid("request_id", "a 1.6 station uploads its security log (GetLog) for a request id"));
            }
            (kind, Some(request_id)) => Req::from(v16::GetLogRequest {
                log: v16::LogParameters {
                    remote_location: l.location.clone(),
                    oldest_timestamp: l.oldest,
                    latest_timestamp: l.latest,
                },
                log_type: match kind {
                    LogKind::Diagnostics => v16::LogType::DiagnosticsLog,
                    LogKind::Security => v16::LogType::SecurityLog,
                },
                request_id,
                retries: opt_int("retries", l.retries)?,
                retry_interval: opt_int("retry_interval_secs", l.retry_interval_secs)?,
            }),
        },
        StationCommand::DataTransfer(d) => Req::from(v16::DataTransferRequest {
            vendor_id: d.vendor_id.clone(),
            message_id: d.message_id.clone(),
            data: d.data.clone(),
        }),
        StationCommand::InstallCertificate { kind, certificate } => Req::from(v16::InstallCertificateRequest {
            certificate_type: certificate_use("kind", *kind)?,
            certificate: certificate.clone(),
        }),
        StationCommand::DeleteCertificate(hash) => {
            Req::from(v16::DeleteCertificateRequest { certificate_hash_data: hash_of(hash) })
        }
        StationCommand::ListCertificates { kind } => {
            Req::from(v16::GetInstalledCertificateIdsRequest { certificate_type: certificate_use("kind", *kind)? })
        }
        StationCommand::CertificateSigned { chain } => {
            Req::from(v16::CertificateSignedRequest { certificate_chain: chain.clone() })
        }
    })
}

// --- reading 1.6 into the vocabulary ---

fn evse_from(connector: i32) -> Option<Evse> {
    Evse::new(u32::try_from(connector).ok()?).ok()
}

fn target_from(connector: i32) -> Option<Target> {
    if connector == 0 { Some(Target::Station) } else { evse_from(connector).map(Target::Evse) }
}

fn purpose_from(p: &v16::ChargingProfilePurposeType) -> ProfilePurpose {
    match p {
        v16::ChargingProfilePurposeType::ChargePointMaxProfile => ProfilePurpose::StationMax,
        v16::ChargingProfilePurposeType::TxDefaultProfile => ProfilePurpose::TxDefault,
        v16::ChargingProfilePurposeType::TxProfile => ProfilePurpose::Tx,
    }
}

fn unit_from(u: &v16::ChargingRateUnitType) -> RateUnit {
    match u {
        v16::ChargingRateUnitType::A => RateUnit::Amperes,
        v16::ChargingRateUnitType::W => RateUnit::Watts,
        v16::ChargingRateUnitType::Other(other) => RateUnit::Other(other.clone()),
    }
}

/// Negative where 1.6 itself allows none: `Err` with the property path.
fn count(path: String, n: i32) -> Result<u32, (String, String)> {
    u32::try_from(n).map_err(|_| (path, format!("{n} is negative")))
}

fn schedule_from(path: &str, s: &v16::ChargingSchedule) -> Result<ChargingSchedule, (String, String)> {
    Ok(ChargingSchedule {
        duration_secs: s.duration.map(|d| count(format!("{path}duration"), d)).transpose()?,
        start: s.start_schedule,
        unit: unit_from(&s.charging_rate_unit),
        periods: s
            .charging_schedule_period
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let at = |name: &str| format!("{path}chargingSchedulePeriod[{i}].{name}");
                Ok(SchedulePeriod {
                    start_secs: count(at("startPeriod"), p.start_period)?,
                    limit: p.limit,
                    phases: p.number_phases.map(|n| count(at("numberPhases"), n)).transpose()?,
                })
            })
            .collect::<Result<_, (String, String)>>()?,
        min_rate: s.min_charging_rate,
    })
}

fn profile_from(p: &v16::ChargingProfile) -> Result<ChargingProfile, (String, String)> {
    Ok(ChargingProfile {
        id: p.charging_profile_id,
        transaction_id: p.transaction_id.map(|t| t.to_string()),
        stack_level: count("stackLevel".into(), p.stack_level)?,
        purpose: purpose_from(&p.charging_profile_purpose),
        kind: match p.charging_profile_kind {
            v16::ChargingProfileKindType::Absolute => ProfileKind::Absolute,
            v16::ChargingProfileKindType::Recurring => ProfileKind::Recurring,
            v16::ChargingProfileKindType::Relative => ProfileKind::Relative,
        },
        recurrency: p.recurrency_kind.as_ref().map(|r| match r {
            v16::RecurrencyKindType::Daily => Recurrency::Daily,
            v16::RecurrencyKindType::Weekly => Recurrency::Weekly,
        }),
        valid_from: p.valid_from,
        valid_to: p.valid_to,
        schedule: schedule_from("chargingSchedule.", &p.charging_schedule)?,
    })
}

/// A 1.6 ChargingProfile (§7.8) as written by someone (the remote-start shortcut takes one), validated as
/// a station would. `Invalid` names the path inside the profile, none for the profile as a whole.
pub(crate) fn charging_profile(value: &Value) -> Result<ChargingProfile, CommandFailure> {
    let profile = v16::decode::<v16::ChargingProfile>(value).map_err(|e| CommandFailure::Invalid {
        field: wire_path(&e.description).filter(|p| p != "payload"),
        message: e.description,
    })?;
    profile_from(&profile).map_err(|(path, message)| invalid(path.clone(), format!("{path}: {message}")))
}

fn certificate_kind(u: &v16::CertificateUse) -> CertificateKind {
    match u {
        v16::CertificateUse::CentralSystemRootCertificate => CertificateKind::CentralSystemRoot,
        v16::CertificateUse::ManufacturerRootCertificate => CertificateKind::ManufacturerRoot,
    }
}

fn hash_from(h: &v16::CertificateHashData) -> CertificateHash {
    CertificateHash {
        algorithm: match &h.hash_algorithm {
            v16::HashAlgorithm::SHA256 => HashAlgorithm::Sha256,
            v16::HashAlgorithm::SHA384 => HashAlgorithm::Sha384,
            v16::HashAlgorithm::SHA512 => HashAlgorithm::Sha512,
            v16::HashAlgorithm::Other(a) => HashAlgorithm::Other(a.clone()),
        },
        issuer_name_hash: h.issuer_name_hash.clone(),
        issuer_key_hash: h.issuer_key_hash.clone(),
        serial_number: h.serial_number.clone(),
    }
}

/// The command a valid 1.6 request stands for; `None` where a value has no place in the vocabulary (an
/// idTag that is no token, e.g. empty, which the 1.6 schema lets through).
pub(crate) fn typed(request: &Req) -> Option<StationCommand> {
    Some(match request {
        Req::Reset(r) => StationCommand::Reset(match r.kind {
            v16::ResetType::Soft => ResetType::Soft,
            v16::ResetType::Hard => ResetType::Hard,
        }),
        Req::RemoteStartTransaction(r) => StationCommand::RequestStart(RequestStart {
            evse: match r.connector_id {
                Some(c) => Some(evse_from(c)?),
                None => None,
            },
            id_token: IdTag::parse(&r.id_tag).ok()?,
            charging_profile: match &r.charging_profile {
                Some(p) => Some(profile_from(p).ok()?),
                None => None,
            },
            remote_start_id: None,
        }),
        Req::RemoteStopTransaction(r) => StationCommand::RequestStop { transaction_id: r.transaction_id.to_string() },
        Req::UnlockConnector(r) => StationCommand::Unlock(evse_from(r.connector_id)?),
        Req::ChangeAvailability(r) => StationCommand::ChangeAvailability {
            target: target_from(r.connector_id)?,
            availability: match r.kind {
                v16::AvailabilityType::Operative => Availability::Operative,
                v16::AvailabilityType::Inoperative => Availability::Inoperative,
            },
        },
        Req::GetConfiguration(r) => StationCommand::ReadSettings {
            keys: r.key.iter().flatten().map(|k| SettingKey::Configuration(k.clone())).collect(),
        },
        Req::ChangeConfiguration(r) => {
            StationCommand::ChangeSetting { key: SettingKey::Configuration(r.key.clone()), value: r.value.clone() }
        }
        Req::TriggerMessage(r) => StationCommand::Trigger {
            message: match r.requested_message {
                v16::MessageTrigger::BootNotification => TriggerKind::BootNotification,
                v16::MessageTrigger::DiagnosticsStatusNotification => TriggerKind::DiagnosticsStatus,
                v16::MessageTrigger::FirmwareStatusNotification => TriggerKind::FirmwareStatus,
                v16::MessageTrigger::Heartbeat => TriggerKind::Heartbeat,
                v16::MessageTrigger::MeterValues => TriggerKind::MeterValues,
                v16::MessageTrigger::StatusNotification => TriggerKind::StatusNotification,
            },
            target: match r.connector_id {
                Some(c) => Some(target_from(c)?),
                None => None,
            },
        },
        Req::ExtendedTriggerMessage(r) => StationCommand::Trigger {
            message: match r.requested_message {
                v16::ExtendedMessageTrigger::BootNotification => TriggerKind::BootNotification,
                v16::ExtendedMessageTrigger::LogStatusNotification => TriggerKind::LogStatus,
                v16::ExtendedMessageTrigger::FirmwareStatusNotification => TriggerKind::FirmwareStatus,
                v16::ExtendedMessageTrigger::Heartbeat => TriggerKind::Heartbeat,
                v16::ExtendedMessageTrigger::MeterValues => TriggerKind::MeterValues,
                v16::ExtendedMessageTrigger::SignChargePointCertificate => TriggerKind::SignCertificate,
                v16::ExtendedMessageTrigger::StatusNotification => TriggerKind::StatusNotification,
            },
            target: match r.connector_id {
                Some(c) => Some(target_from(c)?),
                None => None,
            },
        },
        Req::ClearCache(_) => StationCommand::ClearCache,
        Req::SendLocalList(r) => StationCommand::SendLocalList(LocalListUpdate {
            version: r.list_version,
            update_type: match r.update_type {
                v16::UpdateType::Full => UpdateType::Full,
                v16::UpdateType::Differential => UpdateType::Differential,
            },
            entries: r
                .local_authorization_list
                .iter()
                .flatten()
                .map(|d| {
                    let info = match &d.id_tag_info {
                        Some(i) => Some(TokenInfo {
                            status: super::authorization_from(&i.status),
                            expires_at: i.expiry_date,
                            parent: match &i.parent_id_tag {
                                Some(p) => Some(IdTag::parse(p).ok()?),
                                None => None,
                            },
                        }),
                        None => None,
                    };
                    Some(LocalListEntry { id_token: IdTag::parse(&d.id_tag).ok()?, info })
                })
                .collect::<Option<_>>()?,
        }),
        Req::GetLocalListVersion(_) => StationCommand::GetLocalListVersion,
        Req::ReserveNow(r) => StationCommand::ReserveNow(Reservation {
            reservation_id: r.reservation_id,
            target: target_from(r.connector_id)?,
            expires_at: r.expiry_date,
            id_token: IdTag::parse(&r.id_tag).ok()?,
            parent: match &r.parent_id_tag {
                Some(p) => Some(IdTag::parse(p).ok()?),
                None => None,
            },
        }),
        Req::CancelReservation(r) => StationCommand::CancelReservation { reservation_id: r.reservation_id },
        Req::SetChargingProfile(r) => StationCommand::SetChargingProfile {
            target: target_from(r.connector_id)?,
            profile: profile_from(&r.cs_charging_profiles).ok()?,
        },
        Req::ClearChargingProfile(r) => StationCommand::ClearChargingProfiles(ClearProfiles {
            id: r.id,
            target: match r.connector_id {
                Some(c) => Some(target_from(c)?),
                None => None,
            },
            purpose: r.charging_profile_purpose.as_ref().map(purpose_from),
            stack_level: match r.stack_level {
                Some(s) => Some(u32::try_from(s).ok()?),
                None => None,
            },
        }),
        Req::GetCompositeSchedule(r) => StationCommand::GetCompositeSchedule {
            target: target_from(r.connector_id)?,
            duration_secs: u32::try_from(r.duration).ok()?,
            unit: r.charging_rate_unit.as_ref().map(unit_from),
        },
        Req::UpdateFirmware(r) => StationCommand::UpdateFirmware(FirmwareUpdate {
            location: r.location.clone(),
            retrieve_at: r.retrieve_date,
            retries: match r.retries {
                Some(n) => Some(u32::try_from(n).ok()?),
                None => None,
            },
            retry_interval_secs: match r.retry_interval {
                Some(n) => Some(u32::try_from(n).ok()?),
                None => None,
            },
            signed: None,
        }),
        Req::SignedUpdateFirmware(r) => StationCommand::UpdateFirmware(FirmwareUpdate {
            location: r.firmware.location.clone(),
            retrieve_at: r.firmware.retrieve_date_time,
            retries: match r.retries {
                Some(n) => Some(u32::try_from(n).ok()?),
                None => None,
            },
            retry_interval_secs: match r.retry_interval {
                Some(n) => Some(u32::try_from(n).ok()?),
                None => None,
            },
            signed: Some(SignedFirmware {
                request_id: r.request_id,
                install_at: r.firmware.install_date_time,
                signing_certificate: r.firmware.signing_certificate.clone(),
                signature: r.firmware.signature.clone(),
            }),
        }),
        Req::GetDiagnostics(r) => StationCommand::UploadLog(LogUpload {
            kind: LogKind::Diagnostics,
            location: r.location.clone(),
            request_id: None,
            oldest: r.start_time,
            latest: r.stop_time,
            retries: match r.retries {
                Some(n) => Some(u32::try_from(n).ok()?),
                None => None,
            },
            retry_interval_secs: match r.retry_interval {
                Some(n) => Some(u32::try_from(n).ok()?),
                None => None,
            },
        }),
        Req::GetLog(r) => StationCommand::UploadLog(LogUpload {
            kind: match r.log_type {
                v16::LogType::DiagnosticsLog => LogKind::Diagnostics,
                v16::LogType::SecurityLog => LogKind::Security,
            },
            location: r.log.remote_location.clone(),
            request_id: Some(r.request_id),
            oldest: r.log.oldest_timestamp,
            latest: r.log.latest_timestamp,
            retries: match r.retries {
                Some(n) => Some(u32::try_from(n).ok()?),
                None => None,
            },
            retry_interval_secs: match r.retry_interval {
                Some(n) => Some(u32::try_from(n).ok()?),
                None => None,
            },
        }),
        Req::DataTransfer(r) => StationCommand::DataTransfer(DataTransfer {
            vendor_id: r.vendor_id.clone(),
            message_id: r.message_id.clone(),
            data: r.data.clone(),
        }),
        Req::InstallCertificate(r) => StationCommand::InstallCertificate {
            kind: certificate_kind(&r.certificate_type),
            certificate: r.certificate.clone(),
        },
        Req::DeleteCertificate(r) => StationCommand::DeleteCertificate(hash_from(&r.certificate_hash_data)),
        Req::GetInstalledCertificateIds(r) => {
            StationCommand::ListCertificates { kind: certificate_kind(&r.certificate_type) }
        }
        Req::CertificateSigned(r) => StationCommand::CertificateSigned { chain: r.certificate_chain.clone() },
    })
}

// --- answers ---

fn read<T: v16::Response>(answer: &Value) -> Result<T, UnreadableAnswer> {
    v16::decode_response::<T>(answer)
        .map_err(|e| UnreadableAnswer(format!("answer does not fit OCPP 1.6: {}", e.description)))
}

fn status(name: &str) -> CommandStatus {
    CommandStatus::from_name(name)
}

/// The station's CALLRESULT to `request`, read.
pub(crate) fn outcome(request: &Req, answer: &Value) -> Result<Outcome, UnreadableAnswer> {
    let verdict = |name: &str| Ok(Outcome::Status(status(name)));
    match request {
        Req::CancelReservation(_) => verdict(read::<v16::CancelReservationResponse>(answer)?.status.as_str()),
        Req::ChangeAvailability(_) => verdict(read::<v16::ChangeAvailabilityResponse>(answer)?.status.as_str()),
        Req::ChangeConfiguration(_) => verdict(read::<v16::ChangeConfigurationResponse>(answer)?.status.as_str()),
        Req::ClearCache(_) => verdict(read::<v16::ClearCacheResponse>(answer)?.status.as_str()),
        Req::ClearChargingProfile(_) => verdict(read::<v16::ClearChargingProfileResponse>(answer)?.status.as_str()),
        Req::RemoteStartTransaction(_) => verdict(read::<v16::RemoteStartTransactionResponse>(answer)?.status.as_str()),
        Req::RemoteStopTransaction(_) => verdict(read::<v16::RemoteStopTransactionResponse>(answer)?.status.as_str()),
        Req::ReserveNow(_) => verdict(read::<v16::ReserveNowResponse>(answer)?.status.as_str()),
        Req::Reset(_) => verdict(read::<v16::ResetResponse>(answer)?.status.as_str()),
        Req::SendLocalList(_) => verdict(read::<v16::SendLocalListResponse>(answer)?.status.as_str()),
        Req::SetChargingProfile(_) => verdict(read::<v16::SetChargingProfileResponse>(answer)?.status.as_str()),
        Req::TriggerMessage(_) => verdict(read::<v16::TriggerMessageResponse>(answer)?.status.as_str()),
        Req::UnlockConnector(_) => verdict(read::<v16::UnlockConnectorResponse>(answer)?.status.as_str()),
        Req::CertificateSigned(_) => verdict(read::<v16::CertificateSignedResponse>(answer)?.status.as_str()),
        Req::DeleteCertificate(_) => verdict(read::<v16::DeleteCertificateResponse>(answer)?.status.as_str()),
        Req::ExtendedTriggerMessage(_) => verdict(read::<v16::ExtendedTriggerMessageResponse>(answer)?.status.as_str()),
        Req::InstallCertificate(_) => verdict(read::<v16::InstallCertificateResponse>(answer)?.status.as_str()),
        Req::SignedUpdateFirmware(_) => verdict(read::<v16::SignedUpdateFirmwareResponse>(answer)?.status.as_str()),
        Req::UpdateFirmware(_) => read::<v16::UpdateFirmwareResponse>(answer).map(|_| Outcome::Acknowledged),
        Req::DataTransfer(_) => {
            let r = read::<v16::DataTransferResponse>(answer)?;
            Ok(Outcome::DataTransfer { status: status(r.status.as_str()), data: r.data })
        }
        Req::GetConfiguration(_) => {
            let r = read::<v16::GetConfigurationResponse>(answer)?;
            Ok(Outcome::Settings(SettingsRead {
                values: r
                    .configuration_key
                    .unwrap_or_default()
                    .into_iter()
                    .map(|k| SettingValue {
                        key: SettingKey::Configuration(k.key),
                        value: k.value,
                        readonly: k.readonly,
                    })
                    .collect(),
                unknown: r.unknown_key.unwrap_or_default().into_iter().map(SettingKey::Configuration).collect(),
            }))
        }
        Req::GetLocalListVersion(_) => {
            read::<v16::GetLocalListVersionResponse>(answer).map(|r| Outcome::LocalListVersion(r.list_version))
        }
        Req::GetCompositeSchedule(_) => {
            let r = read::<v16::GetCompositeScheduleResponse>(answer)?;
            let schedule = r
                .charging_schedule
                .as_ref()
                .map(|s| schedule_from("chargingSchedule.", s))
                .transpose()
                .map_err(|(path, e)| UnreadableAnswer(format!("answer does not fit OCPP 1.6: {path}: {e}")))?;
            Ok(Outcome::CompositeSchedule(CompositeSchedule {
                status: status(r.status.as_str()),
                target: r.connector_id.and_then(target_from),
                start: r.schedule_start,
                schedule,
            }))
        }
        Req::GetInstalledCertificateIds(_) => {
            let r = read::<v16::GetInstalledCertificateIdsResponse>(answer)?;
            Ok(Outcome::Certificates {
                status: status(r.status.as_str()),
                hashes: r.certificate_hash_data.iter().flatten().map(hash_from).collect(),
            })
        }
        Req::GetDiagnostics(_) => read::<v16::GetDiagnosticsResponse>(answer)
            .map(|r| Outcome::Upload { status: None, file_name: r.file_name }),
        Req::GetLog(_) => {
            let r = read::<v16::GetLogResponse>(answer)?;
            Ok(Outcome::Upload { status: Some(status(r.status.as_str())), file_name: r.filename })
        }
    }
}

// --- the history and the stored configuration ---

/// The kind of command a 1.6 action is.
pub(crate) fn classify(action: &str) -> Option<CommandKind> {
    const KINDS: [(&str, CommandKind); 26] = [
        (v16::CancelReservationRequest::ACTION, CommandKind::CancelReservation),
        (v16::ChangeAvailabilityRequest::ACTION, CommandKind::ChangeAvailability),
        (v16::ChangeConfigurationRequest::ACTION, CommandKind::ChangeSetting),
        (v16::ClearCacheRequest::ACTION, CommandKind::ClearCache),
        (v16::ClearChargingProfileRequest::ACTION, CommandKind::ClearChargingProfiles),
        (v16::DataTransferRequest::ACTION, CommandKind::DataTransfer),
        (v16::GetCompositeScheduleRequest::ACTION, CommandKind::GetCompositeSchedule),
        (v16::GetConfigurationRequest::ACTION, CommandKind::ReadSettings),
        (v16::GetDiagnosticsRequest::ACTION, CommandKind::UploadLog),
        (v16::GetLocalListVersionRequest::ACTION, CommandKind::GetLocalListVersion),
        (v16::RemoteStartTransactionRequest::ACTION, CommandKind::RequestStart),
        (v16::RemoteStopTransactionRequest::ACTION, CommandKind::RequestStop),
        (v16::ReserveNowRequest::ACTION, CommandKind::ReserveNow),
        (v16::ResetRequest::ACTION, CommandKind::Reset),
        (v16::SendLocalListRequest::ACTION, CommandKind::SendLocalList),
        (v16::SetChargingProfileRequest::ACTION, CommandKind::SetChargingProfile),
        (v16::TriggerMessageRequest::ACTION, CommandKind::Trigger),
        (v16::UnlockConnectorRequest::ACTION, CommandKind::Unlock),
        (v16::UpdateFirmwareRequest::ACTION, CommandKind::UpdateFirmware),
        (v16::CertificateSignedRequest::ACTION, CommandKind::CertificateSigned),
        (v16::DeleteCertificateRequest::ACTION, CommandKind::DeleteCertificate),
        (v16::ExtendedTriggerMessageRequest::ACTION, CommandKind::Trigger),
        (v16::GetInstalledCertificateIdsRequest::ACTION, CommandKind::ListCertificates),
        (v16::GetLogRequest::ACTION, CommandKind::UploadLog),
        (v16::InstallCertificateRequest::ACTION, CommandKind::InstallCertificate),
        (v16::SignedUpdateFirmwareRequest::ACTION, CommandKind::UpdateFirmware),
    ];
    KINDS.iter().find(|(a, _)| *a == action).map(|(_, kind)| *kind)
}

/// A recorded 1.6 command read back, with its answer when there is one.
pub(crate) fn recorded(action: &str, payload: &Value, answer: Option<&Value>) -> Option<Recorded> {
    let request = Req::decode(action, payload).ok()?;
    let command = typed(&request)?;
    Some(Recorded { command, outcome: answer.map(|a| outcome(&request, a)) })
}

/// What a 1.6 station's stored configuration (`stored`: key and value as read from it) says of a known
/// setting. Keys are matched ignoring case (1.6 keys are CiString50).
pub(crate) fn known_setting(setting: KnownSetting, stored: &[(&str, Option<&str>)]) -> Option<String> {
    let key = key_of(setting);
    let value = stored.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).and_then(|(_, v)| *v).map(str::trim)?;
    Some(match setting {
        KnownSetting::LocalListAvailable => {
            value.split(',').any(|p| p.trim().eq_ignore_ascii_case(LOCAL_LIST_PROFILE)).to_string()
        }
        _ => value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(action: &str, payload: Value) -> (Option<String>, String) {
        match validate(action, &payload) {
            Err(CommandFailure::Invalid { field, message }) => (field, message),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn valid_commands_pass() {
        assert!(validate("Reset", &json!({"type": "Hard"})).is_ok());
        assert!(validate("GetConfiguration", &json!({})).is_ok());
        assert!(validate("RemoteStartTransaction", &json!({"idTag": "TAG", "connectorId": 1})).is_ok());
    }

    #[test]
    fn the_field_at_fault_is_named() {
        let (field, message) = refused("Reset", json!({"type": "Medium"}));
        assert_eq!(field.as_deref(), Some("payload.type"), "{message}");
        let (field, _) = refused("RemoteStartTransaction", json!({"idTag": "TAG", "connectorId": 0}));
        assert_eq!(field.as_deref(), Some("payload.connectorId"));
        let (field, _) = refused("ChangeConfiguration", json!({"key": "K"}));
        assert_eq!(field.as_deref(), Some("payload.value"));
    }

    #[test]
    fn actions_that_are_not_commands_are_refused() {
        let (field, message) = refused("BootNotification", json!({}));
        assert_eq!(field.as_deref(), Some("action"));
        assert!(message.contains("sent by stations"), "{message}");
        let (_, message) = refused("reset", json!({"type": "Hard"}));
        assert!(message.contains("not an OCPP 1.6 action"), "{message}");
    }

    fn wire(command: StationCommand) -> (String, Value) {
        let p = prepare(&command).expect("prepared");
        (p.request.action().to_string(), p.payload)
    }

    fn tag(s: &str) -> IdTag {
        IdTag::parse(s).expect("tag")
    }

    #[test]
    fn typed_commands_say_what_the_api_always_sent() {
        assert_eq!(wire(StationCommand::Reset(ResetType::Soft)), ("Reset".into(), json!({"type": "Soft"})));
        let start = RequestStart {
            evse: Some(Evse::new(2).unwrap()),
            id_token: tag("TAG-1"),
            charging_profile: None,
            remote_start_id: Some(7),
        };
        assert_eq!(
            wire(StationCommand::RequestStart(start)),
            ("RemoteStartTransaction".into(), json!({"connectorId": 2, "idTag": "TAG-1"}))
        );
        assert_eq!(
            wire(StationCommand::RequestStop { transaction_id: "42".into() }),
            ("RemoteStopTransaction".into(), json!({"transactionId": 42}))
        );
        assert_eq!(
            wire(StationCommand::ChangeAvailability {
                target: Target::Station,
                availability: Availability::Inoperative
            }),
            ("ChangeAvailability".into(), json!({"connectorId": 0, "type": "Inoperative"}))
        );
        assert_eq!(
            wire(StationCommand::Trigger { message: TriggerKind::BootNotification, target: None }),
            ("TriggerMessage".into(), json!({"requestedMessage": "BootNotification"}))
        );
        assert_eq!(
            wire(StationCommand::Trigger { message: TriggerKind::SignCertificate, target: None }).0,
            "ExtendedTriggerMessage",
            "only the security extension asks for a new certificate"
        );
        assert_eq!(wire(StationCommand::ReadSettings { keys: vec![] }), ("GetConfiguration".into(), json!({})));
        assert_eq!(wire(StationCommand::ClearCache), ("ClearCache".into(), json!({})));
    }

    #[test]
    fn known_settings_are_the_one_six_keys() {
        let keys = [
            KnownSetting::LocalListAvailable,
            KnownSetting::LocalListEnabled,
            KnownSetting::LocalListMaxLength,
            KnownSetting::SendLocalListMaxLength,
        ];
        let read = StationCommand::ReadSettings { keys: keys.into_iter().map(SettingKey::Known).collect() };
        let prepared = prepare(&read).expect("prepared");
        assert_eq!(
            prepared.payload,
            json!({"key": ["SupportedFeatureProfiles", "LocalAuthListEnabled", "LocalAuthListMaxLength",
                           "SendLocalListMaxLength"]})
        );
        // The command the effects see names the keys as the station does (they are stored under it).
        let Some(StationCommand::ReadSettings { keys }) = prepared.command else { panic!("read") };
        assert_eq!(keys[1], SettingKey::Configuration("LocalAuthListEnabled".into()));
        let change = StationCommand::ChangeSetting {
            key: SettingKey::Known(KnownSetting::LocalListAvailable),
            value: "true".into(),
        };
        assert!(matches!(prepare(&change), Err(CommandFailure::Invalid { .. })), "a feature profile is read-only");

        let stored = [
            ("SupportedFeatureProfiles", Some("Core, FirmwareManagement,LocalAuthListManagement")),
            ("localauthlistenabled", Some(" TRUE ")),
            ("LocalAuthListMaxLength", Some("500")),
            ("SendLocalListMaxLength", None),
        ];
        let known = |s| known_setting(s, &stored);
        assert_eq!(known(KnownSetting::LocalListAvailable).as_deref(), Some("true"));
        assert_eq!(known(KnownSetting::LocalListEnabled).as_deref(), Some("TRUE"), "keys ignore case");
        assert_eq!(known(KnownSetting::LocalListMaxLength).as_deref(), Some("500"));
        assert_eq!(known(KnownSetting::SendLocalListMaxLength), None, "no value");
        assert_eq!(known(KnownSetting::HeartbeatInterval), None, "not read");
        let without = [("SupportedFeatureProfiles", Some("Core,RemoteTrigger"))];
        assert_eq!(known_setting(KnownSetting::LocalListAvailable, &without).as_deref(), Some("false"));
    }

    #[test]
    fn values_one_six_cannot_carry_are_refused_by_the_commands_own_name() {
        let stop = StationCommand::RequestStop { transaction_id: "tx-4f2".into() };
        let Err(CommandFailure::Invalid { field, .. }) = prepare(&stop) else { panic!("refused") };
        assert_eq!(field.as_deref(), Some("transaction_id"));
        let long = StationCommand::ChangeSetting { key: SettingKey::Configuration("K".repeat(51)), value: "1".into() };
        let Err(CommandFailure::Invalid { field, .. }) = prepare(&long) else { panic!("refused") };
        assert_eq!(field.as_deref(), Some("key"));
        let read = StationCommand::ReadSettings { keys: vec![SettingKey::Configuration("K".repeat(51))] };
        let Err(CommandFailure::Invalid { field, .. }) = prepare(&read) else { panic!("refused") };
        assert_eq!(field.as_deref(), Some("keys[0]"));
        let second = StationCommand::Unlock(Evse::with_connector(1, 2).unwrap());
        let Err(CommandFailure::Invalid { field, .. }) = prepare(&second) else { panic!("refused") };
        assert_eq!(field.as_deref(), Some("evse"), "1.6 has no connector within a connector");
        assert!(prepare(&StationCommand::Unlock(Evse::with_connector(3, 1).unwrap())).is_ok(), "its first is itself");
    }

    #[test]
    fn a_pass_through_is_the_command_it_stands_for_and_reads_back_the_same() {
        let payloads = [
            ("Reset", json!({"type": "Hard"})),
            (
                "RemoteStartTransaction",
                json!({"idTag": "TAG", "connectorId": 1, "chargingProfile": {
                "chargingProfileId": 1, "stackLevel": 0, "chargingProfilePurpose": "TxProfile",
                "chargingProfileKind": "Relative", "chargingSchedule": {"chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0, "numberPhases": 3}]}}}),
            ),
            ("RemoteStopTransaction", json!({"transactionId": 12})),
            ("UnlockConnector", json!({"connectorId": 2})),
            ("ChangeAvailability", json!({"connectorId": 0, "type": "Operative"})),
            ("GetConfiguration", json!({"key": ["A", "B"]})),
            ("ChangeConfiguration", json!({"key": "A", "value": "1"})),
            ("TriggerMessage", json!({"requestedMessage": "StatusNotification", "connectorId": 0})),
            ("ClearCache", json!({})),
            (
                "SendLocalList",
                json!({"listVersion": 3, "updateType": "Differential", "localAuthorizationList": [
                {"idTag": "A", "idTagInfo": {"status": "Blocked", "parentIdTag": "P"}}, {"idTag": "B"}]}),
            ),
            ("GetLocalListVersion", json!({})),
            (
                "ReserveNow",
                json!({"connectorId": 0, "expiryDate": "2026-01-01T10:00:00.000Z", "idTag": "T",
                "reservationId": 5}),
            ),
            ("CancelReservation", json!({"reservationId": 5})),
            ("ClearChargingProfile", json!({"connectorId": 1, "chargingProfilePurpose": "TxDefaultProfile"})),
            ("GetCompositeSchedule", json!({"connectorId": 1, "duration": 3600, "chargingRateUnit": "W"})),
            (
                "UpdateFirmware",
                json!({"location": "https://fw", "retrieveDate": "2026-01-01T10:00:00.000Z",
                "retries": 2}),
            ),
            ("GetDiagnostics", json!({"location": "ftp://logs", "retryInterval": 60})),
            ("GetLog", json!({"log": {"remoteLocation": "ftp://logs"}, "logType": "SecurityLog", "requestId": 9})),
            ("DataTransfer", json!({"vendorId": "com.acme", "messageId": "Url", "data": "wss://x"})),
            ("InstallCertificate", json!({"certificateType": "ManufacturerRootCertificate", "certificate": "PEM"})),
            ("GetInstalledCertificateIds", json!({"certificateType": "CentralSystemRootCertificate"})),
            ("CertificateSigned", json!({"certificateChain": "PEM"})),
            (
                "DeleteCertificate",
                json!({"certificateHashData": {"hashAlgorithm": "SHA256", "issuerNameHash": "a",
                "issuerKeyHash": "b", "serialNumber": "c"}}),
            ),
            (
                "SignedUpdateFirmware",
                json!({"requestId": 4, "firmware": {"location": "https://fw",
                "retrieveDateTime": "2026-01-01T10:00:00.000Z", "signingCertificate": "PEM", "signature": "c2ln"}}),
            ),
        ];
        for (action, payload) in payloads {
            let p = interpret(action, payload.clone()).expect(action);
            let command = p.command.unwrap_or_else(|| panic!("{action} is typed"));
            assert_eq!(classify(action), Some(command.kind()), "{action}");
            let again = prepare(&command).unwrap_or_else(|e| panic!("{action}: {e}"));
            assert_eq!(again.request.action(), action);
            assert_eq!(again.payload, p.request.to_payload(), "{action} reads back the same");
        }
        // An idTag the schema lets through but that is no token has no typed meaning (and no effects).
        let empty = interpret("RemoteStartTransaction", json!({"idTag": ""})).expect("valid 1.6");
        assert_eq!(empty.command, None);
    }

    #[test]
    fn answers_are_read_into_outcomes() {
        let p = |action: &str, payload: Value| interpret(action, payload).expect("valid").request;
        let reset = p("Reset", json!({"type": "Soft"}));
        assert_eq!(outcome(&reset, &json!({"status": "Accepted"})), Ok(Outcome::Status(CommandStatus::Accepted)));
        assert!(outcome(&reset, &json!({"state": "Accepted"})).is_err());
        let change = p("ChangeConfiguration", json!({"key": "K", "value": "V"}));
        assert_eq!(
            outcome(&change, &json!({"status": "rebootrequired"})),
            Ok(Outcome::Status(CommandStatus::RebootRequired)),
            "1.6 reads stations' statuses leniently"
        );
        let read = p("GetConfiguration", json!({}));
        let answer = json!({"configurationKey": [{"key": "A", "readonly": true, "value": "1"}], "unknownKey": ["B"]});
        let Ok(Outcome::Settings(settings)) = outcome(&read, &answer) else { panic!("settings") };
        assert_eq!(settings.values[0].key, SettingKey::Configuration("A".into()));
        assert_eq!(settings.unknown, vec![SettingKey::Configuration("B".into())]);
        let version = p("GetLocalListVersion", json!({}));
        assert_eq!(outcome(&version, &json!({"listVersion": -1})), Ok(Outcome::LocalListVersion(-1)));
        let Err(e) = outcome(&version, &json!({})) else { panic!("unreadable") };
        assert!(e.to_string().starts_with("answer does not fit OCPP 1.6: "), "{e}");
        let firmware = p("UpdateFirmware", json!({"location": "x", "retrieveDate": "2026-01-01T00:00:00Z"}));
        assert_eq!(outcome(&firmware, &json!({})), Ok(Outcome::Acknowledged));
        let unlock = p("UnlockConnector", json!({"connectorId": 1}));
        assert_eq!(
            outcome(&unlock, &json!({"status": "Jammed"})),
            Ok(Outcome::Status(CommandStatus::Other("Jammed".into())))
        );
    }

    #[test]
    fn a_charging_profile_is_read_with_its_paths() {
        let ok = json!({"chargingProfileId": 1, "transactionId": 77, "stackLevel": 2,
            "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Absolute",
            "chargingSchedule": {"chargingRateUnit": "W", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}]}});
        let profile = charging_profile(&ok).expect("profile");
        assert_eq!((profile.transaction_id.as_deref(), profile.stack_level), (Some("77"), 2));
        assert_eq!(profile.schedule.unit, RateUnit::Watts);
        let mut bad = ok.clone();
        bad["chargingSchedule"]["chargingRateUnit"] = json!(5);
        let Err(CommandFailure::Invalid { field, .. }) = charging_profile(&bad) else { panic!("refused") };
        assert_eq!(field.as_deref(), Some("chargingSchedule.chargingRateUnit"));
        let Err(CommandFailure::Invalid { field, .. }) = charging_profile(&json!("profile")) else { panic!("refused") };
        assert_eq!(field, None, "the profile as a whole");
        let mut phases = ok;
        phases["chargingSchedule"]["chargingSchedulePeriod"][0]["numberPhases"] = json!(-1);
        let Err(CommandFailure::Invalid { field, .. }) = charging_profile(&phases) else { panic!("refused") };
        assert_eq!(field.as_deref(), Some("chargingSchedule.chargingSchedulePeriod[0].numberPhases"));
    }
}
