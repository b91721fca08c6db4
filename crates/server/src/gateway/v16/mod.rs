//! The OCPP 1.6J adapter: the one place that knows 1.6's actions and payloads.
//!
//! - [`inbound`]: a station's CALLs (BootNotification, StartTransaction, ...) into the [`crate::Services`].
//! - [`outbound`]: Joule's commands ([`joule_core::command::StationCommand`]) into 1.6 CALLs, a station's
//!   answers into [`joule_core::command::Outcome`]s, and the expert pass-through validated as a 1.6 station
//!   would.

pub(crate) mod inbound;
pub(crate) mod outbound;

use joule_core::auth::AuthorizationStatus;
use ocpp::v16;

/// OCPP 1.6 §7.2, both ways (the values are the domain's).
pub(crate) fn authorization_status(status: AuthorizationStatus) -> v16::AuthorizationStatus {
    match status {
        AuthorizationStatus::Accepted => v16::AuthorizationStatus::Accepted,
        AuthorizationStatus::Blocked => v16::AuthorizationStatus::Blocked,
        AuthorizationStatus::Expired => v16::AuthorizationStatus::Expired,
        AuthorizationStatus::Invalid => v16::AuthorizationStatus::Invalid,
        AuthorizationStatus::ConcurrentTx => v16::AuthorizationStatus::ConcurrentTx,
    }
}

pub(crate) fn authorization_from(status: &v16::AuthorizationStatus) -> AuthorizationStatus {
    match status {
        v16::AuthorizationStatus::Accepted => AuthorizationStatus::Accepted,
        v16::AuthorizationStatus::Blocked => AuthorizationStatus::Blocked,
        v16::AuthorizationStatus::Expired => AuthorizationStatus::Expired,
        v16::AuthorizationStatus::Invalid => AuthorizationStatus::Invalid,
        v16::AuthorizationStatus::ConcurrentTx => AuthorizationStatus::ConcurrentTx,
    }
}
