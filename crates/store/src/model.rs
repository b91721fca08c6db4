//! Rows the store reads and writes that are not domain types of their own.

use joule_core::meter::MeterSample;
use joule_core::session::Session;
use joule_core::station::{ConnectorStatus, StationState};
use joule_core::{IdTag, OperatorId, OperatorKey, StationId, Timestamp, TransactionId};

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
    pub active_only: bool,
    pub limit: Option<u32>,
}

/// A StopTransaction for a transaction Joule does not know, acknowledged and kept for review.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownStop {
    pub station_id: StationId,
    pub transaction_id: TransactionId,
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
    pub transaction_id: Option<TransactionId>,
    pub samples: Vec<MeterSample>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeterFilter {
    pub station_id: Option<StationId>,
    pub transaction_id: Option<TransactionId>,
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
    pub transaction_id: Option<TransactionId>,
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
