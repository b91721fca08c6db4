//! The permission policy, in one place: which role may do what within its operator. A use case asks
//! [`crate::Actor::require`] first.

use joule_core::account::{Account, AccountId, AccountRole};
use joule_core::role::Role;
use joule_core::{OperatorId, StationId};

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

/// Who acts on a station's installation record (its claim, pinpointing, photo, checklist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallationRole {
    /// The certified installer who claimed it.
    Installer,
    /// The operator's staff or token; `admin` for a platform admin.
    Staff { admin: bool },
}

/// Whether `actor` may see (`write`: change) the installation record of `station`, of `operator`, claimed by
/// `claimed_by`: the installer who claimed it (certified, of the operator), the operator's staff (a
/// platform admin for any operator) and its tokens (role operator to change). Another operator's station is
/// a 404 like a missing one.
pub fn installation_access(
    actor: &Actor,
    station: &StationId,
    operator: OperatorId,
    claimed_by: Option<AccountId>,
    write: bool,
) -> Result<InstallationRole, AppError> {
    let missing = || AppError::not_found(format!("no station {station}"));
    let Some(account) = actor.account() else {
        if actor.operator() != Some(operator) {
            return Err(missing());
        }
        if write && !actor.role().allows(Role::Operator) {
            return Err(AppError::Forbidden(format!("this needs role operator; the token has {}", actor.role())));
        }
        return Ok(InstallationRole::Staff { admin: false });
    };
    if account.acts_for(operator) {
        Ok(InstallationRole::Staff { admin: account.role == AccountRole::PlatformAdmin })
    } else if account.operator_id != Some(operator) {
        Err(missing())
    } else if account.role != AccountRole::Installer {
        Err(AppError::Forbidden(
            "a station's installation is for the installer who claimed it and the operator's staff".into(),
        ))
    } else if !account.may_install() {
        Err(AppError::Forbidden("this installer is not certified yet".into()))
    } else if claimed_by != Some(account.id) {
        Err(AppError::Forbidden("only the installer who claimed the station may pinpoint it".into()))
    } else {
        Ok(InstallationRole::Installer)
    }
}

/// The owner who asks for an activation, and the operator it asks: only a station owner's account the
/// operator has confirmed.
pub fn activation_owner(actor: &Actor) -> Result<(&Account, OperatorId), AppError> {
    let account = match actor.account() {
        Some(account) if account.role == AccountRole::Owner => account,
        _ => return Err(AppError::Forbidden("only a station owner's account asks for activations".into())),
    };
    match account.operator_id {
        Some(op) if account.may_request_activation() => Ok((account, op)),
        _ => Err(AppError::Forbidden(
            "the operator has not confirmed this owner account yet; activations can be asked once it has".into(),
        )),
    }
}

/// The account whose portal inbox the actor reads: a person's own.
pub fn inbox_owner(actor: &Actor) -> Result<&Account, AppError> {
    actor.account().ok_or_else(|| AppError::Forbidden("an inbox belongs to a person's account".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
