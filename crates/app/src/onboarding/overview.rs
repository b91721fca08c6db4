//! The operator's onboarding overview ("Operators see all stations by onboarding state"): how many
//! stations are in each state, online or not, and where the activation queue stands.

use chrono::Utc;
use joule_core::activation::ActivationState;
use joule_core::station::StationState;
use joule_core::{OperatorId, Timestamp};
use joule_store::ActivationFilter;

use super::Onboarding;
use crate::{Actor, AppResult, Permission};

/// The stations in one state.
#[derive(Debug, Clone, PartialEq)]
pub struct StateCount {
    pub state: StationState,
    pub online: u64,
    pub offline: u64,
}

/// The activation queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueCount {
    pub requested: u64,
    pub in_review: u64,
    /// Open requests waiting longer than the operator's service level.
    pub overdue: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// Every state, in the order of the onboarding path, with zeros where there are no stations.
    pub stations: Vec<StateCount>,
    pub activation_queue: QueueCount,
    pub at: Timestamp,
}

impl Onboarding<'_> {
    /// The operator's service level for activation requests, in working days (its settings; 2 by default).
    pub(crate) async fn service_days(&self, operator: OperatorId) -> AppResult<u32> {
        Ok(self.app.db().operator_settings(operator).await?.service_level_days())
    }

    /// Stations by onboarding state (online and offline), and the activation queue with its overdue
    /// requests. Needs role viewer.
    pub async fn overview(&self, actor: &Actor, operator: OperatorId) -> AppResult<Overview> {
        actor.require(Permission::Read)?;
        let id = Self::own_operator(actor, operator)?;
        let store = self.app.db();
        let counts = store.station_counts(id).await?;
        let stations = StationState::ALL
            .iter()
            .map(|s| {
                let of =
                    |online: bool| counts.iter().filter(|c| c.state == *s && c.online == online).map(|c| c.count).sum();
                StateCount { state: *s, online: of(true), offline: of(false) }
            })
            .collect();
        let now = Utc::now();
        let days = self.service_days(id).await?;
        let mut queue = QueueCount { requested: 0, in_review: 0, overdue: 0 };
        for wanted in [ActivationState::Requested, ActivationState::InReview] {
            let filter = ActivationFilter { operator_id: Some(id), state: Some(wanted), ..Default::default() };
            for r in store.list_activation_requests(&filter).await? {
                match wanted {
                    ActivationState::Requested => queue.requested += 1,
                    _ => queue.in_review += 1,
                }
                if r.is_overdue(now, days) {
                    queue.overdue += 1;
                }
            }
        }
        Ok(Overview { stations, activation_queue: queue, at: now })
    }
}
