//! `/api/v1/stations/{id}/configuration` and `/defaults`: configuration keys as the station reports them
//! (OCPP 1.6 §5.8 GetConfiguration), changing them (§5.3 ChangeConfiguration), and the operator's default
//! configuration applied to the station.

use axum::Json;
use axum::extract::{Path, State};
use joule_app::{AppError, CommandFailure};
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
    let keys = state.app.operations().configuration(&caller.actor(), &id).await?;
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
    let read =
        state.app.operations().refresh_configuration(&caller.actor(), &id, request.keys).await.map_err(as_before)?;
    Ok(Json(RefreshAnswer {
        configuration: read.configuration.into_iter().map(Into::into).collect(),
        unknown_keys: read.unknown_keys,
        command_id: read.command_id,
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
    let changed = state
        .app
        .operations()
        .change_configuration(&caller.actor(), &id, &key, &request.value)
        .await
        .map_err(as_before)?;
    Ok(Json(ChangeAnswer { key, value: request.value, status: changed.status, command_id: changed.command_id }))
}

/// A key or value the station's version cannot carry is a 400 naming the property as these endpoints
/// always have: as a path into the command's payload (`payload.key`, `payload.key[0]`, `payload.value`).
/// Other errors (the station id's, say) keep their field.
fn as_before(e: AppError) -> ApiError {
    let failure: CommandFailure = match e {
        AppError::Command(failure) => failure,
        e => return e.into(),
    };
    let mut e = ApiError::from(failure);
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
    let results = state.app.operations().default_results(&caller.actor(), &id).await?;
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
    let results = state.app.operations().apply_defaults(&caller.actor(), &id).await?;
    Ok(Json(results.into_iter().map(Into::into).collect()))
}
