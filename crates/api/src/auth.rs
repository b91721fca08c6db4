//! Bearer API tokens (issue 3: "stored hashed, revocable; every endpoint checks the token's operator and
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

/// Who is calling: the token's operator, role and name (the name goes to the command history).
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub token_id: i64,
    pub token_name: String,
    pub operator_id: OperatorId,
    pub role: Role,
}

impl Caller {
    /// Fails with 403 unless the token's role is at least `needed`.
    pub fn require(&self, needed: Role) -> Result<(), ApiError> {
        if self.role.allows(needed) {
            Ok(())
        } else {
            Err(ApiError::new(
                Kind::Forbidden,
                format!(
                    "this needs a token with role {needed} or higher; this token ({}) is {}",
                    self.token_name, self.role
                ),
            ))
        }
    }

    /// How the command history names this caller.
    pub fn requested_by(&self) -> String {
        format!("token:{}", self.token_name)
    }
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Caller, ApiError> {
        let unauthorized = |detail: &str| ApiError::new(Kind::Unauthorized, detail);
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| unauthorized("send the API token as `Authorization: Bearer <token>`"))?;
        let value = header.to_str().map_err(|_| unauthorized("the Authorization header is not readable text"))?;
        let secret = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| unauthorized("the Authorization header must be `Bearer <token>`"))?;
        if !secret.starts_with(PREFIX) {
            return Err(unauthorized("not a Joule API token (they start with `joule_`)"));
        }
        let store = state.app.services.store();
        let token = store.api_token_by_hash(&hash(secret)).await?.ok_or_else(|| unauthorized("unknown API token"))?;
        if let Some(at) = token.revoked_at {
            return Err(unauthorized(&format!("this API token was revoked at {}", at.to_rfc3339())));
        }
        let now = chrono::Utc::now();
        let stale = token.last_used_at.is_none_or(|t| (now - t).to_std().unwrap_or_default() > TOUCH_EVERY);
        if stale {
            let store = store.clone();
            tokio::spawn(async move {
                if let Err(e) = store.touch_api_token(token.id, now).await {
                    tracing::debug!(error = %e, "could not record an API token's use");
                }
            });
        }
        Ok(Caller { token_id: token.id, token_name: token.name, operator_id: token.operator_id, role: token.role })
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
