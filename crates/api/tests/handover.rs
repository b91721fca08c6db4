//! Handover to a third-party backend and the assignment of unclaimed stations (route 3):
//! the re-provisioning sequence against simulated stations, with two real servers (Joule A hands a station
//! over to Joule B), its failures, manual confirmation, cancellation and every refusal.

mod common;

use std::time::Duration;

use common::{TestApi, answer_next, boot_payload};
use joule_core::Role;
use joule_core::station::StationState;
use joule_sim::provisioned::{Behaviour, ProvisionedStation};
use joule_store::AuditFilter;
use ocpp::ErrorCode;
use serde_json::{Value, json};

/// A server whose handovers are confirmed after one second away.
async fn server() -> TestApi {
    TestApi::start_with(|s| s.ocpp.handover_confirm_secs = 1).await
}

fn station_url(api: &TestApi, op: &joule_store::Operator, id: &str) -> String {
    format!("ws://{}/ocpp/{}/{id}", api.addr, op.key)
}

async fn handovers(api: &TestApi, token: &str, station: &str) -> Vec<Value> {
    let list = api.get(token, &format!("/api/v1/stations/{station}/handovers")).await.expect(200);
    list.as_array().unwrap().clone()
}

/// Waits until the station's newest handover is in `state`, and returns it.
async fn handover_in(api: &TestApi, token: &str, station: &str, state: &str) -> Value {
    let mut last = Value::Null;
    for _ in 0..200 {
        if let Some(h) = handovers(api, token, station).await.into_iter().next() {
            if h["state"] == state {
                return h;
            }
            last = h;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("handover of {station} never reached {state}; last seen {last:#}");
}

fn steps(h: &Value) -> Vec<(String, String)> {
    h["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["step"].as_str().unwrap().to_string(), s["outcome"].as_str().unwrap().to_string()))
        .collect()
}

async fn audit_actions(api: &TestApi, station: &str) -> Vec<String> {
    let filter = AuditFilter { subject: Some(format!("station:{station}")), limit: Some(100), ..Default::default() };
    let mut actions: Vec<String> =
        api.store.audit_entries(&filter).await.unwrap().into_iter().map(|e| e.action).collect();
    actions.reverse();
    actions
}

async fn set_profile(api: &TestApi, admin: &str, op: &joule_store::Operator, vendor: &str, body: Value) {
    let path = format!("/api/v1/operators/{}/provisioning-profiles/{vendor}", op.id.0);
    api.put(admin, &path, body).await.expect(200);
}

#[tokio::test]
async fn a_station_is_reprovisioned_to_another_server_and_handed_over() {
    let (a, b) = (server().await, TestApi::start().await);
    let op = a.operator("Acme").await;
    let other = b.operator("Other").await;
    let admin = a.token(&op, Role::Admin).await;
    let operator = a.token(&op, Role::Operator).await;
    set_profile(
        &a,
        &admin,
        &op,
        "Sim Vendor B.V.",
        json!({"method": "configuration-key", "key": "CentralSystemURL", "reset": "soft"}),
    )
    .await;
    let b_url = format!("ws://{}/ocpp/{}", b.addr, other.key);
    let backend = a
        .post(
            &admin,
            &format!("/api/v1/operators/{}/backends", op.id.0),
            json!({"name": "Other CSMS", "ocpp_url": b_url}),
        )
        .await
        .expect(201);

    a.register(&op, "HO-1", StationState::Active).await;
    // The vendor as the station writes it differs in case and legal form from the profile's.
    let sim = ProvisionedStation::spawn(
        &station_url(&a, &op, "HO-1"),
        Behaviour::configuration_key("SIM VENDOR", "CentralSystemURL"),
    );
    a.eventually("the station booted at A", || async { sim.state().boots.iter().any(|(_, s)| s == "Accepted") }).await;

    let created =
        a.post(&operator, "/api/v1/stations/HO-1/handover", json!({"backend": "Other CSMS"})).await.expect(201);
    assert_eq!(created["target_name"], "Other CSMS");
    assert_eq!(created["target_url"], b_url);
    assert_eq!(created["backend_id"], backend["id"]);

    // A sends the key with B's URL and the station id appended, then a soft reset; the station goes to B.
    let given = format!("{b_url}/HO-1");
    a.eventually("the station connected to B", || async { sim.state().boots.iter().any(|(url, _)| url == &given) })
        .await;
    let state = sim.state();
    let calls: Vec<&str> = state.calls.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(calls, ["ChangeConfiguration", "Reset"]);
    assert_eq!(state.calls[0].1, json!({"key": "CentralSystemURL", "value": given}));
    assert_eq!(state.calls[1].1, json!({"type": "Soft"}));
    let at_b = b.store.station(&joule_core::StationId::parse("HO-1").unwrap()).await.unwrap().expect("known at B");
    assert_eq!(at_b.operator_id, other.id);

    // A confirms once the station stayed away for the window.
    let done = handover_in(&a, &operator, "HO-1", "handed-over").await;
    assert_eq!(
        steps(&done),
        [
            ("ChangeConfiguration".to_string(), "Accepted".to_string()),
            ("Reset".to_string(), "Accepted".to_string()),
            ("disconnected".to_string(), "observed".to_string()),
        ]
    );
    assert!(done["steps"][0]["command_id"].as_i64().is_some() && done["steps"][1]["command_id"].as_i64().is_some());
    assert!(done["finished_at"].is_string());
    assert!(done["detail"].as_str().unwrap().contains("stayed away"), "{done}");
    let station = a.get(&operator, "/api/v1/stations/HO-1").await.expect(200);
    assert_eq!(station["state"], "handed-over");
    let history = a.get(&operator, "/api/v1/stations/HO-1/commands").await.expect(200);
    let actions: Vec<&str> = history.as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"ChangeConfiguration") && actions.contains(&"Reset"), "{history}");
    // The audit entry of a change the server made on its own follows that change.
    for expected in
        ["handover.request", "handover.provisioning", "handover.step", "handover.waiting", "handover.confirm"]
    {
        a.eventually(&format!("{expected} is audited"), || async {
            audit_actions(&a, "HO-1").await.iter().any(|a| a == expected)
        })
        .await;
    }
    sim.stop().await;

    // Kept for history, never billed: its boots at A are Rejected, its drivers neither authorize nor start.
    let mut st = a.connect(&op, "HO-1").await;
    let boot = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(boot["status"], "Rejected");
    let auth = st.call("Authorize", json!({"idTag": "ANY"})).await.unwrap().expect_result();
    assert_eq!(auth["idTagInfo"]["status"], "Invalid");
    let start =
        json!({"connectorId": 1, "idTag": "ANY", "meterStart": 0, "timestamp": chrono::Utc::now().to_rfc3339()});
    let started = st.call("StartTransaction", start).await.unwrap().expect_result();
    assert_eq!(started["idTagInfo"]["status"], "Invalid", "the station is told to stop at once (§5.16)");
    // Handing it over again, or confirming again, changes nothing.
    let again = a.post(&operator, "/api/v1/stations/HO-1/handover", json!({"backend": "Other CSMS"})).await;
    assert!(again.problem(409, "conflict")["detail"].as_str().unwrap().contains("handed over already"));
    let id = done["id"].as_i64().unwrap();
    let confirmed =
        a.post(&operator, &format!("/api/v1/stations/HO-1/handovers/{id}/confirm"), json!({})).await.expect(200);
    assert_eq!(confirmed["finished_at"], done["finished_at"]);
}

#[tokio::test]
async fn a_data_transfer_profile_and_a_hard_reset() {
    let a = server().await;
    let b = TestApi::start().await;
    let op = a.operator("Acme").await;
    let other = b.operator("Other").await;
    let admin = a.token(&op, Role::Admin).await;
    set_profile(
        &a,
        &admin,
        &op,
        "Sim",
        json!({"method": "data-transfer", "vendor_id": "com.sim", "message_id": "SetCsUrl", "append_station_id": false, "reset": "hard"}),
    )
    .await;
    a.register(&op, "HO-2", StationState::Active).await;
    let sim = ProvisionedStation::spawn(&station_url(&a, &op, "HO-2"), Behaviour::data_transfer("Sim", "com.sim"));
    a.eventually("the station booted at A", || async { !sim.state().boots.is_empty() }).await;

    // A URL given directly; this station appends nothing itself, so the whole URL is given.
    let target = station_url(&b, &other, "HO-2");
    a.post(&admin, "/api/v1/stations/HO-2/handover", json!({"name": "Elsewhere", "ocpp_url": target}))
        .await
        .expect(201);
    let done = handover_in(&a, &admin, "HO-2", "handed-over").await;
    let state = sim.state();
    assert_eq!(
        state.calls[0],
        ("DataTransfer".to_string(), json!({"vendorId": "com.sim", "messageId": "SetCsUrl", "data": target}))
    );
    assert_eq!(state.calls[1], ("Reset".to_string(), json!({"type": "Hard"})));
    assert_eq!(state.url, target);
    assert_eq!(steps(&done)[0], ("DataTransfer".to_string(), "Accepted".to_string()));
    assert_eq!(done["backend_id"], Value::Null);
    sim.stop().await;
}

#[tokio::test]
async fn a_refused_or_failed_step_fails_the_handover() {
    let a = server().await;
    let op = a.operator("Acme").await;
    let admin = a.token(&op, Role::Admin).await;
    // The harness's stations boot as vendor "Joule".
    set_profile(&a, &admin, &op, "Joule", json!({"method": "configuration-key", "key": "Url", "reset": "none"})).await;
    let body = json!({"name": "Other", "ocpp_url": "wss://other.example/ocpp"});

    // Rejected.
    let mut st = a.booted(&op, "REJ-1").await;
    a.post(&admin, "/api/v1/stations/REJ-1/handover", body.clone()).await.expect(201);
    let payload = answer_next(&mut st, "ChangeConfiguration", json!({"status": "Rejected"})).await;
    assert_eq!(payload, json!({"key": "Url", "value": "wss://other.example/ocpp/REJ-1"}));
    let failed = handover_in(&a, &admin, "REJ-1", "failed").await;
    assert!(failed["detail"].as_str().unwrap().contains("answered ChangeConfiguration with Rejected"), "{failed}");
    assert_eq!(steps(&failed), [("ChangeConfiguration".to_string(), "Rejected".to_string())]);
    let station = a.get(&admin, "/api/v1/stations/REJ-1").await.expect(200);
    assert_eq!(station["state"], "active", "a failed handover leaves the station as it was");
    a.eventually("the failure is audited", || async {
        audit_actions(&a, "REJ-1").await.contains(&"handover.fail".to_string())
    })
    .await;

    // A CALLERROR.
    let mut st = a.booted(&op, "ERR-1").await;
    a.post(&admin, "/api/v1/stations/ERR-1/handover", body.clone()).await.expect(201);
    let call = st.next_server_call(Duration::from_secs(5)).await.unwrap().expect("a CALL");
    st.respond_error(&call.id, ErrorCode::NotSupported, "no such key").await.unwrap();
    let failed = handover_in(&a, &admin, "ERR-1", "failed").await;
    assert!(failed["detail"].as_str().unwrap().contains("call-error"), "{failed}");
    assert_eq!(steps(&failed), [("ChangeConfiguration".to_string(), "call-error".to_string())]);

    // RebootRequired with reset "none": the station is reset anyway, soft; a refused Reset fails it.
    let mut st = a.booted(&op, "RB-1").await;
    a.post(&admin, "/api/v1/stations/RB-1/handover", body.clone()).await.expect(201);
    answer_next(&mut st, "ChangeConfiguration", json!({"status": "RebootRequired"})).await;
    let reset = answer_next(&mut st, "Reset", json!({"status": "Rejected"})).await;
    assert_eq!(reset, json!({"type": "Soft"}));
    let failed = handover_in(&a, &admin, "RB-1", "failed").await;
    assert!(failed["detail"].as_str().unwrap().contains("Reset with Rejected"), "{failed}");

    // A failed handover frees the station for a new one.
    a.post(&admin, "/api/v1/stations/REJ-1/handover", body).await.expect(201);
}

#[tokio::test]
async fn a_station_that_comes_back_within_the_window_fails_the_handover() {
    let a = TestApi::start_with(|s| s.ocpp.handover_confirm_secs = 30).await;
    let op = a.operator("Acme").await;
    let admin = a.token(&op, Role::Admin).await;
    set_profile(&a, &admin, &op, "Sim", json!({"method": "configuration-key", "key": "CentralSystemURL"})).await;
    a.register(&op, "BACK-1", StationState::Active).await;
    let behaviour = Behaviour { ignores_new_url: true, ..Behaviour::configuration_key("Sim", "CentralSystemURL") };
    let sim = ProvisionedStation::spawn(&station_url(&a, &op, "BACK-1"), behaviour);
    a.eventually("the station booted", || async { !sim.state().boots.is_empty() }).await;
    a.post(&admin, "/api/v1/stations/BACK-1/handover", json!({"name": "X", "ocpp_url": "ws://x.example/ocpp"}))
        .await
        .expect(201);
    let failed = handover_in(&a, &admin, "BACK-1", "failed").await;
    assert!(failed["detail"].as_str().unwrap().contains("did not take the new URL"), "{failed}");
    assert!(steps(&failed).contains(&("reconnected".to_string(), "observed".to_string())), "{failed}");
    assert_eq!(a.get(&admin, "/api/v1/stations/BACK-1").await.expect(200)["state"], "active");
    sim.stop().await;
}

#[tokio::test]
async fn an_offline_station_is_recorded_then_confirmed_by_hand_or_cancelled() {
    let a = server().await;
    let op = a.operator("Acme").await;
    let operator = a.token(&op, Role::Operator).await;
    a.register(&op, "OFF-1", StationState::Active).await;
    a.register(&op, "OFF-2", StationState::Active).await;
    let body = json!({"name": "Other", "ocpp_url": "wss://other.example/ocpp"});

    // Never booted: its vendor is unknown, so the handover is recorded and nothing is sent.
    let h = a.post(&operator, "/api/v1/stations/OFF-1/handover", body.clone()).await.expect(201);
    assert_eq!(h["state"], "recorded");
    let double = a.post(&operator, "/api/v1/stations/OFF-1/handover", body.clone()).await;
    assert!(double.problem(409, "conflict")["detail"].as_str().unwrap().contains("under way"));
    let id = h["id"].as_i64().unwrap();
    let done =
        a.post(&operator, &format!("/api/v1/stations/OFF-1/handovers/{id}/confirm"), json!({})).await.expect(200);
    assert_eq!(done["state"], "handed-over");
    assert!(done["detail"].as_str().unwrap().contains("by hand"));
    assert_eq!(steps(&done), [("confirmed".to_string(), "observed".to_string())]);
    assert_eq!(a.get(&operator, "/api/v1/stations/OFF-1").await.expect(200)["state"], "handed-over");
    let late = a.post(&operator, &format!("/api/v1/stations/OFF-1/handovers/{id}/cancel"), json!({})).await;
    assert!(late.problem(409, "conflict")["detail"].as_str().unwrap().contains("handed-over already"));

    // Cancelled while recorded; a second cancel and a confirm are refused.
    let h = a.post(&operator, "/api/v1/stations/OFF-2/handover", body).await.expect(201);
    let id = h["id"].as_i64().unwrap();
    let cancelled =
        a.post(&operator, &format!("/api/v1/stations/OFF-2/handovers/{id}/cancel"), json!({})).await.expect(200);
    assert_eq!(cancelled["state"], "cancelled");
    a.post(&operator, &format!("/api/v1/stations/OFF-2/handovers/{id}/cancel"), json!({}))
        .await
        .problem(409, "conflict");
    let confirm = a.post(&operator, &format!("/api/v1/stations/OFF-2/handovers/{id}/confirm"), json!({})).await;
    assert!(confirm.problem(409, "conflict")["detail"].as_str().unwrap().contains("cancelled"));
    assert_eq!(a.get(&operator, "/api/v1/stations/OFF-2").await.expect(200)["state"], "active");
    let audit = audit_actions(&a, "OFF-2").await;
    assert_eq!(audit, ["handover.request", "handover.cancel"]);
    // Another station's handover is not found under this one.
    a.post(&operator, &format!("/api/v1/stations/OFF-1/handovers/{id}/confirm"), json!({}))
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn a_recorded_handover_starts_when_the_station_boots() {
    let (a, b) = (server().await, TestApi::start().await);
    let op = a.operator("Acme").await;
    let other = b.operator("Other").await;
    let admin = a.token(&op, Role::Admin).await;
    set_profile(&a, &admin, &op, "Sim", json!({"method": "configuration-key", "key": "CentralSystemURL"})).await;
    a.register(&op, "LATE-1", StationState::Active).await;
    let target = format!("ws://{}/ocpp/{}", b.addr, other.key);
    let h =
        a.post(&admin, "/api/v1/stations/LATE-1/handover", json!({"name": "B", "ocpp_url": target})).await.expect(201);
    assert_eq!(h["state"], "recorded");
    let sim = ProvisionedStation::spawn(
        &station_url(&a, &op, "LATE-1"),
        Behaviour::configuration_key("Sim", "CentralSystemURL"),
    );
    handover_in(&a, &admin, "LATE-1", "handed-over").await;
    assert_eq!(sim.state().url, format!("{target}/LATE-1"));
    sim.stop().await;
}

#[tokio::test]
async fn refusals() {
    let a = server().await;
    let op = a.operator("Acme").await;
    let rival = a.operator("Rival").await;
    let (viewer, operator, admin) =
        (a.token(&op, Role::Viewer).await, a.token(&op, Role::Operator).await, a.token(&op, Role::Admin).await);
    let rival_admin = a.token(&rival, Role::Admin).await;
    let backends = format!("/api/v1/operators/{}/backends", op.id.0);
    let profiles = format!("/api/v1/operators/{}/provisioning-profiles", op.id.0);
    let _st = a.booted(&op, "REF-1").await;
    let good = json!({"name": "Other", "ocpp_url": "wss://other.example/ocpp"});

    // Roles.
    a.post(&viewer, "/api/v1/stations/REF-1/handover", good.clone()).await.problem(403, "forbidden");
    a.post(&operator, &backends, good.clone()).await.problem(403, "forbidden");
    a.put(&operator, &format!("{profiles}/Joule"), json!({"method": "configuration-key", "key": "K"}))
        .await
        .problem(403, "forbidden");
    a.get(&viewer, &backends).await.expect(200);
    a.get(&viewer, "/api/v1/stations/REF-1/handovers").await.expect(200);
    // Another operator's station and lists.
    a.post(&rival_admin, "/api/v1/stations/REF-1/handover", good.clone()).await.problem(404, "not-found");
    a.get(&rival_admin, &backends).await.problem(404, "not-found");

    // Bad input names the field.
    let bad =
        a.post(&operator, "/api/v1/stations/REF-1/handover", json!({"name": "Other", "ocpp_url": "https://x"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "ocpp_url");
    let bad = a.post(&admin, &backends, json!({"name": "Other", "ocpp_url": "ws://u:p@x"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "ocpp_url");
    let bad = a.post(&admin, &backends, json!({"name": "JOULE", "ocpp_url": "ws://x"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "name");
    let bad = a.post(&operator, "/api/v1/stations/REF-1/handover", json!({"backend": "Nope"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "backend");
    let bad = a.post(&operator, "/api/v1/stations/REF-1/handover", json!({"name": "Other"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "ocpp_url");
    let bad = a.put(&admin, &format!("{profiles}/Joule"), json!({"method": "ftp"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "method");
    let bad = a.put(&admin, &format!("{profiles}/Joule"), json!({"method": "configuration-key"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "key");
    let bad = a
        .put(
            &admin,
            &format!("{profiles}/Joule"),
            json!({"method": "data-transfer", "vendor_id": "v", "reset": "warm"}),
        )
        .await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "reset");

    // No profile for the station's vendor: 409 naming the vendor and how to add one.
    let none = a.post(&operator, "/api/v1/stations/REF-1/handover", good.clone()).await;
    let detail = none.problem(409, "conflict")["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("\"Joule\"") && detail.contains("provisioning-profiles"), "{detail}");

    // Backends: created, listed, taken name, renamed, deleted.
    a.post(&admin, &backends, good.clone()).await.expect(201);
    a.post(&admin, &backends, good.clone()).await.problem(409, "conflict");
    let renamed =
        a.put(&admin, &format!("{backends}/Other"), json!({"name": "Renamed", "ocpp_url": "ws://r"})).await.expect(200);
    assert_eq!(renamed["name"], "Renamed");
    let list = a.get(&viewer, &backends).await.expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    a.delete(&admin, &format!("{backends}/Renamed")).await;
    a.delete(&admin, &format!("{backends}/Renamed")).await.problem(404, "not-found");
    // Profiles: listed, replaced under the same vendor, deleted.
    set_profile(&a, &admin, &op, "Joule", json!({"method": "configuration-key", "key": "A"})).await;
    set_profile(&a, &admin, &op, "joule", json!({"method": "data-transfer", "vendor_id": "v"})).await;
    let list = a.get(&viewer, &profiles).await.expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["method"], "data-transfer");
    assert_eq!(list[0]["reset"], "soft");
    assert_eq!(list[0]["append_station_id"], true);
    a.delete(&admin, &format!("{profiles}/JOULE")).await;
    a.delete(&admin, &format!("{profiles}/JOULE")).await.problem(404, "not-found");
    assert!(audit_actions(&a, "REF-1").await.is_empty(), "refusals change nothing");
}

#[tokio::test]
async fn unclaimed_stations_are_assigned_to_joule_or_handed_over() {
    let (a, b) = (server().await, TestApi::start().await);
    let op = a.operator("Acme").await;
    let other = b.operator("Other").await;
    let (viewer, operator, admin) =
        (a.token(&op, Role::Viewer).await, a.token(&op, Role::Operator).await, a.token(&op, Role::Admin).await);
    set_profile(&a, &admin, &op, "Sim", json!({"method": "configuration-key", "key": "CentralSystemURL"})).await;
    let b_url = format!("ws://{}/ocpp/{}", b.addr, other.key);
    a.post(&admin, &format!("/api/v1/operators/{}/backends", op.id.0), json!({"name": "B", "ocpp_url": b_url}))
        .await
        .expect(201);

    // Two unknown stations connect with A's key: pending, unclaimed.
    let mut st = a.connect(&op, "NEW-1").await;
    assert_eq!(st.call("BootNotification", boot_payload()).await.unwrap().expect_result()["status"], "Pending");
    let sim = ProvisionedStation::spawn(
        &station_url(&a, &op, "NEW-2"),
        Behaviour::configuration_key("Sim", "CentralSystemURL"),
    );
    a.eventually("NEW-2 booted", || async { !sim.state().boots.is_empty() }).await;
    a.register(&op, "ACT-1", StationState::Active).await;
    let _active = a.connect(&op, "ACT-1").await;
    a.register(&op, "OFF-1", StationState::Pending).await;
    let unclaimed = format!("/api/v1/operators/{}/unclaimed-stations", op.id.0);
    let list = a.get(&viewer, &unclaimed).await.expect(200);
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["station_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["NEW-1", "NEW-2"]);

    // Refusals: role, field, a station that is not unclaimed (saying why), an unknown backend.
    let joule = json!({"backend": "joule", "purchased_from": "Wholesale B.V."});
    a.post(&viewer, "/api/v1/stations/NEW-1/assignment", joule.clone()).await.problem(403, "forbidden");
    let bad = a
        .post(&operator, "/api/v1/stations/NEW-1/assignment", json!({"backend": "joule", "purchased_from": " "}))
        .await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "purchased_from");
    let bad =
        a.post(&operator, "/api/v1/stations/NEW-1/assignment", json!({"backend": "Nope", "purchased_from": "x"})).await;
    assert_eq!(bad.problem(400, "invalid-request")["field"], "backend");
    let active = a.post(&operator, "/api/v1/stations/ACT-1/assignment", joule.clone()).await;
    assert!(active.problem(409, "conflict")["detail"].as_str().unwrap().contains("is active, not pending"));
    let offline = a.post(&operator, "/api/v1/stations/OFF-1/assignment", joule.clone()).await;
    assert!(offline.problem(409, "conflict")["detail"].as_str().unwrap().contains("not connected"));

    // To Joule: it stays pending for its owner's activation request; once only.
    let assigned = a.post(&operator, "/api/v1/stations/NEW-1/assignment", joule.clone()).await.expect(201);
    assert_eq!(
        (assigned["backend"].as_str(), assigned["purchased_from"].as_str()),
        (Some("joule"), Some("Wholesale B.V."))
    );
    assert!(assigned.get("handover").is_none());
    assert_eq!(a.get(&viewer, "/api/v1/stations/NEW-1").await.expect(200)["state"], "pending");
    let twice = a.post(&operator, "/api/v1/stations/NEW-1/assignment", joule).await;
    assert!(twice.problem(409, "conflict")["detail"].as_str().unwrap().contains("assigned to joule already"));
    assert_eq!(audit_actions(&a, "NEW-1").await, ["station.assign"]);

    // To a third party: the handover starts at once and the station ends up at B.
    let assigned = a
        .post(&operator, "/api/v1/stations/NEW-2/assignment", json!({"backend": "B", "purchased_from": "Shop"}))
        .await
        .expect(201);
    assert_eq!(assigned["backend"], "B");
    assert_eq!(assigned["handover"]["target_url"], b_url);
    handover_in(&a, &viewer, "NEW-2", "handed-over").await;
    assert_eq!(sim.state().url, format!("{b_url}/NEW-2"));
    let list = a.get(&viewer, &unclaimed).await.expect(200);
    assert_eq!(list, json!([]));
    sim.stop().await;
}

#[tokio::test]
async fn a_server_that_restarts_rechecks_its_handovers() {
    use joule_core::handover::{BackendUrl, HandoverState};
    use joule_store::prelude::*;
    use joule_store::{HandoverChange, NewHandover, NewHandoverStep, NewStation, Store};

    let dir = std::env::temp_dir().join(format!("joule-handover-restart-{}", common::unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("joule.db");
    let now = chrono::Utc::now();
    // Before the restart: one handover waiting for its station to stay away, one cut off mid-provisioning.
    let (waiting, provisioning) = {
        let store = joule_store_sqlite::SqliteStore::open(&db, Default::default()).await.unwrap();
        let op = store.create_operator("Acme", &joule_core::OperatorKey::parse("acme").unwrap()).await.unwrap();
        let mut ids = Vec::new();
        for (station, to) in [("W-1", HandoverState::Waiting), ("P-1", HandoverState::Provisioning)] {
            let id = joule_core::StationId::parse(station).unwrap();
            let new = NewStation {
                id: id.clone(),
                operator_id: op.id,
                state: StationState::Active,
                free_vend: false,
                password_hash: None,
                created_at: now,
            };
            store.register_station(new).await.unwrap();
            let h = store
                .create_handover(&NewHandover {
                    station_id: id,
                    operator_id: op.id,
                    target_name: "Other".into(),
                    target_url: BackendUrl::parse("wss://other.example/ocpp").unwrap(),
                    backend_id: None,
                    requested_by: "cli".into(),
                    requested_at: now,
                })
                .await
                .unwrap();
            let step = |from, to| HandoverChange { id: h.id, from, to, detail: None, at: now };
            store.set_handover_state(&step(HandoverState::Recorded, HandoverState::Provisioning)).await.unwrap();
            let sent = NewHandoverStep {
                handover_id: h.id,
                at: now,
                step: "ChangeConfiguration".into(),
                outcome: "Accepted".into(),
                detail: None,
                command_id: None,
            };
            store.add_handover_step(&sent).await.unwrap();
            if to == HandoverState::Waiting {
                store.set_handover_state(&step(HandoverState::Provisioning, HandoverState::Waiting)).await.unwrap();
            }
            ids.push(h.id);
        }
        store.close().await;
        (ids[0], ids[1])
    };

    // The server starts again on the same database.
    let store: std::sync::Arc<dyn Store> =
        std::sync::Arc::new(joule_store_sqlite::SqliteStore::open(&db, Default::default()).await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut settings = joule_server::Settings { data_dir: dir.clone(), ..Default::default() };
    settings.ocpp.handover_confirm_secs = 1;
    let app = joule_server::Server::new(store.clone(), settings);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve(listener, async {
        let _ = stopped.await;
    }));

    let mut confirmed = None;
    for _ in 0..200 {
        let h = store.handover(waiting).await.unwrap().unwrap();
        if h.state == HandoverState::HandedOver {
            confirmed = Some(h);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let confirmed = confirmed.expect("the waiting handover was confirmed after the restart");
    let steps: Vec<&str> = confirmed.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps, ["ChangeConfiguration", "restarted"]);
    let station = store.station(&joule_core::StationId::parse("W-1").unwrap()).await.unwrap().unwrap();
    assert_eq!(station.state, StationState::HandedOver);
    let cut = store.handover(provisioning).await.unwrap().unwrap();
    assert_eq!(cut.state, HandoverState::Failed);
    assert!(cut.detail.unwrap().contains("server stopped"));
    let _ = stop.send(());
    let _ = server.await;
    let _ = std::fs::remove_dir_all(&dir);
}
