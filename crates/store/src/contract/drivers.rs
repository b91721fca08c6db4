//! The contract of drivers and groups ("drivers with several RFID tokens each; groups").

use joule_core::OperatorId;
use joule_core::access::{DriverId, DriverName, GroupId, GroupName};
use joule_core::account::{AccountRole, Email};
use joule_core::auth::IdToken;

use super::{new_account, new_operator, t, tag};
use crate::{NewDriver, Store, StoreError};

fn new_driver(operator: OperatorId, name: &str, email: Option<&str>) -> NewDriver {
    NewDriver {
        operator_id: operator,
        name: DriverName::parse(name).expect("name"),
        email: email.map(|e| Email::parse(e).expect("email")),
        account_id: None,
        at: t(1),
    }
}

fn token(operator: OperatorId, s: &str) -> IdToken {
    IdToken { operator_id: operator, tag: tag(s), parent: None, expires_at: None, blocked: false }
}

pub(super) async fn drivers_and_groups(store: &dyn Store) {
    let op = new_operator(store, "Drivers Op").await;
    let other = new_operator(store, "Drivers Other").await;
    assert!(store.drivers(op.id).await.expect("none").is_empty());

    // Drivers: created, listed by name, several tokens each.
    let ana = store.create_driver(&new_driver(op.id, "Ana", Some("ana@example.com"))).await.expect("ana");
    let bob = store.create_driver(&new_driver(op.id, "bob", None)).await.expect("bob");
    let zed = store.create_driver(&new_driver(other.id, "Zed", None)).await.expect("other's");
    assert_eq!(ana.email.as_ref().map(|e| e.as_str()), Some("ana@example.com"));
    assert!(ana.groups.is_empty());
    let names: Vec<String> = store.drivers(op.id).await.expect("list").iter().map(|d| d.name.as_str().into()).collect();
    assert_eq!(names, ["Ana", "bob"], "by name, ignoring case, and only the operator's");

    for t in ["ANA-1", "ANA-2", "BOB-1", "LOOSE"] {
        store.add_id_token(&token(op.id, t)).await.expect("token");
    }
    store.add_id_token(&token(other.id, "ZED-1")).await.expect("other's token");
    store.set_token_driver(op.id, &tag("ANA-2"), Some(ana.id)).await.expect("link");
    store.set_token_driver(op.id, &tag("ANA-1"), Some(ana.id)).await.expect("link");
    store.set_token_driver(op.id, &tag("BOB-1"), Some(bob.id)).await.expect("link");
    let tags: Vec<String> =
        store.driver_tokens(op.id, ana.id).await.expect("tokens").iter().map(|t| t.tag.as_str().into()).collect();
    assert_eq!(tags, ["ANA-1", "ANA-2"]);
    // Another operator's driver or token, or a missing one, is NotFound; nothing changes.
    let cross = store.set_token_driver(op.id, &tag("ANA-1"), Some(zed.id)).await;
    assert!(matches!(cross, Err(StoreError::NotFound(_))), "{cross:?}");
    let cross = store.set_token_driver(op.id, &tag("ZED-1"), Some(ana.id)).await;
    assert!(matches!(cross, Err(StoreError::NotFound(_))), "{cross:?}");
    assert_eq!(store.driver_tokens(op.id, ana.id).await.expect("tokens").len(), 2);

    // Groups: unique names per operator, members in and out (idempotently), counts.
    let staff = store.create_group(op.id, &GroupName::parse("Employees").unwrap(), t(2)).await.expect("group");
    let residents = store.create_group(op.id, &GroupName::parse("Residents").unwrap(), t(2)).await.expect("group");
    store.create_group(other.id, &GroupName::parse("Employees").unwrap(), t(2)).await.expect("same name elsewhere");
    let twice = store.create_group(op.id, &GroupName::parse("Employees").unwrap(), t(3)).await;
    assert!(matches!(twice, Err(StoreError::Conflict(ref m)) if m.contains("Employees")), "{twice:?}");
    assert_eq!(staff.members, 0);
    for _ in 0..2 {
        store.set_group_member(op.id, staff.group.id, ana.id, true).await.expect("join");
    }
    store.set_group_member(op.id, residents.group.id, ana.id, true).await.expect("join");
    store.set_group_member(op.id, residents.group.id, bob.id, true).await.expect("join");
    store.set_group_member(op.id, residents.group.id, bob.id, false).await.expect("leave");
    store.set_group_member(op.id, residents.group.id, bob.id, false).await.expect("leave again");
    let cross = store.set_group_member(op.id, staff.group.id, zed.id, true).await;
    assert!(matches!(cross, Err(StoreError::NotFound(_))), "{cross:?}");
    let cross = store.set_group_member(op.id, GroupId(999_999), ana.id, true).await;
    assert!(matches!(cross, Err(StoreError::NotFound(_))), "{cross:?}");
    let groups = store.groups(op.id).await.expect("groups");
    let counted: Vec<(&str, u64)> = groups.iter().map(|g| (g.group.name.as_str(), g.members)).collect();
    assert_eq!(counted, [("Employees", 1), ("Residents", 1)]);
    let members = store.group_members(op.id, residents.group.id).await.expect("members");
    assert_eq!(members.iter().map(|d| d.id).collect::<Vec<_>>(), [ana.id]);
    let ana_now = store.driver(op.id, ana.id).await.expect("read").expect("ana");
    assert_eq!(ana_now.groups, {
        let mut g = vec![staff.group.id, residents.group.id];
        g.sort();
        g
    });

    // The facts of a token: its driver and the driver's groups, in one read.
    let facts = store.token_facts(op.id, &tag("ANA-2")).await.expect("facts").expect("known");
    assert_eq!(facts.token.tag.as_str(), "ANA-2");
    let driver = facts.driver.expect("a driver");
    assert_eq!((driver.id, driver.groups.len()), (ana.id, 2));
    let loose = store.token_facts(op.id, &tag("LOOSE")).await.expect("facts").expect("known");
    assert_eq!(loose.driver, None);
    assert_eq!(store.token_facts(other.id, &tag("ANA-2")).await.expect("facts"), None, "operators are apart");

    // The account link: one driver per account and operator.
    let owner = store
        .create_account(&new_account("driver-owner@example.com", AccountRole::Owner, Some(op.id)))
        .await
        .expect("account");
    let mut linked = new_driver(op.id, "Owner", None);
    linked.account_id = Some(owner.id);
    let linked = store.create_driver(&linked).await.expect("linked");
    let found = store.driver_by_account(op.id, owner.id).await.expect("by account").expect("found");
    assert_eq!(found.id, linked.id);
    let mut again = new_driver(op.id, "Owner again", None);
    again.account_id = Some(owner.id);
    let again = store.create_driver(&again).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

    // Updates replace the details and keep the groups.
    let mut renamed = new_driver(op.id, "Ana Muster", None);
    renamed.at = t(9);
    let renamed = store.update_driver(ana.id, &renamed).await.expect("update");
    assert_eq!((renamed.name.as_str(), renamed.email.is_none(), renamed.updated_at), ("Ana Muster", true, t(9)));
    assert_eq!(renamed.groups.len(), 2);
    let cross = store.update_driver(zed.id, &new_driver(op.id, "Mine", None)).await;
    assert!(matches!(cross, Err(StoreError::NotFound(_))), "{cross:?}");

    // Deleting a group drops its memberships; deleting a driver unlinks their tokens (they stay registered).
    store.delete_group(op.id, staff.group.id).await.expect("delete group");
    assert_eq!(store.driver(op.id, ana.id).await.expect("read").expect("ana").groups, [residents.group.id]);
    let gone = store.delete_group(op.id, staff.group.id).await;
    assert!(matches!(gone, Err(StoreError::NotFound(_))), "{gone:?}");
    store.delete_driver(op.id, ana.id).await.expect("delete driver");
    assert_eq!(store.driver(op.id, ana.id).await.expect("read"), None);
    let facts = store.token_facts(op.id, &tag("ANA-1")).await.expect("facts").expect("still registered");
    assert_eq!(facts.driver, None);
    assert!(store.group_members(op.id, residents.group.id).await.expect("members").is_empty());
    let cross = store.delete_driver(op.id, zed.id).await;
    assert!(matches!(cross, Err(StoreError::NotFound(_))), "{cross:?}");
    assert!(store.driver(op.id, DriverId(999_999)).await.expect("read").is_none());
    let nobody = store.create_driver(&new_driver(OperatorId(999_999), "Ghost", None)).await;
    assert!(matches!(nobody, Err(StoreError::NotFound(_))), "{nobody:?}");
}

/// A token import is written whole, or not at all.
pub(super) async fn token_import(store: &dyn Store) {
    use crate::{ImportDriver, ImportGroup, ImportStep, TokenImport};
    let op = new_operator(store, "Import Op").await;
    let existing = store.create_group(op.id, &GroupName::parse("Existing").unwrap(), t(1)).await.expect("group");
    let step = |s: &str, new: bool, link: Option<ImportDriver>, join: Vec<(ImportGroup, ImportDriver)>| ImportStep {
        token: Some((token(op.id, s), new)),
        tag: tag(s),
        link,
        join,
    };
    let import = |steps: Vec<ImportStep>| TokenImport {
        operator: op.id,
        at: t(2),
        new_groups: vec![GroupName::parse("Night").unwrap()],
        new_drivers: vec![
            (DriverName::parse("Grace").unwrap(), Some(Email::parse("grace@example.com").unwrap())),
            (DriverName::parse("Never named").unwrap(), None),
        ],
        steps,
    };

    // The last step names a group that does not exist: nothing of the import is kept.
    let broken = import(vec![
        step("IMP-1", true, Some(ImportDriver::New(0)), vec![(ImportGroup::New(0), ImportDriver::New(0))]),
        step("IMP-2", true, None, vec![(ImportGroup::Existing(GroupId(i64::MAX)), ImportDriver::New(0))]),
    ]);
    let failed = store.import_tokens(&broken).await;
    assert!(failed.is_err(), "{failed:?}");
    assert!(store.list_id_tokens(op.id).await.expect("tokens").is_empty(), "no token of a failed import");
    assert!(store.drivers(op.id).await.expect("drivers").is_empty(), "no driver of a failed import");
    assert_eq!(store.groups(op.id).await.expect("groups").len(), 1, "no group of a failed import");

    // The same without the bad step: groups, the driver (created once, when first named), tokens, links and
    // memberships; a driver no step names is not created.
    let good = import(vec![
        step("IMP-1", true, Some(ImportDriver::New(0)), vec![(ImportGroup::New(0), ImportDriver::New(0))]),
        step(
            "IMP-2",
            true,
            Some(ImportDriver::New(0)),
            vec![(ImportGroup::Existing(existing.group.id), ImportDriver::New(0))],
        ),
    ]);
    let created = store.import_tokens(&good).await.expect("import");
    assert!(created[0].is_some() && created[1].is_none(), "{created:?}");
    let grace = created[0].unwrap();
    let drivers = store.drivers(op.id).await.expect("drivers");
    assert_eq!(drivers.len(), 1);
    assert_eq!(drivers[0].id, grace);
    assert_eq!(drivers[0].groups.len(), 2, "Night and Existing");
    let tags: Vec<String> =
        store.driver_tokens(op.id, grace).await.expect("tokens").iter().map(|t| t.tag.as_str().into()).collect();
    assert_eq!(tags, ["IMP-1", "IMP-2"]);
    // A step that replaces a stored token (blocked now).
    let mut blocked = token(op.id, "IMP-1");
    blocked.blocked = true;
    let again = TokenImport {
        operator: op.id,
        at: t(3),
        new_groups: Vec::new(),
        new_drivers: Vec::new(),
        steps: vec![ImportStep { token: Some((blocked, false)), tag: tag("IMP-1"), link: None, join: Vec::new() }],
    };
    store.import_tokens(&again).await.expect("update");
    assert!(store.id_token(op.id, &tag("IMP-1")).await.expect("read").expect("kept").blocked);
    assert_eq!(store.driver_tokens(op.id, grace).await.expect("still linked").len(), 2);
}
