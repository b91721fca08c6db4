//! OCPP 1.6J end to end: a real server on a free port, real WebSockets, a real SQLite database.

mod common;

use std::time::Duration;

use common::{TestServer, boot_payload};
use joule_app::{CommandFailure, Stations};
use joule_core::auth::IdToken;
use joule_core::command::{CallErrorCode, ResetType, StationCommand};
use joule_core::station::StationState;
use joule_core::{IdTag, SessionId, StationId};
use joule_sim::client::{CallOutcome, ConnectOptions, StationClient};
use joule_store::{MeterFilter, SessionFilter};
use ocpp::{ErrorCode, Frame};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(5);

async fn add_token(s: &TestServer, op: &joule_store::Operator, tag: &str, blocked: bool, expires_in_s: Option<i64>) {
    let token = IdToken {
        operator_id: op.id,
        tag: IdTag::parse(tag).unwrap(),
        parent: Some(IdTag::parse("FLEET-1").unwrap()),
        expires_at: expires_in_s.map(|s| chrono::Utc::now() + chrono::Duration::seconds(s)),
        blocked,
    };
    s.store.add_id_token(&token).await.unwrap();
}

#[tokio::test]
async fn unknown_station_is_pending_until_activated_then_triggered_and_accepted() {
    let s = TestServer::start_with(|st| st.ocpp.message_log_days = 7).await;
    let op = s.operator("Acme").await;
    let mut st = s.connect(&op, "CP-NEW-1").await;
    assert_eq!(st.subprotocol(), Some("ocpp1.6"));
    let answer = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(answer["status"], "Pending");
    assert_eq!(answer["interval"], 60);
    assert!(answer["currentTime"].as_str().unwrap().ends_with('Z'));

    let station = s.station("CP-NEW-1").await;
    assert_eq!(station.state, StationState::Pending);
    assert_eq!(station.operator_id, op.id);
    assert!(station.online);
    let boot = station.boot.expect("boot data stored");
    assert_eq!((boot.vendor.as_str(), boot.model.as_str()), ("Joule", "Test-22"));
    assert_eq!(boot.serial_number.as_deref(), Some("SN-1"));
    assert_eq!(boot.charge_box_serial_number.as_deref(), Some("BOX-1"));
    assert_eq!(boot.firmware_version.as_deref(), Some("1.2.3"));
    assert_eq!(boot.iccid.as_deref(), Some("8931000000000000001"));
    assert_eq!(boot.imsi.as_deref(), Some("204080000000001"));
    assert_eq!(boot.meter_type.as_deref(), Some("EM-1"));
    assert_eq!(boot.meter_serial_number.as_deref(), Some("MSN-1"));

    // A pending station may not charge.
    let auth = st.call("Authorize", json!({"idTag": "ANY"})).await.unwrap().expect_result();
    assert_eq!(auth["idTagInfo"]["status"], "Invalid");

    // Activation (as `joule station activate` does it) makes the connected station boot again at once.
    s.app.app.charging().activate(&StationId::parse("CP-NEW-1").unwrap()).await.unwrap();
    let trigger = st.next_server_call(WAIT).await.unwrap().expect("TriggerMessage from the server");
    assert_eq!(trigger.action, "TriggerMessage");
    assert_eq!(trigger.payload, json!({"requestedMessage": "BootNotification"}));
    st.respond(&trigger.id, json!({"status": "Accepted"})).await.unwrap();
    let answer = st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    assert_eq!(answer["status"], "Accepted");
    assert_eq!(answer["interval"], 300);
    let hb = st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    assert!(hb["currentTime"].is_string());
    assert!(s.station("CP-NEW-1").await.last_heartbeat_at.is_some());

    // Every frame in and out is in the message log, with the action of the CALL each answer answers.
    let id = StationId::parse("CP-NEW-1").unwrap();
    let filter = joule_store::MessageFilter { station_id: Some(id.clone()), ..Default::default() };
    s.eventually("the message log has every frame", || async { s.store.messages(&filter).await.unwrap().len() >= 10 })
        .await;
    let log: Vec<(String, u8, Option<String>)> = s
        .store
        .messages(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (format!("{:?}", m.direction), m.message_type, m.action))
        .collect();
    let boot = Some("BootNotification".to_string());
    let trigger = Some("TriggerMessage".to_string());
    assert_eq!(&log[..2], &[("In".into(), 2, boot.clone()), ("Out".into(), 3, boot.clone())], "{log:?}");
    assert!(log.contains(&("Out".into(), 2, trigger.clone())) && log.contains(&("In".into(), 3, trigger)), "{log:?}");
    let history = s.store.list_commands(&id, 10).await.unwrap();
    assert_eq!(history[0].requested_by, "system", "the activation's trigger is on record");
}

#[tokio::test]
async fn authorize_valid_unknown_expired_blocked_and_free_vend() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let other = s.operator("Other").await;
    add_token(&s, &op, "VALID", false, Some(3600)).await;
    add_token(&s, &op, "BLOCKED", true, None).await;
    add_token(&s, &op, "EXPIRED", false, Some(-10)).await;
    add_token(&s, &other, "FOREIGN", false, None).await;
    let mut st = s.booted(&op, "CP-AUTH").await;
    let status = |v: Value| v["idTagInfo"]["status"].as_str().unwrap().to_string();

    let valid = st.call("Authorize", json!({"idTag": "VALID"})).await.unwrap().expect_result();
    assert_eq!(status(valid.clone()), "Accepted");
    assert_eq!(valid["idTagInfo"]["parentIdTag"], "FLEET-1");
    assert!(valid["idTagInfo"]["expiryDate"].is_string());
    for (tag, expected) in
        [("UNKNOWN", "Invalid"), ("EXPIRED", "Expired"), ("BLOCKED", "Blocked"), ("FOREIGN", "Invalid")]
    {
        let answer = st.call("Authorize", json!({"idTag": tag})).await.unwrap().expect_result();
        assert_eq!(status(answer), expected, "{tag}");
    }
    // Free vend: any tag.
    s.store.set_station_free_vend(&StationId::parse("CP-AUTH").unwrap(), true).await.unwrap();
    let answer = st.call("Authorize", json!({"idTag": "UNKNOWN"})).await.unwrap().expect_result();
    assert_eq!(status(answer), "Accepted");
}

fn meter_values(tx: i64, at: &str, wh: f64) -> Value {
    json!({
        "connectorId": 1,
        "transactionId": tx,
        "meterValue": [{
            "timestamp": at,
            "sampledValue": [
                {"value": format!("{}", wh / 1000.0), "unit": "kWh", "measurand": "Energy.Active.Import.Register", "context": "Sample.Periodic", "location": "Outlet"},
                {"value": "7.2", "unit": "kW", "measurand": "Power.Active.Import"},
                {"value": "16.1", "unit": "A", "measurand": "Current.Import", "phase": "L1"},
                {"value": "16.0", "unit": "A", "measurand": "Current.Import", "phase": "L2"},
                {"value": "231", "unit": "V", "measurand": "Voltage", "phase": "L1-N"},
                {"value": "35", "unit": "Celcius", "measurand": "Temperature"}
            ]
        }]
    })
}

#[tokio::test]
async fn a_full_session_with_meter_values_re_sent_start_and_stop() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    add_token(&s, &op, "DRIVER1", false, None).await;
    let mut st = s.booted(&op, "CP-SESS").await;
    st.call("StatusNotification", json!({"connectorId": 1, "status": "Preparing", "errorCode": "NoError"}))
        .await
        .unwrap()
        .expect_result();
    let start = json!({"connectorId": 1, "idTag": "DRIVER1", "meterStart": 1000, "timestamp": "2026-03-01T10:00:00Z"});
    let started = st.call("StartTransaction", start.clone()).await.unwrap().expect_result();
    assert_eq!(started["idTagInfo"]["status"], "Accepted");
    let tx = started["transactionId"].as_i64().unwrap();
    assert!(tx > 0);
    // Re-sent start (the station missed our answer): the same id, nothing new.
    let again = st.call("StartTransaction", start).await.unwrap().expect_result();
    assert_eq!(again, started);

    // A second connector gets a different id.
    let other = st
        .call(
            "StartTransaction",
            json!({"connectorId": 2, "idTag": "DRIVER1", "meterStart": 5, "timestamp": "2026-03-01T10:00:00Z"}),
        )
        .await
        .unwrap()
        .expect_result();
    assert_ne!(other["transactionId"], started["transactionId"]);

    for (i, wh) in [1500.0, 2500.0, 4000.0].into_iter().enumerate() {
        let at = format!("2026-03-01T10:0{}:00Z", i + 1);
        st.call("MeterValues", meter_values(tx, &at, wh)).await.unwrap().expect_result();
    }
    // A re-sent MeterValues changes nothing.
    st.call("MeterValues", meter_values(tx, "2026-03-01T10:03:00Z", 4000.0)).await.unwrap().expect_result();

    let stop = json!({
        "transactionId": tx, "idTag": "DRIVER1", "meterStop": 5000, "timestamp": "2026-03-01T10:30:00Z", "reason": "EVDisconnected",
        "transactionData": [{"timestamp": "2026-03-01T10:30:00Z", "sampledValue": [{"value": "5000", "context": "Transaction.End"}]}]
    });
    let stopped = st.call("StopTransaction", stop.clone()).await.unwrap().expect_result();
    assert_eq!(stopped["idTagInfo"]["status"], "Accepted");
    let stopped_again = st.call("StopTransaction", stop).await.unwrap().expect_result();
    assert_eq!(stopped_again, stopped);

    let session = s.store.session(SessionId(tx)).await.unwrap().unwrap();
    assert_eq!(session.energy_wh(), Some(4000));
    assert_eq!(session.stop_reason.as_deref(), Some("EVDisconnected"));
    let samples =
        s.store.meter_values(&MeterFilter { transaction_id: Some(SessionId(tx)), ..Default::default() }).await.unwrap();
    assert_eq!(samples.len(), 3 * 6 + 1, "every measurand, phase and unit, once");
    let energy: Vec<f64> =
        samples.iter().filter(|s| s.sample.is_energy_register()).filter_map(|s| s.sample.value).collect();
    assert_eq!(energy, vec![1500.0, 2500.0, 4000.0, 5000.0], "kWh normalised to Wh, oldest first");
    let power = samples.iter().find(|s| s.sample.measurand == "Power.Active.Import").unwrap();
    assert_eq!((power.sample.value, power.sample.unit.as_deref()), (Some(7200.0), Some("W")));
    assert!(samples.iter().any(|s| s.sample.phase.as_deref() == Some("L2")));
    assert!(samples.iter().any(|s| s.sample.location.as_deref() == Some("Outlet")));
    assert!(samples.iter().any(|s| s.sample.unit.as_deref() == Some("Celsius")));

    let sessions = s.store.list_sessions(&SessionFilter::default()).await.unwrap();
    assert_eq!(sessions.len(), 2);
}

#[tokio::test]
async fn stop_of_an_unknown_transaction_is_acknowledged_and_kept() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let mut st = s.booted(&op, "CP-UNK").await;
    let answer = st
        .call("StopTransaction", json!({"transactionId": 987654, "meterStop": 42, "timestamp": "2026-03-01T10:30:00Z"}))
        .await
        .unwrap()
        .expect_result();
    assert_eq!(answer, json!({}), "acknowledged without idTagInfo (no idTag was sent)");
    let kept = s.store.unknown_stops(Some(&StationId::parse("CP-UNK").unwrap()), 10).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].transaction_id, SessionId(987654));
    assert_eq!(kept[0].meter_stop_wh, 42);
}

#[tokio::test]
async fn meter_values_from_an_offline_queue_with_old_timestamps_are_stored() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    add_token(&s, &op, "D", false, None).await;
    let mut st = s.booted(&op, "CP-OFFLINE").await;
    let tx = st
        .call(
            "StartTransaction",
            json!({"connectorId": 1, "idTag": "D", "meterStart": 0, "timestamp": "2025-12-24T18:00:00Z"}),
        )
        .await
        .unwrap()
        .expect_result()["transactionId"]
        .as_i64()
        .unwrap();
    // Sent weeks late, newest first, without the `Z` some firmware forgets.
    for at in ["2025-12-24T19:00:00", "2025-12-24T18:30:00"] {
        st.call("MeterValues", meter_values(tx, at, 1000.0)).await.unwrap().expect_result();
    }
    // Meter values without a transaction are kept too.
    st.call("MeterValues", json!({"connectorId": 0, "meterValue": [{"timestamp": "2025-12-01T00:00:00Z", "sampledValue": [{"value": "123456"}]}]}))
        .await
        .unwrap()
        .expect_result();
    let station = StationId::parse("CP-OFFLINE").unwrap();
    let all = s.store.meter_values(&MeterFilter { station_id: Some(station), ..Default::default() }).await.unwrap();
    assert_eq!(all.len(), 2 * 6 + 1);
    assert_eq!(all[0].sample.timestamp.to_rfc3339(), "2025-12-01T00:00:00+00:00");
    assert_eq!(all[0].transaction_id, None);
}

#[tokio::test]
async fn a_reconnecting_station_replaces_its_old_socket() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let mut first = s.booted(&op, "CP-RECON").await;
    let mut second = s.connect(&op, "CP-RECON").await;
    assert!(first.is_closed(WAIT).await, "the old socket is closed");
    second.call("Heartbeat", json!({})).await.unwrap().expect_result();
    let id = StationId::parse("CP-RECON").unwrap();
    assert!(s.app.gateway.is_connected(&id));
    assert!(s.station("CP-RECON").await.online, "online after the old socket's teardown");
    // Commands reach the new socket.
    let gw = s.app.gateway.clone();
    let id2 = id.clone();
    let read = StationCommand::ReadSettings { keys: vec![] };
    let call = tokio::spawn(async move { gw.send("test", &id2, read).await.map(|r| r.answer) });
    let incoming = second.next_server_call(WAIT).await.unwrap().unwrap();
    second.respond(&incoming.id, json!({"configurationKey": []})).await.unwrap();
    assert_eq!(call.await.unwrap().unwrap(), json!({"configurationKey": []}));
    second.close().await;
    s.eventually("the station is offline", || async { !s.station("CP-RECON").await.online }).await;
    assert!(s.station("CP-RECON").await.disconnected_at.is_some());
}

#[tokio::test]
async fn a_station_that_stops_answering_pings_is_marked_offline() {
    let s = TestServer::start_with(|st| st.ocpp.ping_interval_secs = 1).await;
    let op = s.operator("Acme").await;
    s.active_station(&op, "CP-SILENT").await;
    // A raw client that never reads, so it never answers pings.
    let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        s.url(op.key.as_str(), "CP-SILENT"),
    )
    .unwrap();
    request.headers_mut().insert("Sec-WebSocket-Protocol", "ocpp1.6".parse().unwrap());
    let (_silent, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    s.eventually("the station is online", || async { s.station("CP-SILENT").await.online }).await;
    s.eventually("the silent station is offline", || async { !s.station("CP-SILENT").await.online }).await;
}

#[tokio::test]
async fn commands_end_in_exactly_one_outcome() {
    let s = TestServer::start_with(|st| {
        st.ocpp.call_timeout_secs = 1;
        st.ocpp.command_queue = 1;
    })
    .await;
    let op = s.operator("Acme").await;
    let mut st = s.booted(&op, "CP-CMD").await;
    let id = StationId::parse("CP-CMD").unwrap();
    let gw = s.app.gateway.clone();
    let send = |gw: joule_server::Gateway, id: StationId, command: StationCommand| async move {
        gw.send("test", &id, command).await.map(|r| r.answer)
    };
    let soft = StationCommand::Reset(ResetType::Soft);
    // Offline station.
    let offline = send(gw.clone(), StationId::parse("CP-NONE").unwrap(), soft.clone()).await;
    assert_eq!(offline, Err(CommandFailure::Offline));
    // Timeout: the station does not answer; a second command waits in the queue, a third finds it full.
    let first = tokio::spawn(send(gw.clone(), id.clone(), soft));
    let call = st.next_server_call(WAIT).await.unwrap().unwrap();
    let second = tokio::spawn(send(gw.clone(), id.clone(), StationCommand::ClearCache));
    s.eventually("the second command is queued", || async { gw.queued_commands(&id) == Some(1) }).await;
    assert_eq!(send(gw.clone(), id.clone(), StationCommand::ClearCache).await, Err(CommandFailure::QueueFull));
    assert_eq!(first.await.unwrap(), Err(CommandFailure::Timeout { secs: 1 }));
    // The late answer to the first call is ignored; the second is sent now and answered with a CALLERROR.
    st.respond(&call.id, json!({"status": "Accepted"})).await.unwrap();
    let queued = st.next_server_call(WAIT).await.unwrap().unwrap();
    assert_eq!(queued.action, "ClearCache");
    st.respond_error(&queued.id, ErrorCode::NotSupported, "no cache").await.unwrap();
    assert!(matches!(second.await.unwrap(), Err(CommandFailure::CallError { code: CallErrorCode::NotSupported, .. })));
    // Each command and its outcome is in the station's history, newest first, with who asked.
    let history = s.store.list_commands(&id, 10).await.unwrap();
    let kinds: Vec<(&str, &str)> =
        history.iter().map(|c| (c.action.as_str(), c.outcome.as_ref().unwrap().kind.as_str())).collect();
    assert_eq!(
        kinds,
        vec![("ClearCache", "queue-full"), ("ClearCache", "call-error"), ("Reset", "timeout")],
        "{history:?}"
    );
    assert!(history.iter().all(|c| c.requested_by == "test"));
    assert!(history[2].outcome.as_ref().unwrap().latency_ms.is_some());
    assert_eq!(history[0].outcome.as_ref().unwrap().latency_ms, None, "nothing was sent");
}

/// Sends raw text and returns the CALLERROR code the server answers with.
async fn raw_error(st: &mut StationClient, text: &str) -> (String, ErrorCode) {
    st.send_raw(text).await.unwrap();
    match st.next_frame(WAIT).await.unwrap() {
        Some(Frame::CallError(e)) => (e.id.to_string(), e.code),
        other => panic!("expected a CALLERROR for {text}, got {other:?}"),
    }
}

#[tokio::test]
async fn every_callerror_case_keeps_the_connection_up() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let mut st = s.booted(&op, "CP-ERR").await;
    let cases: Vec<(&str, String, ErrorCode)> = vec![
        ("broken JSON with a readable id", r#"[2,"e1","Heartbeat",{"#.into(), ErrorCode::FormationViolation),
        ("payload not an object", r#"[2,"e2","Heartbeat",[]]"#.into(), ErrorCode::FormationViolation),
        ("CALL with 3 elements", r#"[2,"e3","Heartbeat"]"#.into(), ErrorCode::FormationViolation),
        ("unknown action", r#"[2,"e4","FlyToTheMoon",{}]"#.into(), ErrorCode::NotImplemented),
        ("action of the other direction", r#"[2,"e5","Reset",{"type":"Hard"}]"#.into(), ErrorCode::NotSupported),
        ("missing field", r#"[2,"e6","Authorize",{}]"#.into(), ErrorCode::OccurenceConstraintViolation),
        ("extra field", r#"[2,"e7","Heartbeat",{"x":1}]"#.into(), ErrorCode::FormationViolation),
        ("wrong type", r#"[2,"e8","Authorize",{"idTag":17}]"#.into(), ErrorCode::TypeConstraintViolation),
        (
            "string over its maximum length",
            format!(r#"[2,"e9","Authorize",{{"idTag":"{}"}}]"#, "x".repeat(21)),
            ErrorCode::PropertyConstraintViolation,
        ),
        (
            "bad timestamp",
            r#"[2,"e10","StartTransaction",{"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"yesterday"}]"#
                .into(),
            ErrorCode::TypeConstraintViolation,
        ),
        (
            "negative connector",
            r#"[2,"e11","StatusNotification",{"connectorId":-1,"status":"Available","errorCode":"NoError"}]"#.into(),
            ErrorCode::PropertyConstraintViolation,
        ),
        (
            "oversized frame",
            format!(r#"[2,"e12","DataTransfer",{{"vendorId":"v","data":"{}"}}]"#, "x".repeat(70 * 1024)),
            ErrorCode::FormationViolation,
        ),
    ];
    for (what, text, expected) in cases {
        let (id, code) = raw_error(&mut st, &text).await;
        assert_eq!(code, expected, "{what}");
        assert!(id.starts_with('e'), "{what}: answered with the CALL's id");
        st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    }
    // Frames whose id cannot be read are dropped; the connection stays up.
    for text in ["not json", r#"{"a":1}"#, r#"[2]"#, r#"[7,"x",{}]"#, r#"[3,"nobody-asked",{}]"#] {
        st.send_raw(text).await.unwrap();
    }
    st.call("Heartbeat", json!({})).await.unwrap().expect_result();
    assert!(s.station("CP-ERR").await.online);
}

#[tokio::test]
async fn handshake_refusals_and_tolerances() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let status = |r: Result<StationClient, joule_sim::Error>| r.err().and_then(|e| e.http_status());
    let plain = ConnectOptions::default;
    assert_eq!(status(StationClient::connect(&s.url("no-such-key", "CP-1"), plain()).await), Some(404));
    assert_eq!(status(StationClient::connect(&s.url(op.key.as_str(), "bad:id"), plain()).await), Some(400));
    let long = "x".repeat(49);
    assert_eq!(status(StationClient::connect(&s.url(op.key.as_str(), &long), plain()).await), Some(400));
    let wrong = plain().with_subprotocols(["ocpp2.0.1"]);
    assert_eq!(status(StationClient::connect(&s.url(op.key.as_str(), "CP-1"), wrong).await), Some(400));
    let unkeyed = format!("ws://{}/ocpp/CP-1", s.addr);
    assert_eq!(status(StationClient::connect(&unkeyed, plain()).await), Some(404));
    // Tolerated: `ocpp1.6j`, upper case, and no header at all.
    let j =
        StationClient::connect(&s.url(op.key.as_str(), "CP-J"), plain().with_subprotocols(["ocpp1.6j"])).await.unwrap();
    assert_eq!(j.subprotocol(), Some("ocpp1.6j"));
    let upper =
        StationClient::connect(&s.url(op.key.as_str(), "CP-U"), plain().with_subprotocols(["OCPP1.6"])).await.unwrap();
    assert_eq!(upper.subprotocol(), Some("OCPP1.6"));
    let mut none =
        StationClient::connect(&s.url(op.key.as_str(), "CP-N"), plain().with_subprotocols(Vec::<String>::new()))
            .await
            .unwrap();
    assert_eq!(none.subprotocol(), None);
    none.call("Heartbeat", json!({})).await.unwrap().expect_result();
    // A station registered under another operator is refused with that operator's key.
    let other = s.operator("Other").await;
    assert_eq!(status(StationClient::connect(&s.url(other.key.as_str(), "CP-J"), plain()).await), Some(403));
}

#[tokio::test]
async fn stations_without_an_operator_key_per_setting() {
    let s = TestServer::start_with(|st| st.ocpp.unkeyed_stations = joule_server::settings::UnkeyedStations::Registered)
        .await;
    let op = s.operator("Acme").await;
    s.active_station(&op, "CP-KNOWN").await;
    let mut known =
        StationClient::connect(&format!("ws://{}/ocpp/CP-KNOWN", s.addr), ConnectOptions::default()).await.unwrap();
    known.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    let unknown = StationClient::connect(&format!("ws://{}/ocpp/CP-STRANGER", s.addr), ConnectOptions::default()).await;
    assert_eq!(unknown.err().and_then(|e| e.http_status()), Some(404));
}

#[tokio::test]
async fn basic_auth_success_and_failure() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let id = s.active_station(&op, "CP-PW").await;
    let hash = joule_app::accounts::password::hash_station_secret("correct horse battery").unwrap();
    s.store.set_station_password(&id, Some(&hash)).await.unwrap();
    let url = s.url(op.key.as_str(), "CP-PW");
    let status = |r: Result<StationClient, joule_sim::Error>| r.err().and_then(|e| e.http_status());
    assert_eq!(status(StationClient::connect(&url, ConnectOptions::default()).await), Some(401));
    let wrong = ConnectOptions::default().with_basic_auth("CP-PW", "wrong password");
    assert_eq!(status(StationClient::connect(&url, wrong).await), Some(401));
    let wrong_user = ConnectOptions::default().with_basic_auth("CP-OTHER", "correct horse battery");
    assert_eq!(status(StationClient::connect(&url, wrong_user).await), Some(401));
    let right = ConnectOptions::default().with_basic_auth("CP-PW", "correct horse battery");
    let mut st = StationClient::connect(&url, right).await.unwrap();
    st.call("BootNotification", boot_payload()).await.unwrap().expect_result();
    let events = s.store.station_events(&id, 10).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "ConnectionRefused").count(), 3, "refusals recorded: {events:?}");
}

#[tokio::test]
async fn other_notifications_are_answered_and_recorded() {
    let s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let mut st = s.booted(&op, "CP-NOTE").await;
    let dt =
        st.call("DataTransfer", json!({"vendorId": "com.example", "messageId": "hello", "data": "x"})).await.unwrap();
    assert_eq!(dt, CallOutcome::Result(json!({"status": "UnknownVendorId"})));
    st.call("DiagnosticsStatusNotification", json!({"status": "Uploaded"})).await.unwrap().expect_result();
    st.call("FirmwareStatusNotification", json!({"status": "Installed"})).await.unwrap().expect_result();
    st.call("StatusNotification", json!({"connectorId": 1, "status": "Faulted", "errorCode": "GroundFailure", "vendorErrorCode": "E42", "timestamp": "2026-03-01T10:00:00Z"}))
        .await
        .unwrap()
        .expect_result();
    st.call("StatusNotification", json!({"connectorId": 1, "status": "Available", "errorCode": "NoError"}))
        .await
        .unwrap()
        .expect_result();
    let id = StationId::parse("CP-NOTE").unwrap();
    let kinds: Vec<String> = s.store.station_events(&id, 10).await.unwrap().into_iter().map(|e| e.kind).collect();
    for kind in ["DataTransfer", "DiagnosticsStatusNotification", "FirmwareStatusNotification"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} recorded: {kinds:?}");
    }
    let connectors = s.store.connectors(&id).await.unwrap();
    assert_eq!(connectors[0].status.as_str(), "Available");
    let history = s.store.status_history(&id, Some(1), 10).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].error_code, "GroundFailure");
}

#[tokio::test]
async fn shutting_down_closes_connections_and_records_stations_offline() {
    let mut s = TestServer::start().await;
    let op = s.operator("Acme").await;
    let mut st = s.booted(&op, "CP-BYE").await;
    s.shut_down().await;
    assert!(st.is_closed(WAIT).await, "the station's socket is closed");
    assert_eq!(st.close_info().map(|c| c.reason.as_str()), Some("server shutting down"));
    // The server closed its store; a new one on the same file sees what it committed.
    let store = joule_store_sqlite::SqliteStore::open(&s.dir.join("joule.db"), Default::default()).await.unwrap();
    let station =
        joule_store::StationStore::station(&store, &StationId::parse("CP-BYE").unwrap()).await.unwrap().unwrap();
    assert!(!station.online, "recorded offline at shutdown");
    assert!(station.disconnected_at.is_some());
}
