//! Commands through the REST API to stations that answer, refuse, stay silent, disconnect, or are busy.

mod common;

use std::time::Duration;

use common::{TestApi, answer_next, boot_payload};
use joule_core::Role;
use joule_core::station::StationState;
use ocpp::ErrorCode;
use serde_json::json;

#[tokio::test]
async fn an_answered_command_returns_the_answer_and_is_in_the_history() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    let mut st = api.booted(&op, "CP-1").await;

    let request = api.post(&token, "/api/v1/stations/CP-1/reset", json!({"type": "Hard"}));
    let station = async {
        let payload = answer_next(&mut st, "Reset", json!({"status": "Accepted"})).await;
        assert_eq!(payload, json!({"type": "Hard"}));
    };
    let (answer, ()) = tokio::join!(request, station);
    let answer = answer.expect(200);
    assert_eq!(answer["answer"], json!({"status": "Accepted"}));
    assert_eq!(answer["action"], "Reset");
    assert!(answer["latency_ms"].as_u64().is_some());
    let command_id = answer["command_id"].as_i64().unwrap();

    let history = api.get(&token, "/api/v1/stations/CP-1/commands").await.expect(200);
    let entry = &history[0];
    assert_eq!(entry["id"], command_id);
    assert_eq!(entry["action"], "Reset");
    assert_eq!(entry["payload"], json!({"type": "Hard"}));
    assert!(entry["requested_by"].as_str().unwrap().starts_with("token:operator-"), "{entry}");
    assert_eq!(entry["outcome"], "answered");
    assert_eq!(entry["answer"], json!({"status": "Accepted"}));
    assert!(entry["latency_ms"].as_i64().is_some());
    let one = api.get(&token, &format!("/api/v1/stations/CP-1/commands/{command_id}")).await.expect(200);
    assert_eq!(one["id"], command_id);

    // The generic endpoint sends any action; an empty payload is fine for ClearCache.
    let request = api.post(&token, "/api/v1/stations/CP-1/commands", json!({"action": "ClearCache"}));
    let station = answer_next(&mut st, "ClearCache", json!({"status": "Rejected"}));
    let (answer, payload) = tokio::join!(request, station);
    assert_eq!(payload, json!({}));
    assert_eq!(answer.expect(200)["answer"]["status"], "Rejected");
}

#[tokio::test]
async fn every_way_a_command_can_end_has_its_status() {
    let api = TestApi::start_with(|s| s.ocpp.call_timeout_secs = 1).await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    api.register(&op, "OFFLINE-1", StationState::Active).await;
    let mut st = api.booted(&op, "CP-1").await;

    // Offline: 409, nothing sent, recorded.
    api.post(&token, "/api/v1/stations/OFFLINE-1/reset", json!({})).await.problem(409, "station-offline");

    // CALLERROR: 502 with the station's code.
    let request = api.post(&token, "/api/v1/stations/CP-1/unlock", json!({"connector_id": 1}));
    let station = async {
        let call = st.next_server_call(Duration::from_secs(5)).await.unwrap().unwrap();
        assert_eq!(call.action, "UnlockConnector");
        st.respond_error(&call.id, ErrorCode::NotSupported, "no locks here").await.unwrap();
    };
    let (answer, ()) = tokio::join!(request, station);
    let problem = answer.problem(502, "station-call-error");
    assert_eq!(problem["ocpp_error_code"], "NotSupported");
    assert!(problem["detail"].as_str().unwrap().contains("no locks here"), "{problem}");

    // Silence: 504 after the call timeout.
    let problem =
        api.post(&token, "/api/v1/stations/CP-1/clear-cache", json!({})).await.problem(504, "station-timeout");
    assert!(problem["detail"].as_str().unwrap().contains("did not answer"), "{problem}");
    let ignored = st.next_server_call(Duration::from_secs(1)).await.unwrap().unwrap();
    assert_eq!(ignored.action, "ClearCache");

    let offline_history = api.get(&token, "/api/v1/stations/OFFLINE-1/commands").await.expect(200);
    assert_eq!(offline_history[0]["outcome"], "offline");
    assert_eq!(offline_history[0]["latency_ms"], serde_json::Value::Null);
    let history = api.get(&token, "/api/v1/stations/CP-1/commands").await.expect(200);
    let outcomes: Vec<&str> = history.as_array().unwrap().iter().map(|c| c["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["timeout", "call-error"]);
}

#[tokio::test]
async fn a_station_that_disconnects_mid_call_ends_the_command() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    let mut st = api.booted(&op, "CP-1").await;

    let request = api.post(&token, "/api/v1/stations/CP-1/reset", json!({}));
    let station = async {
        let call = st.next_server_call(Duration::from_secs(5)).await.unwrap().unwrap();
        assert_eq!(call.action, "Reset");
        st.close().await;
    };
    let (answer, ()) = tokio::join!(request, station);
    answer.problem(502, "station-disconnected");
    let history = api.get(&token, "/api/v1/stations/CP-1/commands").await.expect(200);
    assert_eq!(history[0]["outcome"], "disconnected");
}

#[tokio::test]
async fn commands_wait_in_order_and_a_full_queue_answers_429() {
    let api = TestApi::start_with(|s| s.ocpp.command_queue = 2).await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    let mut st = api.booted(&op, "CP-1").await;

    // One outstanding and two queued; the fourth finds the queue full.
    let mut pending = Vec::new();
    for key in ["K1", "K2", "K3"] {
        let api_url = api.url(&format!("/api/v1/stations/CP-1/configuration/{key}"));
        let request = api.http.put(api_url).bearer_auth(&token).json(&json!({"value": "1"})).send();
        pending.push(tokio::spawn(request));
        // Sent one after the other, so they queue in this order.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let first = st.next_server_call(Duration::from_secs(5)).await.unwrap().unwrap();
    assert_eq!(first.payload["key"], "K1");
    api.eventually("two commands are queued", || async {
        api.app.gateway.queued_commands(&joule_core::StationId::parse("CP-1").unwrap()) == Some(2)
    })
    .await;
    let full = api.put(&token, "/api/v1/stations/CP-1/configuration/K4", json!({"value": "1"})).await;
    let problem = full.problem(429, "queue-full");
    assert!(problem["detail"].as_str().unwrap().contains("waiting"), "{problem}");

    // One outstanding CALL at a time (OCPP-J §4.1.1): K2 is sent only once K1 is answered.
    assert!(st.next_server_call(Duration::from_millis(300)).await.unwrap().is_none());
    st.respond(&first.id, json!({"status": "Accepted"})).await.unwrap();
    let second = answer_next(&mut st, "ChangeConfiguration", json!({"status": "RebootRequired"})).await;
    assert_eq!(second["key"], "K2");
    let third = answer_next(&mut st, "ChangeConfiguration", json!({"status": "Rejected"})).await;
    assert_eq!(third["key"], "K3");
    let mut statuses = Vec::new();
    for p in pending {
        let response = p.await.unwrap().unwrap();
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        statuses.push(body["status"].as_str().unwrap().to_string());
    }
    assert_eq!(statuses, ["Accepted", "RebootRequired", "Rejected"]);

    // Accepted and RebootRequired change the stored value; Rejected does not.
    let config = api.get(&token, "/api/v1/stations/CP-1/configuration").await.expect(200);
    let keys: Vec<&str> = config.as_array().unwrap().iter().map(|k| k["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["K1", "K2"]);
    assert!(config[0]["changed_at"].is_string());
}

#[tokio::test]
async fn get_configuration_is_stored_with_readonly_flags_and_read_time() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Viewer).await;
    let operator = api.token(&op, Role::Operator).await;
    let mut st = api.booted(&op, "CP-1").await;

    let request = api.post(&operator, "/api/v1/stations/CP-1/configuration/refresh", json!({}));
    let conf = json!({
        "configurationKey": [
            {"key": "MeterValueSampleInterval", "readonly": false, "value": "60"},
            {"key": "NumberOfConnectors", "readonly": true, "value": "2"},
            {"key": "AuthorizationKey", "readonly": false}
        ]
    });
    let (answer, payload) = tokio::join!(request, answer_next(&mut st, "GetConfiguration", conf));
    assert_eq!(payload, json!({}));
    let answer = answer.expect(200);
    assert_eq!(answer["configuration"].as_array().unwrap().len(), 3);

    // Some keys only: the unknown ones are reported, the others kept.
    let request = api.post(
        &operator,
        "/api/v1/stations/CP-1/configuration/refresh",
        json!({"keys": ["MeterValueSampleInterval", "Nope"]}),
    );
    let conf = json!({
        "configurationKey": [{"key": "MeterValueSampleInterval", "readonly": false, "value": "30"}],
        "unknownKey": ["Nope"]
    });
    let (answer, payload) = tokio::join!(request, answer_next(&mut st, "GetConfiguration", conf));
    assert_eq!(payload, json!({"key": ["MeterValueSampleInterval", "Nope"]}));
    assert_eq!(answer.expect(200)["unknown_keys"], json!(["Nope"]));

    let detail = api.get(&token, "/api/v1/stations/CP-1").await.expect(200);
    let config = &detail["configuration"];
    assert_eq!(config[0]["key"], "AuthorizationKey");
    assert_eq!(config[0]["value"], serde_json::Value::Null);
    assert_eq!(config[1]["key"], "MeterValueSampleInterval");
    assert_eq!(config[1]["value"], "30");
    assert_eq!(config[2]["key"], "NumberOfConnectors");
    assert_eq!(config[2]["readonly"], true);
    assert!(config[2]["read_at"].is_string());
    // The detail also has the boot data and connection.
    assert_eq!(detail["boot"]["vendor"], "Joule");
    assert_eq!(detail["online"], true);
    assert_eq!(detail["queued_commands"], 0);
}

#[tokio::test]
async fn a_pass_through_has_the_effects_of_the_command_it_stands_for() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    let mut st = api.booted(&op, "CP-1").await;
    let generic = |action: &str, payload: serde_json::Value| {
        api.post(&token, "/api/v1/stations/CP-1/commands", json!({"action": action, "payload": payload}))
    };

    // Settings read through the expert endpoint are stored, as through the refresh.
    let conf = json!({"configurationKey": [{"key": "HeartbeatInterval", "readonly": false, "value": "300"}]});
    let (answer, _) = tokio::join!(
        generic("GetConfiguration", json!({"key": ["HeartbeatInterval"]})),
        answer_next(&mut st, "GetConfiguration", conf)
    );
    assert_eq!(answer.expect(200)["action"], "GetConfiguration");
    // A change the station accepts becomes the stored value; one it rejects does not.
    let (answer, _) = tokio::join!(
        generic("ChangeConfiguration", json!({"key": "HeartbeatInterval", "value": "120"})),
        answer_next(&mut st, "ChangeConfiguration", json!({"status": "Accepted"}))
    );
    assert_eq!(answer.expect(200)["answer"]["status"], "Accepted");
    let (answer, _) = tokio::join!(
        generic("ChangeConfiguration", json!({"key": "HeartbeatInterval", "value": "5"})),
        answer_next(&mut st, "ChangeConfiguration", json!({"status": "Rejected"}))
    );
    assert_eq!(answer.expect(200)["answer"]["status"], "Rejected");
    let config = api.get(&token, "/api/v1/stations/CP-1/configuration").await.expect(200);
    assert_eq!(config[0]["key"], "HeartbeatInterval");
    assert_eq!(config[0]["value"], "120", "{config}");

    // Both changes are in the station's history, with the station's answers.
    let history = api.get(&token, "/api/v1/stations/CP-1/history").await.expect(200);
    let changes: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "configuration.change")
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["HeartbeatInterval = 120: Accepted", "HeartbeatInterval = 5: Rejected"]);
}

#[tokio::test]
async fn a_remote_start_reports_the_transaction_the_station_started() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    let mut st = api.booted(&op, "CP-1").await;

    let request =
        api.post(&token, "/api/v1/stations/CP-1/remote-start", json!({"connector_id": 2, "id_tag": "REMOTE-1"}));
    let station = async {
        let payload = answer_next(&mut st, "RemoteStartTransaction", json!({"status": "Accepted"})).await;
        assert_eq!(payload, json!({"connectorId": 2, "idTag": "REMOTE-1"}));
        // The driver plugs in: the station starts the session right after its answer.
        let start = json!({"connectorId": 2, "idTag": "REMOTE-1", "meterStart": 100, "timestamp": chrono::Utc::now()});
        st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap()
    };
    let (answer, transaction) = tokio::join!(request, station);
    let answer = answer.expect(200);
    assert_eq!(answer["answer"]["status"], "Accepted");
    assert_eq!(answer["transaction_id"], transaction);

    let command_id = answer["command_id"].as_i64().unwrap();
    api.eventually("the history names the transaction", || async {
        let c = api.get(&token, &format!("/api/v1/stations/CP-1/commands/{command_id}")).await.expect(200);
        c["transaction_id"] == transaction
    })
    .await;

    // A start that is not accepted waits for nothing.
    let request = api.post(&token, "/api/v1/stations/CP-1/remote-start", json!({"id_tag": "REMOTE-2"}));
    let (answer, _) =
        tokio::join!(request, answer_next(&mut st, "RemoteStartTransaction", json!({"status": "Rejected"})));
    let answer = answer.expect(200);
    assert_eq!(answer["answer"]["status"], "Rejected");
    assert!(answer.get("transaction_id").is_none());

    // An empty or too long tag never reaches the station (the schema would let an empty one through).
    for tag in ["", "ABCDEFGHIJKLMNOPQRSTU"] {
        let bad = api.post(&token, "/api/v1/stations/CP-1/remote-start", json!({"id_tag": tag})).await;
        let problem = bad.problem(400, "invalid-request");
        assert_eq!(problem["field"], "id_tag", "{problem}");
    }
    let history = api.get(&token, "/api/v1/stations/CP-1/commands").await.expect(200);
    assert_eq!(history.as_array().unwrap().len(), 2, "{history}");
}

#[tokio::test]
async fn operator_defaults_are_applied_at_activation_and_on_demand() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let admin = api.token(&op, Role::Admin).await;
    let defaults = json!([
        {"key": "MeterValueSampleInterval", "value": "30"},
        {"key": "ClockAlignedDataInterval", "value": "900"},
        {"key": "MeterValuesAlignedData", "value": "Energy.Active.Import.Register"}
    ]);
    let path = format!("/api/v1/operators/{}/defaults", op.id.0);
    api.put(&admin, &path, defaults.clone()).await.expect(200);
    assert_eq!(api.get(&admin, &path).await.expect(200), defaults);

    // A new station connects and waits as pending; it is activated and boots again, accepted.
    let mut st = api.connect(&op, "NEW-1").await;
    let answer = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(answer["status"], "Pending");
    api.app.app.charging().activate(&joule_core::StationId::parse("NEW-1").unwrap()).await.unwrap();
    let trigger = st.next_server_call(Duration::from_secs(5)).await.unwrap().unwrap();
    assert_eq!(trigger.action, "TriggerMessage");
    st.respond(&trigger.id, json!({"status": "Accepted"})).await.unwrap();
    let answer = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(answer["status"], "Accepted");

    // Each default key arrives as a ChangeConfiguration, in order.
    let mut keys = Vec::new();
    for status in ["Accepted", "NotSupported", "RebootRequired"] {
        let payload = answer_next(&mut st, "ChangeConfiguration", json!({"status": status})).await;
        keys.push(payload["key"].as_str().unwrap().to_string());
    }
    assert_eq!(keys, ["MeterValueSampleInterval", "ClockAlignedDataInterval", "MeterValuesAlignedData"]);
    api.eventually("the results are recorded", || async {
        api.get(&admin, "/api/v1/stations/NEW-1/defaults").await.expect(200).as_array().unwrap().len() == 3
    })
    .await;
    let results = api.get(&admin, "/api/v1/stations/NEW-1/defaults").await.expect(200);
    let by_key = |k: &str| results.as_array().unwrap().iter().find(|r| r["key"] == k).unwrap()["result"].clone();
    assert_eq!(by_key("MeterValueSampleInterval"), "Accepted");
    assert_eq!(by_key("ClockAlignedDataInterval"), "NotSupported");
    assert_eq!(by_key("MeterValuesAlignedData"), "RebootRequired");
    // The history says Joule sent them.
    let history = api.get(&admin, "/api/v1/stations/NEW-1/commands").await.expect(200);
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["action"] == "ChangeConfiguration")
            .all(|c| c["requested_by"] == "system")
    );

    // A later boot sends nothing again: every key was answered.
    st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert!(st.next_server_call(Duration::from_millis(500)).await.unwrap().is_none());

    // On demand, every key is sent again and the answer carries the results.
    let request = api.post(&admin, "/api/v1/stations/NEW-1/defaults/apply", json!({}));
    let station = async {
        for _ in 0..3 {
            answer_next(&mut st, "ChangeConfiguration", json!({"status": "Accepted"})).await;
        }
    };
    let (answer, ()) = tokio::join!(request, station);
    let answer = answer.expect(200);
    assert!(answer.as_array().unwrap().iter().all(|r| r["result"] == "Accepted"), "{answer}");
}

#[tokio::test]
async fn every_csms_initiated_action_goes_through_the_generic_endpoint() {
    use ocpp::v16::{CentralSystemRequest, Kind};
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    let mut st = api.booted(&op, "CP-1").await;

    let requests: Vec<_> = CentralSystemRequest::MESSAGES.iter().filter(|m| m.kind == Kind::Request).collect();
    assert_eq!(requests.len(), 26, "Core, Firmware, Local Auth List, Reservation, Trigger, Smart Charging, security");
    for request in requests {
        let response = CentralSystemRequest::MESSAGES
            .iter()
            .find(|m| m.action == request.action && m.kind == Kind::Response)
            .unwrap();
        let payload = request.ty.example(true);
        let answer = response.ty.example(true);
        let body = json!({"action": request.action, "payload": payload, "wait_for_start_secs": 0});
        let call = api.post(&token, "/api/v1/stations/CP-1/commands", body);
        let (result, sent) = tokio::join!(call, answer_next(&mut st, request.action, answer.clone()));
        assert_eq!(sent, (request.round_trip)(&payload).unwrap(), "{} arrives as validated", request.action);
        let result = result.expect(200);
        assert_eq!(result["action"], request.action);
        assert_eq!(result["answer"], answer, "{}", request.action);
    }
    let history = api.get(&token, "/api/v1/stations/CP-1/commands?limit=100").await.expect(200);
    assert_eq!(history.as_array().unwrap().len(), 26);
    assert!(history.as_array().unwrap().iter().all(|c| c["outcome"] == "answered"));
}
