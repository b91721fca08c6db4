//! Accounts: people's logins and the secrets they and stations present, API tokens, and the audit log.

mod api_tokens;
pub mod credentials;
pub mod password;
mod people;
pub mod secrets;
mod station_passwords;

pub use credentials::{Credential, LoginSession, ResetOutcome};
pub use joule_store::{AccountFilter, ApiToken, AuditEntry, AuditFilter};
pub use people::{NewAccountInput, snapshot};

/// The accounts use cases; borrows the [`crate::App`].
pub struct Accounts<'a> {
    app: &'a crate::App,
}

impl<'a> Accounts<'a> {
    pub(crate) fn new(app: &'a crate::App) -> Accounts<'a> {
        Accounts { app }
    }
}
