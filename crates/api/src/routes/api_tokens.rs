//! `/api/v1/api-tokens`: the operator's API tokens (admin only).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use joule_core::Role;
use joule_store::NewApiToken;

use crate::ApiState;
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Body;
use crate::model::{ApiTokenView, CreatedApiToken, NewApiTokenRequest};

/// The operator's API tokens, revoked ones included (never their secrets).
#[utoipa::path(get, path = "/api/v1/api-tokens", tag = "api-tokens",
    responses((status = 200, body = Vec<ApiTokenView>), (status = 403, body = Problem)))]
pub async fn list(State(state): State<ApiState>, caller: Caller) -> ApiResult<Json<Vec<ApiTokenView>>> {
    caller.require(Role::Admin)?;
    let tokens = state.app.store().list_api_tokens(caller.operator_id).await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

/// Creates a token for the operator. The secret is in the answer, and only there.
#[utoipa::path(post, path = "/api/v1/api-tokens", tag = "api-tokens", request_body = NewApiTokenRequest,
    responses((status = 201, body = CreatedApiToken), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
pub async fn create(
    State(state): State<ApiState>,
    caller: Caller,
    Body(request): Body<NewApiTokenRequest>,
) -> ApiResult<(StatusCode, Json<CreatedApiToken>)> {
    caller.require(Role::Admin)?;
    let role = Role::parse(&request.role)
        .ok_or_else(|| ApiError::invalid("role", format!("`{}` is not admin, operator or viewer", request.role)))?;
    let name = request.name.trim();
    if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("name", "a token name has 1 to 64 printable characters"));
    }
    let (secret, hash) = auth::generate();
    let new = NewApiToken {
        operator_id: caller.operator_id,
        role,
        name: name.to_string(),
        token_hash: hash,
        created_at: chrono::Utc::now(),
    };
    let token = state.app.store().create_api_token(&new).await?;
    Ok((StatusCode::CREATED, Json(CreatedApiToken { token: token.into(), secret })))
}

/// Revokes a token: it authenticates nothing from now on.
#[utoipa::path(delete, path = "/api/v1/api-tokens/{token_id}", tag = "api-tokens",
    params(("token_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke(State(state): State<ApiState>, caller: Caller, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    caller.require(Role::Admin)?;
    let store = state.app.store();
    let tokens = store.list_api_tokens(caller.operator_id).await?;
    if !tokens.iter().any(|t| t.id == id) {
        return Err(ApiError::not_found(format!("no API token {id}")));
    }
    store.revoke_api_token(id, chrono::Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
