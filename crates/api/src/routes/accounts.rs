//! People: logging in and out, accounts (created by an operator's staff, or an owner registering), their
//! approval (an owner confirmed, an installer certified), and the audit log ("Accounts and roles").

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use joule_core::account::{Account, AccountId, AccountRole, Email, OwnerKind, check_password};
use joule_core::{OperatorId, Role};
use joule_store::{AccountFilter, AuditEntry, AuditFilter, NewAccount, NewLogin};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::ApiState;
use crate::auth::{self, Caller, Principal};
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::{Body, Query};
use crate::model::{AccountView, AuditView};
use crate::params;

/// How long a login session lasts.
const SESSION_HOURS: i64 = 12;
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

/// Records an audit entry; the action has happened, so a failure to record it is logged loudly.
pub(crate) async fn audit(
    state: &ApiState,
    actor: String,
    operator: Option<OperatorId>,
    action: &str,
    subject: String,
    before: Option<Value>,
    after: Option<Value>,
) {
    let entry = AuditEntry {
        id: 0,
        at: Utc::now(),
        actor,
        operator_id: operator,
        action: action.to_string(),
        subject,
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
    };
    if let Err(e) = state.app.store().record_audit(&entry).await {
        tracing::error!(error = %e, action = %entry.action, subject = %entry.subject, "could not record an audit entry");
    }
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

fn snapshot(a: &Account) -> Value {
    serde_json::to_value(AccountView::from(a.clone())).unwrap_or(Value::Null)
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

/// A hash to verify against when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong
/// password and the answer's timing does not tell which accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| joule_app::accounts::password::hash("not a password of anyone").unwrap_or_default())
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
    let wrong = || ApiError::new(Kind::Unauthorized, "the e-mail address or the password is wrong");
    let found = match Email::parse(&request.email) {
        Ok(email) => state.app.store().account_by_email(&email).await?,
        Err(_) => None,
    };
    let phc = found.as_ref().map(|(_, h)| h.clone()).unwrap_or_else(|| dummy_hash().to_string());
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || joule_app::accounts::password::verify(&password, &phc))
        .await
        .unwrap_or(false);
    let account = match found {
        Some((account, _)) if matches && account.is_active() => account,
        _ => {
            state.logins.failed(&keys);
            return Err(wrong());
        }
    };
    state.logins.succeeded(&email_key);
    let (token, token_hash) = auth::generate_session();
    let now = Utc::now();
    let expires_at = now + chrono::Duration::hours(SESSION_HOURS);
    let new = NewLogin {
        account_id: account.id,
        token_hash,
        created_at: now,
        expires_at,
        remote: Some(remote.ip().to_string()),
    };
    state.app.store().create_login(&new).await?;
    Ok(Json(LoginAnswer { token, expires_at, account: account.into() }))
}

/// Ends the login session the request is made with.
#[utoipa::path(post, path = "/api/v1/logout", tag = "accounts",
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(State(state): State<ApiState>, principal: Principal) -> ApiResult<StatusCode> {
    match principal {
        Principal::Person { login_id, .. } => {
            state.app.store().revoke_login(login_id, Utc::now()).await?;
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
    caller.require(Role::Admin)?;
    let role =
        q.role.as_deref().map(AccountRole::parse).transpose().map_err(|e| ApiError::invalid("role", e.to_string()))?;
    let filter = AccountFilter {
        operator_id: Some(caller.operator_id),
        role,
        pending_approval: q.pending,
        limit: Some(params::limit("limit", q.limit, 100, 1000)?),
    };
    let accounts = state.app.store().list_accounts(&filter).await?;
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

fn checked_name(field: &str, name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(field, "must be 1 to 100 printable characters"));
    }
    Ok(name.to_string())
}

async fn create_account(
    state: &ApiState,
    request: NewAccountRequest,
    operator: Option<OperatorId>,
) -> ApiResult<Account> {
    let email = Email::parse(&request.email).map_err(|e| ApiError::invalid("email", e.to_string()))?;
    let name = checked_name("name", &request.name)?;
    let role = AccountRole::parse(&request.role).map_err(|e| ApiError::invalid("role", e.to_string()))?;
    check_password(&request.password, &email).map_err(|e| ApiError::invalid("password", e.to_string()))?;
    let owner_kind = match (role, request.owner_kind.as_deref()) {
        (AccountRole::Owner, Some(k)) => {
            Some(OwnerKind::parse(k).map_err(|e| ApiError::invalid("owner_kind", e.to_string()))?)
        }
        (AccountRole::Owner, None) => {
            return Err(ApiError::invalid("owner_kind", "an owner is an individual or a company"));
        }
        (_, Some(_)) => return Err(ApiError::invalid("owner_kind", "only owners have an owner kind")),
        (_, None) => None,
    };
    let company_number = match (owner_kind, request.company_number) {
        (Some(OwnerKind::Company), Some(n)) => Some(checked_name("company_number", &n)?),
        (Some(OwnerKind::Company), None) => {
            return Err(ApiError::invalid("company_number", "a company owner needs its registration number"));
        }
        (_, Some(_)) => return Err(ApiError::invalid("company_number", "only company owners have one")),
        (_, None) => None,
    };
    let password = request.password;
    let password_hash = tokio::task::spawn_blocking(move || joule_app::accounts::password::hash(&password))
        .await
        .map_err(|e| ApiError::new(Kind::Internal, e.to_string()))?
        .map_err(|e| ApiError::new(Kind::Internal, e.to_string()))?;
    let new = NewAccount {
        email,
        name,
        role,
        operator_id: if role.has_operator() { operator } else { None },
        owner_kind,
        company_number,
        password_hash,
        created_at: Utc::now(),
    };
    Ok(state.app.store().create_account(&new).await?)
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
    caller.require(Role::Admin)?;
    let platform_admin = caller.account().is_some_and(|a| a.role == AccountRole::PlatformAdmin);
    if request.role == AccountRole::PlatformAdmin.as_str() && !platform_admin {
        return Err(ApiError::new(Kind::Forbidden, "only a platform admin creates platform admins"));
    }
    let account = create_account(&state, request, Some(caller.operator_id)).await?;
    let subject = format!("account:{}", account.id);
    audit_by(&state, &caller, "account.create", subject, None, Some(snapshot(&account))).await;
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
    let operator = state.app.store().operator(OperatorId(r.operator_id)).await?;
    let operator =
        operator.ok_or_else(|| ApiError::invalid("operator_id", format!("no operator {}", r.operator_id)))?;
    let request = NewAccountRequest {
        email: r.email,
        name: r.name,
        role: AccountRole::Owner.as_str().to_string(),
        password: r.password,
        owner_kind: Some(r.owner_kind),
        company_number: r.company_number,
    };
    let account = create_account(&state, request, Some(operator.id)).await?;
    let subject = format!("account:{}", account.id);
    audit(
        &state,
        format!("account:{}", account.email),
        Some(operator.id),
        "account.register",
        subject,
        None,
        Some(snapshot(&account)),
    )
    .await;
    Ok((StatusCode::CREATED, Json(account.into())))
}

async fn own_account(state: &ApiState, caller: &Caller, id: i64) -> ApiResult<Account> {
    match state.app.store().account(AccountId(id)).await? {
        Some(a) if a.operator_id == Some(caller.operator_id) => Ok(a),
        _ => Err(ApiError::not_found(format!("no account {id}"))),
    }
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
    caller.require(Role::Admin)?;
    let before = own_account(&state, &caller, id).await?;
    if !matches!(before.role, AccountRole::Owner | AccountRole::Installer) {
        return Err(ApiError::invalid(
            "account_id",
            format!("only owners and installers are approved; this is {}", before.role),
        ));
    }
    let by = caller.account().map(|a| a.id);
    let after = state.app.store().approve_account(before.id, by, Utc::now()).await?;
    let action = if after.role == AccountRole::Owner { "owner.confirm" } else { "installer.certify" };
    audit_by(&state, &caller, action, format!("account:{id}"), Some(snapshot(&before)), Some(snapshot(&after))).await;
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
    caller.require(Role::Admin)?;
    let before = own_account(&state, &caller, id).await?;
    let store = state.app.store();
    let now = Utc::now();
    let after = store.set_account_disabled(before.id, r.disabled, now).await?;
    if r.disabled {
        store.revoke_logins_of(before.id, now).await?;
    }
    let action = if r.disabled { "account.disable" } else { "account.enable" };
    audit_by(&state, &caller, action, format!("account:{id}"), Some(snapshot(&before)), Some(snapshot(&after))).await;
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
    caller.require(Role::Admin)?;
    let filter = AuditFilter {
        operator_id: Some(caller.operator_id),
        subject: q.subject,
        since: params::time("since", q.since.as_deref())?,
        until: params::time("until", q.until.as_deref())?,
        limit: Some(params::limit("limit", q.limit, 100, 1000)?),
    };
    let entries = state.app.store().audit_entries(&filter).await?;
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
    let store = state.app.store();
    let (_, phc) = store
        .account_by_email(&account.email)
        .await?
        .ok_or_else(|| ApiError::new(Kind::Unauthorized, "this account no longer exists"))?;
    let current = request.current_password.clone();
    let matches = tokio::task::spawn_blocking(move || joule_app::accounts::password::verify(&current, &phc))
        .await
        .unwrap_or(false);
    if !matches {
        state.logins.failed(&keys);
        return Err(ApiError::invalid("current_password", "the current password is wrong"));
    }
    check_password(&request.new_password, &account.email)
        .map_err(|e| ApiError::invalid("new_password", e.to_string()))?;
    if request.new_password == request.current_password {
        return Err(ApiError::invalid("new_password", "the new password must differ from the current one"));
    }
    let password = request.new_password;
    let password_hash = tokio::task::spawn_blocking(move || joule_app::accounts::password::hash(&password))
        .await
        .map_err(|e| ApiError::new(Kind::Internal, e.to_string()))?
        .map_err(|e| ApiError::new(Kind::Internal, e.to_string()))?;
    store.set_account_password(account.id, &password_hash).await?;
    let now = Utc::now();
    store.revoke_logins_of(account.id, now).await?;
    let (token, token_hash) = auth::generate_session();
    let expires_at = now + chrono::Duration::hours(SESSION_HOURS);
    let new = NewLogin {
        account_id: account.id,
        token_hash,
        created_at: now,
        expires_at,
        remote: Some(remote.ip().to_string()),
    };
    store.create_login(&new).await?;
    // Neither password goes into the audit log; that it changed, and by whom, does.
    let subject = format!("account:{}", account.id);
    audit(&state, principal_actor(&account), account.operator_id, "account.password", subject, None, None).await;
    Ok(Json(LoginAnswer { token, expires_at, account: account.into() }))
}

fn principal_actor(account: &Account) -> String {
    format!("account:{}", account.email)
}
