//! `/api/v1/id-tokens`: the operator's RFID cards and other idTags (OCPP 1.6 IdToken, §7.28).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use joule_core::IdTag;
use joule_core::IdTokenType;
use joule_core::auth::IdToken;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Body;
use crate::model::{IdTokenUpdate, IdTokenView, NewIdToken};

fn tag(field: &str, s: &str) -> ApiResult<IdTag> {
    IdTag::parse(s).map_err(|e| ApiError::invalid(field, e.to_string()))
}

fn kind(s: Option<&str>) -> ApiResult<Option<IdTokenType>> {
    s.map(IdTokenType::parse).transpose().map_err(|e| ApiError::invalid("type", e.to_string()))
}

/// The operator's id tokens, by tag.
#[utoipa::path(get, path = "/api/v1/id-tokens", tag = "id-tokens",
    responses((status = 200, body = Vec<IdTokenView>), (status = 401, body = Problem)))]
pub async fn list(State(state): State<ApiState>, caller: Caller) -> ApiResult<Json<Vec<IdTokenView>>> {
    let tokens = state.app.access().id_tokens(&caller.actor()).await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Adds an id token (operator role). 409 if the operator has the tag already.
#[utoipa::path(post, path = "/api/v1/id-tokens", tag = "id-tokens", request_body = NewIdToken,
    responses((status = 201, body = IdTokenView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
pub async fn create(
    State(state): State<ApiState>,
    caller: Caller,
    Body(new): Body<NewIdToken>,
) -> ApiResult<(StatusCode, Json<IdTokenView>)> {
    let token = IdToken {
        operator_id: caller.operator_id,
        tag: tag("tag", &new.tag)?.with_kind(kind(new.token_type.as_deref())?),
        parent: new.parent.as_deref().map(|p| tag("parent", p)).transpose()?,
        expires_at: new.expires_at,
        blocked: new.blocked,
    };
    let token = state.app.access().add_id_token(&caller.actor(), token).await?;
    Ok((StatusCode::CREATED, Json(token.into())))
}

/// One id token, by its tag.
#[utoipa::path(get, path = "/api/v1/id-tokens/{tag}", tag = "id-tokens", params(("tag" = String, Path)),
    responses((status = 200, body = IdTokenView), (status = 404, body = Problem)))]
pub async fn get(State(state): State<ApiState>, caller: Caller, Path(t): Path<String>) -> ApiResult<Json<IdTokenView>> {
    let t = tag("tag", &t)?;
    Ok(Json(state.app.access().id_token(&caller.actor(), &t).await?.into()))
}

/// Replaces an id token's parent, expiry and blocked flag (operator role).
#[utoipa::path(put, path = "/api/v1/id-tokens/{tag}", tag = "id-tokens", params(("tag" = String, Path)),
    request_body = IdTokenUpdate,
    responses((status = 200, body = IdTokenView), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn update(
    State(state): State<ApiState>,
    caller: Caller,
    Path(t): Path<String>,
    Body(update): Body<IdTokenUpdate>,
) -> ApiResult<Json<IdTokenView>> {
    let token = IdToken {
        operator_id: caller.operator_id,
        tag: tag("tag", &t)?.with_kind(kind(update.token_type.as_deref())?),
        parent: update.parent.as_deref().map(|p| tag("parent", p)).transpose()?,
        expires_at: update.expires_at,
        blocked: update.blocked,
    };
    let token = state.app.access().update_id_token(&caller.actor(), token).await?;
    Ok(Json(token.into()))
}

/// Deletes an id token (operator role). Its past sessions are kept.
#[utoipa::path(delete, path = "/api/v1/id-tokens/{tag}", tag = "id-tokens", params(("tag" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete(State(state): State<ApiState>, caller: Caller, Path(t): Path<String>) -> ApiResult<StatusCode> {
    let t = tag("tag", &t)?;
    state.app.access().delete_id_token(&caller.actor(), &t).await?;
    Ok(StatusCode::NO_CONTENT)
}
