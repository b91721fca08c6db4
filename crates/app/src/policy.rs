//! The permission policy, in one place: which role may do what within its operator. A use case asks
//! [`crate::Actor::require`] first.

use joule_core::account::{Account, AccountRole};
use joule_core::role::Role;

use crate::{Actor, AppError};

/// A station owner acting on their own stations: only an owner's login account may (their stations are
/// theirs, whatever the operator's staff may do).
pub fn owner(actor: &Actor) -> Result<&Account, AppError> {
    match actor.account() {
        Some(account) if account.role == AccountRole::Owner => Ok(account),
        _ => Err(AppError::Forbidden("only a station owner's account has stations of its own".to_string())),
    }
}

/// What a use case does, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Reads the operator's data (stations, sessions, histories, settings).
    Read,
    /// Acts on stations (commands, configuration changes) and manages id tokens.
    Operate,
    /// Manages the operator's settings (default configuration, offline detection), tokens and staff.
    Administer,
}

impl Permission {
    /// The least role that has the permission (roles are ordered `Viewer < Operator < Admin`).
    pub fn role(self) -> Role {
        match self {
            Permission::Read => Role::Viewer,
            Permission::Operate => Role::Operator,
            Permission::Administer => Role::Admin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Actor;
    use joule_core::OperatorId;

    #[test]
    fn each_role_has_its_permissions_and_no_more() {
        let actor = |role| Actor::token("t", OperatorId(1), role);
        let may = |role, p| actor(role).require(p).is_ok();
        assert!(may(Role::Viewer, Permission::Read) && !may(Role::Viewer, Permission::Operate));
        assert!(may(Role::Operator, Permission::Operate) && !may(Role::Operator, Permission::Administer));
        assert!(may(Role::Admin, Permission::Administer));
        let refused = actor(Role::Viewer).require(Permission::Administer).unwrap_err().to_string();
        assert_eq!(refused, "this needs role admin or higher; token:t has role viewer");
    }
}
