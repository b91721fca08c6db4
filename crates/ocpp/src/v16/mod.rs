//! Typed OCPP 1.6J messages: every request and response of the Core, Firmware Management, Local Auth List
//! Management, Reservation, Remote Trigger and Smart Charging profiles, and of the security extension
//! (OCPP 1.6 Security Whitepaper, edition 3), in both directions.
//!
//! # Receiving
//!
//! [`ChargePointRequest::decode`] (central system side) and [`CentralSystemRequest::decode`] (station side)
//! turn the action and payload of a CALL into a typed request; [`decode_response`] does the same for the
//! payload of a CALLRESULT, given the response type (`R::Response` for a request type `R`). Decoding first
//! walks the payload over the message's description ([`schema`]) and only then hands it to serde, so that a
//! payload that is not acceptable gets the precise answer OCPP-J 1.6 §4.2.3 asks for:
//!
//! | problem | [`ErrorCode`] |
//! |---|---|
//! | action unknown to OCPP 1.6 (names are case-sensitive: `heartbeat` is unknown) | `NotImplemented` |
//! | action that exists in 1.6 but goes the other way (a station sending `Reset`) | `NotSupported` |
//! | payload not a JSON object, or a property the schema does not define (`additionalProperties: false`) | `FormationViolation` |
//! | required property missing, or an array shorter than its `minItems` | `OccurenceConstraintViolation` |
//! | value of the wrong JSON type (`"connectorId": "1"`, a non-integral number for an integer), or a dateTime that cannot be read | `TypeConstraintViolation` |
//! | string longer than its `maxLength`, number out of range (negative connectorId, an integer beyond `i32`), value of a strict enum outside its list | `PropertyConstraintViolation` |
//!
//! The description names the property path, e.g. `meterValue[0].sampledValue[1].unit: expected a string,
//! found a number`, and never echoes more than 40 characters of what was sent. Only the first problem found
//! is reported.
//!
//! # Leniency
//!
//! Real firmware is sloppy, and refusing a StopTransaction loses a session, so reading is forgiving where it
//! costs nothing in meaning:
//!
//! - **Enums** written by a charge point are *lenient*: any string is accepted, known values are matched
//!   exactly, then through aliases, then ignoring ASCII case and blanks, and anything else is kept as
//!   `Other(String)`. These are AvailabilityStatus, CancelReservationStatus, CertificateSignedStatus,
//!   ChargePointErrorCode, ChargePointStatus, ChargingProfileStatus, ChargingRateUnitType,
//!   ClearCacheStatus, ClearChargingProfileStatus, ConfigurationStatus, DataTransferStatus,
//!   DeleteCertificateStatus, DiagnosticsStatus, FirmwareStatus, GetCompositeScheduleStatus,
//!   GetInstalledCertificateStatus, HashAlgorithm, InstallCertificateStatus, Location, LogStatus, Measurand,
//!   Phase, ReadingContext, Reason, RemoteStartStopStatus, ReservationStatus, ResetStatus,
//!   SignedFirmwareStatus, TriggerMessageStatus, UnitOfMeasure (`Celcius` is read as `Celsius`),
//!   UnlockStatus, UpdateFirmwareStatus, UpdateStatus, UploadLogStatus, ValueFormat.
//!   Enums only the central system writes are *strict* (no `Other`, exact values only, so the server can
//!   match them exhaustively): AuthorizationStatus, AvailabilityType, CertificateUse,
//!   ChargingProfileKindType, ChargingProfilePurposeType, ExtendedMessageTrigger, GenericStatus, LogType,
//!   MessageTrigger, RecurrencyKindType, RegistrationStatus, ResetType, UpdateType.
//! - **dateTimes** are read without a zone (taken as UTC), with any offset, with a fraction of any length
//!   (see [`datetime::parse`]), and always written as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
//! - `null` for an optional property is read as absent; an integral float (`5.0`) counts as an integer.
//!
//! Stricter than the schemas, where the specification's text says so: connector ids, stack levels,
//! durations, retries and limits may not be negative, StartTransaction, RemoteStartTransaction and
//! UnlockConnector need connectorId > 0, and integers must fit `i32` (`i64` for meterStart and meterStop).
//!
//! # Sending
//!
//! Build the struct and serialise it with [`to_payload`] (or `CentralSystemRequest::to_payload`):
//!
//! ```
//! use ocpp::v16::*;
//! use serde_json::json;
//!
//! let now = chrono::Utc::now();
//! let boot = BootNotificationResponse { status: RegistrationStatus::Accepted, current_time: now, interval: 300 };
//! let payload = to_payload(&boot);
//! assert_eq!(payload["status"], "Accepted");
//!
//! let trigger = CentralSystemRequest::from(TriggerMessageRequest {
//!     requested_message: MessageTrigger::BootNotification,
//!     connector_id: None,
//! });
//! assert_eq!(trigger.action(), "TriggerMessage");
//! assert_eq!(trigger.to_payload(), json!({"requestedMessage": "BootNotification"}));
//!
//! // Its answer, from the station's CALLRESULT:
//! let answer = decode_response::<<TriggerMessageRequest as Request>::Response>(&json!({"status": "Accepted"}));
//! assert_eq!(answer.unwrap().status, TriggerMessageStatus::Accepted);
//! ```

#[macro_use]
mod macros;

mod core_profile;
pub mod datetime;
mod firmware;
mod local_auth_list;
mod remote_trigger;
mod reservation;
pub mod schema;
mod security;
mod smart_charging;

#[cfg(test)]
mod tests;

pub use core_profile::*;
pub use firmware::*;
pub use local_auth_list::*;
pub use remote_trigger::*;
pub use reservation::*;
pub use security::*;
pub use smart_charging::*;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{CallError, ErrorCode, MessageId};
use schema::{Described, Ty};

/// Why a payload was not accepted: the CALLERROR code and description to answer with (OCPP-J 1.6 §4.2.3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct DecodeError {
    pub code: ErrorCode,
    pub description: String,
}

impl DecodeError {
    /// The CALLERROR answering the CALL `id` whose payload was refused.
    pub fn to_call_error(&self, id: MessageId) -> CallError {
        CallError::new(id, self.code, self.description.clone())
    }
}

/// A request payload: the action it is sent as, and the type of its response.
pub trait Request: Described + Serialize + DeserializeOwned {
    const ACTION: &'static str;
    type Response: Response;
}

/// A response payload, and the action it answers.
pub trait Response: Described + Serialize + DeserializeOwned {
    const ACTION: &'static str;
}

/// Validates and decodes any message payload of type `T`. The error codes are those of the table above.
pub fn decode<T: Described + DeserializeOwned>(payload: &Value) -> Result<T, DecodeError> {
    let mut value = payload.clone();
    schema::validate(&T::TY, &mut value)?;
    // The description and the struct come from one macro; a payload the walk accepts but serde refuses is
    // our bug, not the sender's, hence InternalError.
    serde_json::from_value(value)
        .map_err(|e| DecodeError { code: ErrorCode::InternalError, description: format!("cannot decode: {e}") })
}

/// Validates and decodes the CALLRESULT payload of a CALL: `decode_response::<R::Response>(payload)` for a
/// request type `R`, e.g. `decode_response::<TriggerMessageResponse>`. There is no CALLERROR to a CALLRESULT;
/// the error is for the log (and to treat the call as failed).
pub fn decode_response<T: Response>(payload: &Value) -> Result<T, DecodeError> {
    decode(payload)
}

/// Serialises any message of this module to its payload.
///
/// # Panics
///
/// If `T`'s `Serialize` fails, which the types of this module never do (no maps with non-string keys, no
/// failing custom serialisers).
pub fn to_payload<T: Serialize>(message: &T) -> Value {
    serde_json::to_value(message).expect("OCPP messages serialise to JSON")
}

fn unknown_action(action: &str, other_direction: bool) -> DecodeError {
    let action: String = action.chars().take(40).collect();
    if other_direction {
        DecodeError {
            code: ErrorCode::NotSupported,
            description: format!("{action:?} is an OCPP 1.6 action, but not one sent in this direction"),
        }
    } else {
        DecodeError { code: ErrorCode::NotImplemented, description: format!("{action:?} is not an OCPP 1.6 action") }
    }
}

/// `a == b`, usable in the compile-time checks of the `actions!` macro.
const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Who writes a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    ChargePoint,
    CentralSystem,
}

impl Sender {
    pub const fn other(self) -> Sender {
        match self {
            Sender::ChargePoint => Sender::CentralSystem,
            Sender::CentralSystem => Sender::ChargePoint,
        }
    }
}

/// Whether a payload travels in a CALL or a CALLRESULT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Response,
}

/// One payload type of the catalogue, for tests and tools that go over all messages.
#[derive(Debug, Clone, Copy)]
pub struct MessageInfo {
    pub action: &'static str,
    /// Who writes this payload (for a response, the side that received the request).
    pub from: Sender,
    pub kind: Kind,
    pub ty: Ty,
    /// Decodes a payload as this type and serialises it again: the canonical payload, or the refusal.
    pub round_trip: fn(&Value) -> Result<Value, DecodeError>,
}

fn round_trip<T: Described + Serialize + DeserializeOwned>(payload: &Value) -> Result<Value, DecodeError> {
    decode::<T>(payload).map(|m| to_payload(&m))
}

/// Every payload type of OCPP 1.6J with the security extension: a request and a response per action and
/// direction (DataTransfer appears for both directions).
pub fn messages() -> impl Iterator<Item = &'static MessageInfo> {
    ChargePointRequest::MESSAGES.iter().chain(CentralSystemRequest::MESSAGES)
}

actions! {
    /// The requests a charge point sends to the central system (CALLs from the station).
    pub enum ChargePointRequest,
    /// The central system's answers to [`ChargePointRequest`]s (CALLRESULTs to the station).
    pub enum ChargePointResponse;
    sender ChargePoint, opposite CentralSystemRequest;
    Authorize(AuthorizeRequest, AuthorizeResponse),
    BootNotification(BootNotificationRequest, BootNotificationResponse),
    DataTransfer(DataTransferRequest, DataTransferResponse),
    DiagnosticsStatusNotification(DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse),
    FirmwareStatusNotification(FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse),
    Heartbeat(HeartbeatRequest, HeartbeatResponse),
    MeterValues(MeterValuesRequest, MeterValuesResponse),
    StartTransaction(StartTransactionRequest, StartTransactionResponse),
    StatusNotification(StatusNotificationRequest, StatusNotificationResponse),
    StopTransaction(StopTransactionRequest, StopTransactionResponse),
    LogStatusNotification(LogStatusNotificationRequest, LogStatusNotificationResponse),
    SecurityEventNotification(SecurityEventNotificationRequest, SecurityEventNotificationResponse),
    SignCertificate(SignCertificateRequest, SignCertificateResponse),
    SignedFirmwareStatusNotification(SignedFirmwareStatusNotificationRequest, SignedFirmwareStatusNotificationResponse),
}

actions! {
    /// The requests the central system sends to a charge point (CALLs to the station).
    pub enum CentralSystemRequest,
    /// A charge point's answers to [`CentralSystemRequest`]s (CALLRESULTs from the station).
    pub enum CentralSystemResponse;
    sender CentralSystem, opposite ChargePointRequest;
    CancelReservation(CancelReservationRequest, CancelReservationResponse),
    ChangeAvailability(ChangeAvailabilityRequest, ChangeAvailabilityResponse),
    ChangeConfiguration(ChangeConfigurationRequest, ChangeConfigurationResponse),
    ClearCache(ClearCacheRequest, ClearCacheResponse),
    ClearChargingProfile(ClearChargingProfileRequest, ClearChargingProfileResponse),
    DataTransfer(DataTransferRequest, DataTransferResponse),
    GetCompositeSchedule(GetCompositeScheduleRequest, GetCompositeScheduleResponse),
    GetConfiguration(GetConfigurationRequest, GetConfigurationResponse),
    GetDiagnostics(GetDiagnosticsRequest, GetDiagnosticsResponse),
    GetLocalListVersion(GetLocalListVersionRequest, GetLocalListVersionResponse),
    RemoteStartTransaction(RemoteStartTransactionRequest, RemoteStartTransactionResponse),
    RemoteStopTransaction(RemoteStopTransactionRequest, RemoteStopTransactionResponse),
    ReserveNow(ReserveNowRequest, ReserveNowResponse),
    Reset(ResetRequest, ResetResponse),
    SendLocalList(SendLocalListRequest, SendLocalListResponse),
    SetChargingProfile(SetChargingProfileRequest, SetChargingProfileResponse),
    TriggerMessage(TriggerMessageRequest, TriggerMessageResponse),
    UnlockConnector(UnlockConnectorRequest, UnlockConnectorResponse),
    UpdateFirmware(UpdateFirmwareRequest, UpdateFirmwareResponse),
    CertificateSigned(CertificateSignedRequest, CertificateSignedResponse),
    DeleteCertificate(DeleteCertificateRequest, DeleteCertificateResponse),
    ExtendedTriggerMessage(ExtendedTriggerMessageRequest, ExtendedTriggerMessageResponse),
    GetInstalledCertificateIds(GetInstalledCertificateIdsRequest, GetInstalledCertificateIdsResponse),
    GetLog(GetLogRequest, GetLogResponse),
    InstallCertificate(InstallCertificateRequest, InstallCertificateResponse),
    SignedUpdateFirmware(SignedUpdateFirmwareRequest, SignedUpdateFirmwareResponse),
}
