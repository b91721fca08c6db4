//! The [`AccessStore`]: who may charge: id tokens, drivers and their groups, token imports, a station's access rules,
//! and the local authorization lists sent to stations.

use async_trait::async_trait;
use joule_core::access::{DriverId, GroupId, GroupName};
use joule_core::account::AccountId;
use joule_core::auth::IdToken;
use joule_core::{IdTag, OperatorId, StationId, Timestamp};

use crate::{Driver, DriverGroup, LocalListState, NewDriver, Result, TokenFacts, TokenImport};

/// Who may charge where: id tokens, the drivers and groups they belong to, each station's access rules, and what a
/// station's local authorization list holds.
#[async_trait]
pub trait AccessStore: Send + Sync {
    // --- id tokens ---

    /// `Conflict` if the operator already has this tag (tags are compared exactly); `NotFound` if the
    /// operator does not exist. Two operators may each have the same tag.
    async fn add_id_token(&self, token: &IdToken) -> Result<IdToken>;
    async fn id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<IdToken>>;
    /// By tag.
    async fn list_id_tokens(&self, operator: OperatorId) -> Result<Vec<IdToken>>;
    /// Replaces the parent tag, expiry and blocked flag of the operator's token with `token.tag`, and returns
    /// the token as stored. `NotFound` if the operator has no such tag (tags are compared exactly).
    async fn update_id_token(&self, token: &IdToken) -> Result<IdToken>;
    /// Deletes the operator's token. `NotFound` if the operator has no such tag. Sessions started with the
    /// tag keep it (they hold the tag's text, not a reference), and tokens naming it as their parent keep
    /// that parent.
    async fn delete_id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<()>;
    /// Links the token to a driver (`None`: unlinks it). `NotFound` unless both are the operator's.
    async fn set_token_driver(&self, operator: OperatorId, tag: &IdTag, driver: Option<DriverId>) -> Result<()>;
    /// The driver's tokens, by tag.
    async fn driver_tokens(&self, operator: OperatorId, driver: DriverId) -> Result<Vec<IdToken>>;
    /// The token with its driver and the driver's groups; `None` if the operator has no such token.
    async fn token_facts(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<TokenFacts>>;
    /// Every token of the operator with its driver and the driver's groups (as [`AccessStore::token_facts`]
    /// gives one), by tag: what a station's local list is computed from. Two reads, however many tokens.
    async fn operator_token_facts(&self, operator: OperatorId) -> Result<Vec<TokenFacts>>;
    /// Writes a checked token import in one transaction (see [`TokenImport`]): if any of it fails, nothing
    /// is kept. Answers the ids of the drivers it created, in the order of `new_drivers` (None for one no
    /// step named).
    async fn import_tokens(&self, import: &TokenImport) -> Result<Vec<Option<DriverId>>>;

    // --- drivers ---

    /// `NotFound` if the operator (or the linked account) does not exist; `Conflict` if the account is
    /// linked to another of the operator's drivers already.
    async fn create_driver(&self, driver: &NewDriver) -> Result<Driver>;
    /// Replaces name, e-mail and account link. `NotFound` unless the driver is the operator's; `Conflict`
    /// as for [`AccessStore::create_driver`].
    async fn update_driver(&self, id: DriverId, driver: &NewDriver) -> Result<Driver>;
    /// Removes the driver and their group memberships; their tokens stay registered, without a driver.
    /// `NotFound` unless the driver is the operator's.
    async fn delete_driver(&self, operator: OperatorId, id: DriverId) -> Result<()>;
    /// With their groups, by name.
    async fn drivers(&self, operator: OperatorId) -> Result<Vec<Driver>>;
    async fn driver(&self, operator: OperatorId, id: DriverId) -> Result<Option<Driver>>;
    /// The operator's driver linked to `account` (the station owner as a driver).
    async fn driver_by_account(&self, operator: OperatorId, account: AccountId) -> Result<Option<Driver>>;

    // --- groups ---

    /// `Conflict` if the operator has a group of this name; `NotFound` if the operator does not exist.
    async fn create_group(&self, operator: OperatorId, name: &GroupName, at: Timestamp) -> Result<DriverGroup>;
    /// Removes the group and its memberships. `NotFound` unless the group is the operator's.
    async fn delete_group(&self, operator: OperatorId, id: GroupId) -> Result<()>;
    /// By name, with member counts.
    async fn groups(&self, operator: OperatorId) -> Result<Vec<DriverGroup>>;
    /// Adds (`member` true) or removes the driver; doing what is already so changes nothing.
    /// `NotFound` unless both the group and the driver are the operator's.
    async fn set_group_member(
        &self,
        operator: OperatorId,
        group: GroupId,
        driver: DriverId,
        member: bool,
    ) -> Result<()>;
    /// The group's members, by name. `NotFound` unless the group is the operator's.
    async fn group_members(&self, operator: OperatorId, group: GroupId) -> Result<Vec<Driver>>;

    // --- access rules ---

    /// The station's complete access rules, as [`joule_core::access::decide`] needs them, in two indexed
    /// reads (this is on the Authorize path): the mode and available times, "authorization required" (the
    /// station's `free_vend`, inverted), the connector overrides, the limited lists and the groups' times.
    /// `owner` is the operator's driver linked to the station owner's account, if there is one. A station
    /// whose rules were never set is public and always open. `None` if there is no such station.
    async fn access_rules(&self, station: &StationId) -> Result<Option<joule_core::access::AccessRules>>;
    /// Replaces the station's access rules in one transaction (everything in `rules` but `owner`, which
    /// follows the station's owner account) and sets `free_vend` to `!rules.authorization_required`; returns
    /// the rules as a later [`AccessStore::access_rules`] reads them. `NotFound` if there is no such station.
    async fn set_access_rules(
        &self,
        station: &StationId,
        rules: &joule_core::access::AccessRules,
        at: Timestamp,
    ) -> Result<joule_core::access::AccessRules>;

    // --- local authorization list ---

    /// The station's local list sync state with the entries last sent, by tag; `None` if Joule never
    /// recorded one (or there is no such station).
    async fn local_list_state(&self, station: &StationId) -> Result<Option<LocalListState>>;
    /// Replaces the station's local list sync state and its sent entries in one transaction (the entries
    /// are kept only with a `sent_version`). `at` is the row's update time. `NotFound` if there is no such
    /// station; `Conflict` if a tag is given twice.
    async fn put_local_list_state(&self, state: &LocalListState, at: Timestamp) -> Result<()>;
}
