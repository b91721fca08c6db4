//! `joule station local-list STATION [--sync]`, run as a user runs it: the real binary against a real
//! `joule serve`, with a simulated station answering the server's calls over a real WebSocket.

use std::time::Duration;

use joule_sim::client::{ConnectOptions, StationClient};
use serde_json::{Value, json};

mod support;

use support::Server;

/// Answers the station's next CALL, which must be `action`.
async fn answer(st: &mut StationClient, action: &str, answer: Value) -> Value {
    let call = st.next_server_call(Duration::from_secs(20)).await.unwrap().expect("the station receives a CALL");
    assert_eq!(call.action, action, "{}", call.payload);
    st.respond(&call.id, answer).await.unwrap();
    call.payload
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_list_is_shown_and_synced_from_the_cli() {
    let server = Server::start("local-list-cli");
    server.ok(&["station", "register", "LX-1", "--operator", "Acme", "--activate"]);
    server.ok(&["token", "add", "CARD-1", "--operator", "Acme"]);

    // Never synced, offline: shown as unknown; a sync says what is missing.
    let shown = server.ok(&["station", "local-list", "LX-1"]);
    assert!(shown.contains("Station LX-1: local list supported: unknown"), "{shown}");
    assert!(shown.contains("last sync: never") && shown.contains("offline"), "{shown}");
    let err = server.fails(&["station", "local-list", "LX-1", "--sync"]);
    assert!(err.contains("not connected"), "{err}");

    // Connected: the sync asks the keys and the version, then sends the list.
    let url = format!("ws://127.0.0.1:{}/ocpp/{}/LX-1", server.port, server.key);
    let mut st = StationClient::connect(&url, ConnectOptions::default()).await.unwrap();
    let boot = json!({"chargePointVendor": "Joule", "chargePointModel": "Test-22"});
    assert_eq!(st.call("BootNotification", boot).await.unwrap().expect_result()["status"], "Accepted");
    let mut cmd = server.command(&["station", "local-list", "LX-1", "--sync"]);
    let running = std::thread::spawn(move || cmd.output().unwrap());
    let keys = json!({"configurationKey": [
        {"key": "SupportedFeatureProfiles", "readonly": true, "value": "Core,LocalAuthListManagement"},
        {"key": "LocalAuthListMaxLength", "readonly": true, "value": "100"}
    ]});
    answer(&mut st, "GetConfiguration", keys).await;
    answer(&mut st, "GetLocalListVersion", json!({"listVersion": 0})).await;
    let sent = answer(&mut st, "SendLocalList", json!({"status": "Accepted"})).await;
    assert_eq!(sent["localAuthorizationList"][0]["idTag"], "CARD-1");
    let out = tokio::task::spawn_blocking(move || running.join().unwrap()).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Sent Full update, version 1, 1 entries: Accepted"), "{stdout}");
    assert!(stdout.contains("in step; station version 1, last sent version 1"), "{stdout}");

    let shown = server.ok(&["station", "local-list", "LX-1"]);
    assert!(shown.contains("local list supported: yes"), "{shown}");
    assert!(shown.contains("entries sent: 1; entries wanted: 1"), "{shown}");
    assert!(shown.contains("LocalAuthListMaxLength 100"), "{shown}");
    assert!(shown.contains("last sync: Accepted") && shown.contains("online"), "{shown}");
    let json: Value = serde_json::from_str(&server.ok(&["station", "local-list", "LX-1", "--json"])).unwrap();
    assert_eq!(json["sent_version"], 1);
}
