//! Rows of drivers and groups: who holds which id tokens, and which groups they are in.

use joule_core::access::{DriverFacts, DriverId, DriverName, Group, GroupId};
use joule_core::account::{AccountId, Email};
use joule_core::auth::IdToken;
use joule_core::{OperatorId, Timestamp};

/// A driver as the operator registered them.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    pub id: DriverId,
    pub operator_id: OperatorId,
    pub name: DriverName,
    pub email: Option<Email>,
    /// The person's account, if they have one (e.g. a station owner who charges at their own station).
    pub account_id: Option<AccountId>,
    /// The driver's groups, by id.
    pub groups: Vec<GroupId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A driver to store, or the new details of an existing one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDriver {
    pub operator_id: OperatorId,
    pub name: DriverName,
    pub email: Option<Email>,
    pub account_id: Option<AccountId>,
    pub at: Timestamp,
}

/// A group with the number of its members.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverGroup {
    pub operator_id: OperatorId,
    pub group: Group,
    pub members: u64,
    pub created_at: Timestamp,
}

/// A registered token with the driver it belongs to and the driver's groups: everything an access decision
/// and a group tariff need to know about the presented token, in one read.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenFacts {
    pub token: IdToken,
    pub driver: Option<DriverFacts>,
}

/// A driver an import step names: one stored already, or the i-th of [`TokenImport::new_drivers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportDriver {
    Existing(DriverId),
    New(usize),
}

/// A group an import step names: one stored already, or the i-th of [`TokenImport::new_groups`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportGroup {
    Existing(GroupId),
    New(usize),
}

/// What one line of an import writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportStep {
    /// The token to store, and whether it is new (else it replaces the stored one).
    pub token: Option<(IdToken, bool)>,
    /// The token's tag, for the link.
    pub tag: joule_core::IdTag,
    /// Link the token to this driver.
    pub link: Option<ImportDriver>,
    /// Memberships to add.
    pub join: Vec<(ImportGroup, ImportDriver)>,
}

/// A checked token import, written by [`crate::AccessStore::import_tokens`] in one transaction: all of it or none.
/// Groups are created first, a new driver when a step first names it, then per step its token, link and
/// memberships, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenImport {
    pub operator: OperatorId,
    pub at: Timestamp,
    pub new_groups: Vec<joule_core::access::GroupName>,
    pub new_drivers: Vec<(DriverName, Option<Email>)>,
    pub steps: Vec<ImportStep>,
}
