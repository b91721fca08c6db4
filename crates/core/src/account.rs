//! People who log in ("Accounts and roles"): platform admins, operator staff, owners of charging
//! stations, installers and drivers. Machines use API tokens ([`crate::Role`]); people use accounts.
//!
//! An account belongs to one operator (the tenant it was created under), except a platform admin's, which
//! belongs to none and sees every operator. Two facts gate what an account may do beyond its role: an owner
//! must be *confirmed* by the operator before it can ask for activations ("the owner of the charger needs to
//! make this account", Ecotap), and an installer must be *certified* by the operator before it can claim,
//! pinpoint and verify stations (ChargePoint's certified installers).

use std::fmt;

use crate::{DomainError, OperatorId, Timestamp};

/// An account's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub i64);

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An e-mail address, the login name: trimmed and lower-cased, so `Ann@Example.com` and `ann@example.com`
/// are one account. The check is deliberately modest (one `@`, a dotted domain, no spaces or control
/// characters, at most 254 characters, RFC 5321 §4.5.3.1.3): whether the address works is proven by mail.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(s: &str) -> Result<Email, DomainError> {
        let s = s.trim().to_lowercase();
        let bad = |why: &str| Err(DomainError::invalid("e-mail address", &s, why.to_string()));
        if s.is_empty() || s.len() > Self::MAX_LEN {
            return bad("must be 1 to 254 characters");
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("must not contain spaces or control characters");
        }
        let Some((local, domain)) = s.split_once('@') else { return bad("needs an @, as in name@example.com") };
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return bad("needs exactly one @ with a name of at most 64 characters before it");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok =
            |l: &&str| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && !l.contains('_');
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return bad("the part after @ must be a domain such as example.com");
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a person is to Joule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountRole {
    /// Runs the Joule installation: every operator.
    PlatformAdmin,
    /// Works for an operator: approves, configures and watches its stations.
    OperatorStaff,
    /// Owns charging stations and asks for their activation (an individual or a company).
    Owner,
    /// Claims, pinpoints and verifies stations, once certified by the operator.
    Installer,
    /// Charges.
    Driver,
}

impl AccountRole {
    pub const ALL: [AccountRole; 5] = [
        AccountRole::PlatformAdmin,
        AccountRole::OperatorStaff,
        AccountRole::Owner,
        AccountRole::Installer,
        AccountRole::Driver,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::PlatformAdmin => "platform-admin",
            AccountRole::OperatorStaff => "operator-staff",
            AccountRole::Owner => "owner",
            AccountRole::Installer => "installer",
            AccountRole::Driver => "driver",
        }
    }

    pub fn parse(s: &str) -> Result<AccountRole, DomainError> {
        AccountRole::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            DomainError::invalid(
                "account role",
                s,
                "must be platform-admin, operator-staff, owner, installer or driver".to_string(),
            )
        })
    }

    /// Whether accounts of this role belong to an operator (all but platform admins).
    pub fn has_operator(self) -> bool {
        self != AccountRole::PlatformAdmin
    }
}

impl fmt::Display for AccountRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an owner is a person or a company (Ecotap's activation form asks which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnerKind {
    Individual,
    Company,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Individual => "individual",
            OwnerKind::Company => "company",
        }
    }

    pub fn parse(s: &str) -> Result<OwnerKind, DomainError> {
        match s {
            "individual" => Ok(OwnerKind::Individual),
            "company" => Ok(OwnerKind::Company),
            _ => Err(DomainError::invalid("owner kind", s, "must be individual or company".to_string())),
        }
    }
}

/// A person's account.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: AccountId,
    pub email: Email,
    /// The person's (or, for a company owner, the company's) display name.
    pub name: String,
    pub role: AccountRole,
    /// The operator the account belongs to; `None` only for platform admins.
    pub operator_id: Option<OperatorId>,
    /// For owners: individual or company.
    pub owner_kind: Option<OwnerKind>,
    /// For company owners: the company registration number.
    pub company_number: Option<String>,
    /// Owners: when the operator confirmed the account (it may ask for activations from then on).
    /// Installers: when the operator certified them (they may claim, pinpoint and verify from then on).
    pub approved_at: Option<Timestamp>,
    /// Who confirmed or certified it.
    pub approved_by: Option<AccountId>,
    pub created_at: Timestamp,
    /// A disabled account cannot log in; its history stays.
    pub disabled_at: Option<Timestamp>,
}

impl Account {
    /// Whether the account may act at all.
    pub fn is_active(&self) -> bool {
        self.disabled_at.is_none()
    }

    /// An owner who may ask for activations: confirmed by the operator.
    pub fn may_request_activation(&self) -> bool {
        self.is_active() && self.role == AccountRole::Owner && self.approved_at.is_some()
    }

    /// An installer who may claim, pinpoint and verify stations: certified by the operator.
    pub fn may_install(&self) -> bool {
        self.is_active() && self.role == AccountRole::Installer && self.approved_at.is_some()
    }

    /// Whether the account may act on the operator's behalf (its staff, or a platform admin).
    pub fn acts_for(&self, operator: OperatorId) -> bool {
        self.is_active()
            && match self.role {
                AccountRole::PlatformAdmin => true,
                AccountRole::OperatorStaff => self.operator_id == Some(operator),
                _ => false,
            }
    }
}

/// The rules for a new password: long enough to resist guessing (NIST SP 800-63B §5.1.1.2: at least 8; we ask
/// 10), not absurdly long (argon2 would hash it anyway, but a bound keeps requests bounded), not the e-mail.
pub fn check_password(password: &str, email: &Email) -> Result<(), DomainError> {
    let n = password.chars().count();
    let bad = |why: &str| Err(DomainError::invalid("password", "(hidden)", why.to_string()));
    if n < 10 {
        return bad("must be at least 10 characters");
    }
    if n > 128 {
        return bad("must be at most 128 characters");
    }
    if password.trim().to_lowercase() == email.as_str() || password.to_lowercase().contains(email.as_str()) {
        return bad("must not contain the e-mail address");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Ann@Example.COM ").unwrap().as_str(), "ann@example.com");
        for bad in
            ["", "ann", "ann@", "@example.com", "ann@example", "a b@example.com", "ann@@example.com", "ann@-x.com"]
        {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(65))).is_err());
    }

    #[test]
    fn roles_round_trip() {
        for role in AccountRole::ALL {
            assert_eq!(AccountRole::parse(role.as_str()).unwrap(), role);
        }
        assert!(AccountRole::parse("root").is_err());
        assert!(!AccountRole::PlatformAdmin.has_operator());
        assert!(AccountRole::Owner.has_operator());
    }

    fn account(role: AccountRole, approved: bool) -> Account {
        Account {
            id: AccountId(1),
            email: Email::parse("a@example.com").unwrap(),
            name: "A".into(),
            role,
            operator_id: role.has_operator().then_some(OperatorId(7)),
            owner_kind: None,
            company_number: None,
            approved_at: approved.then(chrono::Utc::now),
            approved_by: None,
            created_at: chrono::Utc::now(),
            disabled_at: None,
        }
    }

    #[test]
    fn approval_gates_owners_and_installers() {
        assert!(!account(AccountRole::Owner, false).may_request_activation());
        assert!(account(AccountRole::Owner, true).may_request_activation());
        assert!(!account(AccountRole::Installer, false).may_install());
        assert!(account(AccountRole::Installer, true).may_install());
        assert!(!account(AccountRole::Owner, true).may_install());
        let mut disabled = account(AccountRole::Installer, true);
        disabled.disabled_at = Some(chrono::Utc::now());
        assert!(!disabled.may_install());
    }

    #[test]
    fn staff_act_for_their_operator_and_admins_for_all() {
        assert!(account(AccountRole::OperatorStaff, false).acts_for(OperatorId(7)));
        assert!(!account(AccountRole::OperatorStaff, false).acts_for(OperatorId(8)));
        assert!(account(AccountRole::PlatformAdmin, false).acts_for(OperatorId(8)));
        assert!(!account(AccountRole::Owner, true).acts_for(OperatorId(7)));
    }

    #[test]
    fn passwords_are_checked() {
        let email = Email::parse("ann@example.com").unwrap();
        assert!(check_password("correct horse battery", &email).is_ok());
        assert!(check_password("short", &email).is_err());
        assert!(check_password("ann@example.com!!", &email).is_err());
        assert!(check_password(&"x".repeat(129), &email).is_err());
    }
}
