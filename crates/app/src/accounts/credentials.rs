//! Who presents a bearer credential: an operator's API token or a person's login session; logging in and
//! out; changing a password; password-reset links.

use std::time::Duration;

use chrono::Utc;
use joule_core::Timestamp;
use joule_core::account::{Account, Email, check_password};
use joule_store::{ApiToken, NewLogin, NewPasswordReset, StoreError};
use serde_json::json;

use super::Accounts;
use super::password;
use super::secrets::{self, RESET_PREFIX, SESSION_PREFIX, TOKEN_PREFIX};
use crate::audit::{self, Entry};
use crate::{AppError, AppResult};

/// How long a login session lasts.
pub const SESSION_HOURS: i64 = 12;
/// How stale `last_used_at` may be before a request refreshes it (saves a write per request).
const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// How long a password-reset link works.
pub const LINK_MINUTES: i64 = 60;
/// Links mailed to one account per hour, at most: more requests mail nothing.
pub const LINKS_PER_HOUR: u32 = 3;

/// Who a bearer credential belongs to.
#[derive(Debug, Clone, PartialEq)]
pub enum Credential {
    /// An operator's API token.
    Token(ApiToken),
    /// A person's login session.
    Person { login_id: i64, account: Account },
}

/// A new login session: its secret (shown once) and when it expires.
#[derive(Debug, Clone)]
pub struct LoginSession {
    pub token: String,
    pub expires_at: Timestamp,
}

fn stale(last_used: Option<Timestamp>, now: Timestamp) -> bool {
    last_used.is_none_or(|t| (now - t).to_std().unwrap_or_default() > TOUCH_EVERY)
}

/// A hash to verify against when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong
/// password and the answer's timing does not tell which accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password::hash("not a password of anyone").unwrap_or_default())
}

/// [`password::hash`] on the blocking pool.
pub(crate) async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify_password(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || password::verify(&password, &phc)).await.unwrap_or(false)
}

impl Accounts<'_> {
    /// Who `secret` belongs to: [`AppError::Unauthorized`] for an unknown, revoked, expired or malformed
    /// credential or a disabled account. Records the credential's use (at most once a minute, off the
    /// request's path).
    pub async fn resolve(&self, secret: &str) -> AppResult<Credential> {
        let unauthorized = |detail: &str| AppError::Unauthorized(detail.to_string());
        let store = self.app.db();
        let now = Utc::now();
        if secret.starts_with(SESSION_PREFIX) {
            let login = store
                .login_by_hash(&secrets::hash(secret))
                .await?
                .ok_or_else(|| unauthorized("unknown login session"))?;
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
            return Ok(Credential::Person { login_id: login.id, account: login.account });
        }
        if !secret.starts_with(TOKEN_PREFIX) {
            return Err(unauthorized(
                "not a Joule token (API tokens start with `joule_`, login sessions with `jsess_`)",
            ));
        }
        let token =
            store.api_token_by_hash(&secrets::hash(secret)).await?.ok_or_else(|| unauthorized("unknown API token"))?;
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
        Ok(Credential::Token(token))
    }

    /// The active account `email` and `password` belong to; `None` when either is wrong (never said
    /// which: a wrong e-mail takes as long as a wrong password).
    pub async fn authenticate(&self, email: &str, password: String) -> AppResult<Option<Account>> {
        let found = match Email::parse(email) {
            Ok(email) => self.app.db().account_by_email(&email).await?,
            Err(_) => None,
        };
        let phc = found.as_ref().map(|(_, h)| h.clone()).unwrap_or_else(|| dummy_hash().to_string());
        let matches = verify_password(password, phc).await;
        Ok(match found {
            Some((account, _)) if matches && account.is_active() => Some(account),
            _ => None,
        })
    }

    /// Opens a login session of [`SESSION_HOURS`] for the account, from the `remote` address.
    pub async fn start_session(&self, account: &Account, remote: Option<String>) -> AppResult<LoginSession> {
        let (token, token_hash) = secrets::generate_session();
        let now = Utc::now();
        let expires_at = now + chrono::Duration::hours(SESSION_HOURS);
        let new = NewLogin { account_id: account.id, token_hash, created_at: now, expires_at, remote };
        self.app.db().create_login(&new).await?;
        Ok(LoginSession { token, expires_at })
    }

    /// Ends a login session.
    pub async fn logout(&self, login_id: i64) -> AppResult<()> {
        Ok(self.app.db().revoke_login(login_id, Utc::now()).await?)
    }

    /// Changes the password of the person logged in, given the current one (a wrong one is `Invalid` on
    /// `current_password`). Every login session of the account ends; the answer is a new one for `remote`.
    /// Audited (`account.password`) without either password.
    pub async fn change_password(
        &self,
        account: &Account,
        current_password: String,
        new_password: String,
        remote: Option<String>,
    ) -> AppResult<LoginSession> {
        let store = self.app.db();
        let (_, phc) = store
            .account_by_email(&account.email)
            .await?
            .ok_or_else(|| AppError::Unauthorized("this account no longer exists".into()))?;
        if !verify_password(current_password.clone(), phc).await {
            return Err(AppError::invalid("current_password", "the current password is wrong"));
        }
        check_password(&new_password, &account.email).map_err(|e| AppError::invalid("new_password", e.to_string()))?;
        if new_password == current_password {
            return Err(AppError::invalid("new_password", "the new password must differ from the current one"));
        }
        let password_hash = hash_password(new_password).await?;
        store.set_account_password(account.id, &password_hash).await?;
        store.revoke_logins_of(account.id, Utc::now()).await?;
        let session = self.start_session(account, remote).await?;
        let entry =
            Entry { action: "account.password", subject: format!("account:{}", account.id), before: None, after: None };
        audit::record_as(&**store, &format!("account:{}", account.email), account.operator_id, Utc::now(), entry).await;
        Ok(session)
    }

    /// Makes a password-reset link's secret for the active account `email` belongs to, unless
    /// [`LINKS_PER_HOUR`] were made in the last hour: `None` then, and for an unknown or disabled account.
    pub async fn password_reset_link(&self, email: &Email) -> AppResult<Option<(Account, String)>> {
        let store = self.app.db();
        let Some((account, _)) = store.account_by_email(email).await? else { return Ok(None) };
        if !account.is_active() {
            return Ok(None);
        }
        let now = Utc::now();
        if store.password_resets_since(account.id, now - chrono::Duration::hours(1)).await? >= LINKS_PER_HOUR {
            tracing::info!(account = %account.id, "password-reset link not sent: {LINKS_PER_HOUR} sent in the last hour");
            return Ok(None);
        }
        let (secret, token_hash) = secrets::generate_with(RESET_PREFIX);
        let reset = NewPasswordReset {
            account_id: account.id,
            token_hash,
            created_at: now,
            expires_at: now + chrono::Duration::minutes(LINK_MINUTES),
        };
        store.create_password_reset(&reset).await?;
        Ok(Some((account, secret)))
    }

    /// Sets a new password with a reset link's secret; the link works once and the account's other links and
    /// logins end with it. `Ok(None)` for an unknown, used or expired link (`ended` is false when nobody
    /// was found by the link at all, so the caller may count it as a failed attempt). Audited
    /// (`account.password_reset`).
    pub async fn reset_password(&self, secret: &str, new_password: String) -> AppResult<ResetOutcome> {
        let store = self.app.db();
        let now = Utc::now();
        let token_hash = secrets::hash(secret.trim());
        let Some(account_id) = store.password_reset_account(&token_hash, now).await? else {
            return Ok(ResetOutcome::UnknownLink);
        };
        let Some(account) = store.account(account_id).await? else { return Ok(ResetOutcome::UsedLink) };
        check_password(&new_password, &account.email).map_err(|e| AppError::invalid("password", e.to_string()))?;
        let phc = hash_password(new_password).await?;
        match store.reset_password(&token_hash, &phc, now).await {
            Ok(_) => {}
            // Used by a request that came in between: the same answer as any used link.
            Err(StoreError::NotFound(_)) => return Ok(ResetOutcome::UsedLink),
            Err(e) => return Err(e.into()),
        }
        let entry = Entry {
            action: "account.password_reset",
            subject: format!("account {}", account.id),
            before: None,
            after: Some(json!({ "logins_ended": true })),
        };
        audit::record_as(&**store, &format!("account:{}", account.email), account.operator_id, Utc::now(), entry).await;
        Ok(ResetOutcome::Done)
    }
}

/// How a password reset ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetOutcome {
    Done,
    /// No link has that secret (or it expired): a guess, perhaps.
    UnknownLink,
    /// The link was used meanwhile, or its account is gone.
    UsedLink,
}
