//! Accounts: people's logins and the secrets they and stations present.

pub mod password;

/// The accounts use cases; borrows the [`crate::App`].
pub struct Accounts<'a> {
    #[allow(dead_code)] // the use cases are being moved here from the API's routes
    app: &'a crate::App,
}

impl<'a> Accounts<'a> {
    pub(crate) fn new(app: &'a crate::App) -> Accounts<'a> {
        Accounts { app }
    }
}
