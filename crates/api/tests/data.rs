//! Reading what stations sent: sessions with meter values, the message log, id tokens, and the live event
//! stream.

mod common;

use common::{TestApi, read_events};
use joule_core::Role;
use serde_json::{Value, json};

fn meter_values(tx: i64, wh: &str) -> Value {
    json!({
        "connectorId": 1,
        "transactionId": tx,
        "meterValue": [{
            "timestamp": "2026-11-21T08:00:00Z",
            "sampledValue": [
                {"value": wh, "measurand": "Energy.Active.Import.Register", "unit": "kWh"},
                {"value": "7.2", "measurand": "Power.Active.Import", "unit": "kW"}
            ]
        }]
    })
}

#[tokio::test]
async fn sessions_are_listed_filtered_and_shown_with_meter_values() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let other = api.operator("Other").await;
    let token = api.token(&op, Role::Viewer).await;
    let other_token = api.token(&other, Role::Viewer).await;
    let mut st = api.booted(&op, "CP-1").await;

    let start = json!({"connectorId": 1, "idTag": "CARD-1", "meterStart": 1000, "timestamp": "2026-11-21T07:55:00Z"});
    let tx = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();
    st.call("MeterValues", meter_values(tx, "1.5")).await.unwrap().expect_result();
    let stop = json!({"transactionId": tx, "meterStop": 4000, "timestamp": "2026-11-21T08:30:00Z", "reason": "Local"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();
    let start = json!({"connectorId": 2, "idTag": "CARD-2", "meterStart": 0, "timestamp": "2026-11-21T09:00:00Z"});
    let active = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();

    let all = api.get(&token, "/api/v1/sessions").await.expect(200);
    let ids: Vec<i64> = all.as_array().unwrap().iter().map(|s| s["transaction_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [active, tx], "newest first");
    let only_active = api.get(&token, "/api/v1/sessions?active=true").await.expect(200);
    assert_eq!(only_active.as_array().unwrap().len(), 1);
    assert_eq!(only_active[0]["state"], "active");
    let by_tag = api.get(&token, "/api/v1/sessions?id_tag=CARD-1").await.expect(200);
    assert_eq!(by_tag.as_array().unwrap().len(), 1);
    let by_connector = api.get(&token, "/api/v1/sessions?station=CP-1&connector=2").await.expect(200);
    assert_eq!(by_connector[0]["transaction_id"], active);
    let early = api.get(&token, "/api/v1/sessions?until=2026-11-21T08:00:00Z").await.expect(200);
    assert_eq!(early[0]["transaction_id"], tx);
    assert_eq!(early.as_array().unwrap().len(), 1);

    let detail = api.get(&token, &format!("/api/v1/sessions/{tx}")).await.expect(200);
    assert_eq!(detail["state"], "completed");
    assert_eq!(detail["energy_wh"], 3000);
    assert_eq!(detail["stop_reason"], "Local");
    let samples = detail["meter_values"].as_array().unwrap();
    assert_eq!(samples.len(), 2);
    let energy = samples.iter().find(|s| s["measurand"] == "Energy.Active.Import.Register").unwrap();
    assert_eq!(energy["value"], 1500.0);
    assert_eq!(energy["unit"], "Wh");
    assert_eq!(energy["raw"], "1.5");

    // Another operator's token sees none of it.
    assert_eq!(api.get(&other_token, "/api/v1/sessions").await.expect(200), json!([]));
    api.get(&other_token, &format!("/api/v1/sessions/{tx}")).await.problem(404, "not-found");
}

#[tokio::test]
async fn the_message_log_is_queryable_by_time_and_action() {
    let api = TestApi::start_with(|s| s.ocpp.message_log_days = 7).await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Viewer).await;
    let mut st = api.booted(&op, "CP-1").await;
    st.call("Heartbeat", json!({})).await.unwrap().expect_result();

    api.eventually("the frames are logged", || async {
        api.get(&token, "/api/v1/stations/CP-1/messages").await.expect(200).as_array().unwrap().len() >= 4
    })
    .await;
    let all = api.get(&token, "/api/v1/stations/CP-1/messages").await.expect(200);
    let first = &all[0];
    assert_eq!(first["direction"], "in");
    assert_eq!(first["message_type"], 2);
    assert_eq!(first["action"], "BootNotification");
    assert!(first["frame"].as_str().unwrap().contains("chargePointVendor"));
    assert_eq!(all[1]["direction"], "out");
    assert_eq!(all[1]["message_type"], 3);
    assert_eq!(all[1]["action"], "BootNotification", "a CALLRESULT carries the action it answers");

    let heartbeats = api.get(&token, "/api/v1/stations/CP-1/messages?action=Heartbeat").await.expect(200);
    assert_eq!(heartbeats.as_array().unwrap().len(), 2);
    let future = api.get(&token, "/api/v1/stations/CP-1/messages?since=2100-01-01").await.expect(200);
    assert_eq!(future, json!([]));
    let limited = api.get(&token, "/api/v1/stations/CP-1/messages?limit=1").await.expect(200);
    assert_eq!(limited.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn id_tokens_are_created_read_updated_and_deleted() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;

    let created = api
        .post(
            &token,
            "/api/v1/id-tokens",
            json!({"tag": "CARD-1", "parent": "FLEET", "expires_at": "2027-01-01T00:00:00Z"}),
        )
        .await
        .expect(201);
    assert_eq!(
        created,
        json!({"tag": "CARD-1", "type": null, "parent": "FLEET", "expires_at": "2027-01-01T00:00:00Z", "blocked": false})
    );
    api.post(&token, "/api/v1/id-tokens", json!({"tag": "CARD-1"})).await.problem(409, "conflict");
    assert_eq!(api.get(&token, "/api/v1/id-tokens/CARD-1").await.expect(200), created);

    let updated = api.put(&token, "/api/v1/id-tokens/CARD-1", json!({"blocked": true})).await.expect(200);
    assert_eq!(updated, json!({"tag": "CARD-1", "type": null, "parent": null, "expires_at": null, "blocked": true}));
    api.put(&token, "/api/v1/id-tokens/CARD-9", json!({"blocked": true})).await.problem(404, "not-found");

    // A blocked token is refused at the station.
    let mut st = api.booted(&op, "CP-1").await;
    let auth = st.call("Authorize", json!({"idTag": "CARD-1"})).await.unwrap().expect_result();
    assert_eq!(auth["idTagInfo"]["status"], "Blocked");

    api.delete(&token, "/api/v1/id-tokens/CARD-1").await.expect(204);
    api.get(&token, "/api/v1/id-tokens/CARD-1").await.problem(404, "not-found");
    api.delete(&token, "/api/v1/id-tokens/CARD-1").await.problem(404, "not-found");
    assert_eq!(api.get(&token, "/api/v1/id-tokens").await.expect(200), json!([]));

    // Tokens of 2.0.1 length (up to 36 characters) with a type; 37 characters or an unknown type refused.
    let long = "E".repeat(36);
    let typed = api.post(&token, "/api/v1/id-tokens", json!({"tag": long, "type": "eMAID"})).await.expect(201);
    assert_eq!((typed["tag"].as_str(), typed["type"].as_str()), (Some(long.as_str()), Some("eMAID")));
    let path = format!("/api/v1/id-tokens/{long}");
    assert_eq!(api.get(&token, &path).await.expect(200)["type"], "eMAID");
    let card = api.put(&token, &path, json!({"type": "ISO14443"})).await.expect(200);
    assert_eq!(card["type"], "ISO14443");
    api.post(&token, "/api/v1/id-tokens", json!({"tag": "T".repeat(21)})).await.expect(201);
    api.post(&token, "/api/v1/id-tokens", json!({"tag": "T".repeat(37)})).await.problem(400, "invalid-request");
    api.post(&token, "/api/v1/id-tokens", json!({"tag": "CARD-2", "type": "RFID"}))
        .await
        .problem(400, "invalid-request");
}

#[tokio::test]
async fn the_event_stream_carries_the_operators_station_events_only() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let other = api.operator("Other").await;
    let token = api.token(&op, Role::Viewer).await;
    api.register(&op, "CP-1", joule_core::station::StationState::Active).await;
    api.register(&other, "OTHER-1", joule_core::station::StationState::Active).await;

    let response = api.http.get(api.url("/api/v1/events")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");

    // The other operator's station comes and goes first: none of it may appear.
    let foreign = api.connect(&other, "OTHER-1").await;
    foreign.close().await;
    let mut st = api.connect(&op, "CP-1").await;
    st.call("BootNotification", common::boot_payload()).await.unwrap().expect_result();
    let status = json!({"connectorId": 1, "status": "Charging", "errorCode": "NoError"});
    st.call("StatusNotification", status).await.unwrap().expect_result();
    let start = json!({"connectorId": 1, "idTag": "CARD-1", "meterStart": 0, "timestamp": chrono::Utc::now()});
    let tx = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();
    st.call("MeterValues", meter_values(tx, "2.0")).await.unwrap().expect_result();
    let stop = json!({"transactionId": tx, "meterStop": 2000, "timestamp": chrono::Utc::now()});
    st.call("StopTransaction", stop).await.unwrap().expect_result();
    st.close().await;

    let events = read_events(response, 7).await;
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["connected", "booted", "status", "session-started", "meter-values", "session-stopped", "disconnected"]
    );
    assert!(events.iter().all(|(_, data)| data["station_id"] == "CP-1" && data["at"].is_string()));
    assert_eq!(events[2].1["status"], "Charging");
    assert_eq!(events[3].1["transaction_id"], tx);
    assert_eq!(events[4].1["samples"][0]["value"], 2000.0);
    assert_eq!(events[5].1["meter_stop_wh"], 2000);
}

#[tokio::test]
async fn the_event_stream_can_follow_one_station() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Viewer).await;
    api.register(&op, "CP-1", joule_core::station::StationState::Active).await;
    api.register(&op, "CP-2", joule_core::station::StationState::Active).await;

    let response = api.http.get(api.url("/api/v1/events?station=CP-2")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let one = api.connect(&op, "CP-1").await;
    one.close().await;
    let two = api.connect(&op, "CP-2").await;
    two.close().await;
    let events = read_events(response, 2).await;
    assert_eq!(events[0], ("connected".to_string(), events[0].1.clone()));
    assert!(events.iter().all(|(_, d)| d["station_id"] == "CP-2"), "{events:?}");
}
