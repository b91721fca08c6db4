//! People: logging in and out, accounts (created by an operator's staff, or an owner registering), their
//! approval (an owner confirmed, an installer certified), and the audit log ("Accounts and roles").

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use joule_app::AppError;
use joule_app::accounts::{AccountFilter, AuditFilter, LoginSession, NewAccountInput};
use joule_core::OperatorId;
use joule_core::account::AccountRole;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::{Caller, Principal};
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::{Body, Query};
use crate::model::{AccountView, AuditView};
use crate::params;

/// Failed logins allowed per e-mail address within [`FAILURE_WINDOW`].
const MAX_FAILURES: u32 = 10;
/// Failed attempts allowed per remote address: more, since many people may share one address (NAT).
const MAX_FAILURES_PER_ADDRESS: u32 = 50;
const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed logins, counted per e-mail address and per remote address, so that guessing is slow whichever one
/// an attacker varies. In memory: a restart forgets them, which only gives back one window.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    pub(crate) fn blocked(&self, keys: &[String]) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, since)| since.elapsed() < FAILURE_WINDOW);
        keys.iter().any(|k| {
            let max = if k.starts_with("ip:") { MAX_FAILURES_PER_ADDRESS } else { MAX_FAILURES };
            map.get(k).is_some_and(|(n, _)| *n >= max)
        })
    }

    pub(crate) fn failed(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded: a flood of distinct keys cannot grow the map without limit.
        if map.len() > 100_000 {
            map.clear();
        }
        for k in keys {
            map.entry(k.clone()).or_insert((0, Instant::now())).0 += 1;
        }
    }

    fn succeeded(&self, email_key: &str) {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).remove(email_key);
    }
}

/// Records an audit entry for the route files whose use cases do not yet audit themselves (through the
/// one audit writer, [`joule_app::audit`]).
pub(crate) async fn audit(
    state: &ApiState,
    actor: String,
    operator: Option<OperatorId>,
    action: &str,
    subject: String,
    before: Option<Value>,
    after: Option<Value>,
) {
    let entry = joule_app::audit::Entry { action, subject, before, after };
    joule_app::audit::record_as(&**state.app.store(), &actor, operator, Utc::now(), entry).await
}

/// [`audit`] of something an operator's caller did: the actor and the operator are the caller's.
pub(crate) async fn audit_by(
    state: &ApiState,
    caller: &Caller,
    action: &str,
    subject: String,
    before: Option<Value>,
    after: Option<Value>,
) {
    audit(state, caller.requested_by(), Some(caller.operator_id), action, subject, before, after).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginAnswer {
    /// Send as `Authorization: Bearer <token>` until `expires_at`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: AccountView,
}

/// Logs a person in with e-mail and password and returns a session token. Wrong credentials answer 401
/// without saying which part was wrong; after 10 failures in 15 minutes for an e-mail address, or 50 from
/// one remote address, 429.
#[utoipa::path(post, path = "/api/v1/login", tag = "accounts", request_body = LoginRequest, security(()),
    responses((status = 200, body = LoginAnswer), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<ApiState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    Body(request): Body<LoginRequest>,
) -> ApiResult<Json<LoginAnswer>> {
    let email_key = format!("email:{}", request.email.trim().to_lowercase());
    let keys = [email_key.clone(), format!("ip:{}", remote.ip())];
    if state.logins.blocked(&keys) {
        return Err(ApiError::new(Kind::TooManyAttempts, "too many failed logins; wait 15 minutes and try again"));
    }
    let accounts = state.app.accounts();
    let Some(account) = accounts.authenticate(&request.email, request.password).await? else {
        state.logins.failed(&keys);
        return Err(ApiError::new(Kind::Unauthorized, "the e-mail address or the password is wrong"));
    };
    state.logins.succeeded(&email_key);
    let LoginSession { token, expires_at } = accounts.start_session(&account, Some(remote.ip().to_string())).await?;
    Ok(Json(LoginAnswer { token, expires_at, account: account.into() }))
}

/// Ends the login session the request is made with.
#[utoipa::path(post, path = "/api/v1/logout", tag = "accounts",
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(State(state): State<ApiState>, principal: Principal) -> ApiResult<StatusCode> {
    match principal {
        Principal::Person { login_id, .. } => {
            state.app.accounts().logout(login_id).await?;
            Ok(StatusCode::NO_CONTENT)
        }
        Principal::Token(_) => Err(ApiError::invalid("Authorization", "an API token is revoked, not logged out")),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// `account` or `token`.
    pub kind: String,
    pub account: Option<AccountView>,
    /// For an API token: its name, operator and role.
    pub token: Option<Value>,
}

/// Who the credential belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(principal: Principal) -> Json<Me> {
    Json(match principal {
        Principal::Person { account, .. } => Me { kind: "account".into(), account: Some(account.into()), token: None },
        Principal::Token(t) => Me {
            kind: "token".into(),
            account: None,
            token: Some(json!({ "name": t.name, "operator_id": t.operator_id.0, "role": t.role.as_str() })),
        },
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Only accounts of this role.
    role: Option<String>,
    /// Only owners and installers waiting for the operator's approval.
    #[serde(default)]
    pending: bool,
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
}

/// The operator's accounts, by e-mail.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(AccountQuery),
    responses((status = 200, body = Vec<AccountView>), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    Query(q): Query<AccountQuery>,
) -> ApiResult<Json<Vec<AccountView>>> {
    let actor = caller.actor();
    actor.require(joule_app::Permission::Administer)?;
    let role =
        q.role.as_deref().map(AccountRole::parse).transpose().map_err(|e| ApiError::invalid("role", e.to_string()))?;
    let filter = AccountFilter {
        operator_id: Some(caller.operator_id),
        role,
        pending_approval: q.pending,
        limit: Some(params::limit("limit", q.limit, 100, 1000)?),
    };
    let accounts = state.app.accounts().list(&actor, filter).await?;
    Ok(Json(accounts.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccountRequest {
    pub email: String,
    pub name: String,
    /// operator-staff, owner, installer or driver (platform-admin: only a platform admin may create one).
    pub role: String,
    /// At least 10 characters.
    pub password: String,
    /// Owners: individual or company.
    pub owner_kind: Option<String>,
    /// Company owners: the company registration number.
    pub company_number: Option<String>,
}

impl From<NewAccountRequest> for NewAccountInput {
    fn from(r: NewAccountRequest) -> Self {
        NewAccountInput {
            email: r.email,
            name: r.name,
            role: r.role,
            password: r.password,
            owner_kind: r.owner_kind,
            company_number: r.company_number,
        }
    }
}

/// Creates an account of the operator (its staff, an owner, an installer, a driver). An owner or installer
/// created by staff still needs approving.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = NewAccountRequest,
    responses((status = 201, body = AccountView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
pub async fn create(
    State(state): State<ApiState>,
    caller: Caller,
    Body(request): Body<NewAccountRequest>,
) -> ApiResult<(StatusCode, Json<AccountView>)> {
    let account = state.app.accounts().create(&caller.actor(), request.into(), Some(caller.operator_id)).await?;
    Ok((StatusCode::CREATED, Json(account.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// The operator to register with.
    pub operator_id: i64,
    pub email: String,
    pub name: String,
    pub password: String,
    /// individual or company.
    pub owner_kind: String,
    pub company_number: Option<String>,
}

/// An owner registers ("the owner of the charger needs to make this account"). The account can log in at
/// once but asks for activations only once the operator has confirmed it.
#[utoipa::path(post, path = "/api/v1/register", tag = "accounts", request_body = RegisterRequest, security(()),
    responses((status = 201, body = AccountView), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 429, body = Problem)))]
pub async fn register(
    State(state): State<ApiState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    Body(r): Body<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<AccountView>)> {
    // Registrations count against the address like failed logins: creating accounts in bulk is refused.
    let keys = [format!("ip:{}", remote.ip())];
    if state.logins.blocked(&keys) {
        return Err(ApiError::new(Kind::TooManyAttempts, "too many attempts from this address; wait 15 minutes"));
    }
    state.logins.failed(&keys);
    let input = NewAccountInput {
        email: r.email,
        name: r.name,
        role: AccountRole::Owner.as_str().to_string(),
        password: r.password,
        owner_kind: Some(r.owner_kind),
        company_number: r.company_number,
    };
    let account = state.app.accounts().register(r.operator_id, input).await?;
    Ok((StatusCode::CREATED, Json(account.into())))
}

/// Confirms an owner (who may then ask for activations) or certifies an installer (who may then claim,
/// pinpoint and verify stations).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/approve", tag = "accounts",
    params(("account_id" = i64, Path)),
    responses((status = 200, body = AccountView), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn approve(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<AccountView>> {
    let after = state.app.accounts().approve(&caller.actor(), id).await?;
    Ok(Json(after.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableRequest {
    pub disabled: bool,
}

/// Disables an account (it can no longer log in; its open sessions end) or enables it again.
#[utoipa::path(put, path = "/api/v1/accounts/{account_id}/disabled", tag = "accounts",
    params(("account_id" = i64, Path)), request_body = DisableRequest,
    responses((status = 200, body = AccountView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn set_disabled(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(r): Body<DisableRequest>,
) -> ApiResult<Json<AccountView>> {
    let after = state.app.accounts().set_disabled(&caller.actor(), id, r.disabled).await?;
    Ok(Json(after.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this subject, e.g. `account:12` or `station:CP-1`.
    subject: Option<String>,
    since: Option<String>,
    until: Option<String>,
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
}

/// The operator's audit log, newest first: who did what, when, with the state before and after.
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", params(AuditQuery),
    responses((status = 200, body = Vec<AuditView>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn audit_log(
    State(state): State<ApiState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditView>>> {
    let actor = caller.actor();
    actor.require(joule_app::Permission::Administer)?;
    let filter = AuditFilter {
        operator_id: Some(caller.operator_id),
        subject: q.subject,
        since: params::time("since", q.since.as_deref())?,
        until: params::time("until", q.until.as_deref())?,
        limit: Some(params::limit("limit", q.limit, 100, 1000)?),
    };
    let entries = state.app.accounts().audit_log(&actor, filter).await?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 10 characters, not the e-mail address.
    pub new_password: String,
}

/// Changes the password of the person logged in. The current password is asked for, so a session left open
/// on a shared computer cannot take the account over; wrong ones count as failed logins (429 after too
/// many). Every login session of the account ends (one that leaked ends with the old password); the answer
/// is a new session for this client.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 200, body = LoginAnswer), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 429, body = Problem)))]
pub async fn change_password(
    State(state): State<ApiState>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    principal: Principal,
    Body(request): Body<PasswordChange>,
) -> ApiResult<Json<LoginAnswer>> {
    let Principal::Person { account, .. } = principal else {
        return Err(ApiError::invalid("Authorization", "an API token has no password; log in as the person"));
    };
    let keys = [format!("email:{}", account.email.to_string().to_lowercase()), format!("ip:{}", remote.ip())];
    if state.logins.blocked(&keys) {
        return Err(ApiError::new(Kind::TooManyAttempts, "too many wrong passwords; wait 15 minutes and try again"));
    }
    let remote = Some(remote.ip().to_string());
    let accounts = state.app.accounts();
    match accounts.change_password(&account, request.current_password, request.new_password, remote).await {
        Ok(LoginSession { token, expires_at }) => Ok(Json(LoginAnswer { token, expires_at, account: account.into() })),
        Err(e) => {
            if matches!(&e, AppError::Invalid { field: Some(f), .. } if f == "current_password") {
                state.logins.failed(&keys);
            }
            Err(e.into())
        }
    }
}
