//! `/api/v1/stations/{id}/configuration` and `/defaults`: configuration keys as the station reports them
//! (OCPP 1.6 §5.8 GetConfiguration), changing them (§5.3 ChangeConfiguration), and the operator's default
//! configuration applied to the station.

use axum::Json;
use axum::extract::{Path, State};
use joule_app::CommandFailure;
use joule_core::Role;
use joule_core::command::{Outcome, SettingKey, StationCommand};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
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
    let keys = state.app.store().configuration(&id).await?;
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
    let read = StationCommand::ReadSettings { keys: request.keys.into_iter().map(SettingKey::Configuration).collect() };
    let report = state.stations().send(&caller.requested_by(), &id, read).await.map_err(as_before)?;
    let unknown_keys = match &report.outcome {
        Ok(Outcome::Settings(read)) => read.unknown.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    };
    let keys = state.app.store().configuration(&id).await?;
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
    let change =
        StationCommand::ChangeSetting { key: SettingKey::Configuration(key.clone()), value: request.value.clone() };
    let report = state.stations().send(&caller.requested_by(), &id, change).await.map_err(as_before)?;
    let status =
        report.outcome.as_ref().ok().and_then(Outcome::status).map(|s| s.name().to_string()).unwrap_or_default();
    Ok(Json(ChangeAnswer { key, value: request.value, status, command_id: report.command_id }))
}

/// A key or value the station's version cannot carry is a 400 naming the property as these endpoints
/// always have: as a path into the command's payload (`payload.key`, `payload.key[0]`, `payload.value`).
fn as_before(e: CommandFailure) -> ApiError {
    let mut e = ApiError::from(e);
    if let Some(field) = e.field.take() {
        e.field = Some(match field.strip_prefix("keys") {
            Some(index) => format!("payload.key{index}"),
            None => format!("payload.{field}"),
        });
    }
    e
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
    let results = state.app.store().default_results(&id).await?;
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
    let results = joule_app::operations::defaults::apply(
        &**state.app.store(),
        state.stations(),
        &id,
        station.operator_id,
        &caller.requested_by(),
        false,
    )
    .await?;
    Ok(Json(results.into_iter().map(Into::into).collect()))
}
