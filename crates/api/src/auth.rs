//! Who calls: the bearer credential of a request (an operator's API token or a person's login session),
//! resolved by the accounts use cases ([`joule_app::accounts`]), and the operator a call acts for.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use joule_app::accounts::{ApiToken, Credential};
use joule_core::account::{Account, AccountRole};
use joule_core::{OperatorId, Role};

pub use joule_app::accounts::secrets::{SESSION_PREFIX, TOKEN_PREFIX as PREFIX, generate, generate_session, hash};

use crate::ApiState;
use crate::error::{ApiError, Kind};

/// Who authenticated: a machine's API token, or a person's login session.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    Token(ApiToken),
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

impl FromRequestParts<ApiState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Principal, ApiError> {
        let secret = bearer(parts)?;
        Ok(match state.app.accounts().resolve(secret).await? {
            Credential::Token(token) => Principal::Token(token),
            Credential::Person { login_id, account } => Principal::Person { login_id, account },
        })
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
                    let actor = joule_app::Actor::person(account.clone(), None, Role::Admin);
                    let operator = state.app.operations().operator(&actor, OperatorId(id)).await?;
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
