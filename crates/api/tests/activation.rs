//! Activation requests: the owner's form, the operator's queue, every transition and
//! refusal, the inbox and the e-mail, and the whole path with a simulated station.

mod common;

use common::{TestApi, answer_next, boot_payload};
use joule_core::account::AccountRole;
use joule_core::activation::{ActivationRequestId, ActivationState};
use joule_core::station::StationState;
use joule_core::{Role, StationId};
use serde_json::{Value, json};

fn form(station: &str) -> Value {
    json!({
        "customer_number": "C-1001",
        "charge_points": [
            {"number": "EVC-1", "station_id": station, "connector_count": 2}
        ],
        "controller_number": "CTL-9",
        "installation_type": "home",
        "features": ["load-balancer", "mid-meter"],
        "address": {"street": "Stationsplein", "house_number": "1", "postal_code": "1012ab", "city": "Amsterdam",
                    "country": "NL"},
        "network": "Wi-Fi",
        "notes": "Behind the gate."
    })
}

struct World {
    api: TestApi,
    op: joule_store::Operator,
    owner: String,
    staff: String,
}

async fn world() -> World {
    let api = TestApi::start().await;
    let op = api.operator(&format!("Act {}", common::unique())).await;
    let owner_mail = format!("owner-{}@example.com", common::unique());
    let (_, owner) = api.person(Some(&op), AccountRole::Owner, &owner_mail, true).await;
    let staff_mail = format!("staff-{}@example.com", common::unique());
    let (_, staff) = api.person(Some(&op), AccountRole::OperatorStaff, &staff_mail, true).await;
    World { api, op, owner, staff }
}

async fn request(w: &World, station: &str) -> i64 {
    let created = w.api.post(&w.owner, "/api/v1/activation-requests", form(station)).await.expect(201);
    created["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_owner_asks_and_staff_review_then_approve() {
    let w = world().await;
    let created = w.api.post(&w.owner, "/api/v1/activation-requests", form("ACT-1")).await.expect(201);
    assert_eq!(created["state"], "requested");
    assert_eq!(created["address"]["postal_code"], "1012 AB");
    assert_eq!(created["network"], "wifi");
    assert_eq!(created["charge_points"][0]["connectors"], json!([1, 2]));
    assert_eq!(created["overdue"], false);
    let id = created["id"].as_i64().unwrap();

    let queue = w.api.get(&w.staff, "/api/v1/activation-requests?state=requested").await.expect(200);
    assert_eq!(queue.as_array().unwrap().len(), 1);
    let reviewed = w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/review"), json!({})).await;
    let reviewed = reviewed.expect(200);
    assert_eq!(reviewed["state"], "in-review");
    assert!(reviewed["updated_by"].as_str().unwrap().starts_with("account:staff-"));
    // Reviewing twice, approving before review is refused (409 names the transition).
    let again = w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/review"), json!({})).await;
    let p = again.problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("cannot review a request that is in-review"), "{p}");

    let approved = w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/approve"), json!({})).await;
    assert_eq!(approved.expect(200)["state"], "activated");
    // The unknown station was registered under the operator and activated.
    let station = w.api.store.station(&StationId::parse("ACT-1").unwrap()).await.unwrap().unwrap();
    assert_eq!((station.operator_id, station.state), (w.op.id, StationState::Active));
    // Approving twice: 409.
    let twice = w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/approve"), json!({})).await;
    twice.problem(409, "conflict");

    // The owner is told in the inbox and by e-mail (no SMTP configured: the outbox folder).
    let inbox = w.api.get(&w.owner, "/api/v1/notifications").await.expect(200);
    assert_eq!(inbox[0]["kind"], "activation.activated");
    assert!(inbox[0]["text"].as_str().unwrap().contains("ACT-1"));
    assert_eq!(inbox[0]["read_at"], Value::Null);
    let nid = inbox[0]["id"].as_i64().unwrap();
    let read = w.api.send("POST", &format!("/api/v1/notifications/{nid}/read"), Some(&w.owner), None).await;
    assert_eq!(read.status, 204);
    let inbox = w.api.get(&w.owner, "/api/v1/notifications").await.expect(200);
    assert!(inbox[0]["read_at"].is_string());
    // Staff cannot mark the owner's message read.
    let foreign = w.api.send("POST", &format!("/api/v1/notifications/{nid}/read"), Some(&w.staff), None).await;
    foreign.problem(404, "not-found");
    let mails = eml_files(&w.api);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let eml = std::fs::read_to_string(&mails[0]).unwrap();
    assert!(eml.contains("Subject: Your charging station is activated"), "{eml}");
    assert!(eml.contains("owner-"), "{eml}");

    // Every transition is in the audit log with before and after.
    let audit = w.api.get(&w.staff, &format!("/api/v1/audit?subject=activation-request:{id}")).await.expect(200);
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["activation.approve", "activation.review", "activation.request"]);
    assert_eq!(audit[0]["before"]["state"], "in-review");
    assert_eq!(audit[0]["after"]["state"], "activated");
}

fn eml_files(api: &TestApi) -> Vec<std::path::PathBuf> {
    let dir = api.app.app.mailer().outbox_dir();
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect()
}

#[tokio::test]
async fn rejection_needs_a_reason_and_tells_the_owner() {
    let w = world().await;
    let id = request(&w, "ACT-R").await;
    let path = format!("/api/v1/activation-requests/{id}/reject");
    let p = w.api.post(&w.staff, &path, json!({"reason": "   "})).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "reason");
    let p = w.api.post(&w.staff, &path, json!({})).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "reason");
    let rejected = w.api.post(&w.staff, &path, json!({"reason": "The address is not in our area"})).await;
    let rejected = rejected.expect(200);
    assert_eq!(rejected["state"], "rejected");
    assert_eq!(rejected["reason"], "The address is not in our area");
    // Final: neither approve nor review nor reject again.
    for action in ["review", "approve"] {
        let again = w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/{action}"), json!({})).await;
        again.problem(409, "conflict");
    }
    w.api.post(&w.staff, &path, json!({"reason": "again"})).await.problem(409, "conflict");
    let inbox = w.api.get(&w.owner, "/api/v1/notifications").await.expect(200);
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    assert_eq!(inbox[0]["kind"], "activation.rejected");
    assert!(inbox[0]["text"].as_str().unwrap().contains("The address is not in our area"));
    let mails = eml_files(&w.api);
    assert_eq!(mails.len(), 1);
    assert!(std::fs::read_to_string(&mails[0]).unwrap().contains("rejected"));
    // The station was never registered.
    assert!(w.api.store.station(&StationId::parse("ACT-R").unwrap()).await.unwrap().is_none());
    let audit = w.api.get(&w.staff, &format!("/api/v1/audit?subject=activation-request:{id}")).await.expect(200);
    assert_eq!(audit[0]["action"], "activation.reject");
    assert_eq!(audit[0]["before"]["state"], "requested");
    assert_eq!(audit[0]["after"]["reason"], "The address is not in our area");
}

#[tokio::test]
async fn a_known_stations_state_follows_its_request() {
    let w = world().await;
    let sid = w.api.register(&w.op, "ACT-K", StationState::Pending).await;
    let other = w.api.operator(&format!("Other {}", common::unique())).await;
    let theirs = w.api.register(&other, "ACT-K2", StationState::Pending).await;
    let mut body = form("ACT-K");
    body["charge_points"]
        .as_array_mut()
        .unwrap()
        .push(json!({"number": "EVC-2", "station_id": "ACT-K2", "connector_count": 1}));
    let id = w.api.post(&w.owner, "/api/v1/activation-requests", body).await.expect(201)["id"].as_i64().unwrap();
    let store = w.api.store.clone();
    let state = |s: StationId| {
        let store = store.clone();
        async move { store.station(&s).await.unwrap().unwrap().state }
    };
    assert_eq!(state(sid.clone()).await, StationState::Requested);
    assert_eq!(state(theirs.clone()).await, StationState::Pending, "another operator's station is left alone");
    let reason = json!({"reason": "No load balancer"});
    w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/reject"), reason).await.expect(200);
    assert_eq!(state(sid.clone()).await, StationState::Rejected);
    assert_eq!(state(theirs).await, StationState::Pending);
    // Asking again makes it requested again.
    request(&w, "ACT-K").await;
    assert_eq!(state(sid).await, StationState::Requested);
    let history = w.api.get(&w.staff, "/api/v1/stations/ACT-K/history").await.expect(200);
    let states: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "station.state")
        .map(|e| e["after"]["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["requested", "rejected", "requested"]);
}

#[tokio::test]
async fn refusals() {
    let w = world().await;
    // An owner the operator has not confirmed: 403.
    let (_, unconfirmed) =
        w.api.person(Some(&w.op), AccountRole::Owner, &format!("new-{}@example.com", common::unique()), false).await;
    w.api.post(&unconfirmed, "/api/v1/activation-requests", form("ACT-U")).await.problem(403, "forbidden");
    // Staff and tokens do not fill in the owner's form.
    w.api.post(&w.staff, "/api/v1/activation-requests", form("ACT-U")).await.problem(403, "forbidden");
    // Form errors name the field.
    let mut f = form("ACT-F");
    f["address"]["postal_code"] = json!("1234");
    let p = w.api.post(&w.owner, "/api/v1/activation-requests", f).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "address.postal_code");
    let mut f = form("ACT-F");
    f["charge_points"][0]["station_id"] = json!("bad:id");
    let p = w.api.post(&w.owner, "/api/v1/activation-requests", f).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "charge_points[0].station_id");
    let mut f = form("ACT-F");
    f["network"] = json!("carrier pigeon");
    let p = w.api.post(&w.owner, "/api/v1/activation-requests", f).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "network");
    let mut f = form("ACT-F");
    f["notes"] = json!("x".repeat(2001));
    let p = w.api.post(&w.owner, "/api/v1/activation-requests", f).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "notes");
    let mut f = form("ACT-F");
    f["features"] = json!(["Load Balancer!"]);
    let p = w.api.post(&w.owner, "/api/v1/activation-requests", f).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "features[0]");
    let mut f = form("ACT-F");
    f.as_object_mut().unwrap().remove("customer_number");
    w.api.post(&w.owner, "/api/v1/activation-requests", f).await.problem(400, "invalid-request");

    let id = request(&w, "ACT-X").await;
    // Another operator's staff: 404, like a request that does not exist.
    let other = w.api.operator(&format!("Other {}", common::unique())).await;
    let (_, other_staff) = w
        .api
        .person(Some(&other), AccountRole::OperatorStaff, &format!("os-{}@example.com", common::unique()), true)
        .await;
    for action in ["review", "approve"] {
        let path = format!("/api/v1/activation-requests/{id}/{action}");
        w.api.post(&other_staff, &path, json!({})).await.problem(404, "not-found");
    }
    let path = format!("/api/v1/activation-requests/{id}/reject");
    w.api.post(&other_staff, &path, json!({"reason": "no"})).await.problem(404, "not-found");
    assert_eq!(w.api.get(&other_staff, "/api/v1/activation-requests").await.expect(200), json!([]));
    // A viewer token reads the queue but does not act.
    let viewer = w.api.token(&w.op, Role::Viewer).await;
    assert_eq!(w.api.get(&viewer, "/api/v1/activation-requests").await.expect(200).as_array().unwrap().len(), 1);
    let path = format!("/api/v1/activation-requests/{id}/review");
    w.api.post(&viewer, &path, json!({})).await.problem(403, "forbidden");
    // An operator token may act.
    let token = w.api.token(&w.op, Role::Operator).await;
    let by = w.api.post(&token, &path, json!({})).await.expect(200)["updated_by"].clone();
    assert!(by.as_str().unwrap().starts_with("token:"), "{by}");
    // An owner cannot act on requests.
    let path = format!("/api/v1/activation-requests/{id}/approve");
    w.api.post(&w.owner, &path, json!({})).await.problem(403, "forbidden");
    // An unknown request, and a bad state filter.
    w.api.post(&w.staff, "/api/v1/activation-requests/999999/review", json!({})).await.problem(404, "not-found");
    let p = w.api.get(&w.staff, "/api/v1/activation-requests?state=done").await.problem(400, "invalid-request");
    assert_eq!(p["field"], "state");
    // An API token has no inbox.
    w.api.get(&token, "/api/v1/notifications").await.problem(403, "forbidden");
}

#[tokio::test]
async fn owners_see_only_their_own_requests() {
    let w = world().await;
    let mine = request(&w, "ACT-M").await;
    let (_, other_owner) =
        w.api.person(Some(&w.op), AccountRole::Owner, &format!("o2-{}@example.com", common::unique()), true).await;
    let theirs = w.api.post(&other_owner, "/api/v1/activation-requests", form("ACT-T")).await.expect(201);
    let ids = |v: Value| v.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(w.api.get(&w.owner, "/api/v1/activation-requests").await.expect(200)), vec![mine]);
    assert_eq!(
        ids(w.api.get(&other_owner, "/api/v1/activation-requests").await.expect(200)),
        vec![theirs["id"].as_i64().unwrap()]
    );
    assert_eq!(ids(w.api.get(&w.staff, "/api/v1/activation-requests").await.expect(200)).len(), 2);
}

#[tokio::test]
async fn the_queue_flags_overdue_requests() {
    let w = world().await;
    let fresh = request(&w, "ACT-NEW").await;
    let old = request(&w, "ACT-OLD").await;
    // Make one of them old: copy it into the store with a request time two weeks ago.
    let stored = w.api.store.activation_request(ActivationRequestId(old)).await.unwrap().unwrap();
    let aged = joule_store::NewActivationRequest {
        operator_id: stored.operator_id,
        owner_id: stored.owner_id,
        form: stored.form.clone(),
        requested_at: chrono::Utc::now() - chrono::Duration::days(14),
    };
    let aged = w.api.store.create_activation_request(&aged).await.unwrap();
    let queue = w.api.get(&w.staff, "/api/v1/activation-requests?overdue=true").await.expect(200);
    let ids: Vec<i64> = queue.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![aged.id.0]);
    assert_eq!(queue[0]["overdue"], true);
    let not = w.api.get(&w.staff, "/api/v1/activation-requests?overdue=false").await.expect(200);
    let ids: Vec<i64> = not.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![fresh, old]);
    // A decided request is never overdue.
    w.api
        .store
        .set_activation_state(
            aged.id,
            ActivationState::Requested,
            ActivationState::Rejected,
            Some("x"),
            "t",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let queue = w.api.get(&w.staff, "/api/v1/activation-requests?overdue=true").await.expect(200);
    assert_eq!(queue, json!([]));
}

#[tokio::test]
async fn the_whole_path_with_a_simulated_station() {
    let w = world().await;
    // An unknown station connects with the operator's key: it is pending, and its boot is not accepted.
    let mut st = w.api.connect(&w.op, "ACT-SIM").await;
    let boot = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(boot["status"], "Pending");
    let sid = StationId::parse("ACT-SIM").unwrap();
    assert_eq!(w.api.store.station(&sid).await.unwrap().unwrap().state, StationState::Pending);
    // The owner asks, staff review and approve.
    let id = request(&w, "ACT-SIM").await;
    w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/review"), json!({})).await.expect(200);
    let approved = w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/approve"), json!({})).await;
    assert_eq!(approved.expect(200)["state"], "activated");
    // The station is asked to boot again, and its boot is accepted.
    let trigger = answer_next(&mut st, "TriggerMessage", json!({"status": "Accepted"})).await;
    assert_eq!(trigger["requestedMessage"], "BootNotification");
    let boot = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(boot["status"], "Accepted");
    assert_eq!(w.api.store.station(&sid).await.unwrap().unwrap().state, StationState::Active);
}

#[tokio::test]
async fn a_station_of_another_operator_is_not_taken() {
    let w = world().await;
    let other = w.api.operator(&format!("Other {}", common::unique())).await;
    w.api.register(&other, "ACT-THEIRS", StationState::Pending).await;
    let id = request(&w, "ACT-THEIRS").await;
    w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/review"), json!({})).await.expect(200);
    let p = w.api.post(&w.staff, &format!("/api/v1/activation-requests/{id}/approve"), json!({})).await;
    p.problem(409, "conflict");
    let station = w.api.store.station(&StationId::parse("ACT-THEIRS").unwrap()).await.unwrap().unwrap();
    assert_eq!((station.operator_id, station.state), (other.id, StationState::Pending));
    let r = w.api.store.activation_request(ActivationRequestId(id)).await.unwrap().unwrap();
    assert_eq!(r.state, ActivationState::InReview, "nothing changed");
}
