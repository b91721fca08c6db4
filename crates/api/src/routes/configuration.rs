//! `/api/v1/stations/{id}/configuration` and `/defaults`: configuration keys as the station reports them
//! (OCPP 1.6 §5.8 GetConfiguration), changing them (§5.3 ChangeConfiguration), and the operator's default
//! configuration applied to the station.

use axum::Json;
use axum::extract::{Path, State};
use joule_core::Role;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiResult, Problem};
use crate::extract::Body;
use crate::model::{ConfigKeyView, DefaultResultView};

/// The configuration keys as last read from the station, by key.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/configuration", tag = "stations",
    params(("station_id" = String, Path)),
    responses((status = 200, body = Vec<ConfigKeyView>), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ConfigKeyView>>> {
    let (id, _) = state.station(&caller, &id).await?;
    let keys = state.app.services.store().configuration(&id).await?;
    Ok(Json(keys.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// Only these keys; all keys when absent or empty.
    #[serde(default)]
    pub keys: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefreshAnswer {
    /// Every stored key after the refresh, by key.
    pub configuration: Vec<ConfigKeyView>,
    /// Keys asked for that the station does not know.
    pub unknown_keys: Vec<String>,
    pub command_id: Option<i64>,
}

/// Reads the configuration from the station (GetConfiguration) and stores it.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/configuration/refresh", tag = "stations",
    params(("station_id" = String, Path)), request_body(content = RefreshRequest, description = "optional"),
    responses((status = 200, body = RefreshAnswer), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 429, body = Problem), (status = 502, body = Problem), (status = 504, body = Problem)))]
pub async fn refresh(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(request): Body<RefreshRequest>,
) -> ApiResult<Json<RefreshAnswer>> {
    caller.require(Role::Operator)?;
    let (id, _) = state.station(&caller, &id).await?;
    let payload = if request.keys.is_empty() { json!({}) } else { json!({ "key": request.keys }) };
    let report = state.app.gateway.command(&caller.requested_by(), &id, "GetConfiguration", payload).await?;
    let unknown_keys = report.answer["unknownKey"]
        .as_array()
        .map(|keys| keys.iter().filter_map(|k| k.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let keys = state.app.services.store().configuration(&id).await?;
    Ok(Json(RefreshAnswer {
        configuration: keys.into_iter().map(Into::into).collect(),
        unknown_keys,
        command_id: report.command_id,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    pub value: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeAnswer {
    pub key: String,
    pub value: String,
    /// The station's answer: Accepted, Rejected, RebootRequired or NotSupported.
    pub status: String,
    pub command_id: Option<i64>,
}

/// Changes one key on the station (ChangeConfiguration). The stored value follows on Accepted and
/// RebootRequired.
#[utoipa::path(put, path = "/api/v1/stations/{station_id}/configuration/{key}", tag = "stations",
    params(("station_id" = String, Path), ("key" = String, Path)), request_body = ChangeRequest,
    responses((status = 200, body = ChangeAnswer), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 429, body = Problem), (status = 502, body = Problem),
        (status = 504, body = Problem)))]
pub async fn change(
    State(state): State<ApiState>,
    caller: Caller,
    Path((id, key)): Path<(String, String)>,
    Body(request): Body<ChangeRequest>,
) -> ApiResult<Json<ChangeAnswer>> {
    caller.require(Role::Operator)?;
    let (id, _) = state.station(&caller, &id).await?;
    let payload = json!({ "key": key, "value": request.value });
    let report = state.app.gateway.command(&caller.requested_by(), &id, "ChangeConfiguration", payload).await?;
    let status = report.answer["status"].as_str().unwrap_or("").to_string();
    Ok(Json(ChangeAnswer { key, value: request.value, status, command_id: report.command_id }))
}

/// What applying the operator's default configuration to this station gave, by key.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/defaults", tag = "stations",
    params(("station_id" = String, Path)),
    responses((status = 200, body = Vec<DefaultResultView>), (status = 404, body = Problem)))]
pub async fn defaults(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DefaultResultView>>> {
    let (id, _) = state.station(&caller, &id).await?;
    let results = state.app.services.store().default_results(&id).await?;
    Ok(Json(results.into_iter().map(Into::into).collect()))
}

/// Applies the operator's default configuration to the station now, every key, and answers with each key's
/// result. A station that is offline gets them at its next boot.
#[utoipa::path(post, path = "/api/v1/stations/{station_id}/defaults/apply", tag = "stations",
    params(("station_id" = String, Path)),
    responses((status = 200, body = Vec<DefaultResultView>), (status = 404, body = Problem)))]
pub async fn apply_defaults(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DefaultResultView>>> {
    caller.require(Role::Operator)?;
    let (id, station) = state.station(&caller, &id).await?;
    let results = state.app.gateway.apply_defaults(&id, station.operator_id, &caller.requested_by(), false).await?;
    Ok(Json(results.into_iter().map(Into::into).collect()))
}
