//! The [`AccountStore`]: people and machines that use Joule: accounts, their logins and password resets, API tokens,
//! the audit log of who changed what, and the portal's notifications.

use async_trait::async_trait;
use joule_core::account::{Account, AccountId, Email};
use joule_core::{OperatorId, Timestamp};

use crate::{
    AccountFilter, ApiToken, AuditEntry, AuditFilter, Login, NewAccount, NewApiToken, NewLogin, NewPasswordReset,
    Notification, Result,
};

/// Accounts with their logins and password resets, API tokens, the audit log and the portal's notifications.
#[async_trait]
pub trait AccountStore: Send + Sync {
    // --- accounts ---

    /// `Conflict` if the e-mail address is taken (addresses are unique across operators: one address, one
    /// account); `NotFound` if `operator_id` names no operator. The account starts unapproved and enabled.
    async fn create_account(&self, account: &NewAccount) -> Result<Account>;
    async fn account(&self, id: AccountId) -> Result<Option<Account>>;
    /// The account with this address, and its password hash (for logging in: the only read that returns
    /// the hash). Disabled accounts included; the caller checks.
    async fn account_by_email(&self, email: &Email) -> Result<Option<(Account, String)>>;
    /// By e-mail address, at most `filter.limit` of them.
    async fn list_accounts(&self, filter: &AccountFilter) -> Result<Vec<Account>>;
    /// Confirms an owner or certifies an installer: sets `approved_at` and `approved_by`, and returns the
    /// account. Approving an approved account keeps the first approval and succeeds. `NotFound` if there is
    /// no such account, or if `by` names no account.
    async fn approve_account(&self, id: AccountId, by: Option<AccountId>, at: Timestamp) -> Result<Account>;
    /// Replaces the password hash. `NotFound` if there is no such account. Logins stay open: revoke them
    /// with [`AccountStore::revoke_logins_of`].
    async fn set_account_password(&self, id: AccountId, password_hash: &str) -> Result<()>;
    /// Disables the account as of `at` (disabling a disabled account keeps the first time), or enables it
    /// again, and returns it. `NotFound` if there is no such account. Logins stay open: revoke them with
    /// [`AccountStore::revoke_logins_of`].
    async fn set_account_disabled(&self, id: AccountId, disabled: bool, at: Timestamp) -> Result<Account>;

    // --- logins ---

    /// `NotFound` if the account does not exist; `Conflict` if the hash is taken.
    async fn create_login(&self, login: &NewLogin) -> Result<Login>;
    /// The login with this hash, with its account as it is now; revoked and expired ones included (the
    /// caller checks `revoked_at`, `expires_at` and the account, so that it can say why it refuses).
    async fn login_by_hash(&self, token_hash: &str) -> Result<Option<Login>>;
    /// `NotFound` if there is no such login. Revoking a revoked login keeps the first time and succeeds.
    async fn revoke_login(&self, id: i64, at: Timestamp) -> Result<()>;
    /// Records that the login was used at `at` (an earlier `at` than the one stored changes nothing).
    /// `NotFound` if there is no such login. Callers may treat it as best-effort.
    async fn touch_login(&self, id: i64, at: Timestamp) -> Result<()>;
    /// Revokes, as of `at`, every login of the account that is open at `at` (not revoked, not expired), e.g.
    /// when its password changes or it is disabled, and returns how many. `NotFound` if there is no such
    /// account.
    async fn revoke_logins_of(&self, account: AccountId, at: Timestamp) -> Result<u64>;

    // --- password resets ---

    /// Records a password-reset link. `NotFound` if there is no such account; `Conflict` if the hash is taken.
    async fn create_password_reset(&self, reset: &NewPasswordReset) -> Result<()>;
    /// How many reset links were made for the account at or after `since` (mails are limited per hour).
    async fn password_resets_since(&self, account: AccountId, since: Timestamp) -> Result<u32>;
    /// The account of the link with this hash, if the link is unused and not expired at `at` (to check the new
    /// password against the account before the link is used).
    async fn password_reset_account(&self, token_hash: &str, at: Timestamp) -> Result<Option<AccountId>>;
    /// Uses a reset link, in one transaction: when `token_hash` names a link that is unused and not expired at
    /// `at`, marks it and every other open link of its account used, replaces the account's password hash and
    /// revokes its open logins; returns the account. `NotFound` for a link that is unknown, used or expired,
    /// alike (the caller answers the same for all three).
    async fn reset_password(&self, token_hash: &str, password_hash: &str, at: Timestamp) -> Result<AccountId>;

    // --- API tokens ---

    /// `Conflict` if the operator has a token of this name (or the hash is taken); `NotFound` if the
    /// operator does not exist.
    async fn create_api_token(&self, token: &NewApiToken) -> Result<ApiToken>;
    /// The token with this hash, revoked or not (a revoked one has `revoked_at`, so the caller can say why
    /// it is refused).
    async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>>;
    /// By name.
    async fn list_api_tokens(&self, operator: OperatorId) -> Result<Vec<ApiToken>>;
    /// `NotFound` if there is no such token. Revoking a revoked token keeps the first time and succeeds.
    async fn revoke_api_token(&self, id: i64, at: Timestamp) -> Result<()>;
    /// Records that the token was used at `at` (an earlier `at` than the one stored changes nothing).
    /// `NotFound` if there is no such token. Callers may treat it as best-effort.
    async fn touch_api_token(&self, id: i64, at: Timestamp) -> Result<()>;

    // --- audit log ---

    /// Appends an entry (its `id` is ignored) and returns its id. Ids increase and are never reused. The
    /// operator is not checked: the log records what happened, not references that must stay valid.
    async fn record_audit(&self, entry: &AuditEntry) -> Result<i64>;
    /// Newest first (by time, then by id), at most `filter.limit` of them.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;

    // --- notifications ---

    /// Puts a message in the person's portal inbox. `NotFound` if the account does not exist.
    async fn record_notification(
        &self,
        account: AccountId,
        kind: &str,
        text: &str,
        at: Timestamp,
    ) -> Result<Notification>;
    /// The person's inbox, newest first (by time, then id), at most `limit`.
    async fn notifications(&self, account: AccountId, limit: u32) -> Result<Vec<Notification>>;
    /// Marks the person's message read (a read one keeps its first time). `NotFound` unless the message is
    /// the account's.
    async fn mark_notification_read(&self, account: AccountId, id: i64, at: Timestamp) -> Result<()>;
}
