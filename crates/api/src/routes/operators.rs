//! `/api/v1/operators`: the token's operator and its default configuration.

use axum::Json;
use axum::extract::{Path, State};
use joule_core::OperatorId;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiResult, Problem};
use crate::extract::Body;
use crate::model::{DefaultKey, OperatorView};

/// The caller's operator named by `id`: 404 for any other.
pub(crate) fn own(caller: &Caller, id: i64) -> ApiResult<OperatorId> {
    Ok(joule_app::operations::own_operator(&caller.actor(), id)?)
}

/// The operators this token may see: its own.
#[utoipa::path(get, path = "/api/v1/operators", tag = "operators",
    responses((status = 200, body = Vec<OperatorView>), (status = 401, body = Problem)))]
pub async fn list(State(state): State<ApiState>, caller: Caller) -> ApiResult<Json<Vec<OperatorView>>> {
    let operator = state.app.operations().operator(&caller.actor(), caller.operator_id).await?;
    Ok(Json(operator.into_iter().map(|o| OperatorView::new(o, state.app.settings())).collect()))
}

/// The operator: name, key and the OCPP URL its stations connect to.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}", tag = "operators",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = OperatorView), (status = 404, body = Problem)))]
pub async fn get(State(state): State<ApiState>, caller: Caller, Path(id): Path<i64>) -> ApiResult<Json<OperatorView>> {
    let id = own(&caller, id)?;
    let operator = state.app.operations().operator(&caller.actor(), id).await?;
    let operator = operator.ok_or_else(|| crate::error::ApiError::not_found("no operator"))?;
    Ok(Json(OperatorView::new(operator, state.app.settings())))
}

/// The configuration keys applied to each station when it is activated (and on demand).
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}/defaults", tag = "operators",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = Vec<DefaultKey>), (status = 404, body = Problem)))]
pub async fn get_defaults(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<DefaultKey>>> {
    let id = own(&caller, id)?;
    let defaults = state.app.operations().defaults(&caller.actor(), id).await?;
    Ok(Json(defaults.into_iter().map(|(key, value)| DefaultKey { key, value }).collect()))
}

/// Replaces the default configuration (admin). Keys are applied in this order; an empty list clears it.
#[utoipa::path(put, path = "/api/v1/operators/{operator_id}/defaults", tag = "operators",
    params(("operator_id" = i64, Path)), request_body = Vec<DefaultKey>,
    responses((status = 200, body = Vec<DefaultKey>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn set_defaults(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(keys): Body<Vec<DefaultKey>>,
) -> ApiResult<Json<Vec<DefaultKey>>> {
    let id = own(&caller, id)?;
    let pairs: Vec<(String, String)> = keys.iter().map(|k| (k.key.clone(), k.value.clone())).collect();
    state.app.operations().set_defaults(&caller.actor(), id, &pairs).await?;
    Ok(Json(keys))
}
