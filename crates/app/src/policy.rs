//! The permission policy, in one place: which role may do what within its operator. A use case asks
//! [`crate::Actor::require`] first.

use joule_core::role::Role;

/// What a use case does, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Reads the operator's data (stations, sessions, histories, settings).
    Read,
    /// Acts on stations (commands, configuration changes) and manages id tokens.
    Operate,
    /// Applies the operator's default configuration to one of its stations now (it changes the station's
    /// configuration, so it is acting on the station).
    ApplyDefaults,
    /// Manages the operator's settings (default configuration, offline detection), tokens and staff.
    Administer,
}

impl Permission {
    /// The least role that has the permission (roles are ordered `Viewer < Operator < Admin`).
    pub fn role(self) -> Role {
        match self {
            Permission::Read => Role::Viewer,
            Permission::Operate | Permission::ApplyDefaults => Role::Operator,
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
        assert!(may(Role::Operator, Permission::ApplyDefaults) && !may(Role::Viewer, Permission::ApplyDefaults));
        let refused = actor(Role::Viewer).require(Permission::Administer).unwrap_err().to_string();
        assert_eq!(refused, "this needs role admin or higher; token:t has role viewer");
    }
}
