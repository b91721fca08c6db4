//! Onboarding's whole path with a simulated station and a real SMTP server: an unknown station connects
//! (pending), its owner asks for activation (requested), the operator's staff approve (active: the default
//! configuration is applied when the station boots again), the installer claims and pinpoints it, the
//! operator marks the configuration complete (configured: serial number locked), a test session charges,
//! and the operator verifies it. The owner's mail arrives at the SMTP server; the station's history holds
//! every step.

mod common;

#[path = "../../mail/tests/support/smtp_server.rs"]
mod smtp_server;

use common::{TestApi, answer_next};
use joule_core::account::AccountRole;
use joule_core::station::StationState;
use joule_core::{Role, StationId};
use joule_mail::{MailSettings, Security, SmtpSettings};
use serde_json::{Value, json};

const MAC: &str = "02:00:5E:10:00:01";

fn boot() -> Value {
    json!({ "chargePointVendor": "Joule", "chargePointModel": "Wallbox-11", "firmwareVersion": "2.4.1",
            "chargePointSerialNumber": "WB-000042" })
}

async fn state_of(api: &TestApi, id: &StationId) -> StationState {
    api.store.station(id).await.unwrap().unwrap().state
}

#[tokio::test]
async fn unknown_to_verified_with_a_simulated_station() {
    let smtp = smtp_server::start_server(None);
    let api = TestApi::start_with(|s| {
        let mut server = SmtpSettings::new(smtp.addr.ip().to_string(), smtp.addr.port(), "Joule <joule@example.com>");
        server.security = Security::None;
        server.timeout_secs = 5;
        s.mail = MailSettings { smtp: Some(server), outbox_dir: None };
    })
    .await;
    let op = api.operator("Path Op").await;
    let admin = api.token(&op, Role::Admin).await;
    let (_, staff) = api.person(Some(&op), AccountRole::OperatorStaff, "staff@path.example", true).await;
    let (_, owner) = api.person(Some(&op), AccountRole::Owner, "owner@path.example", true).await;
    let (_, installer) = api.person(Some(&op), AccountRole::Installer, "fitter@path.example", true).await;
    let defaults = format!("/api/v1/operators/{}/defaults", op.id);
    api.put(&admin, &defaults, json!([{"key": "HeartbeatInterval", "value": "300"}])).await.expect(200);
    let models = format!("/api/v1/operators/{}/models", op.id);
    let model = json!({"vendor": "Joule", "model": "Wallbox 11", "min_firmware": "2.4"});
    api.put(&admin, &models, model).await.expect(200);
    let id = StationId::parse("WB-42").unwrap();

    // Unknown: Joule has never heard of it.
    assert!(api.store.station(&id).await.unwrap().is_none());

    // Pending: it connects with the operator's key, and its boot is not accepted yet.
    let mut st = api.connect(&op, "WB-42").await;
    assert_eq!(st.call("BootNotification", boot()).await.unwrap().expect_result()["status"], "Pending");
    assert_eq!(state_of(&api, &id).await, StationState::Pending);

    // Requested: its owner asks for activation.
    let form = json!({
        "customer_number": "C-42",
        "charge_points": [{"number": "EVC-42", "station_id": "WB-42", "connector_count": 1}],
        "installation_type": "home",
        "features": [],
        "address": {"street": "Keizersgracht", "house_number": "100", "postal_code": "1015 CV",
                    "city": "Amsterdam", "country": "NL"},
        "network": "LAN",
    });
    let request = api.post(&owner, "/api/v1/activation-requests", form).await.expect(201);
    let request_id = request["id"].as_i64().unwrap();
    assert_eq!(state_of(&api, &id).await, StationState::Requested);
    assert_eq!(st.call("BootNotification", boot()).await.unwrap().expect_result()["status"], "Pending");

    // Approved: staff review and approve; the station is asked to boot again and is accepted.
    api.post(&staff, &format!("/api/v1/activation-requests/{request_id}/review"), json!({})).await.expect(200);
    let approved = api.post(&staff, &format!("/api/v1/activation-requests/{request_id}/approve"), json!({})).await;
    assert_eq!(approved.expect(200)["state"], "activated");
    assert_eq!(state_of(&api, &id).await, StationState::Active);
    let trigger = answer_next(&mut st, "TriggerMessage", json!({"status": "Accepted"})).await;
    assert_eq!(trigger["requestedMessage"], "BootNotification");
    assert_eq!(st.call("BootNotification", boot()).await.unwrap().expect_result()["status"], "Accepted");
    // The owner's mail went through the SMTP server.
    api.eventually("the owner's mail reached the SMTP server", || async { !smtp.messages().is_empty() }).await;
    let mails = smtp.received.lock().unwrap().clone();
    assert_eq!(mails[0].to, ["owner@path.example"]);
    let mail = String::from_utf8(mails[0].data.clone()).unwrap();
    assert!(mail.contains("Subject: Your charging station is activated"), "{mail}");
    assert!(mail.contains("WB-42"), "{mail}");

    // Configured: the default configuration reaches it on the accepted boot...
    let change = answer_next(&mut st, "ChangeConfiguration", json!({"status": "Accepted"})).await;
    assert_eq!(change, json!({"key": "HeartbeatInterval", "value": "300"}));
    let results = "/api/v1/stations/WB-42/defaults";
    api.eventually("the default's result is recorded", || async {
        let r = api.get(&admin, results).await.expect(200);
        r.to_string().contains("Accepted")
    })
    .await;
    // ...the installer claims it with the sticker's MAC and password and pinpoints it...
    let code = api.post(&admin, "/api/v1/stations/WB-42/activation-codes", json!({"mac": MAC})).await.expect(201);
    api.post(&installer, "/api/v1/claims", json!({"mac": MAC, "code": code["code"]})).await.expect(200);
    let pinpoint = json!({
        "gps": {"lat": 52.3676, "lon": 4.8854, "accuracy_m": 4.0},
        "vendor": "JOULE", "model": "Wallbox-11", "serial_number": "WB-000042",
        "address": {"street": "Keizersgracht", "house_number": "100", "postal_code": "1015CV", "city": "Amsterdam",
                    "country": "NL"},
        "parking_spot": "P1-07", "directions": "Underground car park, level -1, next to the lift.",
    });
    let pinned = api.put(&installer, "/api/v1/stations/WB-42/installation", pinpoint).await.expect(200);
    assert_eq!(pinned["warnings"], json!([]), "make and model match the boot: {pinned}");
    assert_eq!(pinned["installation"]["time_zone"], "Europe/Amsterdam");
    assert_eq!(api.put_photo(&installer, "WB-42", "image/png", common::png(4000)).await, 200);
    // ...and the operator marks the configuration complete: the serial number is locked.
    let locked = api.post(&staff, "/api/v1/stations/WB-42/installation/lock", json!({})).await.expect(200);
    assert!(locked["serial_locked_at"].is_string(), "{locked}");
    let change_serial = json!({"serial_number": "WB-999"});
    api.put(&installer, "/api/v1/stations/WB-42/installation", change_serial).await.problem(403, "forbidden");

    // Not verified yet: the test session is missing.
    st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    let list = api.get(&staff, "/api/v1/stations/WB-42/verification").await.expect(200);
    let red: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "red")
        .map(|i| i["item"].as_str().unwrap())
        .collect();
    assert_eq!(red, ["test_session"], "{list}");
    api.post(&staff, "/api/v1/stations/WB-42/verify", json!({})).await.problem(409, "conflict");

    // A test session by RFID (free vend is off: the token must be the operator's).
    api.post(&admin, "/api/v1/id-tokens", json!({"tag": "TEST-CARD"})).await.expect(201);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let start = json!({"connectorId": 1, "idTag": "TEST-CARD", "meterStart": 0, "timestamp": now});
    let started = st.call("StartTransaction", start).await.unwrap().expect_result();
    assert_eq!(started["idTagInfo"]["status"], "Accepted");
    let tx = started["transactionId"].as_i64().unwrap();
    let stop = json!({"transactionId": tx, "meterStop": 1500, "timestamp": now, "reason": "Local"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();

    // Verified.
    let verified = api.post(&staff, "/api/v1/stations/WB-42/verify", json!({})).await.expect(200);
    assert_eq!(verified["all_green"], true, "{verified}");
    assert_eq!(state_of(&api, &id).await, StationState::Verified);
    let firmware = verified["items"].as_array().unwrap().iter().find(|i| i["item"] == "firmware").unwrap().clone();
    assert_eq!(firmware["evidence"], "reported 2.4.1, minimum 2.4");

    // The station's history tells the whole path, oldest first.
    let history = api.get(&staff, "/api/v1/stations/WB-42/history").await.expect(200);
    let kinds: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    let expected = [
        "station.registered",
        "activation.request",
        "activation.review",
        "station.activate",
        "configuration.change",
        "activation_code.create",
        "station.claim",
        "installation.pinpoint",
        "installation.photo",
        "installation.lock",
        "station.verify",
    ];
    // Entries of one instant (the request and the station it moves) may come in either order.
    assert!(kinds.contains(&"station.state") && kinds.contains(&"activation.approve"), "{kinds:?}");
    let mut at = 0;
    for want in expected {
        match kinds[at..].iter().position(|k| *k == want) {
            Some(i) => at += i + 1,
            None => panic!("{want} missing or out of order in {kinds:?}"),
        }
    }
    let change = history.as_array().unwrap().iter().find(|e| e["kind"] == "configuration.change").unwrap();
    assert_eq!(change["summary"], "HeartbeatInterval = 300: Accepted");
    assert_eq!(change["actor"], "system");
    let requested = history.as_array().unwrap().iter().find(|e| e["kind"] == "station.state").unwrap();
    assert_eq!(requested["after"]["state"], "requested");
    assert_eq!(requested["actor"], "account:owner@path.example");
    // Another operator sees none of it.
    let other = api.operator("Path Other").await;
    let theirs = api.token(&other, Role::Viewer).await;
    api.get(&theirs, "/api/v1/stations/WB-42/history").await.problem(404, "not-found");
}

#[tokio::test]
async fn operators_see_their_stations_by_onboarding_state() {
    let api = TestApi::start().await;
    let op = api.operator("Overview Op").await;
    let viewer = api.token(&op, Role::Viewer).await;
    api.register(&op, "OV-1", StationState::Pending).await;
    api.register(&op, "OV-2", StationState::Pending).await;
    api.register(&op, "OV-3", StationState::Verified).await;
    let _online = api.booted(&op, "OV-4").await;
    let other = api.operator("Overview Other").await;
    api.register(&other, "OV-9", StationState::Pending).await;
    let (_, owner) = api.person(Some(&op), AccountRole::Owner, "owner@overview.example", true).await;
    let form = json!({
        "customer_number": "C-1", "charge_points": [{"number": "1", "station_id": "OV-1", "connector_count": 1}],
        "installation_type": "home", "features": [], "network": "LAN",
        "address": {"street": "Damrak", "house_number": "1", "postal_code": "1012 LG", "city": "Amsterdam", "country": "NL"},
    });
    api.post(&owner, "/api/v1/activation-requests", form).await.expect(201);

    let path = format!("/api/v1/operators/{}/onboarding", op.id);
    let v = api.get(&viewer, &path).await.expect(200);
    let count = |state: &str| v["stations"].as_array().unwrap().iter().find(|s| s["state"] == state).unwrap().clone();
    assert_eq!(count("pending")["total"], 1, "{v}");
    assert_eq!(count("requested")["total"], 1, "{v}");
    assert_eq!(count("verified")["offline"], 1, "{v}");
    assert_eq!((count("active")["online"].as_u64(), count("active")["total"].as_u64()), (Some(1), Some(1)), "{v}");
    assert_eq!(count("handed-over")["total"], 0);
    assert_eq!(v["stations"].as_array().unwrap().len(), 7);
    assert_eq!(v["activation_queue"], json!({"requested": 1, "in_review": 0, "overdue": 0}));
    let theirs = api.token(&other, Role::Viewer).await;
    api.get(&theirs, &path).await.problem(404, "not-found");
}
