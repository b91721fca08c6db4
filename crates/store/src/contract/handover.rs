//! The contract of backends, provisioning profiles, handovers and assignments (routes 2 and 3).

use joule_core::OperatorId;
use joule_core::handover::{BackendName, BackendUrl, HandoverState, ProvisioningMethod, ResetKind};

use super::{assert_conflict, assert_not_found, new_operator, new_station, sid, t};
use crate::{
    Assignment, HandoverChange, NewBackend, NewHandover, NewHandoverStep, ProvisioningProfile, Store, StoreError,
};

fn new_backend(operator: OperatorId, name: &str, url: &str, secs: i64) -> NewBackend {
    NewBackend {
        operator_id: operator,
        name: BackendName::parse(name).expect("backend name"),
        ocpp_url: BackendUrl::parse(url).expect("backend url"),
        at: t(secs),
    }
}

fn profile(operator: OperatorId, vendor: &str, method: ProvisioningMethod, secs: i64) -> ProvisioningProfile {
    ProvisioningProfile {
        operator_id: operator,
        vendor: vendor.to_string(),
        method,
        append_station_id: true,
        reset: ResetKind::Soft,
        updated_at: t(secs),
        updated_by: "account:1".into(),
    }
}

pub(super) async fn handover(store: &dyn Store) {
    let op = new_operator(store, "Handover Op").await;
    let other = new_operator(store, "Handover Other").await;

    // Backends: unique name per operator, renamed and re-pointed, deleted; another operator's are apart.
    let b = store
        .create_backend(&new_backend(op.id, "Other CSMS", "wss://other.example/ocpp", 3000))
        .await
        .expect("backend");
    assert_eq!(
        (b.name.as_str(), b.ocpp_url.as_str(), b.created_at, b.updated_at),
        ("Other CSMS", "wss://other.example/ocpp", t(3000), t(3000))
    );
    let taken = store.create_backend(&new_backend(op.id, "Other CSMS", "ws://x", 3001)).await;
    assert!(matches!(&taken, Err(StoreError::Conflict(m)) if m.contains("Other CSMS")), "taken name: {taken:?}");
    store
        .create_backend(&new_backend(other.id, "Other CSMS", "ws://x", 3001))
        .await
        .expect("same name, other operator");
    let second = store.create_backend(&new_backend(op.id, "Another", "ws://another:9000", 3002)).await.expect("second");
    let names: Vec<String> =
        store.backends(op.id).await.expect("list").into_iter().map(|b| b.name.to_string()).collect();
    assert_eq!(names, ["Another", "Other CSMS"], "by name");
    let moved = store
        .update_backend(second.id, &new_backend(op.id, "Renamed", "wss://renamed/ocpp", 3003))
        .await
        .expect("update");
    assert_eq!(
        (moved.name.as_str(), moved.ocpp_url.as_str(), moved.created_at, moved.updated_at),
        ("Renamed", "wss://renamed/ocpp", t(3002), t(3003))
    );
    assert_conflict(
        store.update_backend(second.id, &new_backend(op.id, "Other CSMS", "ws://x", 3004)).await,
        "rename onto a taken name",
    );
    assert_not_found(
        store.update_backend(second.id, &new_backend(other.id, "Z", "ws://x", 3004)).await,
        "another operator's backend",
    );
    assert_eq!(store.backend_by_name(op.id, "Renamed").await.expect("by name"), Some(moved.clone()));
    assert_eq!(store.backend_by_name(other.id, "Renamed").await.expect("by name"), None);
    assert_not_found(store.delete_backend(other.id, second.id).await, "delete another operator's backend");
    store.delete_backend(op.id, second.id).await.expect("delete");
    assert_not_found(store.delete_backend(op.id, second.id).await, "delete twice");
    assert_not_found(
        store.create_backend(&new_backend(OperatorId(999_999), "X", "ws://x", 1)).await,
        "no such operator",
    );

    // Profiles: keyed by the vendor as compared (case and legal form ignored); a put replaces.
    let ck = ProvisioningMethod::configuration_key("CentralSystemURL").expect("method");
    let p = store.put_provisioning_profile(&profile(op.id, "ABB B.V.", ck.clone(), 3010)).await.expect("profile");
    assert_eq!(p, profile(op.id, "ABB B.V.", ck, 3010));
    let dt = ProvisioningMethod::data_transfer("com.abb", Some("SetBackend")).expect("method");
    let mut replaced = profile(op.id, "abb", dt.clone(), 3011);
    replaced.append_station_id = false;
    replaced.reset = ResetKind::None;
    assert_eq!(store.put_provisioning_profile(&replaced).await.expect("replace"), replaced);
    let dt_plain = ProvisioningMethod::data_transfer("Alfen", None).expect("method");
    store.put_provisioning_profile(&profile(op.id, "Alfen", dt_plain.clone(), 3012)).await.expect("second profile");
    let listed = store.provisioning_profiles(op.id).await.expect("profiles");
    assert_eq!(listed.iter().map(|p| p.vendor.as_str()).collect::<Vec<_>>(), ["abb", "Alfen"], "one per vendor key");
    assert_eq!(listed[1].method, dt_plain);
    let key = joule_core::catalog::vendor_key("ABB Ltd");
    assert_eq!(store.provisioning_profile(op.id, &key).await.expect("by key"), Some(replaced.clone()));
    assert_eq!(store.provisioning_profile(other.id, &key).await.expect("other operator"), None);
    assert_not_found(store.delete_provisioning_profile(other.id, &key).await, "another operator's profile");
    store.delete_provisioning_profile(op.id, "alfen").await.expect("delete");
    assert_not_found(store.delete_provisioning_profile(op.id, "alfen").await, "delete twice");

    // Handovers: one open per station; compare-and-set moves; steps in order; finished when closed.
    let station = new_station(store, &op, "HO-1").await;
    let new = NewHandover {
        station_id: station.id.clone(),
        operator_id: op.id,
        target_name: "Other CSMS".into(),
        target_url: BackendUrl::parse("wss://other.example/ocpp").expect("url"),
        backend_id: Some(b.id),
        requested_by: "account:7".into(),
        requested_at: t(3100),
    };
    let h = store.create_handover(&new).await.expect("handover");
    assert_eq!((h.state, h.finished_at, h.detail.clone(), h.steps.len()), (HandoverState::Recorded, None, None, 0));
    assert_eq!(
        (h.target_name.as_str(), h.backend_id, h.requested_at, h.updated_at),
        ("Other CSMS", Some(b.id), t(3100), t(3100))
    );
    let twice = store.create_handover(&NewHandover { requested_at: t(3101), ..new.clone() }).await;
    assert!(matches!(&twice, Err(StoreError::Conflict(m)) if m.contains("HO-1")), "second open handover: {twice:?}");
    assert_not_found(
        store.create_handover(&NewHandover { station_id: sid("HO-NONE"), ..new.clone() }).await,
        "no such station",
    );

    let change = |from, to, detail: Option<&str>, secs| HandoverChange {
        id: h.id,
        from,
        to,
        detail: detail.map(str::to_string),
        at: t(secs),
    };
    let moved = store
        .set_handover_state(&change(HandoverState::Recorded, HandoverState::Provisioning, None, 3110))
        .await
        .expect("provisioning");
    assert_eq!((moved.state, moved.updated_at, moved.finished_at), (HandoverState::Provisioning, t(3110), None));
    let stale = store.set_handover_state(&change(HandoverState::Recorded, HandoverState::Cancelled, None, 3111)).await;
    assert!(matches!(&stale, Err(StoreError::Conflict(m)) if m.contains("provisioning")), "stale from: {stale:?}");
    assert_not_found(
        store
            .set_handover_state(&HandoverChange {
                id: 999_999,
                ..change(HandoverState::Recorded, HandoverState::Failed, None, 1)
            })
            .await,
        "no such handover",
    );

    let step = |step: &str, outcome: &str, command_id, secs| NewHandoverStep {
        handover_id: h.id,
        at: t(secs),
        step: step.into(),
        outcome: outcome.into(),
        detail: Some(format!("{step} detail")),
        command_id,
    };
    let s1 = store.add_handover_step(&step("ChangeConfiguration", "Accepted", Some(41), 3112)).await.expect("step 1");
    assert_eq!(
        (s1.step.as_str(), s1.outcome.as_str(), s1.command_id, s1.at),
        ("ChangeConfiguration", "Accepted", Some(41), t(3112))
    );
    store.add_handover_step(&step("Reset", "Accepted", Some(42), 3113)).await.expect("step 2");
    assert_not_found(
        store.add_handover_step(&NewHandoverStep { handover_id: 999_999, ..step("x", "y", None, 1) }).await,
        "step of no handover",
    );
    let waiting = store
        .set_handover_state(&change(HandoverState::Provisioning, HandoverState::Waiting, Some("sent"), 3114))
        .await
        .expect("waiting");
    assert_eq!(
        waiting.steps.iter().map(|s| s.step.as_str()).collect::<Vec<_>>(),
        ["ChangeConfiguration", "Reset"],
        "steps in order"
    );
    assert_eq!(store.handovers_in_state(HandoverState::Waiting).await.expect("waiting list"), vec![waiting.clone()]);
    let done = store
        .set_handover_state(&change(HandoverState::Waiting, HandoverState::HandedOver, None, 3200))
        .await
        .expect("done");
    assert_eq!(
        (done.state, done.finished_at, done.detail.as_deref()),
        (HandoverState::HandedOver, Some(t(3200)), Some("sent")),
        "detail kept when None"
    );
    assert!(store.handovers_in_state(HandoverState::Waiting).await.expect("waiting list").is_empty());
    let station_now = store.station(&station.id).await.expect("station").expect("exists");
    assert_eq!(station_now.state, joule_core::station::StationState::HandedOver, "handed over with its handover");

    // A closed handover frees the station for another; the list is newest first, each with its steps.
    let again = store
        .create_handover(&NewHandover { requested_at: t(3300), backend_id: None, ..new.clone() })
        .await
        .expect("second handover");
    let cancelled = store
        .set_handover_state(&HandoverChange {
            id: again.id,
            from: HandoverState::Recorded,
            to: HandoverState::Cancelled,
            detail: Some("called off".into()),
            at: t(3301),
        })
        .await
        .expect("cancel");
    assert_eq!((cancelled.finished_at, cancelled.detail.as_deref()), (Some(t(3301)), Some("called off")));
    let list = store.handovers(&station.id).await.expect("list");
    assert_eq!(list.iter().map(|h| h.id).collect::<Vec<_>>(), [again.id, h.id], "newest first");
    assert_eq!(list[1], done);
    assert!(list[0].steps.is_empty());
    assert_eq!(store.handover(h.id).await.expect("one"), Some(done));
    assert_eq!(store.handover(999_999).await.expect("none"), None);

    // Assignments: once per station.
    let unclaimed = new_station(store, &op, "HO-2").await;
    let a = Assignment {
        station_id: unclaimed.id.clone(),
        operator_id: op.id,
        purchased_from: "Wholesaler B.V.".into(),
        backend_id: None,
        backend_name: "joule".into(),
        assigned_by: "account:7".into(),
        assigned_at: t(3400),
    };
    assert_eq!(store.assignment(&unclaimed.id).await.expect("none yet"), None);
    assert_eq!(store.assign_station(&a).await.expect("assign"), a);
    let twice = store
        .assign_station(&Assignment { backend_id: Some(b.id), backend_name: "Other CSMS".into(), ..a.clone() })
        .await;
    assert!(matches!(&twice, Err(StoreError::Conflict(m)) if m.contains("HO-2")), "assigned twice: {twice:?}");
    assert_eq!(store.assignment(&unclaimed.id).await.expect("read"), Some(a.clone()));
    assert_not_found(store.assign_station(&Assignment { station_id: sid("HO-NONE"), ..a }).await, "no such station");
}
