//! The contract of the station access rules ("Access"): one read returns the complete
//! [`AccessRules`] a decision needs; one write replaces them, "authorization required" included (it is the
//! station's `free_vend`, inverted).

use joule_core::access::{
    AccessMode, AccessRules, AvailableTimes, ConnectorAccess, ConnectorNo, DriverId, GroupId, GroupTimes,
};

use super::{new_operator, new_station, sid, t};
use crate::{Store, StoreError};

fn times(s: &str) -> AvailableTimes {
    AvailableTimes::parse(s).expect("test times")
}

fn connector(n: u32) -> ConnectorNo {
    ConnectorNo::new(n).expect("connector")
}

pub(super) async fn access_rules(store: &dyn Store) {
    let op = new_operator(store, "Access Op").await;
    new_station(store, &op, "ACCESS-1").await;
    new_station(store, &op, "ACCESS-2").await;
    let id = sid("ACCESS-1");

    // Never set: public, authorization required (the station is not free vend), always open.
    let fresh = store.access_rules(&id).await.expect("read").expect("station exists");
    assert_eq!(
        fresh,
        AccessRules {
            owner: None,
            mode: AccessMode::Public,
            authorization_required: true,
            available_times: None,
            group_times: vec![],
            connectors: vec![],
        },
        "a station whose rules were never set"
    );
    assert!(store.access_rules(&sid("NO-SUCH-STATION")).await.expect("read").is_none());

    // Everything at once; lists given out of order come back sorted.
    let rules = AccessRules {
        owner: None,
        mode: AccessMode::Limited { drivers: vec![DriverId(7), DriverId(3)], groups: vec![GroupId(20), GroupId(10)] },
        authorization_required: true,
        available_times: Some(times("mon-fri 07:00-19:00; sat 22:00-02:00; 2026-12-25 closed; 2026-12-24 08:00-12:00")),
        group_times: vec![
            GroupTimes { group: GroupId(20), times: times("mon-sun 00:00-24:00") },
            GroupTimes { group: GroupId(10), times: times("mon-fri 05:00-07:00, 19:00-22:00") },
        ],
        connectors: vec![
            ConnectorAccess { connector: connector(2), mode: Some(AccessMode::Private), authorization_required: None },
            ConnectorAccess {
                connector: connector(1),
                mode: Some(AccessMode::Limited { drivers: vec![DriverId(9)], groups: vec![] }),
                authorization_required: Some(true),
            },
            ConnectorAccess { connector: connector(3), mode: None, authorization_required: Some(false) },
        ],
    };
    let stored = store.set_access_rules(&id, &rules, t(1)).await.expect("set");
    let mut expected = rules.clone();
    expected.mode =
        AccessMode::Limited { drivers: vec![DriverId(3), DriverId(7)], groups: vec![GroupId(10), GroupId(20)] };
    expected.group_times.sort_by_key(|g| g.group);
    expected.connectors.sort_by_key(|c| c.connector);
    assert_eq!(stored, expected, "set returns the rules as stored");
    assert_eq!(store.access_rules(&id).await.expect("read").expect("exists"), expected, "read back");
    assert!(!store.station(&id).await.expect("station").expect("exists").free_vend);

    // The other station is untouched.
    assert_eq!(store.access_rules(&sid("ACCESS-2")).await.expect("read").expect("exists"), fresh);

    // Replacing: the old lists, overrides and group times are gone; authorization off is free vend.
    let open = AccessRules {
        owner: None,
        mode: AccessMode::Private,
        authorization_required: false,
        available_times: None,
        group_times: vec![],
        connectors: vec![],
    };
    assert_eq!(store.set_access_rules(&id, &open, t(2)).await.expect("replace"), open);
    assert!(store.station(&id).await.expect("station").expect("exists").free_vend, "authorization off = free vend");

    // Refusals change nothing.
    let missing = store.set_access_rules(&sid("NO-SUCH-STATION"), &rules, t(3)).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "unknown station: {missing:?}");
    let mut twice = rules.clone();
    twice.connectors.push(ConnectorAccess { connector: connector(1), mode: None, authorization_required: None });
    let conflict = store.set_access_rules(&id, &twice, t(4)).await;
    assert!(matches!(conflict, Err(StoreError::Conflict(_))), "a connector given twice: {conflict:?}");
    assert_eq!(store.access_rules(&id).await.expect("read").expect("exists"), open, "a refused write changed nothing");
}
