//! The operator's onboarding overview ("Operators see all stations by onboarding state"): how many
//! stations are in each state, online or not, and where the activation queue stands. The stations of one
//! state are listed by `GET /api/v1/stations?state=…`.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_core::OperatorId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiResult, Problem};

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
    let o = state.app.onboarding().overview(&caller.actor(), OperatorId(id)).await?;
    let stations = o
        .stations
        .into_iter()
        .map(|c| StateCount {
            state: c.state.as_str().to_string(),
            total: c.online + c.offline,
            online: c.online,
            offline: c.offline,
        })
        .collect();
    let q = o.activation_queue;
    let activation_queue = QueueCount { requested: q.requested, in_review: q.in_review, overdue: q.overdue };
    Ok(Json(OnboardingOverview { stations, activation_queue, at: o.at }))
}
