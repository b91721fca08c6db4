//! The simulator against a tiny in-test CSMS: the client API, then short bounded load-generator runs.
//! Counts only; never timing.

mod fake_csms;

use std::time::Duration;

use fake_csms::{Behaviour, FakeCsms};
use joule_sim::client::{CallOutcome, ConnectOptions, StationClient};
use joule_sim::{Config, Error, Mode, Report};
use ocpp::{ErrorCode, Frame};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn client_calls_raw_frames_server_calls_and_close() {
    let csms = FakeCsms::start(Behaviour::default()).await;
    let mut st = StationClient::connect(&csms.url("ST-1"), ConnectOptions::default()).await.unwrap();
    assert_eq!(st.subprotocol(), Some("ocpp1.6"));

    let boot = st
        .call("BootNotification", json!({"chargePointVendor": "Acme", "chargePointModel": "One"}))
        .await
        .unwrap()
        .expect_result();
    assert_eq!(boot["status"], "Accepted");

    let outcome = st.call("NoSuchAction", json!({})).await.unwrap();
    assert!(matches!(outcome, CallOutcome::Error { code: ErrorCode::NotImplemented, .. }), "{outcome:?}");

    // A broken frame whose id is readable gets a CALLERROR with that id.
    st.send_raw(r#"[2,"raw-1","Heartbeat",{"#).await.unwrap();
    match st.next_frame(WAIT).await.unwrap() {
        Some(Frame::CallError(e)) => {
            assert_eq!(e.id.as_str(), "raw-1");
            assert_eq!(e.code, ErrorCode::FormationViolation);
        }
        other => panic!("expected a CALLERROR, got {other:?}"),
    }

    // The server sends a TriggerMessage before answering our CALL: the call still completes and the server's
    // CALL waits for us.
    st.call("TestTrigger", json!({})).await.unwrap().expect_result();
    let trigger = st.next_server_call(WAIT).await.unwrap().expect("a server CALL");
    assert_eq!(trigger.action, "TriggerMessage");
    assert_eq!(trigger.payload["requestedMessage"], "Heartbeat");
    st.respond(&trigger.id, json!({"status": "Accepted"})).await.unwrap();
    let hb = st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    assert!(hb["currentTime"].is_string());
    assert!(st.next_frame(Duration::from_millis(50)).await.unwrap().is_none());

    // Pings are answered by the client's reader.
    let ping = st.call("TestPing", json!({})).await.unwrap().expect_result();
    assert_eq!(ping["pong"], true);

    assert!(!st.is_closed(Duration::from_millis(50)).await);
    let err = st.call("TestClose", json!({})).await.unwrap_err();
    assert!(matches!(err, Error::Closed { code: Some(4000), .. }), "{err}");
    assert!(st.is_closed(Duration::ZERO).await);
    assert_eq!(st.close_info().unwrap().reason, "bye");
    assert!(st.send_raw("[]").await.is_err());
    st.close().await;

    let answers = &csms.seen.lock().unwrap().answers;
    assert_eq!(answers, &vec![json!({"status": "Accepted"})]);
}

#[tokio::test]
async fn client_connect_failures_expose_the_reason() {
    let csms = FakeCsms::start(Behaviour::default()).await;

    let err = StationClient::connect(&csms.url("BAD-1"), ConnectOptions::default()).await.err().unwrap();
    assert_eq!(err.http_status(), Some(404), "{err}");

    let err = StationClient::connect(&csms.url("AUTH-1"), ConnectOptions::default()).await.err().unwrap();
    assert_eq!(err.http_status(), Some(401), "{err}");
    let wrong = ConnectOptions::default().with_basic_auth("AUTH-1", "wrong");
    assert_eq!(StationClient::connect(&csms.url("AUTH-1"), wrong).await.err().unwrap().http_status(), Some(401));
    let right = ConnectOptions::default().with_basic_auth("AUTH-1", "secret");
    let st = StationClient::connect(&csms.url("AUTH-1"), right).await.unwrap();
    st.close().await;

    // The server agrees no subprotocol when we offer only one it does not speak.
    let opts = ConnectOptions::default().with_subprotocols(["ocpp2.0.1"]);
    let err = StationClient::connect(&csms.url("ST-2"), opts).await.err().unwrap();
    assert!(matches!(err, Error::Subprotocol(_)), "{err}");
    assert_eq!(err.http_status(), None);

    // Nothing listens there.
    let closed_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = StationClient::connect(&format!("ws://127.0.0.1:{closed_port}/ocpp/X"), ConnectOptions::default())
        .await
        .err()
        .unwrap();
    assert!(matches!(err, Error::Connect(_)), "{err}");
    assert!(matches!(
        StationClient::connect("http://x/y", ConnectOptions::default()).await,
        Err(Error::InvalidRequest(_))
    ));
}

fn config(csms: &FakeCsms, mode: Mode, stations: u32, duration: Duration) -> Config {
    let mut c = Config::new(csms.base_url());
    c.mode = mode;
    c.stations = stations;
    c.duration = duration;
    c.progress_interval = Duration::ZERO;
    c.call_timeout = Duration::from_secs(5);
    c
}

/// Every sent call ended one way or another, and the per-action counts add up to the totals.
fn assert_consistent(r: &Report) {
    let c = &r.calls;
    assert_eq!(c.sent, c.results + c.errors_total() + c.timeouts + c.lost, "{r}");
    let per_action: u64 = r.actions.values().map(|a| a.sent).sum();
    assert_eq!(per_action, c.sent, "{r}");
    let results: u64 = r.actions.values().map(|a| a.results).sum();
    assert_eq!(results, c.results, "{r}");
    assert_eq!(r.connections.attempted, r.connections.established + r.connections.failed, "{r}");
    for a in r.actions.values() {
        if a.results + a.errors > 0 {
            let l = a.latency.expect("answered calls have a latency");
            assert!(l.p50_ms <= l.p99_ms && l.p99_ms <= l.max_ms, "{r}");
        }
    }
    let json = r.to_json();
    assert_eq!(json["calls"]["sent"], c.sent);
    assert_eq!(json["connections"]["established"], r.connections.established);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_run_connects_boots_and_heartbeats() {
    let csms = FakeCsms::start(Behaviour::default()).await;
    let mut cfg = config(&csms, Mode::Idle, 20, Duration::from_secs(2));
    cfg.heartbeat_interval = Some(Duration::from_millis(200));
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    assert_eq!(r.connections.attempted, 20, "{r}");
    assert_eq!(r.connections.established, 20, "{r}");
    assert_eq!(r.connections.failed, 0, "{r}");
    assert_eq!(r.connections.disconnects, 0, "{r}");
    assert_eq!(r.boots.stations_accepted, 20, "{r}");
    assert_eq!(r.actions["BootNotification"].results, 20, "{r}");
    // Connector 0 and connector 1 of each station.
    assert_eq!(r.actions["StatusNotification"].results, 40, "{r}");
    assert!(r.actions["Heartbeat"].results > 0, "{r}");
    assert_eq!(r.calls.errors_total() + r.calls.timeouts + r.calls.lost, 0, "{r}");
    assert_eq!(csms.count("BootNotification"), 20);
    assert_eq!(csms.count("Heartbeat"), r.actions["Heartbeat"].results);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_run_starts_meters_and_stops_transactions() {
    let csms = FakeCsms::start(Behaviour::default()).await;
    let mut cfg = config(&csms, Mode::Sessions, 10, Duration::from_secs(2));
    cfg.connectors = 2;
    cfg.meter_interval = Duration::from_millis(100);
    cfg.session_length = Some(Duration::from_millis(500));
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    assert_eq!(r.connections.established, 10, "{r}");
    assert!(r.transactions.started > 0, "{r}");
    // Sessions end after their length or at the end of the run: every one is stopped.
    assert_eq!(r.transactions.stopped, r.transactions.started, "{r}");
    assert_eq!(r.actions["StartTransaction"].results, r.transactions.started, "{r}");
    assert_eq!(r.actions["StopTransaction"].results, r.transactions.stopped, "{r}");
    assert!(r.actions["Authorize"].results >= r.transactions.started, "{r}");
    assert!(r.actions["MeterValues"].results > 0, "{r}");
    assert_eq!(r.calls.errors_total(), 0, "{r}");
    assert_eq!(csms.count("StartTransaction"), csms.count("StopTransaction"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_with_a_blocked_tag_start_nothing() {
    let csms = FakeCsms::start(Behaviour::default()).await;
    let mut cfg = config(&csms, Mode::Sessions, 3, Duration::from_secs(1));
    cfg.meter_interval = Duration::from_millis(100);
    cfg.id_tag = "BLOCKED".into();
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    assert_eq!(r.transactions.started, 0, "{r}");
    assert!(r.transactions.authorize_rejected > 0, "{r}");
    assert!(!r.actions.contains_key("StartTransaction"), "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storm_run_waits_out_pending_and_reports_time_to_all_accepted() {
    let csms = FakeCsms::start(Behaviour { pending_first: true, ..Behaviour::default() }).await;
    let mut cfg = config(&csms, Mode::Storm, 20, Duration::from_secs(20));
    cfg.boot_retry_interval = Some(Duration::from_millis(100));
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    assert_eq!(r.connections.established, 20, "{r}");
    assert_eq!(r.boots.pending, 20, "{r}");
    assert_eq!(r.boots.accepted, 20, "{r}");
    assert_eq!(r.boots.stations_accepted, 20, "{r}");
    assert!(r.boots.time_to_all_accepted.is_some(), "{r}");
    assert!(r.to_json()["boots"]["time_to_all_accepted_s"].is_number());
    assert_eq!(r.actions["BootNotification"].results, 40, "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meter_flood_sends_meter_values_back_to_back() {
    let csms = FakeCsms::start(Behaviour::default()).await;
    let cfg = config(&csms, Mode::MeterFlood, 5, Duration::from_secs(1));
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    assert_eq!(r.actions["StartTransaction"].results, 5, "{r}");
    assert_eq!(r.transactions.stopped, 5, "{r}");
    assert!(r.actions["MeterValues"].results > 5, "{r}");
    assert_eq!(csms.count("MeterValues"), r.actions["MeterValues"].results);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_connections_are_grouped_by_reason() {
    let csms = FakeCsms::start(Behaviour::default()).await;
    let mut cfg = config(&csms, Mode::Idle, 5, Duration::from_secs(1));
    cfg.id_prefix = "BAD-".into();
    cfg.no_reconnect = true;
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    assert_eq!(r.connections.attempted, 5, "{r}");
    assert_eq!(r.connections.established, 0, "{r}");
    assert_eq!(r.connections.failures.get("HTTP 404"), Some(&5), "{r}");
    assert_eq!(r.calls.sent, 0, "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stations_answer_trigger_message_and_send_the_triggered_message() {
    let trigger = json!({"requestedMessage": "StatusNotification", "connectorId": 1});
    let csms =
        FakeCsms::start(Behaviour { after_first_accept: Some(("TriggerMessage", trigger)), ..Behaviour::default() })
            .await;
    let mut cfg = config(&csms, Mode::Idle, 4, Duration::from_secs(1));
    cfg.password = Some("secret".into());
    cfg.id_prefix = "AUTH-".into();
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    assert_eq!(r.connections.established, 4, "{r}");
    assert_eq!(r.server_calls.get("TriggerMessage"), Some(&4), "{r}");
    // Two StatusNotifications after boot, plus the triggered one.
    assert_eq!(r.actions["StatusNotification"].results, 4 * 3, "{r}");
    let answers = &csms.seen.lock().unwrap().answers;
    assert_eq!(answers.len(), 4);
    assert!(answers.iter().all(|a| a["status"] == "Accepted"));
}

#[tokio::test]
async fn invalid_configuration_is_refused() {
    let mut cfg = Config::new("http://127.0.0.1:1/ocpp");
    assert!(matches!(joule_sim::run(cfg.clone()).await, Err(Error::Config(_))));
    cfg.url = "ws://127.0.0.1:1/ocpp".into();
    cfg.stations = 0;
    assert!(matches!(joule_sim::run(cfg).await, Err(Error::Config(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stations_reconnect_and_boot_again_after_reset() {
    let reset = Some(("Reset", json!({"type": "Soft"})));
    let csms = FakeCsms::start(Behaviour { after_first_accept: reset, ..Behaviour::default() }).await;
    // Long enough for the reconnect one second after the reset, with room to spare on a slow machine.
    let mut cfg = config(&csms, Mode::Sessions, 3, Duration::from_secs(4));
    cfg.meter_interval = Duration::from_millis(100);
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    assert_eq!(r.server_calls.get("Reset"), Some(&3), "{r}");
    assert_eq!(r.connections.established, 6, "{r}");
    assert_eq!(r.connections.disconnects, 0, "{r}");
    assert_eq!(r.boots.accepted, 6, "{r}");
    assert_eq!(r.boots.stations_accepted, 3, "{r}");
    assert_eq!(r.transactions.stopped, r.transactions.started, "{r}");
    let answers = &csms.seen.lock().unwrap().answers;
    assert_eq!(answers, &vec![json!({"status": "Accepted"}); 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stations_answer_configuration_requests() {
    let get = json!({"key": ["HeartbeatInterval", "NoSuchKey"]});
    let csms =
        FakeCsms::start(Behaviour { after_first_accept: Some(("GetConfiguration", get)), ..Behaviour::default() })
            .await;
    let cfg = config(&csms, Mode::Idle, 2, Duration::from_secs(1));
    let r = joule_sim::run(cfg).await.unwrap();
    assert_consistent(&r);
    let answers = &csms.seen.lock().unwrap().answers;
    assert_eq!(answers.len(), 2);
    for a in answers {
        assert_eq!(a["configurationKey"][0]["key"], "HeartbeatInterval");
        assert_eq!(a["configurationKey"][0]["value"], "60");
        assert_eq!(a["unknownKey"], json!(["NoSuchKey"]));
    }
}
