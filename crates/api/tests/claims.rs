//! Activation stickers, the installer's claim and pinpointing: codes made by staff and shown once,
//! claims by certified installers with one answer for every wrong part, rate limiting, pinpointing
//! validation, the model warning, the serial lock, and the photo checks.

mod common;

use common::TestApi;
use joule_core::account::{Account, AccountRole};
use joule_core::station::StationState;
use joule_core::{Role, StationId};
use joule_store::{AuditFilter, Operator};
use serde_json::{Value, json};

const MAC: &str = "AA:BB:CC:00:11:22";

/// An operator with a station, a staff token and a certified installer's login.
struct Setup {
    api: TestApi,
    op: Operator,
    staff: String,
    installer: Account,
    installer_token: String,
}

async fn setup(station: &str) -> Setup {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    api.register(&op, station, StationState::Pending).await;
    let staff = api.token(&op, Role::Operator).await;
    let (installer, installer_token) =
        api.person(Some(&op), AccountRole::Installer, "installer@acme.example", true).await;
    Setup { api, op, staff, installer, installer_token }
}

/// Generates a code for the station; returns the code.
async fn code(api: &TestApi, staff: &str, station: &str, mac: &str) -> String {
    let answer = api
        .post(staff, &format!("/api/v1/stations/{station}/activation-codes"), json!({ "mac": mac }))
        .await
        .expect(201);
    answer["code"].as_str().unwrap().to_string()
}

async fn claim(api: &TestApi, token: &str, mac: &str, code: &str) -> common::Answer {
    api.post(token, "/api/v1/claims", json!({ "mac": mac, "code": code })).await
}

async fn audit(api: &TestApi, station: &str) -> Vec<joule_store::AuditEntry> {
    let filter = AuditFilter { subject: Some(format!("station:{station}")), ..Default::default() };
    api.store.audit_entries(&filter).await.unwrap()
}

fn nl_pinpoint() -> Value {
    json!({
        "gps": { "lat": 52.3702, "lon": 4.8952, "accuracy_m": 6.0 },
        "vendor": "Joule",
        "model": "Test-22",
        "serial_number": "SN-0001",
        "address": { "street": "Damrak", "house_number": "1", "postal_code": "1012 LG", "city": "Amsterdam",
                     "country": "NL" },
        "parking_spot": "P-12",
        "directions": "Level -1, behind the barrier; height limit 2.1 m",
    })
}

#[tokio::test]
async fn staff_generate_codes_and_sticker_sheets_shown_once() {
    let Setup { api, op, staff, .. } = setup("ST-1").await;
    api.register(&op, "ST-2", StationState::Pending).await;

    let answer = api
        .post(&staff, "/api/v1/stations/ST-1/activation-codes", json!({ "mac": "aa-bb-cc-00-11-22" }))
        .await
        .expect(201);
    assert_eq!(answer["station_id"], "ST-1");
    assert_eq!(answer["mac"], MAC);
    let code = answer["code"].as_str().unwrap();
    assert_eq!(code.replace('-', "").len(), joule_sticker::CODE_LEN, "{code}");
    let url = answer["claim_url"].as_str().unwrap();
    assert!(url.contains("/claim?mac=AA:BB:CC:00:11:22&code="), "{url}");
    assert!(url.ends_with(code), "{url}");
    assert!(answer["svg"].as_str().unwrap().starts_with("<svg"), "{}", answer["svg"]);
    // Only the hash is stored.
    let open = api.store.open_activation_codes(MAC).await.unwrap();
    assert_eq!(open.len(), 1);
    assert!(open[0].1.starts_with("$argon2") && !open[0].1.contains(code));
    assert_eq!(audit(&api, "ST-1").await[0].action, "activation_code.create");
    assert!(!audit(&api, "ST-1").await[0].after.as_deref().unwrap().contains(code), "the audit log has no code");

    // A batch: one printable HTML page with every sticker.
    let response = api
        .http
        .post(api.url("/api/v1/stickers"))
        .bearer_auth(&staff)
        .json(&json!({ "stations": [ { "station_id": "ST-1", "mac": "AA:BB:CC:00:00:01" },
                                     { "station_id": "ST-2", "mac": "AA:BB:CC:00:00:02" } ] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = response.text().await.unwrap();
    for needle in ["ST-1", "ST-2", "AA:BB:CC:00:00:01", "AA:BB:CC:00:00:02", "<svg", "@media print"] {
        assert!(html.contains(needle), "{needle} in the sheet");
    }
    assert_eq!(api.store.open_activation_codes("AA:BB:CC:00:00:02").await.unwrap().len(), 1);

    // Refusals: a bad MAC names the field, a batch is checked whole first, viewers and unknown stations.
    let p = api.post(&staff, "/api/v1/stations/ST-1/activation-codes", json!({ "mac": "nope" })).await;
    assert_eq!(p.problem(400, "invalid-request")["field"], "mac");
    let batch = json!({ "stations": [ { "station_id": "ST-1", "mac": "AA:BB:CC:00:00:03" },
                                      { "station_id": "ST-2", "mac": "zz" } ] });
    assert_eq!(
        api.post(&staff, "/api/v1/stickers", batch).await.problem(400, "invalid-request")["field"],
        "stations[1].mac"
    );
    assert!(api.store.open_activation_codes("AA:BB:CC:00:00:03").await.unwrap().is_empty(), "nothing made");
    api.post(&staff, "/api/v1/stations/NOPE/activation-codes", json!({ "mac": MAC })).await.problem(404, "not-found");
    let viewer = api.token(&op, Role::Viewer).await;
    api.post(&viewer, "/api/v1/stations/ST-1/activation-codes", json!({ "mac": MAC })).await.problem(403, "forbidden");
    let other = api.operator("Other").await;
    let other_staff = api.token(&other, Role::Admin).await;
    api.post(&other_staff, "/api/v1/stations/ST-1/activation-codes", json!({ "mac": MAC }))
        .await
        .problem(404, "not-found");
}

#[tokio::test]
async fn a_certified_installer_claims_a_station_once() {
    let Setup { api, staff, installer, installer_token, .. } = setup("CP-1").await;
    let code = code(&api, &staff, "CP-1", MAC).await;

    // Typed by hand: lower case, without dashes, MAC with dashes.
    let typed = code.replace('-', "").to_lowercase();
    let claimed = claim(&api, &installer_token, "aa-bb-cc-00-11-22", &typed).await.expect(200);
    assert_eq!(claimed["station_id"], "CP-1");
    assert_eq!(claimed["claimed_by"], installer.id.0);
    let record = api.get(&installer_token, "/api/v1/stations/CP-1/installation").await.expect(200);
    assert_eq!(record["claimed_by"], installer.id.0);
    let entries = audit(&api, "CP-1").await;
    assert_eq!(entries[0].action, "station.claim");
    assert_eq!(entries[0].actor, "account:installer@acme.example");
    assert!(entries[0].before.is_none() && entries[0].after.is_some());

    // The code is used: the same answer as a wrong one.
    let again = claim(&api, &installer_token, MAC, &code).await.problem(400, "invalid-request");
    assert_eq!(again["detail"], "the MAC address or activation password is wrong");
}

#[tokio::test]
async fn a_wrong_mac_and_a_wrong_code_get_the_same_answer() {
    let Setup { api, staff, installer_token, .. } = setup("CP-1").await;
    let code = code(&api, &staff, "CP-1", MAC).await;
    let other_code = joule_sticker::ActivationCode::generate().to_string();

    let wrong_mac = claim(&api, &installer_token, "AA:BB:CC:00:11:23", &code).await;
    let wrong_code = claim(&api, &installer_token, MAC, &other_code).await;
    let malformed = claim(&api, &installer_token, "not a mac", "x").await;
    let wrong_mac = wrong_mac.problem(400, "invalid-request");
    assert_eq!(wrong_mac, wrong_code.problem(400, "invalid-request"));
    assert_eq!(wrong_mac, malformed.problem(400, "invalid-request"));
    assert_eq!(wrong_mac["detail"], "the MAC address or activation password is wrong");
    assert!(wrong_mac.get("field").is_none(), "no field says which part: {wrong_mac}");
    // The right pair still works.
    claim(&api, &installer_token, MAC, &code).await.expect(200);
}

#[tokio::test]
async fn only_certified_installers_of_the_stations_operator_claim() {
    let Setup { api, op, staff, .. } = setup("CP-1").await;
    let code = code(&api, &staff, "CP-1", MAC).await;

    let (_, uncertified) = api.person(Some(&op), AccountRole::Installer, "new@acme.example", false).await;
    let p = claim(&api, &uncertified, MAC, &code).await.problem(403, "forbidden");
    assert!(p["detail"].as_str().unwrap().contains("not certified"), "{p}");
    let (_, owner) = api.person(Some(&op), AccountRole::Owner, "owner@acme.example", true).await;
    claim(&api, &owner, MAC, &code).await.problem(403, "forbidden");
    claim(&api, &staff, MAC, &code).await.problem(403, "forbidden");

    // Another operator's certified installer: the same answer as a wrong code.
    let other = api.operator("Other").await;
    let (_, foreign) = api.person(Some(&other), AccountRole::Installer, "installer@other.example", true).await;
    let p = claim(&api, &foreign, MAC, &code).await.problem(400, "invalid-request");
    assert_eq!(p["detail"], "the MAC address or activation password is wrong");
    assert_eq!(api.store.open_activation_codes(MAC).await.unwrap().len(), 1, "the code is still unused");
}

#[tokio::test]
async fn repeated_failed_claims_are_rate_limited() {
    let Setup { api, staff, installer_token, .. } = setup("CP-1").await;
    let code = code(&api, &staff, "CP-1", MAC).await;
    let wrong = joule_sticker::ActivationCode::generate().to_string();
    for _ in 0..10 {
        claim(&api, &installer_token, MAC, &wrong).await.problem(400, "invalid-request");
    }
    // Blocked now, even with the right code.
    claim(&api, &installer_token, MAC, &code).await.problem(429, "too-many-attempts");
}

#[tokio::test]
async fn pinpointing_is_validated_field_by_field() {
    let Setup { api, staff, installer_token, .. } = setup("CP-1").await;
    let code = code(&api, &staff, "CP-1", MAC).await;
    // Not claimed yet: refused.
    api.put(&installer_token, "/api/v1/stations/CP-1/installation", nl_pinpoint()).await.problem(403, "forbidden");
    claim(&api, &installer_token, MAC, &code).await.expect(200);

    let saved = api.put(&installer_token, "/api/v1/stations/CP-1/installation", nl_pinpoint()).await.expect(200);
    let i = &saved["installation"];
    assert_eq!(i["gps"], json!({ "lat": 52.3702, "lon": 4.8952, "accuracy_m": 6.0 }));
    assert_eq!(i["address"]["postal_code"], "1012 LG");
    assert_eq!(i["time_zone"], "Europe/Amsterdam", "derived from the country");
    assert_eq!(i["parking_spot"], "P-12");
    assert_eq!(saved["warnings"], json!([]), "a station that never booted has nothing to compare");
    let entries = audit(&api, "CP-1").await;
    assert_eq!(entries[0].action, "installation.pinpoint");
    assert!(entries[0].before.is_some() && entries[0].after.as_deref().unwrap().contains("Damrak"));

    let cases = [
        (
            json!({ "address": { "street": "Damrak", "house_number": "1", "postal_code": "ABC", "city": "Amsterdam",
                              "country": "NL" } }),
            "address.postal_code",
        ),
        (
            json!({ "address": { "street": "", "postal_code": "1012 LG", "city": "Amsterdam", "country": "NL" } }),
            "address.street",
        ),
        (
            json!({ "address": { "street": "Damrak", "postal_code": "1012 LG", "city": "Amsterdam", "country": "XX" } }),
            "address.country",
        ),
        (json!({ "gps": { "lat": 95.0, "lon": 4.9 } }), "gps.lat"),
        (json!({ "gps": { "lat": 52.0, "lon": 200.0 } }), "gps.lon"),
        (json!({ "gps": { "lat": 52.0, "lon": 4.9, "accuracy_m": -1.0 } }), "gps.accuracy_m"),
        (json!({ "model": "Test-22" }), "vendor"),
        (json!({ "vendor": "Joule" }), "model"),
        (json!({ "time_zone": "Mars/Olympus" }), "time_zone"),
        (
            json!({ "address": { "street": "Damrak", "postal_code": "1012 LG", "city": "Amsterdam", "country": "NL" },
                 "time_zone": "America/New_York" }),
            "time_zone",
        ),
        (json!({ "serial_number": "x".repeat(51) }), "serial_number"),
        (json!({ "parking_spot": "p".repeat(65) }), "parking_spot"),
        (json!({ "directions": "d".repeat(1001) }), "directions"),
    ];
    for (body, field) in cases {
        let p = api.put(&installer_token, "/api/v1/stations/CP-1/installation", body.clone()).await;
        assert_eq!(p.problem(400, "invalid-request")["field"], field, "{body}");
    }
    // Nothing of the refused requests was stored.
    let record = api.get(&staff, "/api/v1/stations/CP-1/installation").await.expect(200);
    assert_eq!(record["address"]["street"], "Damrak");
}

#[tokio::test]
async fn a_model_that_differs_from_the_boot_notification_is_a_warning() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let _station = api.booted(&op, "CP-9").await;
    let staff = api.token(&op, Role::Operator).await;
    let (_, installer) = api.person(Some(&op), AccountRole::Installer, "installer@acme.example", true).await;
    let code = code(&api, &staff, "CP-9", MAC).await;
    claim(&api, &installer, MAC, &code).await.expect(200);

    // The same model, written differently: no warning.
    let same = json!({ "vendor": "JOULE", "model": "test 22" });
    let answer = api.put(&installer, "/api/v1/stations/CP-9/installation", same).await.expect(200);
    assert_eq!(answer["warnings"], json!([]));
    let other = json!({ "vendor": "Alfen", "model": "Eve Single" });
    let answer = api.put(&installer, "/api/v1/stations/CP-9/installation", other).await.expect(200);
    let warnings = answer["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{answer}");
    assert!(warnings[0].as_str().unwrap().contains("Joule Test-22"), "{answer}");
    assert_eq!(answer["installation"]["vendor"], "Alfen", "stored anyway");
}

#[tokio::test]
async fn the_serial_number_locks_once_configuration_is_complete() {
    let Setup { api, op, staff, installer_token, .. } = setup("CP-1").await;
    let code = code(&api, &staff, "CP-1", MAC).await;
    claim(&api, &installer_token, MAC, &code).await.expect(200);
    api.put(&installer_token, "/api/v1/stations/CP-1/installation", nl_pinpoint()).await.expect(200);

    // Installers do not lock; staff do.
    api.post(&installer_token, "/api/v1/stations/CP-1/installation/lock", json!({})).await.problem(403, "forbidden");
    let locked = api.post(&staff, "/api/v1/stations/CP-1/installation/lock", json!({})).await.expect(200);
    assert!(locked["serial_locked_at"].is_string());
    assert_eq!(audit(&api, "CP-1").await[0].action, "installation.lock");

    let mut changed = nl_pinpoint();
    changed["serial_number"] = json!("SN-0002");
    let p = api.put(&installer_token, "/api/v1/stations/CP-1/installation", changed.clone()).await;
    assert!(p.problem(403, "forbidden")["detail"].as_str().unwrap().contains("platform admin"));
    api.put(&staff, "/api/v1/stations/CP-1/installation", changed.clone()).await.problem(403, "forbidden");
    let (_, op_staff) = api.person(Some(&op), AccountRole::OperatorStaff, "staff@acme.example", false).await;
    api.put(&op_staff, "/api/v1/stations/CP-1/installation", changed.clone()).await.problem(403, "forbidden");
    // Everything else still changes.
    let mut moved = nl_pinpoint();
    moved["parking_spot"] = json!("P-13");
    api.put(&installer_token, "/api/v1/stations/CP-1/installation", moved).await.expect(200);

    // A platform admin may, and it is in the audit log with before and after.
    let (_, admin) = api.person(None, AccountRole::PlatformAdmin, "root@joule.example", false).await;
    let answer = api.put(&admin, "/api/v1/stations/CP-1/installation", changed).await.expect(200);
    assert_eq!(answer["installation"]["serial_number"], "SN-0002");
    let entry = &audit(&api, "CP-1").await[0];
    assert_eq!(entry.action, "installation.serial_override");
    assert_eq!(entry.actor, "account:root@joule.example");
    assert!(entry.before.as_deref().unwrap().contains("SN-0001"));
    assert!(entry.after.as_deref().unwrap().contains("SN-0002"));
    let stored = api.store.installation(&StationId::parse("CP-1").unwrap()).await.unwrap().unwrap();
    assert_eq!(stored.pinpointing.serial_number.as_deref(), Some("SN-0002"));
}

/// The start of a PNG of `width` × `height`: the signature and the IHDR chunk, then filler.
fn png(width: u32, height: u32, len: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b.resize(len.max(b.len()), 0);
    b
}

async fn put_photo(api: &TestApi, token: &str, station: &str, bytes: Vec<u8>) -> (u16, Value) {
    let response = api
        .http
        .put(api.url(&format!("/api/v1/stations/{station}/installation/photo")))
        .bearer_auth(token)
        .header("content-type", "image/png")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn photos_are_landscape_jpeg_or_png_and_at_most_5_mib() {
    let Setup { api, staff, installer_token, .. } = setup("CP-1").await;
    let code = code(&api, &staff, "CP-1", MAC).await;
    claim(&api, &installer_token, MAC, &code).await.expect(200);

    let (status, p) = put_photo(&api, &installer_token, "CP-1", png(480, 640, 2000)).await;
    assert_eq!((status, p["field"].as_str()), (400, Some("photo")), "portrait: {p}");
    assert!(p["detail"].as_str().unwrap().contains("landscape"), "{p}");
    let (status, p) = put_photo(&api, &installer_token, "CP-1", b"GIF89a not a photo".to_vec()).await;
    assert_eq!((status, p["field"].as_str()), (400, Some("photo")), "{p}");
    let (status, p) = put_photo(&api, &installer_token, "CP-1", png(4000, 3000, 5 * 1024 * 1024 + 1)).await;
    assert_eq!(status, 413, "{p}");
    assert_eq!(p["field"], "photo");
    api.get(&staff, "/api/v1/stations/CP-1/installation/photo").await.problem(404, "not-found");

    let photo = png(640, 480, 3000);
    let (status, view) = put_photo(&api, &installer_token, "CP-1", photo.clone()).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["photo"], json!({ "content_type": "image/png", "size": 3000 }));
    let response =
        api.http.get(api.url("/api/v1/stations/CP-1/installation/photo")).bearer_auth(&staff).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.bytes().await.unwrap().to_vec(), photo);
    assert_eq!(audit(&api, "CP-1").await[0].action, "installation.photo");

    // A JPEG (SOF0 says 400 × 300) is taken too.
    let jpeg = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x2C, 0x01, 0x90, 0x03, 0,
        0,
    ];
    let (status, view) = put_photo(&api, &staff, "CP-1", jpeg).await;
    assert_eq!((status, view["photo"]["content_type"].as_str()), (200, Some("image/jpeg")), "{view}");
    assert!(view["photo"].get("orientation").is_none(), "no EXIF, no orientation: {view}");

    // A phone's photo: the pixels as the sensor took them, and the EXIF orientation that shows it upright.
    // Stored 400 × 300 and turned a quarter (6): portrait as shown, refused.
    let (status, p) = put_photo(&api, &staff, "CP-1", exif_jpeg(400, 300, 6)).await;
    assert_eq!((status, p["field"].as_str()), (400, Some("photo")), "{p}");
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("landscape") && detail.contains("300 × 400") && detail.contains("orientation 6"), "{p}");
    // Stored 300 × 400 and turned a quarter the other way (8): landscape as shown, taken with its orientation.
    let (status, view) = put_photo(&api, &staff, "CP-1", exif_jpeg(300, 400, 8)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["photo"]["orientation"], 8, "{view}");
    let view = api.get(&staff, "/api/v1/stations/CP-1/installation").await.expect(200);
    assert_eq!(view["photo"]["orientation"], 8, "{view}");
    // Turned half (3): still landscape.
    let (status, view) = put_photo(&api, &staff, "CP-1", exif_jpeg(400, 300, 3)).await;
    assert_eq!((status, view["photo"]["orientation"].as_u64()), (200, Some(3)), "{view}");
}

/// The start of a JPEG of `width` × `height` pixels with an EXIF segment whose only tag is Orientation.
fn exif_jpeg(width: u16, height: u16, orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01".to_vec();
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE1];
    b.extend_from_slice(&(2 + 6 + tiff.len() as u16).to_be_bytes());
    b.extend_from_slice(b"Exif\0\0");
    b.extend_from_slice(&tiff);
    b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&[0x03, 0, 0]);
    b
}
