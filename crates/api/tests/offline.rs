//! Operator settings, station owners and offline detection, through the REST API and a real
//! server with stations on real sockets. Offline detection is driven by calling its sweep with a chosen
//! instant (16 minutes on), not by waiting.

mod common;

use chrono::{Duration, Utc};
use common::{TestApi, unique};
use joule_app::events::{LiveEvent, LiveEventKind};
use joule_app::operations::offline::sweep;
use joule_core::Role;
use joule_core::account::{Account, AccountRole};
use joule_core::activation::{ActivationFormInput, ChargePointInput};
use joule_core::address::AddressInput;
use joule_core::station::StationState;
use serde_json::{Value, json};

fn settings_path(op: &joule_store::Operator) -> String {
    format!("/api/v1/operators/{}/settings", op.id)
}

#[tokio::test]
async fn settings_are_read_by_any_role_and_changed_by_admins_within_range() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Settings {}", unique())).await;
    let other = api.operator(&format!("Other {}", unique())).await;
    let admin = api.token(&op, Role::Admin).await;
    let viewer = api.token(&op, Role::Viewer).await;
    let other_admin = api.token(&other, Role::Admin).await;
    let path = settings_path(&op);

    let defaults = api.get(&viewer, &path).await.expect(200);
    assert_eq!(defaults, json!({"service_level_days": 2, "offline_after_minutes": 15}));

    // A viewer may not change them; another operator's token does not see them at all.
    api.put(&viewer, &path, json!({"offline_after_minutes": 30})).await.problem(403, "forbidden");
    api.get(&other_admin, &path).await.problem(404, "not-found");
    api.put(&other_admin, &path, json!({"offline_after_minutes": 30})).await.problem(404, "not-found");

    // Out of range, negative or not a number: 400 naming the field; nothing changes.
    for (body, field) in [
        (json!({"service_level_days": 0}), "service_level_days"),
        (json!({"service_level_days": 31}), "service_level_days"),
        (json!({"service_level_days": -1}), "service_level_days"),
        (json!({"offline_after_minutes": 0}), "offline_after_minutes"),
        (json!({"offline_after_minutes": 10_081}), "offline_after_minutes"),
        (json!({"offline_after_minutes": 99_999_999_999_i64}), "offline_after_minutes"),
    ] {
        let p = api.put(&admin, &path, body.clone()).await.problem(400, "invalid-request");
        assert_eq!(p["field"], field, "{body}: {p}");
    }
    api.put(&admin, &path, json!({"offline_after_minutes": "15"})).await.problem(400, "invalid-request");
    api.put(&admin, &path, json!({"offline_minutes": 15})).await.problem(400, "invalid-request");
    assert_eq!(api.get(&admin, &path).await.expect(200), defaults, "refusals change nothing");

    // A setting left out keeps its value.
    let changed = api.put(&admin, &path, json!({"offline_after_minutes": 30})).await.expect(200);
    assert_eq!(changed, json!({"service_level_days": 2, "offline_after_minutes": 30}));
    let changed = api.put(&admin, &path, json!({"service_level_days": 5})).await.expect(200);
    assert_eq!(changed, json!({"service_level_days": 5, "offline_after_minutes": 30}));
    assert_eq!(api.get(&viewer, &path).await.expect(200), changed);
    assert_eq!(api.get(&other_admin, &settings_path(&other)).await.expect(200), defaults, "per operator");

    // Audited with before and after.
    let audit = api.get(&admin, &format!("/api/v1/audit?subject=operator:{}", op.id)).await.expect(200);
    let audit = audit.as_array().unwrap();
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(audit[0]["action"], "operator.settings");
    assert_eq!(audit[0]["before"], json!({"service_level_days": 2, "offline_after_minutes": 30}));
    assert_eq!(audit[0]["after"], json!({"service_level_days": 5, "offline_after_minutes": 30}));
    assert_eq!(audit[1]["before"]["offline_after_minutes"], 15);
}

fn form(station: &str) -> joule_core::activation::ActivationForm {
    ActivationFormInput {
        customer_number: "C-1001",
        charge_points: vec![ChargePointInput {
            number: "EVC-1".into(),
            station_id: station.into(),
            connector_count: Some(2),
            connector_ids: None,
        }],
        controller_number: "",
        installation_type: "home",
        features: vec![],
        address: AddressInput {
            street: "Stationsplein",
            house_number: "1",
            postal_code: "1012ab",
            city: "Amsterdam",
            country: "NL",
            region: "",
        },
        network: "lan",
        notes: "",
    }
    .validate()
    .expect("valid form")
}

#[tokio::test]
async fn the_overdue_flag_follows_the_operators_service_level() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Overdue {}", unique())).await;
    let admin = api.token(&op, Role::Admin).await;
    let (owner, owner_token) =
        api.person(Some(&op), AccountRole::Owner, &format!("late-{}@example.com", unique()), true).await;
    // Ten calendar days ago: at least six working days, at most eight.
    let new = joule_store::NewActivationRequest {
        operator_id: op.id,
        owner_id: owner.id,
        form: form("LATE-1"),
        requested_at: Utc::now() - Duration::days(10),
    };
    api.store.create_activation_request(&new).await.unwrap();
    let overdue = |list: Value| list.as_array().unwrap().iter().map(|r| r["overdue"].as_bool().unwrap()).collect();
    let flags: Vec<bool> = overdue(api.get(&admin, "/api/v1/activation-requests").await.expect(200));
    assert_eq!(flags, [true], "over the default 2 working days");

    api.put(&admin, &settings_path(&op), json!({"service_level_days": 10})).await.expect(200);
    let flags: Vec<bool> = overdue(api.get(&admin, "/api/v1/activation-requests").await.expect(200));
    assert_eq!(flags, [false], "within 10 working days");
    let flags: Vec<bool> = overdue(api.get(&owner_token, "/api/v1/activation-requests").await.expect(200));
    assert_eq!(flags, [false], "the owner sees the operator's service level too");
    let listed = api.get(&admin, "/api/v1/activation-requests?overdue=true").await.expect(200);
    assert!(listed.as_array().unwrap().is_empty());

    api.put(&admin, &settings_path(&op), json!({"service_level_days": 5})).await.expect(200);
    let listed = api.get(&admin, "/api/v1/activation-requests?overdue=true").await.expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 1, "over 5 working days");
}

fn request_body(station: &str) -> Value {
    json!({
        "customer_number": "C-1001",
        "charge_points": [{"number": "EVC-1", "station_id": station, "connector_count": 2}],
        "installation_type": "home",
        "address": {"street": "Stationsplein", "house_number": "1", "postal_code": "1012ab", "city": "Amsterdam",
                    "country": "NL"},
        "network": "lan"
    })
}

#[tokio::test]
async fn the_approved_owner_owns_the_station_and_sees_only_their_own() {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Owners {}", unique())).await;
    let token = api.token(&op, Role::Operator).await;
    let (_, staff) =
        api.person(Some(&op), AccountRole::OperatorStaff, &format!("staff-{}@example.com", unique()), true).await;
    let (owner, owner_token) =
        api.person(Some(&op), AccountRole::Owner, &format!("own-a-{}@example.com", unique()), true).await;
    let (_, other_token) =
        api.person(Some(&op), AccountRole::Owner, &format!("own-b-{}@example.com", unique()), true).await;
    let (_, installer) =
        api.person(Some(&op), AccountRole::Installer, &format!("inst-{}@example.com", unique()), true).await;

    let created = api.post(&owner_token, "/api/v1/activation-requests", request_body("OWN-A")).await.expect(201);
    let id = created["id"].as_i64().unwrap();
    // The other owner's request stays open: it gives them no station.
    api.post(&other_token, "/api/v1/activation-requests", request_body("OWN-B")).await.expect(201);
    api.post(&staff, &format!("/api/v1/activation-requests/{id}/review"), json!({})).await.expect(200);
    api.post(&staff, &format!("/api/v1/activation-requests/{id}/approve"), json!({})).await.expect(200);

    let station = api.get(&token, "/api/v1/stations/OWN-A").await.expect(200);
    assert_eq!(station["owner_id"], owner.id.0);
    assert_eq!(station["out_of_service_since"], Value::Null);
    let audit = api.get(&staff, "/api/v1/audit?subject=station:OWN-A").await.expect(200);
    let owner_entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "station.owner").expect("audited");
    assert_eq!(owner_entry["before"]["owner_id"], Value::Null);
    assert_eq!(owner_entry["after"]["owner_id"], owner.id.0);

    let mine = api.get(&owner_token, "/api/v1/me/stations").await.expect(200);
    let ids: Vec<&str> = mine.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["OWN-A"]);
    assert_eq!(mine[0]["state"], "active");
    assert_eq!(mine[0]["online"], false);
    assert_eq!(mine[0]["out_of_service_since"], Value::Null);
    assert!(api.get(&other_token, "/api/v1/me/stations").await.expect(200).as_array().unwrap().is_empty());

    // Only owners have stations of their own.
    for who in [&token, &staff, &installer] {
        api.get(who, "/api/v1/me/stations").await.problem(403, "forbidden");
    }
    api.send("GET", "/api/v1/me/stations", None, None).await.problem(401, "unauthorized");
}

struct Offline {
    api: TestApi,
    op: joule_store::Operator,
    token: String,
    owner: Account,
    owner_token: String,
    staff: Account,
    staff_token: String,
}

async fn offline_world() -> Offline {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Offline {}", unique())).await;
    let token = api.token(&op, Role::Viewer).await;
    let (owner, owner_token) =
        api.person(Some(&op), AccountRole::Owner, &format!("owner-{}@example.com", unique()), true).await;
    let (staff, staff_token) =
        api.person(Some(&op), AccountRole::OperatorStaff, &format!("staff-{}@example.com", unique()), true).await;
    Offline { api, op, token, owner, owner_token, staff, staff_token }
}

/// The person's inbox messages of this kind.
async fn inbox(api: &TestApi, token: &str, kind: &str) -> Vec<Value> {
    let list = api.get(token, "/api/v1/notifications").await.expect(200);
    list.as_array().unwrap().iter().filter(|n| n["kind"] == kind).cloned().collect()
}

/// The mails in the outbox folder to `to` whose text contains `needle`.
fn mails(api: &TestApi, to: &str, needle: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(api.app.app.mailer().outbox_dir()) else { return 0 };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|text| text.contains(&format!("To: {to}")) && text.contains(needle))
        .count()
}

#[tokio::test]
async fn a_silent_station_is_out_of_service_once_and_back_once_when_it_reconnects() {
    let w = offline_world().await;
    let api = &w.api;
    // S1: active, connected, owned. QUIET: active, never connected. PEND: pending, connected.
    let st = api.booted(&w.op, "OOS-1").await;
    api.store.set_station_owner(&"OOS-1".parse().unwrap(), Some(w.owner.id)).await.unwrap();
    api.register(&w.op, "QUIET", StationState::Active).await;
    api.register(&w.op, "PEND", StationState::Pending).await;
    let _pending = api.connect(&w.op, "PEND").await;
    api.eventually("PEND is online", || async {
        api.store.station(&"PEND".parse().unwrap()).await.unwrap().is_some_and(|s| s.online)
    })
    .await;

    // Within the threshold: nothing happens.
    let report = sweep(&api.app.app, Utc::now() + Duration::minutes(14)).await.unwrap();
    assert!(report.marked.is_empty() && report.back.is_empty(), "{report:?}");

    let later = Utc::now() + Duration::minutes(16);
    let report = sweep(&api.app.app, later).await.unwrap();
    assert_eq!(report.marked, ["OOS-1".parse().unwrap()], "only the silent activated station that connected");
    let station = api.get(&w.token, "/api/v1/stations/OOS-1").await.expect(200);
    assert!(station["out_of_service_since"].is_string(), "{station}");
    let listed = api.get(&w.token, "/api/v1/stations?out_of_service=true").await.expect(200);
    let ids: Vec<&str> = listed.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["OOS-1"]);
    let listed = api.get(&w.token, "/api/v1/stations?out_of_service=false").await.expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 2, "QUIET and PEND are not out of service");
    let mine = api.get(&w.owner_token, "/api/v1/me/stations").await.expect(200);
    assert!(mine[0]["out_of_service_since"].is_string(), "the owner sees it: {mine}");

    // Owner and staff are told once, in the inbox and by mail (the outbox folder: no SMTP configured).
    for (token, account) in [(&w.owner_token, &w.owner), (&w.staff_token, &w.staff)] {
        let told = inbox(api, token, "station.out-of-service").await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0]["text"].as_str().unwrap().contains("OOS-1"));
        assert_eq!(mails(api, account.email.as_str(), "is out of service"), 1, "{}", account.email);
    }
    let audit = api.get(&w.staff_token, "/api/v1/audit?subject=station:OOS-1").await.expect(200);
    let entry = &audit[0];
    assert_eq!((entry["action"].as_str(), entry["actor"].as_str()), (Some("station.out-of-service"), Some("system")));
    assert_eq!(entry["after"]["offline_after_minutes"], 15);

    // A second sweep (and a racing one) finds it marked: nobody is told again.
    let (a, b) = tokio::join!(
        sweep(&api.app.app, later + Duration::minutes(1)),
        sweep(&api.app.app, later + Duration::minutes(2))
    );
    assert!(a.unwrap().marked.is_empty() && b.unwrap().marked.is_empty());
    assert_eq!(inbox(api, &w.owner_token, "station.out-of-service").await.len(), 1);
    assert_eq!(mails(api, w.owner.email.as_str(), "is out of service"), 1);

    // It reconnects: the mark is cleared at once and everyone is told once.
    st.close().await;
    api.eventually("OOS-1 is offline", || async {
        api.store.station(&"OOS-1".parse().unwrap()).await.unwrap().is_some_and(|s| !s.online)
    })
    .await;
    let _st = api.connect(&w.op, "OOS-1").await;
    api.eventually("OOS-1 is back in service", || async {
        api.get(&w.token, "/api/v1/stations/OOS-1").await.expect(200)["out_of_service_since"].is_null()
    })
    .await;
    for (token, account) in [(&w.owner_token, &w.owner), (&w.staff_token, &w.staff)] {
        api.eventually("both are told it is back", || async {
            inbox(api, token, "station.back-in-service").await.len() == 1
                && mails(api, account.email.as_str(), "is back in service") == 1
        })
        .await;
        let back = inbox(api, token, "station.back-in-service").await;
        assert!(back[0]["text"].as_str().unwrap().contains("back in service after"), "{back:?}");
    }
    let report = sweep(&api.app.app, Utc::now()).await.unwrap();
    assert!(report.back.is_empty() && report.marked.is_empty(), "told once: {report:?}");
    assert_eq!(inbox(api, &w.owner_token, "station.back-in-service").await.len(), 1);
    // (The audit log is by time, and the mark was judged 16 minutes ahead: look the entry up by action.)
    let audit = api.get(&w.staff_token, "/api/v1/audit?subject=station:OOS-1").await.expect(200);
    let back: Vec<&Value> =
        audit.as_array().unwrap().iter().filter(|e| e["action"] == "station.back-in-service").collect();
    assert_eq!(back.len(), 1, "{audit}");
    assert_eq!(back[0]["actor"], "system");
    assert!(back[0]["before"]["out_of_service_since"].is_string());
}

#[tokio::test]
async fn a_frame_on_the_open_connection_brings_a_station_back() {
    let w = offline_world().await;
    let api = &w.api;
    let mut st = api.booted(&w.op, "HALF-1").await;
    let mut events = api.app.app.events().subscribe();
    let report = sweep(&api.app.app, Utc::now() + Duration::minutes(16)).await.unwrap();
    assert_eq!(report.marked, ["HALF-1".parse().unwrap()]);
    let event = next_offline_event(&mut events).await;
    assert!(matches!(event.kind, LiveEventKind::OutOfService { .. }), "{event:?}");
    assert_eq!(event.station_id.as_str(), "HALF-1");
    // No owner: the staff are told.
    assert_eq!(inbox(api, &w.staff_token, "station.out-of-service").await.len(), 1);
    assert!(inbox(api, &w.owner_token, "station.out-of-service").await.is_empty(), "not the owner's station");

    // A sweep before any traffic leaves it marked.
    let report = sweep(&api.app.app, Utc::now() + Duration::minutes(17)).await.unwrap();
    assert!(report.back.is_empty());

    st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    api.eventually("HALF-1 is back in service", || async {
        api.store.station(&"HALF-1".parse().unwrap()).await.unwrap().is_some_and(|s| s.out_of_service_since.is_none())
    })
    .await;
    api.eventually("the staff are told", || async {
        inbox(api, &w.staff_token, "station.back-in-service").await.len() == 1
    })
    .await;
    let event = next_offline_event(&mut events).await;
    assert!(matches!(event.kind, LiveEventKind::BackInService { .. }), "{event:?}");
    st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    sweep(&api.app.app, Utc::now()).await.unwrap();
    assert_eq!(inbox(api, &w.staff_token, "station.back-in-service").await.len(), 1, "once");
}

#[tokio::test]
async fn the_threshold_is_the_operators_and_disconnected_stations_count_from_their_disconnection() {
    let w = offline_world().await;
    let api = &w.api;
    let admin = api.token(&w.op, Role::Admin).await;
    api.put(&admin, &settings_path(&w.op), json!({"offline_after_minutes": 60})).await.expect(200);
    let st = api.booted(&w.op, "SLOW-1").await;
    st.close().await;
    api.eventually("SLOW-1 is offline", || async {
        api.store.station(&"SLOW-1".parse().unwrap()).await.unwrap().is_some_and(|s| !s.online)
    })
    .await;
    let report = sweep(&api.app.app, Utc::now() + Duration::minutes(30)).await.unwrap();
    assert!(report.marked.is_empty(), "30 minutes are within this operator's 60: {report:?}");
    assert!(inbox(api, &w.staff_token, "station.out-of-service").await.is_empty());

    let report = sweep(&api.app.app, Utc::now() + Duration::minutes(61)).await.unwrap();
    assert_eq!(report.marked, ["SLOW-1".parse().unwrap()]);
    let told = inbox(api, &w.staff_token, "station.out-of-service").await;
    assert!(told[0]["text"].as_str().unwrap().contains("more than 60 min"), "{told:?}");

    // While it stays away, later sweeps change nothing.
    let report = sweep(&api.app.app, Utc::now() + Duration::minutes(62)).await.unwrap();
    assert!(report.back.is_empty() && report.marked.is_empty());
}

/// The next out-of-service or back-in-service live event (others are skipped), waiting at most 5 seconds.
async fn next_offline_event(
    events: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<LiveEvent>>,
) -> std::sync::Arc<LiveEvent> {
    let wait = async {
        loop {
            let event = events.recv().await.expect("the event bus is open");
            if matches!(event.kind, LiveEventKind::OutOfService { .. } | LiveEventKind::BackInService { .. }) {
                return event;
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), wait).await.expect("an offline event within 5 s")
}

#[tokio::test]
async fn the_background_sweeper_runs_every_offline_check_secs() {
    let api = TestApi::start_with(|s| s.ocpp.offline_check_secs = 1).await;
    let op = api.operator(&format!("Background {}", unique())).await;
    let (_, staff_token) =
        api.person(Some(&op), AccountRole::OperatorStaff, &format!("bg-{}@example.com", unique()), true).await;
    let _st = api.booted(&op, "BG-1").await;
    // Marked behind the sweeper's back (as another node would): no wake-up, only the periodic sweep can see
    // that the station is connected here and has been heard since.
    let id: joule_core::StationId = "BG-1".parse().unwrap();
    let since = Utc::now() - Duration::minutes(20);
    let connected_at = api.store.station(&id).await.unwrap().unwrap().connected_at.unwrap();
    assert!(api.store.mark_out_of_service(&id, connected_at, since).await.unwrap());
    api.eventually("the periodic sweep brings BG-1 back", || async {
        api.store.station(&id).await.unwrap().is_some_and(|s| s.out_of_service_since.is_none())
    })
    .await;
    api.eventually("the staff are told", || async {
        inbox(&api, &staff_token, "station.back-in-service").await.len() == 1
    })
    .await;
    let back = inbox(&api, &staff_token, "station.back-in-service").await;
    assert!(back[0]["text"].as_str().unwrap().contains("after 20 min"), "{back:?}");
}
