//! The [`HandoverStore`]: handing a station over to another backend: the backends an operator knows, provisioning
//! profiles per vendor, handovers with their steps, and the record of which backend a station was assigned to.

use async_trait::async_trait;
use joule_core::{OperatorId, StationId};

use crate::{
    Assignment, Backend, Handover, HandoverChange, HandoverStep, NewBackend, NewHandover, NewHandoverStep,
    ProvisioningProfile, Result,
};

/// Handing stations over to other backends: the backends, provisioning profiles, handovers with their steps, and
/// assignments.
#[async_trait]
pub trait HandoverStore: Send + Sync {
    // --- backends ---

    /// `Conflict` if the operator has a backend of this name; `NotFound` if the operator does not exist.
    async fn create_backend(&self, backend: &NewBackend) -> Result<Backend>;
    /// Renames the backend and replaces its URL (handovers keep the name and URL they were given).
    /// `NotFound` unless the backend is the operator's; `Conflict` if the name is taken.
    async fn update_backend(&self, id: i64, backend: &NewBackend) -> Result<Backend>;
    /// `NotFound` unless the backend is the operator's. Handovers and assignments that named it keep its
    /// name and URL.
    async fn delete_backend(&self, operator: OperatorId, id: i64) -> Result<()>;
    /// By name.
    async fn backends(&self, operator: OperatorId) -> Result<Vec<Backend>>;
    /// Exact name match.
    async fn backend_by_name(&self, operator: OperatorId, name: &str) -> Result<Option<Backend>>;

    // --- provisioning profiles ---

    /// Creates or replaces the operator's profile for the vendor (by [`ProvisioningProfile::vendor_key`]).
    /// `NotFound` if the operator does not exist.
    async fn put_provisioning_profile(&self, profile: &ProvisioningProfile) -> Result<ProvisioningProfile>;
    /// `NotFound` if the operator has no profile under this vendor key.
    async fn delete_provisioning_profile(&self, operator: OperatorId, vendor_key: &str) -> Result<()>;
    /// By vendor key.
    async fn provisioning_profiles(&self, operator: OperatorId) -> Result<Vec<ProvisioningProfile>>;
    /// The profile whose vendor key is `vendor_key` (see [`joule_core::catalog::vendor_key`]).
    async fn provisioning_profile(&self, operator: OperatorId, vendor_key: &str)
    -> Result<Option<ProvisioningProfile>>;

    // --- handovers ---

    /// Stores a handover as `recorded`. `Conflict` if the station has an open one (recorded, provisioning or
    /// waiting); `NotFound` if the station or operator does not exist.
    async fn create_handover(&self, handover: &NewHandover) -> Result<Handover>;
    /// Moves the handover from `change.from` to `change.to` (compare-and-set: of two parties that act at
    /// once, one wins), and returns it with its steps. `finished_at` is set when `to` is not open. Moving to
    /// `handed-over` sets the station's state to HandedOver in the same transaction.
    /// `Conflict` if it is no longer in `from`; `NotFound` if there is no such handover.
    async fn set_handover_state(&self, change: &HandoverChange) -> Result<Handover>;
    /// Appends a step. `NotFound` if there is no such handover.
    async fn add_handover_step(&self, step: &NewHandoverStep) -> Result<HandoverStep>;
    /// With its steps.
    async fn handover(&self, id: i64) -> Result<Option<Handover>>;
    /// The station's handovers with their steps, newest first.
    async fn handovers(&self, station: &StationId) -> Result<Vec<Handover>>;
    /// Every handover in `state`, oldest first, with its steps (for the server's start-up re-check).
    async fn handovers_in_state(&self, state: joule_core::handover::HandoverState) -> Result<Vec<Handover>>;

    // --- assignments ---

    /// Records the assignment. `Conflict` if the station is assigned already; `NotFound` if it does not exist.
    async fn assign_station(&self, assignment: &Assignment) -> Result<Assignment>;
    async fn assignment(&self, station: &StationId) -> Result<Option<Assignment>>;
}
