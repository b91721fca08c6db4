//! The verification checklist ("Commissioning and verification"): a claimed, pinpointed, photographed
//! station with a test session is all green and is verified; a red item refuses verification with 409.

mod common;

use common::TestApi;
use joule_core::account::AccountRole;
use joule_core::station::StationState;
use joule_core::{Role, StationId};
use joule_sim::client::StationClient;
use joule_store::{AuditFilter, Operator};
use serde_json::{Value, json};

const MAC: &str = "AA:BB:CC:00:11:22";

struct Setup {
    api: TestApi,
    op: Operator,
    staff: String,
    installer: String,
    st: StationClient,
}

/// A booted active station reporting serial SN-0001, heartbeating, claimed by a certified installer who
/// pinpointed it with that serial number and a photo.
async fn setup() -> Setup {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let mut st = api.booted(&op, "CP-1").await;
    let staff = api.token(&op, Role::Operator).await;
    let (_, installer) = api.person(Some(&op), AccountRole::Installer, "installer@acme.example", true).await;

    let code =
        api.post(&staff, "/api/v1/stations/CP-1/activation-codes", json!({ "mac": MAC })).await.expect(201)["code"]
            .as_str()
            .unwrap()
            .to_string();
    api.post(&installer, "/api/v1/claims", json!({ "mac": MAC, "code": code })).await.expect(200);
    let pinpoint = json!({
        "gps": { "lat": 52.3702, "lon": 4.8952, "accuracy_m": 6.0 },
        "vendor": "Joule",
        "model": "Test-22",
        "serial_number": "SN-0001",
        "address": { "street": "Damrak", "house_number": "1", "postal_code": "1012 LG", "city": "Amsterdam",
                     "country": "NL" },
    });
    api.put(&installer, "/api/v1/stations/CP-1/installation", pinpoint).await.expect(200);
    assert_eq!(api.put_photo(&installer, "CP-1", "image/png", common::png(2000)).await, 200);

    let boot = json!({ "chargePointVendor": "Joule", "chargePointModel": "Test-22", "firmwareVersion": "1.2.3",
                       "chargePointSerialNumber": "SN-0001" });
    assert_eq!(st.call("BootNotification", boot).await.unwrap().expect_result()["status"], "Accepted");
    st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    Setup { api, op, staff, installer, st }
}

/// A completed session of 3000 Wh, timed now (after the claim).
async fn charge(st: &mut StationClient) {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let start = json!({ "connectorId": 1, "idTag": "CARD-1", "meterStart": 1000, "timestamp": now });
    let tx = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();
    let stop = json!({ "transactionId": tx, "meterStop": 4000, "timestamp": now, "reason": "Local" });
    st.call("StopTransaction", stop).await.unwrap().expect_result();
}

fn item<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["items"].as_array().unwrap().iter().find(|i| i["item"] == name).unwrap_or_else(|| panic!("{name}: {list}"))
}

async fn state(api: &TestApi) -> StationState {
    api.store.station(&StationId::parse("CP-1").unwrap()).await.unwrap().unwrap().state
}

#[tokio::test]
async fn an_all_green_station_is_verified() {
    let Setup { api, op, staff, mut st, .. } = setup().await;
    charge(&mut st).await;

    let viewer = api.token(&op, Role::Viewer).await;
    let list = api.get(&viewer, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(list["all_green"], true, "{list}");
    assert_eq!(list["state"], "active");
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|i| i["item"].as_str().unwrap()).collect();
    assert_eq!(names, ["online", "heartbeat", "firmware", "serial_number", "mac", "location", "test_session"]);
    assert!(list["items"].as_array().unwrap().iter().all(|i| i["status"] == "green"), "{list}");
    assert_eq!(item(&list, "firmware")["evidence"], "no minimum set for this model (reported 1.2.3)");
    assert!(item(&list, "heartbeat")["evidence"].as_str().unwrap().ends_with("interval 300 s"), "{list}");
    assert_eq!(item(&list, "serial_number")["evidence"], "entered SN-0001, reported by the station");
    assert_eq!(
        item(&list, "mac")["evidence"],
        "claimed with the sticker of AA:BB:CC:00:11:22; the station reports no MAC address (OCPP 1.6 has no field for \
         it)"
    );
    assert!(item(&list, "test_session")["evidence"].as_str().unwrap().ends_with("delivered 3000 Wh"), "{list}");

    // Viewers see the checklist but do not verify.
    api.post(&viewer, "/api/v1/stations/CP-1/verify", json!({})).await.problem(403, "forbidden");
    let verified = api.post(&staff, "/api/v1/stations/CP-1/verify", json!({})).await.expect(200);
    assert_eq!(verified["state"], "verified");
    assert_eq!(state(&api).await, StationState::Verified);
    let filter = AuditFilter { subject: Some("station:CP-1".into()), ..Default::default() };
    let entries = api.store.audit_entries(&filter).await.unwrap();
    let entry = entries.iter().find(|e| e.action == "station.verify").expect("an audit entry");
    assert!(entry.before.as_deref().unwrap().contains("active"), "{entry:?}");
    assert!(entry.after.as_deref().unwrap().contains("verified"), "{entry:?}");
    // Again: still verified.
    api.post(&staff, "/api/v1/stations/CP-1/verify", json!({})).await.expect(200);
    // Another operator does not see the station.
    let other = api.operator("Other").await;
    let other_staff = api.token(&other, Role::Operator).await;
    api.get(&other_staff, "/api/v1/stations/CP-1/verification").await.problem(404, "not-found");
}

#[tokio::test]
async fn a_red_item_refuses_verification() {
    let Setup { api, staff, mut st, .. } = setup().await;

    // No session yet.
    let list = api.get(&staff, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(list["all_green"], false);
    assert_eq!(item(&list, "test_session")["status"], "red");
    assert_eq!(item(&list, "test_session")["evidence"], "no completed session since the claim");
    assert_eq!(item(&list, "online")["status"], "green");
    let p = api.post(&staff, "/api/v1/stations/CP-1/verify", json!({})).await.problem(409, "conflict");
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("test_session (no completed session since the claim)"), "{detail}");
    assert!(!detail.contains("online"), "{detail}");
    assert_eq!(state(&api).await, StationState::Active);

    // With a session but offline: online is red.
    charge(&mut st).await;
    drop(st);
    let id = StationId::parse("CP-1").unwrap();
    api.eventually("the station is offline", || async { !api.store.station(&id).await.unwrap().unwrap().online }).await;
    let list = api.get(&staff, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(item(&list, "online")["status"], "red");
    assert_eq!(item(&list, "online")["evidence"], "not connected");
    assert_eq!(item(&list, "test_session")["status"], "green");
    let p = api.post(&staff, "/api/v1/stations/CP-1/verify", json!({})).await.problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("online (not connected)"), "{p}");
    assert_eq!(state(&api).await, StationState::Active);
}

#[tokio::test]
async fn only_an_active_station_is_verified() {
    let Setup { api, staff, mut st, .. } = setup().await;
    charge(&mut st).await;
    api.store.set_station_state(&StationId::parse("CP-1").unwrap(), StationState::Suspended).await.unwrap();
    let p = api.post(&staff, "/api/v1/stations/CP-1/verify", json!({})).await.problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("suspended"), "{p}");
    assert_eq!(state(&api).await, StationState::Suspended);
}

#[tokio::test]
async fn the_firmware_item_follows_the_operators_model_table() {
    let Setup { api, op, staff, mut st, .. } = setup().await;
    charge(&mut st).await;
    let admin = api.token(&op, Role::Admin).await;
    let models = format!("/api/v1/operators/{}/models", op.id);

    // A minimum above the reported 1.2.3 (the entry spelled differently from the boot's "Joule Test-22").
    let set = api.put(&admin, &models, json!({"vendor": "joule", "model": "TEST 22", "min_firmware": "v1.10"})).await;
    assert_eq!(set.expect(200)["min_firmware"], "v1.10");
    let list = api.get(&staff, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(item(&list, "firmware")["status"], "red", "{list}");
    assert_eq!(item(&list, "firmware")["evidence"], "reported 1.2.3, below the minimum v1.10");
    let p = api.post(&staff, "/api/v1/stations/CP-1/verify", json!({})).await.problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("firmware (reported 1.2.3, below the minimum v1.10)"), "{p}");

    // The operator lowers the minimum: green, and the station is verified.
    api.put(&admin, &models, json!({"vendor": "Joule", "model": "Test-22", "min_firmware": "1.2"})).await.expect(200);
    let list = api.get(&staff, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(item(&list, "firmware")["evidence"], "reported 1.2.3, minimum 1.2");
    api.post(&staff, "/api/v1/stations/CP-1/verify", json!({})).await.expect(200);

    // A station that reports a MAC in its configuration is compared with the sticker's.
    let sid = StationId::parse("CP-1").unwrap();
    let keys =
        [joule_store::ConfigKey { key: "MacAddress".into(), value: Some("aa-bb-cc-00-11-99".into()), readonly: true }];
    api.store.store_configuration(&sid, &keys, chrono::Utc::now()).await.unwrap();
    let list = api.get(&staff, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(item(&list, "mac")["status"], "red");
    assert_eq!(
        item(&list, "mac")["evidence"],
        "claimed with the sticker of AA:BB:CC:00:11:22, the station reported AA:BB:CC:00:11:99"
    );
}

#[tokio::test]
async fn the_model_table_is_edited_by_admins_and_guides_installers() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    api.register(&op, "CP-2", StationState::Active).await;
    let admin = api.token(&op, Role::Admin).await;
    let operator = api.token(&op, Role::Operator).await;
    let viewer = api.token(&op, Role::Viewer).await;
    let models = format!("/api/v1/operators/{}/models", op.id);

    // Refusals: role, another operator, fields.
    let body = json!({"vendor": "ABB", "model": "Terra AC", "min_firmware": "1.6.2"});
    api.put(&operator, &models, body.clone()).await.problem(403, "forbidden");
    let other = api.operator("Other").await;
    let other_admin = api.token(&other, Role::Admin).await;
    api.put(&other_admin, &models, body.clone()).await.problem(404, "not-found");
    api.get(&other_admin, &models).await.problem(404, "not-found");
    let p = api.put(&admin, &models, json!({"vendor": " ", "model": "X"})).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "vendor");
    let p = api.put(&admin, &models, json!({"vendor": "ABB", "model": "X", "min_firmware": "beta"})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "min_firmware");

    // Add two, change one under another spelling, list, remove.
    api.put(&admin, &models, body).await.expect(200);
    api.put(&admin, &models, json!({"vendor": "Alfen B.V.", "model": "Eve Single"})).await.expect(200);
    let changed = api.put(&admin, &models, json!({"vendor": "abb", "model": "TERRA-AC", "min_firmware": "1.7"})).await;
    assert!(changed.expect(200)["updated_by"].as_str().unwrap().starts_with("token:"));
    let list = api.get(&viewer, &models).await.expect(200);
    let names: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["vendor"].as_str().unwrap(), m["model"].as_str().unwrap()))
        .collect();
    assert_eq!(names, [("abb", "TERRA-AC"), ("Alfen B.V.", "Eve Single")]);
    assert_eq!(list[0]["min_firmware"], "1.7");
    api.delete(&admin, &format!("{models}?vendor=Alfen&model=eve%20single")).await.expect(204);
    api.delete(&admin, &format!("{models}?vendor=Alfen&model=eve%20single")).await.problem(404, "not-found");
    assert_eq!(api.get(&viewer, &models).await.expect(200).as_array().unwrap().len(), 1);
    let audit = AuditFilter { subject: Some(format!("operator:{}", op.id)), ..Default::default() };
    let actions: Vec<String> = api.store.audit_entries(&audit).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "catalog.model.set").count(), 3, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| *a == "catalog.model.delete").count(), 1, "{actions:?}");

    // The installer who claimed the station sees the list, and picks from it.
    let (_, installer) = api.person(Some(&op), AccountRole::Installer, "fitter@acme.example", true).await;
    let code = api.post(&admin, "/api/v1/stations/CP-2/activation-codes", json!({ "mac": MAC })).await.expect(201);
    api.post(&installer, "/api/v1/claims", json!({ "mac": MAC, "code": code["code"] })).await.expect(200);
    let offered = api.get(&installer, "/api/v1/stations/CP-2/models").await.expect(200);
    assert_eq!(offered[0]["model"], "TERRA-AC");
    let p = api.put(&installer, "/api/v1/stations/CP-2/installation", json!({"vendor": "Zaptec", "model": "Go"})).await;
    let p = p.problem(400, "invalid-request");
    assert_eq!(p["field"], "model");
    assert!(p["detail"].as_str().unwrap().contains("not in the operator's list of known models"), "{p}");
    let ok =
        api.put(&installer, "/api/v1/stations/CP-2/installation", json!({"vendor": "ABB", "model": "Terra AC"})).await;
    assert_eq!(ok.expect(200)["installation"]["model"], "Terra AC");
    // Someone else's installer does not see it.
    let (_, stranger) = api.person(Some(&other), AccountRole::Installer, "fitter@other.example", true).await;
    let p = api.get(&stranger, "/api/v1/stations/CP-2/models").await;
    assert!(p.status == 403 || p.status == 404, "{p:?}");
}

#[tokio::test]
async fn the_installer_who_claimed_it_verifies_it() {
    let Setup { api, op, installer, mut st, .. } = setup().await;
    charge(&mut st).await;
    // Another installer of the operator, and an owner, may not.
    let (_, other) = api.person(Some(&op), AccountRole::Installer, "other-fitter@acme.example", true).await;
    api.get(&other, "/api/v1/stations/CP-1/verification").await.problem(403, "forbidden");
    api.post(&other, "/api/v1/stations/CP-1/verify", json!({})).await.problem(403, "forbidden");
    let (_, owner) = api.person(Some(&op), AccountRole::Owner, "owner@acme.example", true).await;
    api.post(&owner, "/api/v1/stations/CP-1/verify", json!({})).await.problem(403, "forbidden");
    assert_eq!(state(&api).await, StationState::Active);

    let list = api.get(&installer, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(list["all_green"], true, "{list}");
    let verified = api.post(&installer, "/api/v1/stations/CP-1/verify", json!({})).await.expect(200);
    assert_eq!(verified["state"], "verified");
    let filter = AuditFilter { subject: Some("station:CP-1".into()), ..Default::default() };
    let entries = api.store.audit_entries(&filter).await.unwrap();
    let entry = entries.iter().find(|e| e.action == "station.verify").expect("an audit entry");
    assert_eq!(entry.actor, "account:installer@acme.example");
}

#[tokio::test]
async fn the_installer_starts_a_test_session_remotely() {
    let Setup { api, op, installer, mut st, .. } = setup().await;
    let station = async {
        let start = common::answer_next(&mut st, "RemoteStartTransaction", json!({"status": "Accepted"})).await;
        let tag = start["idTag"].as_str().unwrap().to_string();
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let begin = json!({"connectorId": 2, "idTag": tag, "meterStart": 500, "timestamp": now});
        let started = st.call("StartTransaction", begin).await.unwrap().expect_result();
        (start, started)
    };
    let (answer, (start, started)) =
        tokio::join!(api.post(&installer, "/api/v1/stations/CP-1/test-session", json!({"connector_id": 2})), station);
    let answer = answer.expect(200);
    let tag = answer["id_tag"].as_str().unwrap();
    assert!(tag.starts_with("TEST-") && tag.len() == 20, "{answer}");
    assert_eq!(start, json!({"idTag": tag, "connectorId": 2}));
    assert_eq!(started["idTagInfo"]["status"], "Accepted", "the one-time tag is the operator's");
    assert_eq!(answer["transaction_id"], started["transactionId"]);
    assert_eq!(answer["answer"]["status"], "Accepted");
    let tx = started["transactionId"].as_i64().unwrap();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let stop = json!({"transactionId": tx, "meterStop": 2700, "timestamp": now, "reason": "Remote"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();
    let list = api.get(&installer, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(item(&list, "test_session")["evidence"], format!("session {tx} delivered 2200 Wh"));
    assert_eq!(list["all_green"], true, "{list}");
    // The tag expires; the start is in the command history and the audit log.
    let token = api.store.id_token(op.id, &joule_core::IdTag::parse(tag).unwrap()).await.unwrap().unwrap();
    assert!(token.expires_at.unwrap() <= chrono::Utc::now() + chrono::Duration::minutes(15));
    let filter = AuditFilter { subject: Some("station:CP-1".into()), ..Default::default() };
    let entries = api.store.audit_entries(&filter).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "station.test_session" && e.actor == "account:installer@acme.example"));

    // Refusals: another installer; a suspended station; a bad connector.
    let (_, other) = api.person(Some(&op), AccountRole::Installer, "other@acme.example", true).await;
    api.post(&other, "/api/v1/stations/CP-1/test-session", json!({})).await.problem(403, "forbidden");
    let p = api.post(&installer, "/api/v1/stations/CP-1/test-session", json!({"connector_id": 0})).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "connector_id");
    api.store.set_station_state(&StationId::parse("CP-1").unwrap(), StationState::Suspended).await.unwrap();
    api.post(&installer, "/api/v1/stations/CP-1/test-session", json!({})).await.problem(409, "conflict");
}
