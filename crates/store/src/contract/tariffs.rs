//! The contract of tariffs, their assignments, billing settings and session costs.

use joule_core::billing::{BillingSettings, FreeReason, TariffBody, TariffTarget};
use joule_core::session::SessionStop;
use joule_core::tariff::{CostItem, Currency, Decimal, Dimension, ItemKind, Price, PriceComponent, TariffElement};
use joule_core::{OperatorId, SessionId};

use super::{assert_not_found, new_operator, new_station, session_start, sid, t};
use crate::{NewTariff, SessionCost, Store, StoreError, in_force};

fn body(per_kwh: &str) -> TariffBody {
    TariffBody {
        elements: vec![TariffElement {
            components: vec![PriceComponent::new(Dimension::Energy, Price::parse(per_kwh).unwrap(), 1).unwrap()],
            restrictions: Default::default(),
        }],
        start_fee: Price::parse("0.50").unwrap(),
        ..TariffBody::default()
    }
}

fn new_tariff(operator: OperatorId, id: Option<i64>, name: &str, per_kwh: &str, at: i64) -> NewTariff {
    NewTariff {
        operator_id: operator,
        tariff_id: id,
        name: name.into(),
        valid_from: t(at),
        body: body(per_kwh),
        by: "contract".into(),
        at: t(at),
    }
}

pub(super) async fn tariffs(store: &dyn Store) {
    let op = new_operator(store, "Tariff Op").await;
    let other = new_operator(store, "Tariff Other").await;
    assert!(store.tariffs(op.id).await.unwrap().is_empty());

    let v1 = store.create_tariff(&new_tariff(op.id, None, "Day", "0.30", 100)).await.expect("create");
    assert_eq!((v1.version, v1.name.as_str(), v1.operator_id), (1, "Day", op.id));
    assert_eq!(v1.body, body("0.30"), "the body reads back as written");
    let v2 = store.create_tariff(&new_tariff(op.id, Some(v1.tariff_id), "Day", "0.35", 200)).await.expect("v2");
    assert_eq!((v2.tariff_id, v2.version), (v1.tariff_id, 2), "a change is a new version of the same tariff");
    let night = store.create_tariff(&new_tariff(op.id, None, "Night", "0.20", 150)).await.expect("night");
    assert_ne!(night.tariff_id, v1.tariff_id);

    let listed = store.tariffs(op.id).await.unwrap();
    assert_eq!(listed, vec![v2.clone(), night.clone()], "the newest version of each, by id");
    let versions = store.tariff_versions(op.id, v1.tariff_id).await.unwrap();
    assert_eq!(versions, vec![v1.clone(), v2.clone()], "versions are kept unchanged");
    assert!(store.tariff_versions(other.id, v1.tariff_id).await.unwrap().is_empty(), "per operator");
    assert!(store.tariffs(other.id).await.unwrap().is_empty());

    // The version in force: v1 for a session that started before v2 was stored, v2 after.
    assert_eq!(in_force(&versions, t(150)).map(|v| v.version), Some(1));
    assert_eq!(in_force(&versions, t(250)).map(|v| v.version), Some(2));
    assert_eq!(in_force(&versions, t(50)).map(|v| v.version), None);

    // Another operator cannot version this tariff; a missing operator cannot create one.
    assert_not_found(
        store.create_tariff(&new_tariff(other.id, Some(v1.tariff_id), "Theirs", "0.10", 300)).await,
        "a new version of another operator's tariff",
    );
    assert_not_found(store.create_tariff(&new_tariff(OperatorId(987_654), None, "X", "0.1", 300)).await, "operator");
}

pub(super) async fn assignments(store: &dyn Store) {
    let op = new_operator(store, "Assign Op").await;
    let other = new_operator(store, "Assign Other").await;
    let a = store.create_tariff(&new_tariff(op.id, None, "A", "0.30", 100)).await.unwrap();
    let b = store.create_tariff(&new_tariff(op.id, None, "B", "0.20", 100)).await.unwrap();
    let theirs = store.create_tariff(&new_tariff(other.id, None, "T", "0.10", 100)).await.unwrap();

    let default = TariffTarget { station: None, connector: None, group: None };
    let station = TariffTarget { station: Some(sid("TAR-1")), connector: None, group: None };
    let connector = TariffTarget { station: Some(sid("TAR-1")), connector: Some(2), group: None };
    let group = TariffTarget { station: None, connector: None, group: Some(7) };
    let group_here = TariffTarget { station: Some(sid("TAR-1")), connector: None, group: Some(7) };
    for (target, tariff) in [
        (&default, a.tariff_id),
        (&station, b.tariff_id),
        (&connector, a.tariff_id),
        (&group, b.tariff_id),
        (&group_here, a.tariff_id),
    ] {
        store.set_tariff_assignment(op.id, target, Some(tariff), t(10)).await.expect("assign");
    }
    // Assigning again replaces.
    store.set_tariff_assignment(op.id, &station, Some(a.tariff_id), t(20)).await.expect("reassign");
    let got: Vec<(TariffTarget, i64)> =
        store.tariff_assignments(op.id).await.unwrap().into_iter().map(|x| (x.target, x.tariff_id)).collect();
    assert_eq!(got.len(), 5);
    assert!(got.contains(&(default.clone(), a.tariff_id)));
    assert!(got.contains(&(station.clone(), a.tariff_id)), "replaced");
    assert!(got.contains(&(connector.clone(), a.tariff_id)));
    assert!(got.contains(&(group.clone(), b.tariff_id)));
    assert!(got.contains(&(group_here.clone(), a.tariff_id)));
    assert!(store.tariff_assignments(other.id).await.unwrap().is_empty(), "per operator");

    assert_not_found(
        store.set_tariff_assignment(op.id, &default, Some(theirs.tariff_id), t(30)).await,
        "another operator's tariff",
    );
    store.set_tariff_assignment(op.id, &connector, None, t(40)).await.expect("unassign");
    assert_eq!(store.tariff_assignments(op.id).await.unwrap().len(), 4);
    assert_not_found(store.set_tariff_assignment(op.id, &connector, None, t(40)).await, "nothing assigned there");
}

pub(super) async fn billing_settings(store: &dyn Store) {
    let op = new_operator(store, "Billing Op").await;
    assert_eq!(store.billing_settings(op.id).await.unwrap(), BillingSettings::default(), "defaults until set");
    assert_not_found(store.billing_settings(OperatorId(987_654)).await, "settings of a missing operator");
    let set = BillingSettings {
        currency: Currency::parse("EUR").unwrap(),
        free_below_wh: 0,
        free_below_secs: 300,
        time_zone: chrono_tz::Europe::Berlin,
        ..BillingSettings::default()
    };
    store.set_billing_settings(op.id, &set, t(1)).await.expect("set");
    assert_eq!(store.billing_settings(op.id).await.unwrap(), set);
    assert_not_found(store.set_billing_settings(OperatorId(987_654), &set, t(1)).await, "missing operator");
}

pub(super) async fn session_costs(store: &dyn Store) {
    let op = new_operator(store, "Cost Op").await;
    let station = new_station(store, &op, "COST-1").await;
    let started = store.start_session(&session_start(&station.id, op.id, 4000)).await.unwrap().session;
    let stop = SessionStop {
        station_id: station.id.clone(),
        transaction_id: started.id,
        id_tag: None,
        meter_stop_wh: 9000,
        stopped_at: t(7600),
        reason: None,
        samples: vec![],
    };
    store.stop_session(&stop).await.unwrap();
    let open = store.start_session(&session_start(&station.id, op.id, 8000)).await.unwrap().session;

    let waiting = store.sessions_without_cost(100_000).await.unwrap();
    assert!(waiting.contains(&started.id), "a completed session without a cost is found");
    assert!(!waiting.contains(&open.id), "an active session is not");

    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let tariff = store.create_tariff(&new_tariff(op.id, None, "A", "0.30", 100)).await.unwrap();
    let cost = SessionCost {
        transaction_id: started.id,
        operator_id: op.id,
        tariff: Some((tariff.tariff_id, 1)),
        currency: Currency::parse("CHF").unwrap(),
        items: vec![CostItem {
            kind: ItemKind::Energy,
            element: Some(0),
            from: t(4000),
            to: t(7600),
            quantity: d("5000"),
            billed: d("5000"),
            unit_price: d("0.30"),
            amount: d("1.50"),
        }],
        subtotal: d("1.50"),
        adjustment: d("0.00"),
        net: d("1.50"),
        vat_rate: d("8.1"),
        vat: d("0.12"),
        total: d("1.62"),
        energy_wh: 5000,
        duration_secs: 3600,
        free: None,
        computed_at: t(7601),
    };
    store.put_session_cost(&cost).await.expect("put");
    assert_eq!(store.session_cost(started.id).await.unwrap(), Some(cost.clone()), "reads back exactly");
    assert!(!store.sessions_without_cost(100_000).await.unwrap().contains(&started.id));

    // Recomputing replaces.
    let free = SessionCost::free(
        started.id,
        op.id,
        None,
        &BillingSettings::default(),
        FreeReason::BelowThreshold,
        (5000, 3600),
        t(8000),
    );
    store.put_session_cost(&free).await.expect("replace");
    assert_eq!(store.session_cost(started.id).await.unwrap(), Some(free.clone()));

    let listed = store.session_costs(op.id, t(0), t(5000)).await.unwrap();
    assert_eq!(listed, vec![free]);
    assert!(store.session_costs(op.id, t(4001), t(9000)).await.unwrap().is_empty(), "by session start");
    assert!(store.session_cost(open.id).await.unwrap().is_none());
    let missing = SessionCost { transaction_id: SessionId(2_000_000_000), ..cost };
    match store.put_session_cost(&missing).await {
        Err(StoreError::NotFound(_)) => {}
        other => panic!("a cost of a missing session: {other:?}"),
    }
}
