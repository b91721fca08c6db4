//! The contract of operator settings, station owners and offline detection's out-of-service mark.

use joule_core::account::{AccountId, AccountRole};
use joule_core::operator::OperatorSettings;
use joule_core::station::StationState;
use joule_core::{OperatorId, StationId};

use super::{assert_not_found, ids, new_account, new_operator, new_station, sid, t};
use crate::{NewStation, StationFilter, Store};

pub(super) async fn operator_settings(store: &dyn Store) {
    let op = new_operator(store, "Settings Op").await;
    let other = new_operator(store, "Settings Other").await;
    assert_eq!(store.operator_settings(op.id).await.unwrap(), OperatorSettings::default(), "defaults until set");
    assert_not_found(store.operator_settings(OperatorId(987_654)).await, "settings of a missing operator");

    let set = OperatorSettings::new(5, 30).unwrap();
    assert_eq!(put(store, op.id, set).await, set);
    assert_eq!(store.operator_settings(op.id).await.unwrap(), set);
    assert_eq!(store.operator_settings(other.id).await.unwrap(), OperatorSettings::default(), "per operator");

    // Setting again replaces; the extremes of the ranges are stored as they are.
    let extremes = OperatorSettings::new(30, 10_080).unwrap();
    assert_eq!(put(store, op.id, extremes).await, extremes);
    assert_eq!(store.operator_settings(op.id).await.unwrap(), extremes);
    let least = OperatorSettings::new(1, 1).unwrap();
    assert_eq!(put(store, op.id, least).await, least);
    assert_eq!(store.operator_settings(op.id).await.unwrap(), least);

    assert_not_found(
        store.set_operator_settings(OperatorId(987_654), &set, t(3000)).await,
        "settings of a missing operator",
    );
}

/// Sets and unwraps.
async fn put(store: &dyn Store, operator: OperatorId, settings: OperatorSettings) -> OperatorSettings {
    store.set_operator_settings(operator, &settings, t(3000)).await.expect("set operator settings")
}

pub(super) async fn station_owner(store: &dyn Store) {
    let op = new_operator(store, "Owner Op").await;
    let owner = store
        .create_account(&new_account("owns-stations@example.com", AccountRole::Owner, Some(op.id)))
        .await
        .expect("owner");
    let owner2 = store
        .create_account(&new_account("owns-others@example.com", AccountRole::Owner, Some(op.id)))
        .await
        .expect("owner 2");
    let s1 = new_station(store, &op, "OWN-1").await;
    new_station(store, &op, "OWN-2").await;
    new_station(store, &op, "OWN-3").await;
    assert_eq!(s1.owner_id, None, "a registered station has no owner");

    let set = store.set_station_owner(&s1.id, Some(owner.id)).await.expect("set owner");
    assert_eq!(set.owner_id, Some(owner.id));
    assert_eq!(set, joule_core::station::Station { owner_id: Some(owner.id), ..s1.clone() }, "only the owner changes");
    assert_eq!(store.station(&s1.id).await.unwrap().unwrap().owner_id, Some(owner.id));
    store.set_station_owner(&sid("OWN-3"), Some(owner2.id)).await.expect("set owner 2");

    let mine = |o: AccountId| StationFilter { owner_id: Some(o), ..Default::default() };
    assert_eq!(ids(store.list_stations(&mine(owner.id)).await.unwrap()), ["OWN-1"]);
    assert_eq!(ids(store.list_stations(&mine(owner2.id)).await.unwrap()), ["OWN-3"]);

    // A new owner replaces the old one; None clears it.
    store.set_station_owner(&s1.id, Some(owner2.id)).await.expect("change owner");
    assert!(store.list_stations(&mine(owner.id)).await.unwrap().is_empty());
    assert_eq!(ids(store.list_stations(&mine(owner2.id)).await.unwrap()), ["OWN-1", "OWN-3"]);
    assert_eq!(store.set_station_owner(&s1.id, None).await.expect("clear owner").owner_id, None);

    assert_not_found(store.set_station_owner(&sid("OWN-NONE"), Some(owner.id)).await, "owner of a missing station");
    assert_not_found(store.set_station_owner(&s1.id, Some(AccountId(987_654))).await, "a missing account");
    assert_eq!(store.station(&s1.id).await.unwrap().unwrap().owner_id, None, "a failed write changes nothing");
}

pub(super) async fn out_of_service(store: &dyn Store) {
    let op = new_operator(store, "Offline Op").await;
    let active = new_station(store, &op, "OOS-1").await.id;
    let verified = new_station(store, &op, "OOS-2").await.id;
    store.set_station_state(&verified, StationState::Verified).await.unwrap();
    let pending = StationId::parse("OOS-3").unwrap();
    store
        .register_station(NewStation {
            id: pending.clone(),
            operator_id: op.id,
            state: StationState::Pending,
            free_vend: false,
            password_hash: None,
            created_at: t(0),
        })
        .await
        .unwrap();

    // Marked once: the second compare-and-set finds the mark and changes nothing.
    assert!(store.mark_out_of_service(&active, t(100), t(1000)).await.unwrap());
    assert!(!store.mark_out_of_service(&active, t(100), t(2000)).await.unwrap(), "marked already");
    assert_eq!(store.station(&active).await.unwrap().unwrap().out_of_service_since, Some(t(1000)));

    // Only activated stations are marked.
    assert!(store.mark_out_of_service(&verified, t(100), t(1000)).await.unwrap(), "verified is watched");
    assert!(!store.mark_out_of_service(&pending, t(100), t(1000)).await.unwrap(), "pending is not");
    assert_eq!(store.station(&pending).await.unwrap().unwrap().out_of_service_since, None);

    let oos = |flag: bool| StationFilter { operator_id: Some(op.id), out_of_service: Some(flag), ..Default::default() };
    assert_eq!(ids(store.list_stations(&oos(true)).await.unwrap()), ["OOS-1", "OOS-2"]);
    assert_eq!(ids(store.list_stations(&oos(false)).await.unwrap()), ["OOS-3"]);

    // Cleared once, answering when the mark was set.
    assert_eq!(store.clear_out_of_service(&active).await.unwrap(), Some(t(1000)));
    assert_eq!(store.clear_out_of_service(&active).await.unwrap(), None, "cleared already");
    assert_eq!(store.station(&active).await.unwrap().unwrap().out_of_service_since, None);
    assert_eq!(store.clear_out_of_service(&pending).await.unwrap(), None, "never marked");

    // A station that connected after the silence the caller measured is not marked.
    store.record_connection(&active, true, t(1500)).await.unwrap();
    assert!(!store.mark_out_of_service(&active, t(1400), t(1600)).await.unwrap(), "it connected since");
    assert!(store.mark_out_of_service(&active, t(1500), t(1600)).await.unwrap(), "silent since it connected");
    assert_eq!(store.clear_out_of_service(&active).await.unwrap(), Some(t(1600)));

    // Two racing sweeps: one marks, and two racing clears: one clears.
    let (a, b) = futures_util::future::join(
        store.mark_out_of_service(&active, t(1700), t(1800)),
        store.mark_out_of_service(&active, t(1700), t(1801)),
    )
    .await;
    assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|m| **m).count(), 1, "exactly one sweep marks");
    let (a, b) =
        futures_util::future::join(store.clear_out_of_service(&active), store.clear_out_of_service(&active)).await;
    assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|c| c.is_some()).count(), 1, "exactly one clear");

    assert_not_found(store.mark_out_of_service(&sid("OOS-NONE"), t(0), t(1)).await, "mark a missing station");
    assert_not_found(store.clear_out_of_service(&sid("OOS-NONE")).await, "clear a missing station");
}
