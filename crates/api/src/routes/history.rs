//! A station's history ("A station's record keeps its whole history: registration, requests,
//! approvals, claims, pinpointing changes, configuration changes, handover"), gathered from where each part is
//! kept: the audit log (every change made to the station, subject `station:<id>`), the activation requests
//! that name it (and their audit entries), and the command history (every setting change sent to it,
//! whoever sent it: a person, the operator's default configuration, a handover).

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_app::onboarding::HistoryEvent;
use joule_app::onboarding::history::PER_SOURCE;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiResult, Problem};
use crate::extract::Query;
use crate::params;

/// One event of a station's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// What happened, e.g. `station.registered`, `activation.requested`, `station.activate`,
    /// `installation.claim`, `installation.pinpoint`, `configuration.change`, `handover.confirmed`.
    pub kind: String,
    /// `account:<e-mail>`, `token:<name>`, `cli` or `system`.
    pub actor: String,
    /// A line for people, e.g. "HeartbeatInterval = 300: Accepted".
    pub summary: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Most recent entries to return (default 200, at most 1000); the answer is oldest first.
    pub limit: Option<u32>,
}

impl From<HistoryEvent> for HistoryEntry {
    fn from(e: HistoryEvent) -> Self {
        HistoryEntry { at: e.at, kind: e.kind, actor: e.actor, summary: e.summary, before: e.before, after: e.after }
    }
}

/// The station's history, oldest first: its registration; the activation requests that name it, their review,
/// approval or rejection; activation, claims, pinpointing and photo changes, the serial number's lock and
/// any change after it; verification; every configuration change sent to it with the station's answer;
/// handover steps. Needs role viewer.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/history", tag = "stations",
    params(("station_id" = String, Path), HistoryQuery),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    let limit = params::limit("limit", q.limit, 200, PER_SOURCE)?;
    let history = state.app.onboarding().station_history(&caller.actor(), &id, limit).await?;
    Ok(Json(history.into_iter().map(HistoryEntry::from).collect()))
}
