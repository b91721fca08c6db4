//! `/api/v1/sessions`: charging sessions (OCPP 1.6 transactions) and their meter values.

use axum::Json;
use axum::extract::{Path, State};
use joule_app::billing::SessionFilter;
use joule_core::{IdTag, SessionId, StationId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::model::{SampleView, SessionDetail, SessionView};
use crate::params;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SessionQuery {
    /// Only this station's sessions.
    station: Option<String>,
    /// Only sessions on this connector.
    connector: Option<u32>,
    /// Only sessions of this idTag.
    id_tag: Option<String>,
    /// Started at or after this instant (RFC 3339, or a date).
    since: Option<String>,
    /// Started before this instant.
    until: Option<String>,
    /// Only sessions still active.
    #[serde(default)]
    active: bool,
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
}

/// The operator's sessions, newest first.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(SessionQuery),
    responses((status = 200, body = Vec<SessionView>), (status = 400, body = Problem)))]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    Query(q): Query<SessionQuery>,
) -> ApiResult<Json<Vec<SessionView>>> {
    let filter = SessionFilter {
        operator_id: Some(caller.operator_id),
        station_id: q
            .station
            .as_deref()
            .map(|s| StationId::parse(s).map_err(|e| ApiError::invalid("station", e.to_string())))
            .transpose()?,
        connector_id: q.connector,
        id_tag: q
            .id_tag
            .as_deref()
            .map(|t| IdTag::parse(t).map_err(|e| ApiError::invalid("id_tag", e.to_string())))
            .transpose()?,
        since: params::time("since", q.since.as_deref())?,
        until: params::time("until", q.until.as_deref())?,
        active_only: q.active,
        limit: Some(params::limit("limit", q.limit, 100, 1000)?),
    };
    let sessions = state.app.billing().sessions(&caller.actor(), filter).await?;
    Ok(Json(sessions.into_iter().map(Into::into).collect()))
}

/// A session with its meter values (oldest first; at most 10,000).
#[utoipa::path(get, path = "/api/v1/sessions/{transaction_id}", tag = "sessions",
    params(("transaction_id" = i64, Path)),
    responses((status = 200, body = SessionDetail), (status = 404, body = Problem)))]
pub async fn get(State(state): State<ApiState>, caller: Caller, Path(id): Path<i64>) -> ApiResult<Json<SessionDetail>> {
    let (session, samples) = state.app.billing().session_detail(&caller.actor(), SessionId(id)).await?;
    Ok(Json(SessionDetail {
        session: session.into(),
        meter_values: samples.into_iter().map(SampleView::from).collect(),
    }))
}
