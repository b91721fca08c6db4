//! `/api/v1/api-tokens`: the operator's API tokens (admin only).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::ApiState;
use crate::auth::Caller;
use crate::error::{ApiResult, Problem};
use crate::extract::Body;
use crate::model::{ApiTokenView, CreatedApiToken, NewApiTokenRequest};

/// The operator's API tokens, revoked ones included (never their secrets).
#[utoipa::path(get, path = "/api/v1/api-tokens", tag = "api-tokens",
    responses((status = 200, body = Vec<ApiTokenView>), (status = 403, body = Problem)))]
pub async fn list(State(state): State<ApiState>, caller: Caller) -> ApiResult<Json<Vec<ApiTokenView>>> {
    let tokens = state.app.accounts().api_tokens(&caller.actor(), caller.operator_id).await?;
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
    let accounts = state.app.accounts();
    let (token, secret) =
        accounts.create_api_token(&caller.actor(), caller.operator_id, &request.role, &request.name).await?;
    Ok((StatusCode::CREATED, Json(CreatedApiToken { token: token.into(), secret })))
}

/// Revokes a token: it authenticates nothing from now on.
#[utoipa::path(delete, path = "/api/v1/api-tokens/{token_id}", tag = "api-tokens",
    params(("token_id" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke(State(state): State<ApiState>, caller: Caller, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    state.app.accounts().revoke_api_token(&caller.actor(), caller.operator_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
