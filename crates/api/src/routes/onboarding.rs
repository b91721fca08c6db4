//! The operator's onboarding overview ("Operators see all stations by onboarding state"): how many
//! stations are in each state, online or not, and where the activation queue stands. The stations of one
//! state are listed by `GET /api/v1/stations?state=…`.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_core::Role;
use joule_core::activation::ActivationState;
use joule_core::station::StationState;
use joule_store::ActivationFilter;
use serde::Serialize;
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiResult, Problem};
use crate::routes::activation::service_days;
use crate::routes::operators::own;

/// The stations in one state.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateCount {
    /// pending, requested, active, verified, suspended, rejected or handed-over.
    pub state: String,
    pub total: u64,
    pub online: u64,
    pub offline: u64,
}

/// The activation queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueCount {
    pub requested: u64,
    pub in_review: u64,
    /// Open requests (requested or in review) waiting longer than the operator's service level.
    pub overdue: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingOverview {
    /// Every state, in the order of the onboarding path, with zeros where there are no stations.
    pub stations: Vec<StateCount>,
    pub activation_queue: QueueCount,
    pub at: DateTime<Utc>,
}

/// Stations by onboarding state (online and offline), and the activation queue with its overdue requests.
/// Needs role viewer.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/onboarding", tag = "operators",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = OnboardingOverview), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn overview(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<OnboardingOverview>> {
    caller.require(Role::Viewer)?;
    let id = own(&caller, id)?;
    let store = state.app.store();
    let counts = store.station_counts(id).await?;
    let stations = StationState::ALL
        .iter()
        .map(|s| {
            let of =
                |online: bool| counts.iter().filter(|c| c.state == *s && c.online == online).map(|c| c.count).sum();
            let (online, offline): (u64, u64) = (of(true), of(false));
            StateCount { state: s.as_str().to_string(), total: online + offline, online, offline }
        })
        .collect();
    let now = Utc::now();
    let days = service_days(&state, id).await?;
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
    Ok(Json(OnboardingOverview { stations, activation_queue: queue, at: now }))
}
