//! Who acts: a person or an API token of an operator, a person at the command line, or Joule itself.

use joule_core::OperatorId;
use joule_core::account::Account;
use joule_core::role::Role;

use crate::error::AppError;
use crate::policy::Permission;

/// Who asks for a use case, as the histories and the audit log name them.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    name: String,
    operator: Option<OperatorId>,
    role: Role,
    account: Option<Account>,
}

impl Actor {
    /// An operator's API token (`token:NAME`).
    pub fn token(name: &str, operator: OperatorId, role: Role) -> Actor {
        Actor { name: format!("token:{name}"), operator: Some(operator), role, account: None }
    }

    /// A person acting for `operator` with `role` (`account:EMAIL`).
    pub fn person(account: Account, operator: Option<OperatorId>, role: Role) -> Actor {
        Actor { name: format!("account:{}", account.email), operator, role, account: Some(account) }
    }

    /// Someone at the command line of the server's machine (`cli:USER`), who may do anything.
    pub fn cli(user: &str) -> Actor {
        Actor { name: format!("cli:{user}"), operator: None, role: Role::Admin, account: None }
    }

    /// Joule itself (`system`): background jobs.
    pub fn system() -> Actor {
        Actor { name: "system".to_string(), operator: None, role: Role::Admin, account: None }
    }

    /// How the command history and the audit log name the actor.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The operator it acts for; `None` for the command line and Joule itself.
    pub fn operator(&self) -> Option<OperatorId> {
        self.operator
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The account, when a person acts.
    pub fn account(&self) -> Option<&Account> {
        self.account.as_ref()
    }

    /// Fails with [`AppError::Forbidden`] unless the policy lets the actor do `what`.
    pub fn require(&self, what: Permission) -> Result<(), AppError> {
        let needed = what.role();
        if self.role.allows(needed) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "this needs role {needed} or higher; {} has role {}",
                self.name, self.role
            )))
        }
    }
}
