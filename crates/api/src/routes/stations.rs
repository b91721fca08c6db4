//! `/api/v1/stations`: the operator's stations, their detail, events and OCPP message log.

use axum::Json;
use axum::extract::{Path, State};
use joule_app::operations::{MessageFilter, StationFilter};
use joule_core::StationId;
use joule_core::station::StationState;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Query;
use crate::model::{MessageView, StationDetail, StationEventView, StationSummary};
use crate::params;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StationQuery {
    /// Only stations in this state: pending, requested, active, verified, suspended, rejected, handed-over.
    state: Option<String>,
    /// Only stations that are (true) or are not (false) connected.
    online: Option<bool>,
    /// Only this operator's (a token sees only its own operator's stations anyway).
    operator: Option<i64>,
    /// Stations with ids after this one (the last id of the previous page).
    after: Option<String>,
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
    /// Only stations offline detection marked out of service (true) or not (false).
    out_of_service: Option<bool>,
}

/// The operator's stations, by id. Page with `after` = the last id of the previous page.
#[utoipa::path(get, path = "/api/v1/stations", tag = "stations", params(StationQuery),
    responses((status = 200, body = Vec<StationSummary>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    Query(q): Query<StationQuery>,
) -> ApiResult<Json<Vec<StationSummary>>> {
    if q.operator.is_some_and(|o| o != caller.operator_id.0) {
        return Ok(Json(Vec::new()));
    }
    let station_state = match q.state.as_deref() {
        Some(s) => Some(StationState::parse(s).map_err(|e| ApiError::invalid("state", e.to_string()))?),
        None => None,
    };
    let after = match q.after.as_deref() {
        Some(a) => Some(StationId::parse(a).map_err(|e| ApiError::invalid("after", e.to_string()))?),
        None => None,
    };
    let filter = StationFilter {
        operator_id: Some(caller.operator_id),
        state: station_state,
        online: q.online,
        after,
        limit: Some(params::limit("limit", q.limit, 100, 1000)?),
        owner_id: None,
        out_of_service: q.out_of_service,
    };
    let stations = state.app.operations().stations(&caller.actor(), filter).await?;
    Ok(Json(stations.iter().map(StationSummary::from).collect()))
}

/// A station: state, connection, boot data, connectors, configuration keys and default-configuration results.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}", tag = "stations",
    params(("station_id" = String, Path)),
    responses((status = 200, body = StationDetail), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<StationDetail>> {
    let found = state.app.operations().station_detail(&caller.actor(), &id).await?;
    let mut detail = StationDetail::new(found.station, found.queued_commands);
    detail.connectors = found.connectors.into_iter().map(Into::into).collect();
    detail.configuration = found.configuration.into_iter().map(Into::into).collect();
    detail.defaults = found.defaults.into_iter().map(Into::into).collect();
    Ok(Json(detail))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LimitQuery {
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
}

/// The station's recent notifications that are not sessions or statuses (DataTransfer, firmware and
/// diagnostics status, security events, refused connections), newest first.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/events", tag = "stations",
    params(("station_id" = String, Path), LimitQuery),
    responses((status = 200, body = Vec<StationEventView>), (status = 404, body = Problem)))]
pub async fn events(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<LimitQuery>,
) -> ApiResult<Json<Vec<StationEventView>>> {
    let (id, _) = state.station(&caller, &id).await?;
    let limit = params::limit("limit", q.limit, 100, 1000)?;
    let events = state.app.operations().station_events(&caller.actor(), &id, limit).await?;
    Ok(Json(events.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Frames at or after this instant (RFC 3339, or a date).
    since: Option<String>,
    /// Frames before this instant.
    until: Option<String>,
    /// Only frames of this action (a CALL's, or the CALL a CALLRESULT/CALLERROR answers).
    action: Option<String>,
    /// At most this many (default 200, at most 5000).
    limit: Option<u32>,
}

/// The OCPP message log: every frame in and out, oldest first. Kept for `ocpp.message_log_days`.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/messages", tag = "stations",
    params(("station_id" = String, Path), MessageQuery),
    responses((status = 200, body = Vec<MessageView>), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn messages(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<MessageQuery>,
) -> ApiResult<Json<Vec<MessageView>>> {
    let (id, _) = state.station(&caller, &id).await?;
    let filter = MessageFilter {
        station_id: Some(id),
        since: params::time("since", q.since.as_deref())?,
        until: params::time("until", q.until.as_deref())?,
        action: q.action,
        limit: Some(params::limit("limit", q.limit, 200, 5000)?),
    };
    let messages = state.app.operations().messages(&caller.actor(), &filter).await?;
    Ok(Json(messages.into_iter().map(Into::into).collect()))
}
