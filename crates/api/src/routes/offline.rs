//! Operator settings (the service level activation requests are held to, and the minutes without
//! traffic after which a station is out of service), and the owner's own stations.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use joule_core::account::AccountRole;
use joule_core::operator::OperatorSettings;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::{Caller, Principal};
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Body;

/// The operator's settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsView {
    /// Working days (Monday to Friday, UTC) an activation request may wait before it is flagged overdue;
    /// 1 to 30, default 2.
    pub service_level_days: u32,
    /// Minutes without traffic after which an activated station is out of service; 1 to 10080 (a week),
    /// default 15.
    pub offline_after_minutes: u32,
}

impl From<OperatorSettings> for SettingsView {
    fn from(s: OperatorSettings) -> Self {
        SettingsView { service_level_days: s.service_level_days(), offline_after_minutes: s.offline_after_minutes() }
    }
}

/// New settings; a setting left out keeps its value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    pub service_level_days: Option<i64>,
    pub offline_after_minutes: Option<i64>,
}

/// The operator's settings (defaults until an admin changes them). Any role reads them.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/settings", tag = "operators",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = SettingsView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_settings(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<SettingsView>> {
    let id = joule_app::operations::own_operator(&caller.actor(), id)?;
    Ok(Json(state.app.operations().settings(&caller.actor(), id).await?.into()))
}

/// Changes the operator's settings (admin). A value out of range is a 400 naming the field; the change is
/// audited with the settings before and after.
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/settings", tag = "operators",
    params(("operator_id" = i64, Path)), request_body = SettingsBody,
    responses((status = 200, body = SettingsView), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn put_settings(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<SettingsBody>,
) -> ApiResult<Json<SettingsView>> {
    let id = joule_app::operations::own_operator(&caller.actor(), id)?;
    let operations = state.app.operations();
    let after = operations.set_settings(&caller.actor(), id, b.service_level_days, b.offline_after_minutes).await?;
    Ok(Json(after.into()))
}

/// One of the owner's stations, as the owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnerStationView {
    pub id: String,
    /// pending, requested, active, verified, suspended, rejected or handed-over.
    pub state: String,
    /// Whether the station has a connection to Joule now.
    pub online: bool,
    /// Set while the station is out of service (no traffic for longer than the operator allows): since when.
    pub out_of_service_since: Option<DateTime<Utc>>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub connected_at: Option<DateTime<Utc>>,
    pub disconnected_at: Option<DateTime<Utc>>,
}

/// The calling owner's stations (those whose activation request the operator approved), by id: whether
/// each is online or out of service. Only an owner's login session may ask (403 otherwise); an owner sees
/// no one else's stations.
#[utoipa::path(get, path = "/api/v1/me/stations", tag = "activation",
    responses((status = 200, body = Vec<OwnerStationView>), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
pub async fn my_stations(
    State(state): State<ApiState>,
    principal: Principal,
) -> ApiResult<Json<Vec<OwnerStationView>>> {
    let account = match &principal {
        Principal::Person { account, .. } if account.role == AccountRole::Owner => account,
        _ => return Err(ApiError::new(Kind::Forbidden, "only a station owner's account has stations of its own")),
    };
    let stations = state.app.operations().owner_stations(account).await?;
    Ok(Json(
        stations
            .into_iter()
            .map(|s| OwnerStationView {
                id: s.id.to_string(),
                state: s.state.as_str().to_string(),
                online: s.online,
                out_of_service_since: s.out_of_service_since,
                vendor: s.boot.as_ref().map(|b| b.vendor.clone()),
                model: s.boot.as_ref().map(|b| b.model.clone()),
                connected_at: s.connected_at,
                disconnected_at: s.disconnected_at,
            })
            .collect(),
    ))
}
