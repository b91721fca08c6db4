//! Access rules end to end ("Access"): the rules set through the API decide what a real websocket
//! station is answered (Authorize, StartTransaction), a remote start is refused before it is sent, and
//! `access/check` explains any decision.

mod common;

use chrono::{Duration, Utc};
use common::TestApi;
use joule_core::Role;
use serde_json::{Value, json};

async fn tokens(api: &TestApi, token: &str) {
    let far = "2030-01-01T00:00:00Z";
    api.post(token, "/api/v1/id-tokens", json!({"tag": "CARD-1", "expires_at": far})).await.expect(201);
    api.post(token, "/api/v1/id-tokens", json!({"tag": "BLOCKED", "blocked": true})).await.expect(201);
    api.post(token, "/api/v1/id-tokens", json!({"tag": "OLD", "expires_at": "2020-01-01T00:00:00Z"})).await.expect(201);
}

async fn authorize(st: &mut joule_sim::client::StationClient, tag: &str) -> Value {
    st.call("Authorize", json!({"idTag": tag})).await.unwrap().expect_result()["idTagInfo"].clone()
}

async fn start(st: &mut joule_sim::client::StationClient, connector: u32, tag: &str, meter: i64) -> Value {
    let payload =
        json!({"connectorId": connector, "idTag": tag, "meterStart": meter, "timestamp": Utc::now().to_rfc3339()});
    st.call("StartTransaction", payload).await.unwrap().expect_result()["idTagInfo"].clone()
}

fn day(offset: i64) -> String {
    (Utc::now() + Duration::days(offset)).format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn rules_decide_what_the_station_is_answered() {
    let api = TestApi::start().await;
    let op = api.operator("Access Co").await;
    let token = api.token(&op, Role::Operator).await;
    tokens(&api, &token).await;
    let mut st = api.booted(&op, "AC-1").await;
    let path = "/api/v1/stations/AC-1/access";

    // The default: public, authorization required, always open — the answers from before access rules existed.
    let doc = api.get(&token, path).await.expect(200);
    assert_eq!(doc["mode"], "public");
    assert_eq!(doc["authorization_required"], true);
    assert_eq!(doc["available_times"], Value::Null);
    assert_eq!(doc["time_zone"], "UTC");
    assert_eq!(
        authorize(&mut st, "CARD-1").await,
        json!({"status": "Accepted", "expiryDate": "2030-01-01T00:00:00.000Z"})
    );
    assert_eq!(authorize(&mut st, "BLOCKED").await["status"], "Blocked");
    assert_eq!(authorize(&mut st, "OLD").await["status"], "Expired");
    assert_eq!(authorize(&mut st, "NOBODY").await["status"], "Invalid");

    // Private: nobody but the owner; the refusal is Invalid (the card itself is fine), blocked stays Blocked.
    let private = json!({"mode": "private", "authorization_required": true});
    let doc = api.put(&token, path, private).await.expect(200);
    assert_eq!(doc["mode"], "private");
    assert_eq!(authorize(&mut st, "CARD-1").await, json!({"status": "Invalid"}));
    assert_eq!(authorize(&mut st, "BLOCKED").await["status"], "Blocked");
    assert_eq!(start(&mut st, 1, "CARD-1", 0).await["status"], "Invalid");

    // A public connector on the private station: Authorize (no connector) is accepted because connector 2
    // would admit the card; StartTransaction on 1 is refused, on 2 accepted.
    let mixed = json!({"mode": "private", "authorization_required": true,
        "connectors": [{"connector_id": 2, "mode": "public"}]});
    api.put(&token, path, mixed).await.expect(200);
    assert_eq!(authorize(&mut st, "CARD-1").await["status"], "Accepted");
    assert_eq!(start(&mut st, 1, "CARD-1", 10).await["status"], "Invalid");
    assert_eq!(start(&mut st, 2, "CARD-1", 20).await["status"], "Accepted");

    // Limited to a list the card's (driverless) token is not on.
    let limited = json!({"mode": "limited", "drivers": [41], "groups": [42], "authorization_required": true});
    let doc = api.put(&token, path, limited).await.expect(200);
    assert_eq!((doc["drivers"].clone(), doc["groups"].clone()), (json!([41]), json!([42])));
    assert_eq!(authorize(&mut st, "CARD-1").await["status"], "Invalid");

    // Authorization off (free vend): everybody, even an unknown tag; the station's free_vend follows.
    let free = json!({"mode": "private", "authorization_required": false});
    api.put(&token, path, free).await.expect(200);
    assert_eq!(authorize(&mut st, "NOBODY").await["status"], "Accepted");
    assert!(api.store.station(&joule_core::StationId::parse("AC-1").unwrap()).await.unwrap().unwrap().free_vend);

    // Public but closed now (yesterday, today and tomorrow are holidays, so a run across midnight holds).
    let closed = format!("mon-sun 00:00-24:00; {} closed; {} closed; {} closed", day(-1), day(0), day(1));
    let doc = api
        .put(&token, path, json!({"mode": "public", "authorization_required": true, "available_times": closed}))
        .await
        .expect(200);
    assert!(doc["available_times"].as_str().unwrap().starts_with("mon-sun 00:00-24:00"), "{doc}");
    assert_eq!(authorize(&mut st, "CARD-1").await, json!({"status": "Invalid"}));
    assert_eq!(start(&mut st, 1, "CARD-1", 30).await["status"], "Invalid");

    // Open now until a holiday the day after tomorrow: Accepted, and the cache expiry is the holiday's start
    // (earlier than the token's own expiry).
    let open = format!("mon-sun 00:00-24:00; {} closed", day(2));
    api.put(&token, path, json!({"mode": "public", "authorization_required": true, "available_times": open}))
        .await
        .expect(200);
    let info = authorize(&mut st, "CARD-1").await;
    assert_eq!(info, json!({"status": "Accepted", "expiryDate": format!("{}T00:00:00.000Z", day(2))}));
}

#[tokio::test]
async fn check_explains_and_remote_start_is_refused_with_the_reason() {
    let api = TestApi::start().await;
    let op = api.operator("Explain Co").await;
    let token = api.token(&op, Role::Operator).await;
    let viewer = api.token(&op, Role::Viewer).await;
    tokens(&api, &token).await;
    let mut st = api.booted(&op, "EX-1").await;
    let path = "/api/v1/stations/EX-1/access";
    let rules = json!({"mode": "public", "authorization_required": true,
        "available_times": "mon-fri 07:00-19:00; 2026-12-25 closed"});
    api.put(&token, path, rules.clone()).await.expect(200);

    let check = |tag: &str, at: &str| format!("{path}/check?id_tag={tag}&at={at}");
    // Monday 23 November 2026, 10:00 UTC: open until 19:00.
    let v = api.get(&viewer, &check("CARD-1", "2026-11-23T10:00:00Z")).await.expect(200);
    assert_eq!(v["allowed"], true);
    assert_eq!(v["status"], "Accepted");
    assert_eq!(v["explanation"], "allowed: within the station's available times");
    assert_eq!(v["expires_at"], "2026-11-23T19:00:00Z");
    // 20:00 the same day: refused, and the explanation says when the station is open.
    let v = api.get(&viewer, &check("CARD-1", "2026-11-23T20:00:00Z")).await.expect(200);
    assert_eq!((v["allowed"].clone(), v["status"].clone()), (json!(false), json!("Invalid")));
    let why = v["explanation"].as_str().unwrap();
    assert!(why.starts_with("refused: outside the station's available times: Monday 07:00-19:00"), "{why}");
    // A holiday.
    let v = api.get(&viewer, &check("CARD-1", "2026-12-25T10:00:00Z")).await.expect(200);
    assert!(v["explanation"].as_str().unwrap().contains("closed all day on 2026-12-25"), "{v}");
    // Token states come first.
    let v = api.get(&viewer, &check("BLOCKED", "2026-11-23T10:00:00Z")).await.expect(200);
    assert_eq!((v["status"].clone(), v["explanation"].clone()), (json!("Blocked"), json!("refused: token blocked")));
    let v = api.get(&viewer, &check("OLD", "2026-11-23T10:00:00Z")).await.expect(200);
    assert_eq!(v["status"], "Expired");
    // Bad input is a 400 naming the field; a viewer may not change the rules.
    api.get(&viewer, &check("CARD-1", "yesterday")).await.problem(400, "invalid-request");
    let bad = json!({"mode": "public", "authorization_required": true, "available_times": "mon 08:00"});
    let p = api.put(&token, path, bad).await.problem(400, "invalid-request");
    assert_eq!(p["field"], "available_times");
    let p = api
        .put(&token, path, json!({"mode": "open", "authorization_required": true}))
        .await
        .problem(400, "invalid-request");
    assert_eq!(p["field"], "mode");
    api.put(&viewer, path, rules).await.problem(403, "forbidden");

    // Private now: a remote start is refused before anything is sent, with the reason.
    api.put(&token, path, json!({"mode": "private", "authorization_required": true})).await.expect(200);
    let p = api
        .post(&token, "/api/v1/stations/EX-1/remote-start", json!({"id_tag": "CARD-1", "connector_id": 1}))
        .await
        .problem(409, "conflict");
    // Connector 1 has no overrides of its own: the station's rule refuses.
    assert_eq!(p["detail"], "remote start refused: private station: only the owner");
    let p = api
        .post(
            &token,
            "/api/v1/stations/EX-1/commands",
            json!({"action": "RemoteStartTransaction", "payload": {"idTag": "CARD-1"}}),
        )
        .await
        .problem(409, "conflict");
    assert_eq!(p["detail"], "remote start refused: private station: only the owner");
    let history = api.get(&token, "/api/v1/stations/EX-1/commands").await.expect(200);
    assert_eq!(history, json!([]), "nothing was sent");

    // Public again: the remote start goes to the station.
    api.put(&token, path, json!({"mode": "public", "authorization_required": true})).await.expect(200);
    let send = api.post(
        &token,
        "/api/v1/stations/EX-1/remote-start",
        json!({"id_tag": "CARD-1", "connector_id": 1, "wait_for_start_secs": 0}),
    );
    let (answer, payload) =
        tokio::join!(send, common::answer_next(&mut st, "RemoteStartTransaction", json!({"status": "Accepted"})));
    assert_eq!(payload["idTag"], "CARD-1");
    assert_eq!(answer.expect(200)["answer"]["status"], "Accepted");
}
