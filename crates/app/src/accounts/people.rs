//! People's accounts: created by an operator's staff (or at the command line), an owner registering,
//! approval (an owner confirmed, an installer certified), disabling, and the audit log.

use chrono::Utc;
use joule_core::OperatorId;
use joule_core::account::{Account, AccountId, AccountRole, Email, OwnerKind, check_password};
use joule_store::{AccountFilter, AuditEntry, AuditFilter, NewAccount};
use serde_json::{Value, json};

use super::Accounts;
use super::credentials::hash_password;
use crate::audit::{self, Entry};
use crate::{Actor, AppError, AppResult, Permission};

/// A new account as asked for: each part is checked (the field at fault is named).
#[derive(Debug, Clone)]
pub struct NewAccountInput {
    pub email: String,
    pub name: String,
    /// operator-staff, owner, installer, driver or platform-admin.
    pub role: String,
    pub password: String,
    /// Owners: individual or company.
    pub owner_kind: Option<String>,
    /// Company owners: the company registration number.
    pub company_number: Option<String>,
}

/// An account as the audit log shows it (never its password).
pub fn snapshot(a: &Account) -> Value {
    json!({
        "id": a.id.0,
        "email": a.email.to_string(),
        "name": a.name,
        "role": a.role.as_str(),
        "operator_id": a.operator_id.map(|o| o.0),
        "owner_kind": a.owner_kind.map(|k| k.as_str()),
        "company_number": a.company_number,
        "approved": a.approved_at.is_some(),
        "approved_at": a.approved_at,
        "created_at": a.created_at,
        "disabled": a.disabled_at.is_some(),
    })
}

/// Audits what `actor` did to `account`, for the actor's operator; the command line's acts, for the
/// account's operator (so that they show in that operator's audit log).
async fn record(store: &dyn joule_store::Store, actor: &Actor, account: &Account, entry: Entry<'_>) {
    let operator = actor.operator().or(account.operator_id);
    audit::record_as(store, actor.name(), operator, Utc::now(), entry).await
}

fn checked_name(field: &str, name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::invalid(field, "must be 1 to 100 printable characters"));
    }
    Ok(name.to_string())
}

impl Accounts<'_> {
    /// The actor's operator's accounts matching `filter`, by e-mail (admin).
    pub async fn list(&self, actor: &Actor, mut filter: AccountFilter) -> AppResult<Vec<Account>> {
        actor.require(Permission::Administer)?;
        if let Some(own) = actor.operator() {
            filter.operator_id = Some(own);
        }
        Ok(self.app.db().list_accounts(&filter).await?)
    }

    /// Creates an account of `operator` (admin; only a platform admin creates platform admins). Audited
    /// (`account.create`).
    pub async fn create(
        &self,
        actor: &Actor,
        input: NewAccountInput,
        operator: Option<OperatorId>,
    ) -> AppResult<Account> {
        actor.require(Permission::Administer)?;
        // A platform admin's login, or the command line (no operator, no account).
        let platform_admin = match actor.account() {
            Some(a) => a.role == AccountRole::PlatformAdmin,
            None => actor.operator().is_none(),
        };
        if input.role == AccountRole::PlatformAdmin.as_str() && !platform_admin {
            return Err(AppError::Forbidden("only a platform admin creates platform admins".into()));
        }
        let account = self.insert(input, operator).await?;
        let entry = Entry {
            action: "account.create",
            subject: format!("account:{}", account.id),
            before: None,
            after: Some(snapshot(&account)),
        };
        record(&**self.app.db(), actor, &account, entry).await;
        Ok(account)
    }

    /// An owner registers with the operator `operator_id` (`Invalid` on `operator_id` if there is none).
    /// Audited (`account.register`) as the new account.
    pub async fn register(&self, operator_id: i64, input: NewAccountInput) -> AppResult<Account> {
        let operator = self.app.db().operator(OperatorId(operator_id)).await?;
        let operator =
            operator.ok_or_else(|| AppError::invalid("operator_id", format!("no operator {operator_id}")))?;
        let input = NewAccountInput { role: AccountRole::Owner.as_str().to_string(), ..input };
        let account = self.insert(input, Some(operator.id)).await?;
        let entry = Entry {
            action: "account.register",
            subject: format!("account:{}", account.id),
            before: None,
            after: Some(snapshot(&account)),
        };
        let actor = format!("account:{}", account.email);
        audit::record_as(&**self.app.db(), &actor, Some(operator.id), Utc::now(), entry).await;
        Ok(account)
    }

    async fn insert(&self, input: NewAccountInput, operator: Option<OperatorId>) -> AppResult<Account> {
        let email = Email::parse(&input.email).map_err(|e| AppError::invalid("email", e.to_string()))?;
        let name = checked_name("name", &input.name)?;
        let role = AccountRole::parse(&input.role).map_err(|e| AppError::invalid("role", e.to_string()))?;
        check_password(&input.password, &email).map_err(|e| AppError::invalid("password", e.to_string()))?;
        let owner_kind = match (role, input.owner_kind.as_deref()) {
            (AccountRole::Owner, Some(k)) => {
                Some(OwnerKind::parse(k).map_err(|e| AppError::invalid("owner_kind", e.to_string()))?)
            }
            (AccountRole::Owner, None) => {
                return Err(AppError::invalid("owner_kind", "an owner is an individual or a company"));
            }
            (_, Some(_)) => return Err(AppError::invalid("owner_kind", "only owners have an owner kind")),
            (_, None) => None,
        };
        let company_number = match (owner_kind, input.company_number) {
            (Some(OwnerKind::Company), Some(n)) => Some(checked_name("company_number", &n)?),
            (Some(OwnerKind::Company), None) => {
                return Err(AppError::invalid("company_number", "a company owner needs its registration number"));
            }
            (_, Some(_)) => return Err(AppError::invalid("company_number", "only company owners have one")),
            (_, None) => None,
        };
        let password_hash = hash_password(input.password).await?;
        let new = NewAccount {
            email,
            name,
            role,
            operator_id: if role.has_operator() { operator } else { None },
            owner_kind,
            company_number,
            password_hash,
            created_at: Utc::now(),
        };
        Ok(self.app.db().create_account(&new).await?)
    }

    /// The account of `email`, if the actor's operator has it (admin).
    pub async fn find_by_email(&self, actor: &Actor, email: &Email) -> AppResult<Option<Account>> {
        actor.require(Permission::Administer)?;
        let found = self.app.db().account_by_email(email).await?.map(|(account, _)| account);
        Ok(found.filter(|a| actor.operator().is_none_or(|o| a.operator_id == Some(o))))
    }

    /// The actor's operator's account `id` (`NotFound` for another operator's).
    async fn own_account(&self, actor: &Actor, id: i64) -> AppResult<Account> {
        match self.app.db().account(AccountId(id)).await? {
            Some(a) if actor.operator().is_none_or(|o| a.operator_id == Some(o)) => Ok(a),
            _ => Err(AppError::not_found(format!("no account {id}"))),
        }
    }

    /// Confirms an owner (who may then ask for activations) or certifies an installer (who may then claim,
    /// pinpoint and verify stations) (admin). Audited (`owner.confirm` / `installer.certify`).
    pub async fn approve(&self, actor: &Actor, id: i64) -> AppResult<Account> {
        actor.require(Permission::Administer)?;
        let before = self.own_account(actor, id).await?;
        if !matches!(before.role, AccountRole::Owner | AccountRole::Installer) {
            return Err(AppError::invalid(
                "account_id",
                format!("only owners and installers are approved; this is {}", before.role),
            ));
        }
        let by = actor.account().map(|a| a.id);
        let after = self.app.db().approve_account(before.id, by, Utc::now()).await?;
        let action = if after.role == AccountRole::Owner { "owner.confirm" } else { "installer.certify" };
        let entry = Entry {
            action,
            subject: format!("account:{id}"),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        };
        record(&**self.app.db(), actor, &after, entry).await;
        Ok(after)
    }

    /// Disables an account (it can no longer log in; its open sessions end) or enables it again (admin).
    /// Audited (`account.disable` / `account.enable`).
    pub async fn set_disabled(&self, actor: &Actor, id: i64, disabled: bool) -> AppResult<Account> {
        actor.require(Permission::Administer)?;
        let before = self.own_account(actor, id).await?;
        let store = self.app.db();
        let now = Utc::now();
        let after = store.set_account_disabled(before.id, disabled, now).await?;
        if disabled {
            store.revoke_logins_of(before.id, now).await?;
        }
        let action = if disabled { "account.disable" } else { "account.enable" };
        let entry = Entry {
            action,
            subject: format!("account:{id}"),
            before: Some(snapshot(&before)),
            after: Some(snapshot(&after)),
        };
        record(&**store, actor, &after, entry).await;
        Ok(after)
    }

    /// The actor's operator's audit log matching `filter`, newest first (admin).
    pub async fn audit_log(&self, actor: &Actor, mut filter: AuditFilter) -> AppResult<Vec<AuditEntry>> {
        actor.require(Permission::Administer)?;
        if let Some(own) = actor.operator() {
            filter.operator_id = Some(own);
        }
        Ok(self.app.db().audit_entries(&filter).await?)
    }
}
