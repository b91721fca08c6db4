//! Accounts: people's logins and the secrets they and stations present.

pub mod password;
