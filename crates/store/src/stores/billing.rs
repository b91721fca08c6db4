//! The [`BillingStore`]: what charging costs: tariffs and their versions, where they apply, an operator's billing
//! settings, and the computed cost of each session.

use async_trait::async_trait;
use joule_core::{OperatorId, SessionId, Timestamp};

use crate::{NewTariff, Result, SessionCost, TariffAssignment, TariffVersion};

/// Tariffs, where they apply, billing settings and the cost of each session.
#[async_trait]
pub trait BillingStore: Send + Sync {
    // --- tariffs ---

    /// Stores a new tariff (`new.tariff_id` `None`: it gets a new id and version 1) or a new version of the
    /// operator's tariff (the next version number). Versions are never changed. `NotFound` if the operator
    /// does not exist or the tariff is not the operator's.
    async fn create_tariff(&self, new: &NewTariff) -> Result<TariffVersion>;
    /// The newest version of each of the operator's tariffs, by tariff id.
    async fn tariffs(&self, operator: OperatorId) -> Result<Vec<TariffVersion>>;
    /// Every version of the operator's tariff, oldest first; empty if it is not the operator's.
    async fn tariff_versions(&self, operator: OperatorId, tariff: i64) -> Result<Vec<TariffVersion>>;
    /// Assigns `tariff` to `target` (replacing what was assigned there), or with `None` removes the
    /// assignment. `NotFound` if the tariff is not the operator's, or (removing) if nothing is assigned there.
    async fn set_tariff_assignment(
        &self,
        operator: OperatorId,
        target: &joule_core::billing::TariffTarget,
        tariff: Option<i64>,
        at: Timestamp,
    ) -> Result<()>;
    /// The operator's assignments, by station, connector and group.
    async fn tariff_assignments(&self, operator: OperatorId) -> Result<Vec<TariffAssignment>>;

    // --- billing settings ---

    /// The operator's billing settings; joule-core's defaults while it has set none. `NotFound` if the
    /// operator does not exist.
    async fn billing_settings(&self, operator: OperatorId) -> Result<joule_core::billing::BillingSettings>;
    /// Replaces the operator's billing settings. `NotFound` if the operator does not exist.
    async fn set_billing_settings(
        &self,
        operator: OperatorId,
        settings: &joule_core::billing::BillingSettings,
        at: Timestamp,
    ) -> Result<()>;

    // --- session costs ---

    /// Stores a session's cost, replacing one computed before. `NotFound` if the session does not exist.
    async fn put_session_cost(&self, cost: &SessionCost) -> Result<()>;
    async fn session_cost(&self, transaction: SessionId) -> Result<Option<SessionCost>>;
    /// The costs of the operator's sessions that started in `since..until`, by session start.
    async fn session_costs(&self, operator: OperatorId, since: Timestamp, until: Timestamp)
    -> Result<Vec<SessionCost>>;
    /// Completed sessions without a cost (stopped while pricing was down, or pricing failed), oldest stop
    /// first, at most `limit`.
    async fn sessions_without_cost(&self, limit: u32) -> Result<Vec<SessionId>>;
}
