//! Bearer API tokens ("stored hashed, revocable; every endpoint checks the token's operator and
//! role").
//!
//! A token is `joule_` followed by 32 random bytes in base64url: 256 bits, so a fast hash is enough to store
//! it (SHA-256, as GitHub and crates.io do); a slow password hash would only slow every request down. The
//! secret is shown once, when created, and never stored or logged.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use joule_core::account::{Account, AccountRole};
use joule_core::{OperatorId, Role};
use sha2::{Digest, Sha256};

use crate::ApiState;
use crate::error::{ApiError, Kind};

/// Tokens start with this, so a leaked one is recognisable (secret scanners) and a wrong string is caught.
pub const PREFIX: &str = "joule_";

/// How stale `last_used_at` may be before a request refreshes it (saves a write per request).
const TOUCH_EVERY: Duration = Duration::from_secs(60);

/// A new token's secret and the hash to store.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let secret = format!("{PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash(&secret);
    (secret, hash)
}

/// The stored form of a token: SHA-256, lower-case hex.
pub fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Login session tokens (people, after `POST /api/v1/login`) start with this; API tokens with [`PREFIX`].
pub const SESSION_PREFIX: &str = "jsess_";

/// A new login session's secret and the hash to store.
pub fn generate_session() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let secret = format!("{SESSION_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash(&secret);
    (secret, hash)
}

/// Who authenticated: a machine's API token, or a person's login session.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    Token(joule_store::ApiToken),
    Person { login_id: i64, account: Account },
}

impl Principal {
    /// How the command history and the audit log name this caller.
    pub fn actor(&self) -> String {
        match self {
            Principal::Token(t) => format!("token:{}", t.name),
            Principal::Person { account, .. } => format!("account:{}", account.email),
        }
    }
}

/// The `Bearer` credential of a request.
fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let unauthorized = |detail: &str| ApiError::new(Kind::Unauthorized, detail);
    let header = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("send the API token or login session as `Authorization: Bearer <token>`"))?;
    let value = header.to_str().map_err(|_| unauthorized("the Authorization header is not readable text"))?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .ok_or_else(|| unauthorized("the Authorization header must be `Bearer <token>`"))
}

fn stale(last_used: Option<chrono::DateTime<chrono::Utc>>, now: chrono::DateTime<chrono::Utc>) -> bool {
    last_used.is_none_or(|t| (now - t).to_std().unwrap_or_default() > TOUCH_EVERY)
}

impl FromRequestParts<ApiState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Principal, ApiError> {
        let unauthorized = |detail: &str| ApiError::new(Kind::Unauthorized, detail);
        let secret = bearer(parts)?;
        let store = state.app.store();
        let now = chrono::Utc::now();
        if secret.starts_with(SESSION_PREFIX) {
            let login =
                store.login_by_hash(&hash(secret)).await?.ok_or_else(|| unauthorized("unknown login session"))?;
            if login.revoked_at.is_some() {
                return Err(unauthorized("this login session ended; log in again"));
            }
            if login.expires_at <= now {
                return Err(unauthorized("this login session expired; log in again"));
            }
            if !login.account.is_active() {
                return Err(unauthorized("this account is disabled"));
            }
            if stale(login.last_used_at, now) {
                let (store, id) = (store.clone(), login.id);
                tokio::spawn(async move {
                    if let Err(e) = store.touch_login(id, now).await {
                        tracing::debug!(error = %e, "could not record a login's use");
                    }
                });
            }
            return Ok(Principal::Person { login_id: login.id, account: login.account });
        }
        if !secret.starts_with(PREFIX) {
            return Err(unauthorized(
                "not a Joule token (API tokens start with `joule_`, login sessions with `jsess_`)",
            ));
        }
        let token = store.api_token_by_hash(&hash(secret)).await?.ok_or_else(|| unauthorized("unknown API token"))?;
        if let Some(at) = token.revoked_at {
            return Err(unauthorized(&format!("this API token was revoked at {}", at.to_rfc3339())));
        }
        if stale(token.last_used_at, now) {
            let (store, id) = (store.clone(), token.id);
            tokio::spawn(async move {
                if let Err(e) = store.touch_api_token(id, now).await {
                    tracing::debug!(error = %e, "could not record an API token's use");
                }
            });
        }
        Ok(Principal::Token(token))
    }
}

/// Who is calling an operator's endpoint: an API token of the operator, one of its staff (who has the
/// operator's full powers, like an admin token), or a platform admin naming the operator in the
/// `Joule-Operator` header. Owners, installers and drivers have endpoints of their own.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub principal: Principal,
    pub operator_id: OperatorId,
    pub role: Role,
}

/// The header a platform admin names the operator with.
pub const OPERATOR_HEADER: &str = "joule-operator";

impl Caller {
    /// Fails with 403 unless the caller's role is at least `needed`.
    pub fn require(&self, needed: Role) -> Result<(), ApiError> {
        if self.role.allows(needed) {
            Ok(())
        } else {
            Err(ApiError::new(
                Kind::Forbidden,
                format!("this needs role {needed} or higher; {} has role {}", self.principal.actor(), self.role),
            ))
        }
    }

    /// The caller as the use cases know it: its name, operator and role, and its account if a person.
    pub fn actor(&self) -> joule_app::Actor {
        match &self.principal {
            Principal::Token(t) => joule_app::Actor::token(&t.name, self.operator_id, self.role),
            Principal::Person { account, .. } => {
                joule_app::Actor::person(account.clone(), Some(self.operator_id), self.role)
            }
        }
    }

    /// How the command history and the audit log name this caller.
    pub fn requested_by(&self) -> String {
        self.principal.actor()
    }

    /// The account behind the call, when a person makes it.
    pub fn account(&self) -> Option<&Account> {
        match &self.principal {
            Principal::Person { account, .. } => Some(account),
            Principal::Token(_) => None,
        }
    }
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Caller, ApiError> {
        let principal = Principal::from_request_parts(parts, state).await?;
        match &principal {
            Principal::Token(t) => Ok(Caller { operator_id: t.operator_id, role: t.role, principal }),
            Principal::Person { account, .. } => match (account.role, account.operator_id) {
                (AccountRole::OperatorStaff, Some(operator)) => {
                    Ok(Caller { operator_id: operator, role: Role::Admin, principal })
                }
                (AccountRole::PlatformAdmin, _) => {
                    let header = parts.headers.get(OPERATOR_HEADER).and_then(|v| v.to_str().ok());
                    let id = header.and_then(|v| v.trim().parse::<i64>().ok()).ok_or_else(|| {
                        ApiError::invalid(
                            "Joule-Operator",
                            "a platform admin names the operator to act for in the Joule-Operator header (its id)",
                        )
                    })?;
                    let operator = state.app.store().operator(OperatorId(id)).await?;
                    let operator = operator.ok_or_else(|| ApiError::not_found(format!("no operator {id}")))?;
                    Ok(Caller { operator_id: operator.id, role: Role::Admin, principal })
                }
                (role, _) => Err(ApiError::new(
                    Kind::Forbidden,
                    format!("this endpoint is for an operator's staff and tokens; this account is {role}"),
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_hash_to_hex() {
        let (a, hash_a) = generate();
        let (b, _) = generate();
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 43, "{a}");
        assert_eq!(hash_a, hash(&a));
        assert_eq!(hash_a.len(), 64);
        assert!(hash_a.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        // A known vector: SHA-256 of "abc".
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
