//! Local authorization lists kept in step (OCPP 1.6 §6.27 GetLocalListVersion, §6.41
//! SendLocalList), against a real server and real WebSocket stations that answer the calls they receive.

mod common;

use std::time::Duration;

use common::{TestApi, answer_next, boot_payload};
use joule_core::auth::IdToken;
use joule_core::station::StationState;
use joule_core::{IdTag, Role};
use joule_sim::client::StationClient;
use joule_store::{ConfigKey, Operator};
use ocpp::ErrorCode;
use serde_json::{Value, json};

/// How long a station waits for a call that a background sync sends (it runs every few seconds): a
/// bound on waiting, not a measured time.
const BACKGROUND: Duration = Duration::from_secs(20);

/// Registers an active station whose configuration says it takes local lists (as a GetConfiguration
/// would have stored), with these sizes, connects and boots it.
async fn list_station(api: &TestApi, op: &Operator, id: &str, sizes: &[(&str, &str)]) -> StationClient {
    let station = api.register(op, id, StationState::Active).await;
    let mut keys = vec![ConfigKey {
        key: "SupportedFeatureProfiles".into(),
        value: Some("Core,RemoteTrigger,LocalAuthListManagement".into()),
        readonly: true,
    }];
    keys.extend(sizes.iter().map(|(k, v)| ConfigKey { key: (*k).into(), value: Some((*v).into()), readonly: true }));
    api.store.store_configuration(&station, &keys, chrono::Utc::now()).await.unwrap();
    let mut st = api.connect(op, id).await;
    let answer = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(answer["status"], "Accepted");
    st
}

async fn add_token(api: &TestApi, op: &Operator, tag: &str, blocked: bool) {
    let token =
        IdToken { operator_id: op.id, tag: IdTag::parse(tag).unwrap(), parent: None, expires_at: None, blocked };
    api.store.add_id_token(&token).await.unwrap();
}

/// The next CALL the station receives within `wait`, which must be `action`, answered with `answer`.
async fn answer_within(st: &mut StationClient, wait: Duration, action: &str, answer: Value) -> Value {
    let call = st.next_server_call(wait).await.unwrap().unwrap_or_else(|| panic!("no {action} within {wait:?}"));
    assert_eq!(call.action, action, "payload {}", call.payload);
    st.respond(&call.id, answer).await.unwrap();
    call.payload
}

fn tags(payload: &Value) -> Vec<String> {
    payload["localAuthorizationList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["idTag"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_booted_station_gets_its_list_then_differential_updates_then_a_full_one_after_a_mismatch() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    let viewer = api.token(&op, Role::Viewer).await;
    add_token(&api, &op, "CARD-B", false).await;
    add_token(&api, &op, "CARD-A", false).await;
    add_token(&api, &op, "CARD-X", true).await;
    let mut st = list_station(&api, &op, "LL-1", &[("SendLocalListMaxLength", "50")]).await;

    // After the boot: the version is asked, then the whole list is sent, blocked tokens left out.
    answer_next(&mut st, "GetLocalListVersion", json!({"listVersion": 0})).await;
    let full = answer_next(&mut st, "SendLocalList", json!({"status": "Accepted"})).await;
    assert_eq!(full["updateType"], "Full");
    assert_eq!(full["listVersion"], 1);
    assert_eq!(tags(&full), ["CARD-A", "CARD-B"]);
    assert_eq!(full["localAuthorizationList"][0]["idTagInfo"]["status"], "Accepted");
    let path = "/api/v1/stations/LL-1/local-list";
    api.eventually("the accepted list is recorded", || async {
        api.get(&viewer, path).await.expect(200)["sent_version"] == 1
    })
    .await;
    let shown = api.get(&viewer, path).await.expect(200);
    assert_eq!(shown["supported"], true);
    assert_eq!(shown["entries"], 2);
    assert_eq!(shown["wanted"], 2);
    assert_eq!(shown["in_step"], true);
    assert_eq!(shown["last_result"], "Accepted");
    assert_eq!(shown["online"], true);
    assert_eq!(shown["send_max_length"], 50);

    // A new token through the API: a Differential update with only it, one version up.
    api.post(&token, "/api/v1/id-tokens", json!({"tag": "CARD-C"})).await.expect(201);
    let diff = answer_within(&mut st, BACKGROUND, "SendLocalList", json!({"status": "Accepted"})).await;
    assert_eq!(diff["updateType"], "Differential");
    assert_eq!(diff["listVersion"], 2);
    assert_eq!(tags(&diff), ["CARD-C"]);

    // Blocking a token removes it: an entry without idTagInfo. The station says its version differs.
    let blocked = json!({"blocked": true});
    api.put(&token, "/api/v1/id-tokens/CARD-A", blocked).await.expect(200);
    let removal = answer_within(&mut st, BACKGROUND, "SendLocalList", json!({"status": "VersionMismatch"})).await;
    assert_eq!(removal["updateType"], "Differential");
    assert_eq!(removal["listVersion"], 3);
    assert_eq!(tags(&removal), ["CARD-A"]);
    assert!(removal["localAuthorizationList"][0].get("idTagInfo").is_none(), "{removal}");
    api.eventually("the mismatch is recorded", || async {
        api.get(&viewer, path).await.expect(200)["last_result"] == "VersionMismatch"
    })
    .await;
    let forgotten = api.get(&viewer, path).await.expect(200);
    assert!(forgotten["sent_version"].is_null() && forgotten["in_step"] == false, "{forgotten}");

    // Next time: the version is asked again and the whole list sent, above the station's version.
    let request = api.post(&token, "/api/v1/stations/LL-1/local-list/sync", json!({}));
    let station = async {
        answer_next(&mut st, "GetLocalListVersion", json!({"listVersion": 7})).await;
        answer_next(&mut st, "SendLocalList", json!({"status": "Accepted"})).await
    };
    let (answer, again) = tokio::join!(request, station);
    assert_eq!(again["updateType"], "Full");
    assert_eq!(again["listVersion"], 8);
    assert_eq!(tags(&again), ["CARD-B", "CARD-C"]);
    let answer = answer.expect(200);
    assert_eq!(answer["updates"], json!([{"version": 8, "update_type": "Full", "changes": 2, "status": "Accepted"}]));
    assert_eq!(answer["state"]["in_step"], true);
    assert_eq!(answer["state"]["sent_version"], 8);

    // In step: a sync sends nothing. A viewer may read but not sync.
    let nothing = api.post(&token, "/api/v1/stations/LL-1/local-list/sync", json!({})).await.expect(200);
    assert_eq!(nothing["updates"], json!([]));
    assert_eq!(nothing["state"]["last_result"], "in-step");
    api.post(&viewer, "/api/v1/stations/LL-1/local-list/sync", json!({})).await.problem(403, "forbidden");
    api.get(&viewer, "/api/v1/stations/NO-SUCH/local-list").await.problem(404, "not-found");

    // The commands are in the station's history like any other.
    let history = api.get(&viewer, "/api/v1/stations/LL-1/commands").await.expect(200);
    let actions: Vec<&str> = history.as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "SendLocalList").count(), 4, "{actions:?}");
}

#[tokio::test]
async fn a_station_that_answers_not_supported_is_not_asked_again() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    add_token(&api, &op, "CARD-A", false).await;
    let mut st = list_station(&api, &op, "LL-NS", &[]).await;
    answer_next(&mut st, "GetLocalListVersion", json!({"listVersion": 0})).await;
    answer_next(&mut st, "SendLocalList", json!({"status": "NotSupported"})).await;
    let path = "/api/v1/stations/LL-NS/local-list";
    api.eventually("the station is marked unsupported", || async {
        api.get(&token, path).await.expect(200)["supported"] == false
    })
    .await;

    // On demand: 409 with the reason, and nothing is sent (the next call the station gets is the next
    // command).
    let problem = api.post(&token, &format!("{path}/sync"), json!({})).await.problem(409, "conflict");
    assert!(problem["detail"].as_str().unwrap().contains("does not support local lists"), "{problem}");
    // After a reboot and a token change neither: the next call is the command sent after both.
    let answer = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(answer["status"], "Accepted");
    api.post(&token, "/api/v1/id-tokens", json!({"tag": "CARD-B"})).await.expect(201);
    api.post(&token, &format!("{path}/sync"), json!({})).await.problem(409, "conflict");
    let request = api.post(&token, "/api/v1/stations/LL-NS/clear-cache", json!({}));
    let station = answer_next(&mut st, "ClearCache", json!({"status": "Accepted"}));
    let (answer, _) = tokio::join!(request, station);
    answer.expect(200);

    // A station whose GetLocalListVersion is a CALLERROR NotSupported: the same.
    let mut other = list_station(&api, &op, "LL-NS2", &[]).await;
    let call = other.next_server_call(Duration::from_secs(5)).await.unwrap().unwrap();
    assert_eq!(call.action, "GetLocalListVersion");
    other.respond_error(&call.id, ErrorCode::NotSupported, "no local list here").await.unwrap();
    api.eventually("the second station is marked unsupported", || async {
        api.get(&token, "/api/v1/stations/LL-NS2/local-list").await.expect(200)["supported"] == false
    })
    .await;
    let problem = api.post(&token, "/api/v1/stations/LL-NS2/local-list/sync", json!({})).await.problem(409, "conflict");
    assert!(problem["detail"].as_str().unwrap().contains("no local list here"), "{problem}");

    // After a firmware update the operator retries: the configuration and version are asked again, the list
    // is sent, and the mark is gone.
    let retry = api.post(&token, "/api/v1/stations/LL-NS2/local-list/sync?retry=true", json!({}));
    let station = async {
        let keys = answer_within(
            &mut other,
            Duration::from_secs(5),
            "GetConfiguration",
            json!({"configurationKey": [
            {"key": "SupportedFeatureProfiles", "readonly": true, "value": "Core,LocalAuthListManagement"},
            {"key": "LocalAuthListEnabled", "readonly": false, "value": "true"}]}),
        )
        .await;
        assert!(keys["key"].as_array().unwrap().contains(&json!("SupportedFeatureProfiles")), "{keys}");
        answer_within(&mut other, Duration::from_secs(5), "GetLocalListVersion", json!({"listVersion": 0})).await;
        let sent =
            answer_within(&mut other, Duration::from_secs(5), "SendLocalList", json!({"status": "Accepted"})).await;
        assert_eq!(sent["updateType"], "Full");
        tags(&sent)
    };
    let (answer, sent) = tokio::join!(retry, station);
    answer.expect(200);
    assert!(sent.contains(&"CARD-A".to_string()), "{sent:?}");
    let state = api.get(&token, "/api/v1/stations/LL-NS2/local-list").await.expect(200);
    assert_eq!(state["supported"], true, "{state}");
}

#[tokio::test]
async fn long_lists_are_split_and_lists_over_the_station_limit_are_refused() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    for i in 1..=5 {
        add_token(&api, &op, &format!("CARD-{i}"), false).await;
    }
    let sizes = [("SendLocalListMaxLength", "2"), ("LocalAuthListMaxLength", "10")];
    let mut st = list_station(&api, &op, "LL-SPLIT", &sizes).await;
    answer_next(&mut st, "GetLocalListVersion", json!({"listVersion": 0})).await;
    let mut shape = Vec::new();
    for _ in 0..3 {
        let m = answer_next(&mut st, "SendLocalList", json!({"status": "Accepted"})).await;
        shape.push((m["listVersion"].as_i64().unwrap(), m["updateType"].as_str().unwrap().to_string(), tags(&m)));
    }
    let expected = vec![
        (1, "Full".to_string(), vec!["CARD-1".to_string(), "CARD-2".to_string()]),
        (2, "Differential".to_string(), vec!["CARD-3".to_string(), "CARD-4".to_string()]),
        (3, "Differential".to_string(), vec!["CARD-5".to_string()]),
    ];
    assert_eq!(shape, expected);
    api.eventually("the whole list is recorded", || async {
        let v = api.get(&token, "/api/v1/stations/LL-SPLIT/local-list").await.expect(200);
        v["sent_version"] == 3 && v["entries"] == 5 && v["in_step"] == true
    })
    .await;

    // A station that holds at most 4: nothing is sent, and the state says why.
    let mut small = list_station(&api, &op, "LL-SMALL", &[("LocalAuthListMaxLength", "4")]).await;
    answer_next(&mut small, "GetLocalListVersion", json!({"listVersion": 0})).await;
    let path = "/api/v1/stations/LL-SMALL/local-list";
    api.eventually("the refusal is recorded", || async {
        api.get(&token, path).await.expect(200)["last_result"] == "too-long"
    })
    .await;
    let shown = api.get(&token, path).await.expect(200);
    assert!(shown["last_detail"].as_str().unwrap().contains("LocalAuthListMaxLength"), "{shown}");
    let problem = api.post(&token, &format!("{path}/sync"), json!({})).await.problem(409, "conflict");
    assert!(problem["detail"].as_str().unwrap().contains("at most 4"), "{problem}");
}

#[tokio::test]
async fn an_on_demand_sync_asks_what_it_does_not_know_and_needs_a_connection() {
    let api = TestApi::start().await;
    let op = api.operator("Acme").await;
    let token = api.token(&op, Role::Operator).await;
    add_token(&api, &op, "CARD-A", false).await;
    api.register(&op, "LL-OFF", StationState::Active).await;
    let problem = api.post(&token, "/api/v1/stations/LL-OFF/local-list/sync", json!({})).await;
    problem.problem(409, "station-offline");
    let never = api.get(&token, "/api/v1/stations/LL-OFF/local-list").await.expect(200);
    assert!(never["supported"].is_null() && never["last_result"].is_null(), "{never}");
    assert_eq!(never["online"], false);

    // A booted station Joule knows nothing about gets no call by itself; asked, it is asked its keys first.
    let mut st = api.booted(&op, "LL-NEW").await;
    let request = api.post(&token, "/api/v1/stations/LL-NEW/local-list/sync", json!({}));
    let station = async {
        let keys = json!({"configurationKey": [
            {"key": "SupportedFeatureProfiles", "readonly": true, "value": "Core,LocalAuthListManagement"},
            {"key": "SendLocalListMaxLength", "readonly": true, "value": "20"}
        ], "unknownKey": ["LocalAuthListEnabled", "LocalAuthListMaxLength"]});
        let asked = answer_next(&mut st, "GetConfiguration", keys).await;
        assert_eq!(asked["key"].as_array().unwrap().len(), 4, "{asked}");
        answer_next(&mut st, "GetLocalListVersion", json!({"listVersion": 0})).await;
        answer_next(&mut st, "SendLocalList", json!({"status": "Accepted"})).await
    };
    let (answer, sent) = tokio::join!(request, station);
    assert_eq!(tags(&sent), ["CARD-A"]);
    let answer = answer.expect(200);
    assert_eq!(answer["state"]["supported"], true);
    assert_eq!(answer["state"]["send_max_length"], 20);
    assert_eq!(answer["state"]["in_step"], true);
}
