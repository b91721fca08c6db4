//! `/api/v1/operators`: the token's operator and its default configuration.

use axum::Json;
use axum::extract::{Path, State};
use joule_core::{OperatorId, Role};

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Body;
use crate::model::{DefaultKey, OperatorView};

pub(crate) fn own(caller: &Caller, id: i64) -> ApiResult<OperatorId> {
    if caller.operator_id.0 == id {
        Ok(caller.operator_id)
    } else {
        Err(ApiError::not_found(format!("no operator {id}")))
    }
}

/// The operators this token may see: its own.
#[utoipa::path(get, path = "/api/v1/operators", tag = "operators",
    responses((status = 200, body = Vec<OperatorView>), (status = 401, body = Problem)))]
pub async fn list(State(state): State<ApiState>, caller: Caller) -> ApiResult<Json<Vec<OperatorView>>> {
    let operator = state.app.store().operator(caller.operator_id).await?;
    Ok(Json(operator.into_iter().map(|o| OperatorView::new(o, state.app.settings())).collect()))
}

/// The operator: name, key and the OCPP URL its stations connect to.
#[utoipa::path(get, path = "/api/v1/operators/{operator_id}", tag = "operators",
    params(("operator_id" = i64, Path)),
    responses((status = 200, body = OperatorView), (status = 404, body = Problem)))]
pub async fn get(State(state): State<ApiState>, caller: Caller, Path(id): Path<i64>) -> ApiResult<Json<OperatorView>> {
    let id = own(&caller, id)?;
    let operator = state.app.store().operator(id).await?.ok_or_else(|| ApiError::not_found("no operator"))?;
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
    let defaults = state.app.store().operator_defaults(id).await?;
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
    caller.require(Role::Admin)?;
    for (i, k) in keys.iter().enumerate() {
        // OCPP 1.6 §6.9 ChangeConfiguration.req: key CiString50, value CiString500.
        if k.key.is_empty() || k.key.len() > 50 {
            return Err(ApiError::invalid(format!("[{i}].key"), "a configuration key has 1 to 50 characters"));
        }
        if k.value.len() > 500 {
            return Err(ApiError::invalid(format!("[{i}].value"), "a value has at most 500 characters"));
        }
        if keys[..i].iter().any(|other| other.key == k.key) {
            return Err(ApiError::invalid(format!("[{i}].key"), format!("{} is given twice", k.key)));
        }
    }
    let pairs: Vec<(String, String)> = keys.iter().map(|k| (k.key.clone(), k.value.clone())).collect();
    state.app.store().set_operator_defaults(id, &pairs).await?;
    Ok(Json(keys))
}
