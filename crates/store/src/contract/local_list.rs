//! The contract of the local authorization list sync state (OCPP 1.6 §3.5.3, §6.41): one write
//! replaces a station's state and the entries last sent, one read gives them back exactly; and every token
//! of an operator with its driver's facts, in one call, for computing the list.

use joule_core::access::{DriverFacts, GroupId, GroupName};
use joule_core::auth::IdToken;
use joule_core::local_list::Entry;

use super::{new_operator, new_station, sid, t, tag};
use crate::{LocalListState, NewDriver, Store, StoreError};

fn entry(s: &str, expires: Option<i64>, parent: Option<&str>) -> Entry {
    Entry { tag: tag(s), expires_at: expires.map(t), parent: parent.map(tag) }
}

pub(super) async fn local_list_state(store: &dyn Store) {
    let op = new_operator(store, "Local List Op").await;
    new_station(store, &op, "LIST-1").await;
    new_station(store, &op, "LIST-2").await;
    let id = sid("LIST-1");
    assert!(store.local_list_state(&id).await.expect("read").is_none(), "never recorded");

    // A first sync: the station's version read, a list accepted. Entries given out of order come back by tag.
    let state = LocalListState {
        station_id: id.clone(),
        supported: Some(true),
        station_version: Some(4),
        sent_version: Some(5),
        sent: vec![entry("ZED", None, None), entry("ANA", Some(100), Some("FLEET")), entry("BOB", None, Some("FLEET"))],
        last_result: Some("Accepted".into()),
        last_detail: None,
        last_at: Some(t(10)),
    };
    store.put_local_list_state(&state, t(10)).await.expect("write");
    let read = store.local_list_state(&id).await.expect("read").expect("recorded");
    let mut sorted = state.clone();
    sorted.sent.sort_by(|a, b| a.tag.as_str().cmp(b.tag.as_str()));
    assert_eq!(read, sorted, "read back exactly, entries by tag");
    assert!(store.local_list_state(&sid("LIST-2")).await.expect("read").is_none(), "per station");

    // A differential update replaces the entries; the other station's state is its own.
    let mut other = LocalListState::unknown(sid("LIST-2"));
    other.supported = Some(false);
    other.last_result = Some("NotSupported".into());
    other.last_detail = Some("the station answered NotSupported".into());
    other.last_at = Some(t(11));
    store.put_local_list_state(&other, t(11)).await.expect("other");
    let next = LocalListState {
        station_version: Some(6),
        sent_version: Some(6),
        sent: vec![entry("ANA", Some(200), None), entry("CAT", None, None)],
        last_at: Some(t(12)),
        ..state.clone()
    };
    store.put_local_list_state(&next, t(12)).await.expect("update");
    assert_eq!(store.local_list_state(&id).await.expect("read"), Some(next.clone()));
    assert_eq!(store.local_list_state(&sid("LIST-2")).await.expect("read"), Some(other));

    // A failed update forgets what was sent: no version, no entries (even if some are given).
    let forgotten = LocalListState {
        station_version: None,
        sent_version: None,
        last_result: Some("VersionMismatch".into()),
        last_at: Some(t(13)),
        ..next.clone()
    };
    store.put_local_list_state(&forgotten, t(13)).await.expect("forget");
    let read = store.local_list_state(&id).await.expect("read").expect("recorded");
    assert_eq!((read.sent_version, read.station_version, read.sent.len()), (None, None, 0));
    assert_eq!(read.last_result.as_deref(), Some("VersionMismatch"));

    // A tag twice is a Conflict, and the write changes nothing; an unknown station is NotFound.
    let twice = LocalListState { sent: vec![entry("DUP", None, None), entry("DUP", None, None)], ..next.clone() };
    let refused = store.put_local_list_state(&twice, t(14)).await;
    assert!(matches!(refused, Err(StoreError::Conflict(ref m)) if m.contains("DUP")), "{refused:?}");
    assert_eq!(store.local_list_state(&id).await.expect("read"), Some(read), "unchanged");
    let missing = store.put_local_list_state(&LocalListState::unknown(sid("NO-SUCH-LIST")), t(14)).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
}

pub(super) async fn operator_token_facts(store: &dyn Store) {
    let op = new_operator(store, "List Facts Op").await;
    let other = new_operator(store, "List Facts Other").await;
    assert!(store.operator_token_facts(op.id).await.expect("none").is_empty());
    let token = |operator, s: &str| IdToken {
        operator_id: operator,
        tag: tag(s),
        parent: None,
        expires_at: None,
        blocked: false,
    };
    for s in ["T-C", "T-A", "T-B"] {
        store.add_id_token(&token(op.id, s)).await.expect("token");
    }
    store.add_id_token(&token(other.id, "T-X")).await.expect("other's");
    let new_driver = |operator, name: &str| NewDriver {
        operator_id: operator,
        name: joule_core::access::DriverName::parse(name).expect("name"),
        email: None,
        account_id: None,
        at: t(0),
    };
    let ana = store.create_driver(&new_driver(op.id, "Ana")).await.expect("ana");
    let bob = store.create_driver(&new_driver(op.id, "Bob")).await.expect("bob");
    let g1 = store.create_group(op.id, &GroupName::parse("List G1").unwrap(), t(1)).await.expect("group");
    let g2 = store.create_group(op.id, &GroupName::parse("List G2").unwrap(), t(1)).await.expect("group");
    store.set_group_member(op.id, g2.group.id, ana.id, true).await.expect("join");
    store.set_group_member(op.id, g1.group.id, ana.id, true).await.expect("join");
    store.set_token_driver(op.id, &tag("T-A"), Some(ana.id)).await.expect("link");
    store.set_token_driver(op.id, &tag("T-B"), Some(bob.id)).await.expect("link");

    let facts = store.operator_token_facts(op.id).await.expect("facts");
    let tags: Vec<&str> = facts.iter().map(|f| f.token.tag.as_str()).collect();
    assert_eq!(tags, ["T-A", "T-B", "T-C"], "the operator's tokens, by tag");
    let mut groups = vec![g1.group.id, g2.group.id];
    groups.sort_by_key(|g: &GroupId| g.0);
    assert_eq!(facts[0].driver, Some(DriverFacts { id: ana.id, groups }));
    assert_eq!(facts[1].driver, Some(DriverFacts { id: bob.id, groups: vec![] }));
    assert_eq!(facts[2].driver, None);
    // The same facts as one token's read gives.
    for f in &facts {
        let one = store.token_facts(op.id, &f.token.tag).await.expect("one").expect("exists");
        assert_eq!(&one, f);
    }
}
