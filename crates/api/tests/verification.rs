//! The verification checklist (issue 4, "Commissioning and verification"): a claimed, pinpointed, photographed
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
    st: StationClient,
}

/// The start of a landscape PNG.
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&640u32.to_be_bytes());
    b.extend_from_slice(&480u32.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b.resize(2000, 0);
    b
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
    let response = api
        .http
        .put(api.url("/api/v1/stations/CP-1/installation/photo"))
        .bearer_auth(&installer)
        .header("content-type", "image/png")
        .body(png())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let boot = json!({ "chargePointVendor": "Joule", "chargePointModel": "Test-22", "firmwareVersion": "1.2.3",
                       "chargePointSerialNumber": "SN-0001" });
    assert_eq!(st.call("BootNotification", boot).await.unwrap().expect_result()["status"], "Accepted");
    st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    Setup { api, op, staff, st }
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
    let Setup { api, op, staff, mut st } = setup().await;
    charge(&mut st).await;

    let viewer = api.token(&op, Role::Viewer).await;
    let list = api.get(&viewer, "/api/v1/stations/CP-1/verification").await.expect(200);
    assert_eq!(list["all_green"], true, "{list}");
    assert_eq!(list["state"], "active");
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|i| i["item"].as_str().unwrap()).collect();
    assert_eq!(names, ["online", "heartbeat", "firmware", "serial_number", "location", "test_session"]);
    assert!(list["items"].as_array().unwrap().iter().all(|i| i["status"] == "green"), "{list}");
    assert_eq!(item(&list, "firmware")["evidence"], "no minimum set for this model (reported 1.2.3)");
    assert!(item(&list, "heartbeat")["evidence"].as_str().unwrap().ends_with("interval 300 s"), "{list}");
    assert_eq!(item(&list, "serial_number")["evidence"], "entered SN-0001, reported by the station");
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
