//! Rows of handovers to third-party backends and of assignments (route 3).

pub use joule_core::handover::{BackendName, BackendUrl, HandoverState, ProvisioningMethod, ResetKind};
use joule_core::{OperatorId, StationId, Timestamp};

/// A central system an operator hands stations over to.
#[derive(Debug, Clone, PartialEq)]
pub struct Backend {
    pub id: i64,
    pub operator_id: OperatorId,
    pub name: BackendName,
    pub ocpp_url: BackendUrl,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A backend to store, or the new name and URL of an existing one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBackend {
    pub operator_id: OperatorId,
    pub name: BackendName,
    pub ocpp_url: BackendUrl,
    pub at: Timestamp,
}

/// How an operator's stations of one vendor are re-provisioned.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisioningProfile {
    pub operator_id: OperatorId,
    /// As the operator wrote it, e.g. `ABB B.V.`; matched against BootNotification's chargePointVendor by
    /// [`joule_core::catalog::vendor_key`].
    pub vendor: String,
    pub method: ProvisioningMethod,
    /// Whether the station id is appended to the backend's URL (OCPP-J 1.6 §3.1.1).
    pub append_station_id: bool,
    pub reset: ResetKind,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

impl ProvisioningProfile {
    /// The key the profile is stored and matched under.
    pub fn vendor_key(&self) -> String {
        joule_core::catalog::vendor_key(&self.vendor)
    }
}

/// A handover to store; it starts `recorded`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewHandover {
    pub station_id: StationId,
    pub operator_id: OperatorId,
    pub target_name: String,
    pub target_url: BackendUrl,
    /// The backend it was chosen from, if it was.
    pub backend_id: Option<i64>,
    pub requested_by: String,
    pub requested_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    pub id: i64,
    pub station_id: StationId,
    pub operator_id: OperatorId,
    pub target_name: String,
    pub target_url: BackendUrl,
    pub backend_id: Option<i64>,
    pub state: HandoverState,
    pub requested_by: String,
    pub requested_at: Timestamp,
    pub updated_at: Timestamp,
    /// When it reached handed-over, failed or cancelled.
    pub finished_at: Option<Timestamp>,
    /// Why it failed or was cancelled, or how it was confirmed.
    pub detail: Option<String>,
    /// Oldest first.
    pub steps: Vec<HandoverStep>,
}

/// One thing a handover did and what came of it.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverStep {
    pub id: i64,
    pub handover_id: i64,
    pub at: Timestamp,
    /// E.g. `ChangeConfiguration`, `DataTransfer`, `Reset`, `disconnected`, `reconnected`, `confirmed`.
    pub step: String,
    /// The answer: `Accepted`, `Rejected`, `RebootRequired`, `CALLERROR NotSupported`, `timeout`...
    pub outcome: String,
    pub detail: Option<String>,
    /// The command in the command history, for a step that was a CALL.
    pub command_id: Option<i64>,
}

/// A step to append (its `id` is given by the store).
#[derive(Debug, Clone, PartialEq)]
pub struct NewHandoverStep {
    pub handover_id: i64,
    pub at: Timestamp,
    pub step: String,
    pub outcome: String,
    pub detail: Option<String>,
    pub command_id: Option<i64>,
}

/// A compare-and-set of a handover's state.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverChange {
    pub id: i64,
    pub from: HandoverState,
    pub to: HandoverState,
    /// Replaces the detail (`None` keeps it).
    pub detail: Option<String>,
    pub at: Timestamp,
}

/// Route 3: the backend an unclaimed station was assigned to.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub station_id: StationId,
    pub operator_id: OperatorId,
    /// Where the station was bought, as the operator wrote it.
    pub purchased_from: String,
    /// `None` for Joule itself.
    pub backend_id: Option<i64>,
    /// `joule`, or the backend's name at the time.
    pub backend_name: String,
    pub assigned_by: String,
    pub assigned_at: Timestamp,
}
