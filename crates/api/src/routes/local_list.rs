//! A station's local authorization list (OCPP 1.6 §3.5.3, §6.27, §6.41): what Joule knows of it
//! (GET) and a sync now (POST …/sync). The sync itself is [`joule_app::access::local_list`].
//!
//! Roles: any role of the station's operator reads the state (viewer and up); an operator (and up) syncs.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_app::access::LocalListState;
use joule_app::access::local_list::{Ask, ListConfig, SyncError};
use joule_core::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Query;

/// What Joule knows of a station's local authorization list.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocalListView {
    pub station_id: String,
    /// true: the station takes local lists; false: it answered NotSupported (or its SupportedFeatureProfiles
    /// lack LocalAuthListManagement) and is not asked again; null: not known yet.
    pub supported: Option<bool>,
    /// The version the station last reported (GetLocalListVersion); null when unknown.
    pub station_version: Option<i32>,
    /// The version of the last list the station Accepted; null: nothing known to be on it (the next update
    /// is Full).
    pub sent_version: Option<i32>,
    /// How many entries that list holds.
    pub entries: usize,
    /// How many entries the station should hold now (the operator's tokens its rules admit; null when the
    /// station is not known to take lists).
    pub wanted: Option<usize>,
    /// Whether the station holds what it should: its version is the one last sent and the list is what
    /// the rules give now; null when not known.
    pub in_step: Option<bool>,
    /// How the last sync ended: Accepted, Failed, VersionMismatch, NotSupported (the station's answer), or
    /// in-step, too-long, disabled, offline, timeout, call-error, ...
    pub last_result: Option<String>,
    /// Why, in words, when there is more to say.
    pub last_detail: Option<String>,
    pub last_at: Option<DateTime<Utc>>,
    /// The station's LocalAuthListMaxLength and SendLocalListMaxLength, as its configuration reported them.
    pub list_max_length: Option<usize>,
    pub send_max_length: Option<usize>,
    /// Whether the station is connected (a sync needs it).
    pub online: bool,
}

/// A SendLocalList.req a sync sent, with the station's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateView {
    pub version: i32,
    /// Full or Differential.
    pub update_type: String,
    /// Entries in the message (additions, changes and removals).
    pub changes: usize,
    /// The station's UpdateStatus: Accepted, Failed, NotSupported or VersionMismatch.
    pub status: String,
}

/// What a sync did, and the state after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncView {
    /// The messages sent, in order; empty when the station was in step already.
    pub updates: Vec<UpdateView>,
    pub state: LocalListView,
}

impl From<SyncError> for ApiError {
    fn from(e: SyncError) -> ApiError {
        let detail = e.to_string();
        match e {
            SyncError::NotFound => ApiError::not_found(detail),
            SyncError::Offline => ApiError::new(Kind::StationOffline, detail),
            SyncError::Unsupported(_) | SyncError::Disabled(_) | SyncError::TooLong(_) | SyncError::Busy => {
                ApiError::new(Kind::Conflict, detail)
            }
            SyncError::Command(e) => e.into(),
            SyncError::Store(e) => e.into(),
        }
    }
}

fn view(
    state: &ApiState,
    id: &joule_core::StationId,
    s: &LocalListState,
    config: &ListConfig,
    wanted: Option<&[joule_core::local_list::Entry]>,
) -> LocalListView {
    let in_step = match (wanted, s.sent_version) {
        (None, _) => None,
        (Some(_), None) => Some(false),
        (Some(w), Some(v)) => Some(s.station_version.is_none_or(|sv| sv == v) && w == s.sent.as_slice()),
    };
    LocalListView {
        station_id: id.to_string(),
        supported: s.supported,
        station_version: s.station_version,
        sent_version: s.sent_version,
        entries: s.sent.len(),
        wanted: wanted.map(|w| w.len()),
        in_step,
        last_result: s.last_result.clone(),
        last_detail: s.last_detail.clone(),
        last_at: s.last_at,
        list_max_length: config.list_max,
        send_max_length: config.send_max,
        online: state.stations().is_connected(id),
    }
}

/// The station's local list sync state: whether it supports local lists, the versions, how many entries
/// it holds and should hold, and how the last sync ended.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/local-list", tag = "access",
    params(("station_id" = String, Path)),
    responses((status = 200, body = LocalListView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<LocalListView>> {
    caller.require(Role::Viewer)?;
    let (id, _) = state.station(&caller, &id).await?;
    let s = state.app.access().local_list_state(&caller.actor(), &id).await?;
    let config = state.app.local_lists().list_config(&id).await?;
    let wanted =
        if s.supported == Some(false) { None } else { Some(state.app.local_lists().wanted_local_list(&id).await?) };
    Ok(Json(view(&state, &id, &s, &config, wanted.as_deref())))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SyncQuery {
    /// Forget an earlier NotSupported and ask the station's configuration and list version again (after a
    /// firmware update, say).
    #[serde(default)]
    retry: bool,
}

/// Brings the station's local list in step now (operator role): asks its version if unknown, then sends
/// the Full or Differential update(s) it needs, and answers what was sent and the state after. 409 when
/// the station is offline, does not support local lists (unless `retry`), has them disabled, or its list
/// would be longer than its LocalAuthListMaxLength; the station's own failures as for commands (504, 502).
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/local-list/sync", tag = "access",
    params(("station_id" = String, Path), SyncQuery),
    responses((status = 200, body = SyncView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 429, body = Problem), (status = 502, body = Problem),
        (status = 504, body = Problem)))]
pub async fn sync(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<SyncQuery>,
) -> ApiResult<Json<SyncView>> {
    caller.require(Role::Operator)?;
    let (id, _) = state.station(&caller, &id).await?;
    let ask = if q.retry { Ask::Everything } else { Ask::Nothing };
    let report = state.app.local_lists().sync_local_list(&id, &caller.requested_by(), ask).await?;
    let config = state.app.local_lists().list_config(&id).await?;
    let wanted = state.app.local_lists().wanted_local_list(&id).await?;
    let updates = report
        .updates
        .iter()
        .map(|u| UpdateView {
            version: u.version,
            update_type: u.update_type.as_str().to_string(),
            changes: u.changes,
            status: u.status.clone(),
        })
        .collect();
    Ok(Json(SyncView { updates, state: view(&state, &id, &report.state, &config, Some(&wanted)) }))
}
