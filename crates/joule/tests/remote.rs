//! The remote commands, run as a user runs them: the real binary against a real `joule serve` on a free
//! port, with a simulated station (joule-sim) answering the server's calls over a real WebSocket.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use joule_sim::client::{ConnectOptions, StationClient};
use serde_json::{Value, json};

mod support;

use support::Server;

/// What these tests ask of the shared server beyond running commands.
trait Remote {
    /// Runs the command and checks it fails with exit code 1 and nothing on stdout; answers its stderr.
    fn refused(&self, cmd: &mut Command) -> String;
    /// Connects `id` as a simulated station and boots it.
    async fn station(&self, id: &str) -> StationClient;
}

impl Remote for Server {
    fn refused(&self, cmd: &mut Command) -> String {
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(!stderr.contains(&self.token), "the token is never printed: {stderr}");
        stderr
    }

    async fn station(&self, id: &str) -> StationClient {
        let url = format!("ws://127.0.0.1:{}/ocpp/{}/{id}", self.port, self.key);
        let mut st = StationClient::connect(&url, ConnectOptions::default()).await.unwrap();
        let boot = json!({"chargePointVendor": "Joule", "chargePointModel": "Test-22"});
        let answer = st.call("BootNotification", boot).await.unwrap().expect_result();
        assert_eq!(answer["status"], "Accepted");
        st
    }
}

/// Runs `joule args` in a thread while the station answers the server's next CALL, which must be `action`,
/// with `answer`; returns the CALL's payload and the command's output.
async fn exchange(
    server: &Server,
    st: &mut StationClient,
    args: &[&str],
    action: &str,
    answer: Value,
) -> (Value, Output) {
    let mut cmd = server.command(args);
    let running = std::thread::spawn(move || cmd.output().unwrap());
    let call = st.next_server_call(Duration::from_secs(20)).await.unwrap().expect("the station receives a CALL");
    assert_eq!(call.action, action, "{args:?}");
    st.respond(&call.id, answer).await.unwrap();
    let out = tokio::task::spawn_blocking(move || running.join().unwrap()).await.unwrap();
    assert!(out.status.success(), "joule {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    (call.payload, out)
}

fn chrono_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn station_commands_reach_the_station_through_the_api() {
    let server = Server::start_as("remote-commands", "admin");
    server.ok(&["station", "register", "CP-1", "--operator", "Acme", "--activate"]);
    let mut st = server.station("CP-1").await;

    let (payload, out) =
        exchange(&server, &mut st, &["station", "reset", "CP-1"], "Reset", json!({"status": "Accepted"})).await;
    assert_eq!(payload, json!({"type": "Soft"}));
    assert!(stdout(&out).contains("CP-1 answered Reset: Accepted"), "{}", stdout(&out));

    let args = ["station", "reset", "CP-1", "--hard", "--json"];
    let (payload, out) = exchange(&server, &mut st, &args, "Reset", json!({"status": "Rejected"})).await;
    assert_eq!(payload, json!({"type": "Hard"}));
    let answer: Value = serde_json::from_slice(&out.stdout).expect("--json prints the API's JSON");
    assert_eq!(answer["answer"]["status"], "Rejected");
    assert_eq!(answer["action"], "Reset");

    let config = json!({
        "configurationKey": [
            {"key": "HeartbeatInterval", "readonly": false, "value": "300"},
            {"key": "NumberOfConnectors", "readonly": true, "value": "2"}
        ],
        "unknownKey": ["NoSuchKey"]
    });
    let args = ["station", "config", "get", "CP-1", "HeartbeatInterval", "NumberOfConnectors", "NoSuchKey"];
    let (payload, out) = exchange(&server, &mut st, &args, "GetConfiguration", config).await;
    assert_eq!(payload, json!({"key": ["HeartbeatInterval", "NumberOfConnectors", "NoSuchKey"]}));
    let text = stdout(&out);
    let heartbeat = text.lines().find(|l| l.starts_with("HeartbeatInterval")).expect(&text);
    assert!(heartbeat.contains("300") && heartbeat.contains(" no "), "{text}");
    let connectors = text.lines().find(|l| l.starts_with("NumberOfConnectors")).expect(&text);
    assert!(connectors.contains(" yes "), "{text}");
    assert!(text.contains("Unknown keys (the station does not know them): NoSuchKey"), "{text}");

    let args = ["station", "config", "set", "CP-1", "HeartbeatInterval", "60"];
    let (payload, out) = exchange(&server, &mut st, &args, "ChangeConfiguration", json!({"status": "Accepted"})).await;
    assert_eq!(payload, json!({"key": "HeartbeatInterval", "value": "60"}));
    assert!(stdout(&out).contains("HeartbeatInterval=60: Accepted"), "{}", stdout(&out));
    let args = ["station", "config", "set", "CP-1", "NumberOfConnectors", "3"];
    let (_, out) = exchange(&server, &mut st, &args, "ChangeConfiguration", json!({"status": "Rejected"})).await;
    assert!(stdout(&out).contains("NumberOfConnectors=3: Rejected"), "{}", stdout(&out));

    // --cached asks the server only: the value the station accepted, no CALL.
    let cached = server.ok(&["station", "config", "get", "CP-1", "--cached"]);
    let heartbeat = cached.lines().find(|l| l.starts_with("HeartbeatInterval")).expect(&cached);
    assert!(heartbeat.contains("60"), "{cached}");
    let cached: Value =
        serde_json::from_str(&server.ok(&["station", "config", "get", "CP-1", "--cached", "--json"])).unwrap();
    assert!(cached.as_array().unwrap().iter().any(|k| k["key"] == "HeartbeatInterval" && k["value"] == "60"));

    let args = ["station", "trigger", "CP-1", "StatusNotification", "--connector", "1"];
    let (payload, out) = exchange(&server, &mut st, &args, "TriggerMessage", json!({"status": "Accepted"})).await;
    assert_eq!(payload, json!({"requestedMessage": "StatusNotification", "connectorId": 1}));
    assert!(stdout(&out).contains("CP-1 answered TriggerMessage: Accepted"), "{}", stdout(&out));

    let args = ["station", "command", "CP-1", "DataTransfer", r#"{"vendorId":"joule","data":"x"}"#];
    let answer = json!({"status": "Accepted", "data": "y"});
    let (payload, out) = exchange(&server, &mut st, &args, "DataTransfer", answer).await;
    assert_eq!(payload, json!({"vendorId": "joule", "data": "x"}));
    assert!(stdout(&out).contains("Answer: {\"data\":\"y\",\"status\":\"Accepted\"}"), "{}", stdout(&out));

    // A remote start waits for the session and prints its transaction id.
    server.ok(&["token", "add", "TAG-1", "--operator", "Acme"]);
    let mut cmd =
        server.command(&["station", "remote-start", "CP-1", "--tag", "TAG-1", "--connector", "1", "--wait", "20"]);
    let running = std::thread::spawn(move || cmd.output().unwrap());
    let call = st.next_server_call(Duration::from_secs(20)).await.unwrap().expect("RemoteStartTransaction");
    assert_eq!(call.action, "RemoteStartTransaction");
    assert_eq!(call.payload, json!({"idTag": "TAG-1", "connectorId": 1}));
    st.respond(&call.id, json!({"status": "Accepted"})).await.unwrap();
    let start = json!({"connectorId": 1, "idTag": "TAG-1", "meterStart": 0, "timestamp": chrono_now()});
    let started = st.call("StartTransaction", start).await.unwrap().expect_result();
    let tx = started["transactionId"].as_i64().unwrap();
    let out = tokio::task::spawn_blocking(move || running.join().unwrap()).await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert!(text.contains("CP-1 answered RemoteStartTransaction: Accepted"), "{text}");
    assert!(text.contains(&format!("Transaction {tx} started.")), "{text}");

    // The operator's defaults, set in the database, applied through the API.
    assert!(server.ok(&["station", "defaults", "CP-1"]).contains("no default configuration applied"));
    server.ok(&["operator", "defaults", "set", "Acme", "MeterValueSampleInterval=30"]);
    let args = ["station", "defaults", "CP-1", "--apply"];
    let (payload, out) = exchange(&server, &mut st, &args, "ChangeConfiguration", json!({"status": "Accepted"})).await;
    assert_eq!(payload, json!({"key": "MeterValueSampleInterval", "value": "30"}));
    let applied = stdout(&out);
    let line = applied.lines().find(|l| l.starts_with("MeterValueSampleInterval")).expect(&applied);
    assert!(line.contains("30") && line.contains("Accepted"), "{applied}");

    let history = server.ok(&["station", "commands", "CP-1"]);
    for expected in
        ["Reset", "answered: Accepted", "answered: Rejected", "GetConfiguration", "TriggerMessage", "token:t "]
    {
        assert!(history.contains(expected), "{expected}: {history}");
    }
    assert!(history.starts_with("ID  ACTION"), "{history}");

    // The station is still connected and the server still sends it nothing unasked.
    assert!(st.next_server_call(Duration::from_millis(200)).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_errors_say_what_to_do() {
    let server = Server::start_as("remote-errors", "admin");
    server.ok(&["station", "register", "CP-OFF", "--operator", "Acme", "--activate"]);

    let err = server.refused(server.command(&["station", "reset", "CP-OFF"]).env_remove("JOULE_TOKEN"));
    assert!(err.contains("JOULE_TOKEN") && err.contains("--token") && err.contains("joule api-token create"), "{err}");

    let err = server.refused(server.command(&["station", "reset", "CP-OFF"]).env("JOULE_TOKEN", "joule_wrong"));
    assert!(err.contains("A valid API token or login session is required: unknown API token"), "{err}");
    let err = server.refused(&mut server.command(&["station", "reset", "CP-OFF", "--token", "not-a-joule-token"]));
    assert!(err.contains("A valid API token or login session is required"), "{err}");

    let err = server.refused(&mut server.command(&["station", "reset", "CP-404"]));
    assert!(err.contains("No such resource: no station CP-404"), "{err}");

    let err = server.refused(&mut server.command(&["station", "reset", "CP-OFF"]));
    assert!(err.contains("The station is not connected"), "{err}");
    let err = server.refused(&mut server.command(&["station", "config", "get", "CP-OFF"]));
    assert!(err.contains("The station is not connected"), "{err}");

    let err = server.refused(&mut server.command(&["station", "commands", "CP-OFF", "--limit", "0"]));
    assert!(err.contains("field: limit"), "{err}");
    let err = server.refused(&mut server.command(&["station", "command", "CP-OFF", "Reset", "{not json"]));
    assert!(err.contains("PAYLOAD_JSON is not JSON"), "{err}");

    // A revoked token is refused.
    let viewer = server.ok(&["api-token", "create", "--operator", "Acme", "--role", "viewer", "--name", "v", "--json"]);
    let viewer: Value = serde_json::from_str(viewer.trim()).unwrap();
    let secret = viewer["secret"].as_str().unwrap();
    let err = server.refused(server.command(&["station", "reset", "CP-OFF"]).env("JOULE_TOKEN", secret));
    assert!(err.contains("role"), "a viewer may not reset: {err}");
    assert!(!err.contains(secret), "{err}");
    server.ok(&["api-token", "revoke", "--operator", "Acme", &viewer["id"].to_string()]);
    let err = server.refused(server.command(&["station", "commands", "CP-OFF"]).env("JOULE_TOKEN", secret));
    assert!(err.contains("revoked"), "{err}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{closed}");
    let err = server.refused(server.command(&["station", "reset", "CP-OFF"]).env("JOULE_URL", &url));
    assert!(err.contains(&url) && err.contains("joule serve") && err.contains("JOULE_URL"), "{err}");
    let err = server.refused(&mut server.command(&["station", "reset", "CP-OFF", "--url", "https://example.com"]));
    assert!(err.contains("plain http"), "{err}");

    // Usage errors are clap's: exit code 2.
    let out = server.run(&["station", "availability", "CP-OFF", "maybe"]);
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_print_one_line_per_event() {
    let server = Server::start_as("remote-events", "admin");
    server.ok(&["station", "register", "CP-EV", "--operator", "Acme", "--activate"]);
    let mut child = server
        .command(&["events", "--station", "CP-EV", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Subscribed once it says it listens.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("Listening for events"), "{line}");

    let mut st = server.station("CP-EV").await;
    let status = json!({"connectorId": 1, "errorCode": "NoError", "status": "Available"});
    st.call("StatusNotification", status).await.unwrap().expect_result();

    let stdout = BufReader::new(child.stdout.take().unwrap());
    let reading = std::thread::spawn(move || {
        let mut events = Vec::new();
        for line in stdout.lines() {
            let event: Value = serde_json::from_str(&line.unwrap()).expect("one JSON object per line");
            let done = event["event"] == "status";
            events.push(event);
            if done {
                break;
            }
        }
        events
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while !reading.is_finished() {
        assert!(Instant::now() < deadline, "no status event printed");
        std::thread::sleep(Duration::from_millis(50));
    }
    let events = reading.join().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(events[0]["event"], "connected", "{events:?}");
    let status = events.last().unwrap();
    assert_eq!(status["station_id"], "CP-EV");
    assert_eq!(status["status"], "Available");
    assert_eq!(status["connector_id"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_commands_work_the_queue_the_catalog_and_stickers() {
    let server = Server::start_as("remote-onboarding", "admin");
    let mut st = {
        let url = format!("ws://127.0.0.1:{}/ocpp/{}/OB-1", server.port, server.key);
        StationClient::connect(&url, ConnectOptions::default()).await.unwrap()
    };
    let boot = json!({"chargePointVendor": "Joule", "chargePointModel": "Test-22", "firmwareVersion": "0.9"});
    assert_eq!(st.call("BootNotification", boot).await.unwrap().expect_result()["status"], "Pending");

    // An owner (created and confirmed with the CLI) asks for activation through the API.
    let password = "correct horse battery staple";
    let owner = ["account", "create", "--email", "owner@ob.example", "--name", "Olga", "--role", "owner"];
    server.ok_with_input(
        &[&owner[..], &["--operator", "Acme", "--owner-kind", "individual"]].concat(),
        &format!("{password}\n"),
    );
    server.ok(&["account", "approve", "owner@ob.example"]);
    let owner_token = server.ok_with_input(&["login", "--email", "owner@ob.example"], &format!("{password}\n"));
    let owner_token = owner_token.trim().to_string();
    assert!(owner_token.starts_with("jsess_"), "{owner_token}");
    let form = json!({
        "customer_number": "C-7", "charge_points": [{"number": "EVC-7", "station_id": "OB-1", "connector_count": 1}],
        "installation_type": "home", "features": [], "network": "4G",
        "address": {"street": "Hauptstrasse", "house_number": "5", "postal_code": "8001", "city": "Zürich", "country": "CH"},
    });
    let form_file = server.dir.join("form.json");
    std::fs::write(&form_file, form.to_string()).unwrap();
    let asked = server.ok(&["--token", &owner_token, "activation", "request", form_file.to_str().unwrap()]);
    assert!(asked.contains("(requested)"), "{asked}");
    // A wrong password is refused with the API's reason.
    let mut wrong = server.command(&["login", "--email", "owner@ob.example"]);
    wrong.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = wrong.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"not the password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "), "{out:?}");

    // The queue, review, approval.
    let list = server.ok(&["activation", "list"]);
    assert!(list.contains("requested") && list.contains("C-7") && list.contains("OB-1"), "{list}");
    let id = list.lines().nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let shown = server.ok(&["activation", "show", &id]);
    assert!(shown.contains("address:      Hauptstrasse 5, 8001 Zürich, CH"), "{shown}");
    assert!(server.ok(&["activation", "review", &id]).contains("(in-review)"));
    let stderr = server.refused(server.command(&["activation", "reject", &id, "--reason", " "]).stdin(Stdio::null()));
    assert!(stderr.contains("reason"), "{stderr}");
    assert!(server.ok(&["activation", "approve", &id]).contains("(activated)"));
    // Approval asks the connected station to boot again (through the server's outbox, polled every second);
    // answered here so that it does not stand before the commands below in the station's one-call queue.
    let trigger = st.next_server_call(Duration::from_secs(10)).await.unwrap().expect("TriggerMessage after approval");
    assert_eq!(
        (trigger.action.as_str(), &trigger.payload),
        ("TriggerMessage", &json!({"requestedMessage": "BootNotification"}))
    );
    st.respond(&trigger.id, json!({"status": "Accepted"})).await.unwrap();
    assert_eq!(server.ok(&["activation", "list", "--state", "requested"]).trim(), "no activation requests");

    // The catalog.
    assert!(server.ok(&["model", "list"]).contains("no models in the catalog"));
    let set = server.ok(&["model", "set", "Joule", "Test-22", "--min-firmware", "1.0"]);
    assert_eq!(set.trim(), "Joule Test-22: minimum firmware 1.0");
    assert!(server.ok(&["model", "list"]).contains("1.0"));

    // A sticker and a sheet.
    let svg = server.dir.join("ob-1.svg");
    let created = server.ok(&["sticker", "create", "OB-1", "aa-bb-cc-dd-ee-01", "--svg", svg.to_str().unwrap()]);
    assert!(created.contains("MAC address:         AA:BB:CC:DD:EE:01"), "{created}");
    assert!(created.contains("Claim URL:"), "{created}");
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    let sheet = server.dir.join("sheet.html");
    server.ok(&["sticker", "sheet", "OB-1=AA:BB:CC:DD:EE:02", "--out", sheet.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&sheet).unwrap().contains("AA:BB:CC:DD:EE:02"));
    let stderr = server.refused(&mut server.command(&["sticker", "sheet", "OB-1", "--out", "x.html"]));
    assert!(stderr.contains("STATION=MAC"), "{stderr}");

    // A certified installer logs in, claims the station with the sticker, pinpoints it and adds the photo.
    let code = created.lines().find_map(|l| l.strip_prefix("Activation password: ")).unwrap().trim().to_string();
    let fitter = ["account", "create", "--email", "fitter@ob.example", "--name", "Finn", "--role", "installer"];
    server.ok_with_input(&[&fitter[..], &["--operator", "Acme", "--approve"]].concat(), &format!("{password}\n"));
    let fitter = server.ok_with_input(&["login", "--email", "fitter@ob.example"], &format!("{password}\n"));
    let fitter = fitter.trim().to_string();
    let claimed = server.ok(&["--token", &fitter, "claim", "AA:BB:CC:DD:EE:01", &code]);
    assert!(claimed.contains("Claimed station OB-1"), "{claimed}");
    let pin = json!({"gps": {"lat": 47.3769, "lon": 8.5417, "accuracy_m": 5.0}, "vendor": "Joule", "model": "Test 22",
                     "serial_number": "SN-7",
                     "address": {"street": "Hauptstrasse", "house_number": "5", "postal_code": "8001",
                                 "city": "Zürich", "country": "CH"}});
    let pin_file = server.dir.join("pin.json");
    std::fs::write(&pin_file, pin.to_string()).unwrap();
    let pinned = server.ok(&["--token", &fitter, "station", "pinpoint", "OB-1", pin_file.to_str().unwrap()]);
    assert!(pinned.contains("time zone:   Europe/Zurich"), "{pinned}");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&640u32.to_be_bytes());
    png.extend_from_slice(&480u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    png.resize(1000, 0);
    let photo = server.dir.join("photo.png");
    std::fs::write(&photo, &png).unwrap();
    let stored = server.ok(&["--token", &fitter, "station", "photo", "OB-1", photo.to_str().unwrap()]);
    assert!(stored.contains("photo stored (1000 bytes)"), "{stored}");
    let text_file = server.dir.join("notes.txt");
    std::fs::write(&text_file, "hello").unwrap();
    let stderr = server.refused(&mut server.command(&[
        "--token",
        &fitter,
        "station",
        "photo",
        "OB-1",
        text_file.to_str().unwrap(),
    ]));
    assert!(stderr.contains("neither a JPEG nor a PNG"), "{stderr}");

    // The checklist (firmware below the catalog's minimum), the lock, the history.
    let checklist = server.ok(&["station", "verification", "OB-1"]);
    assert!(checklist.contains("firmware") && checklist.contains("reported 0.9, below the minimum 1.0"), "{checklist}");
    let stderr = server.refused(&mut server.command(&["station", "verify", "OB-1"]));
    assert!(stderr.contains("not every item is green"), "{stderr}");
    let installation = server.ok(&["station", "installation", "OB-1"]);
    assert!(
        installation.contains("serial:      SN-7") && installation.contains("image/png (1000 bytes)"),
        "{installation}"
    );
    assert!(server.ok(&["station", "lock", "OB-1"]).contains("configuration complete"));
    let history = server.ok(&["station", "history", "OB-1"]);
    for what in
        ["station.registered", "activation.request", "station.activate", "activation_code.create", "installation.lock"]
    {
        assert!(history.contains(what), "{what} in {history}");
    }
    let json: Value = serde_json::from_str(&server.ok(&["station", "history", "OB-1", "--json"])).unwrap();
    assert!(json.as_array().unwrap().len() >= 5, "{json}");

    // The installer starts the test session: the station gets a one-time tag, and its session is linked.
    let args = ["--token", &fitter, "station", "test-session", "OB-1", "--connector", "1"];
    let mut cmd = server.command(&args);
    let running = std::thread::spawn(move || cmd.output().unwrap());
    let call = st.next_server_call(Duration::from_secs(20)).await.unwrap().expect("RemoteStartTransaction");
    assert_eq!(call.action, "RemoteStartTransaction");
    st.respond(&call.id, json!({"status": "Accepted"})).await.unwrap();
    let begin = json!({"connectorId": 1, "idTag": call.payload["idTag"], "meterStart": 0, "timestamp": chrono_now()});
    let started = st.call("StartTransaction", begin).await.unwrap().expect_result();
    let out = tokio::task::spawn_blocking(move || running.join().unwrap()).await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = stdout(&out);
    assert!(printed.contains(&format!("Transaction {} started", started["transactionId"])), "{printed}");
    assert!(printed.contains(call.payload["idTag"].as_str().unwrap()), "{printed}");
    drop(st);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backends_profiles_handovers_and_assignments_through_the_cli() {
    let server = Server::start_as("remote-handover", "admin");
    server.ok(&["station", "register", "HO-1", "--operator", "Acme", "--activate"]);
    let mut st = server.station("HO-1").await;

    // The admin's set-up: a backend and a profile for the station's vendor.
    let added = server.ok(&["backend", "add", "Other CSMS", "--ocpp-url", "wss://other.example/ocpp"]);
    assert!(added.contains("Backend Other CSMS added: wss://other.example/ocpp"), "{added}");
    let err = server.refused(&mut server.command(&["backend", "add", "Bad", "--ocpp-url", "https://x"]));
    assert!(err.contains("ocpp_url") && err.contains("ws://"), "{err}");
    let list = server.ok(&["backend", "list"]);
    assert!(list.contains("Other CSMS") && list.contains("wss://other.example/ocpp"), "{list}");
    let set = server.ok(&["provisioning-profile", "set", "Joule", "--key", "CentralSystemURL", "--reset", "none"]);
    assert!(set.contains("ChangeConfiguration CentralSystemURL"), "{set}");
    let profiles: Value = serde_json::from_str(&server.ok(&["provisioning-profile", "list", "--json"])).unwrap();
    assert_eq!(profiles[0]["reset"], "none");

    // The handover: the station gets the key, and the handover shows the step with its answer.
    let args = ["station", "handover", "HO-1", "--backend", "Other CSMS"];
    let (payload, out) = exchange(&server, &mut st, &args, "ChangeConfiguration", json!({"status": "Rejected"})).await;
    assert_eq!(payload, json!({"key": "CentralSystemURL", "value": "wss://other.example/ocpp/HO-1"}));
    assert!(stdout(&out).contains("Handover 1 of HO-1 to Other CSMS"), "{}", stdout(&out));
    let deadline = Instant::now() + Duration::from_secs(10);
    let shown = loop {
        let shown = server.ok(&["station", "handovers", "HO-1"]);
        if shown.contains(": failed") || Instant::now() > deadline {
            break shown;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        shown.contains(": failed") && shown.contains("ChangeConfiguration") && shown.contains("Rejected"),
        "{shown}"
    );

    // Offline stations: recorded, then confirmed by hand.
    server.ok(&["station", "register", "OFF-1", "--operator", "Acme", "--activate"]);
    let args = ["station", "handover", "OFF-1", "--name", "Elsewhere", "--ocpp-url", "ws://elsewhere/ocpp", "--json"];
    let h: Value = serde_json::from_str(&server.ok(&args)).unwrap();
    assert_eq!(h["state"], "recorded");
    let confirmed = server.ok(&["station", "handover-confirm", "OFF-1", &h["id"].to_string()]);
    assert!(confirmed.contains("handed-over"), "{confirmed}");
    let err = server.refused(&mut server.command(&["station", "handover-cancel", "OFF-1", &h["id"].to_string()]));
    assert!(err.contains("handed-over already"), "{err}");

    // Route 3: an unknown station connects, waits unclaimed, and is assigned to Joule.
    let url = format!("ws://127.0.0.1:{}/ocpp/{}/NEW-1", server.port, server.key);
    let mut new = StationClient::connect(&url, ConnectOptions::default()).await.unwrap();
    let boot = json!({"chargePointVendor": "Joule", "chargePointModel": "Test-22"});
    assert_eq!(new.call("BootNotification", boot).await.unwrap().expect_result()["status"], "Pending");
    let unclaimed = server.ok(&["station", "unclaimed"]);
    assert!(unclaimed.contains("NEW-1"), "{unclaimed}");
    let assigned = server.ok(&["station", "assign", "NEW-1", "--backend", "joule", "--purchased-from", "Wholesale"]);
    assert!(assigned.contains("NEW-1 assigned to joule (bought from Wholesale)"), "{assigned}");
    let err = server.refused(&mut server.command(&[
        "station",
        "assign",
        "NEW-1",
        "--backend",
        "joule",
        "--purchased-from",
        "x",
    ]));
    assert!(err.contains("assigned to joule already"), "{err}");

    server.ok(&["provisioning-profile", "remove", "Joule"]);
    server.ok(&["backend", "remove", "Other CSMS"]);
    assert!(server.ok(&["backend", "list"]).contains("no backends"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tariffs_costs_reports_and_statements_through_the_cli() {
    let server = Server::start_as("remote-billing", "admin");
    server.ok(&["station", "register", "BILL-1", "--operator", "Acme", "--activate"]);
    let mut st = server.station("BILL-1").await;

    let shown = server.ok(&["billing", "settings", "--vat-rate", "7.7", "--free-below-wh", "100"]);
    assert!(shown.contains("vat_rate") && shown.contains("7.7") && shown.contains("CHF"), "{shown}");
    let err = server.refused(&mut server.command(&["billing", "settings", "--time-zone", "Mars/Olympus"]));
    assert!(err.contains("time_zone"), "{err}");

    let file = server.dir.join("energy.json");
    std::fs::write(&file, r#"{"elements": [{"price_components": [{"type": "ENERGY", "price": "0.50"}]}]}"#).unwrap();
    let file = file.to_str().unwrap();
    let created =
        server.ok(&["tariff", "create", "--name", "Flat rate", "--file", file, "--valid-from", "2020-01-01T00:00:00Z"]);
    // 0.50 x 1.077 = 0.5385 -> 0.54.
    assert!(created.contains("tariff 1 version 1: Flat rate") && created.contains("0.54 incl. 7.7 % VAT"), "{created}");
    std::fs::write(
        server.dir.join("bad.json"),
        r#"{"elements": [{"price_components": [{"type": "ENERGY", "price": "x"}]}]}"#,
    )
    .unwrap();
    let bad = server.dir.join("bad.json");
    let err =
        server.refused(&mut server.command(&["tariff", "create", "--name", "Bad", "--file", bad.to_str().unwrap()]));
    assert!(err.contains("tariff.elements[0].price_components[0].price"), "{err}");
    server.ok(&["tariff", "assign", "1", "--station", "BILL-1"]);
    let price = server.ok(&["station", "price", "BILL-1"]);
    assert!(price.contains("Flat rate") && price.contains("per kWh"), "{price}");
    assert!(server.ok(&["tariff", "list"]).contains("Flat rate"));

    // 4 kWh x 0.50 = 2.00, VAT 7.7 % = 0.154 -> 0.15, total 2.15.
    let start = json!({"connectorId": 1, "idTag": "CLI-CARD", "meterStart": 1000, "timestamp": "2026-10-05T10:00:00Z"});
    let tx = st.call("StartTransaction", start).await.unwrap().expect_result()["transactionId"].as_i64().unwrap();
    let stop = json!({"transactionId": tx, "meterStop": 5000, "timestamp": "2026-10-05T11:00:00Z"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();
    let tx = tx.to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    let cost = loop {
        let out = server.run(&["session", "cost", &tx]);
        if out.status.success() || Instant::now() > deadline {
            break stdout(&out);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(cost.contains("net 2.00 + VAT 7.7 % 0.15 = total 2.15 CHF"), "{cost}");
    let again: Value = serde_json::from_str(&server.ok(&["session", "cost", &tx, "--recompute", "--json"])).unwrap();
    assert_eq!(again["total"], "2.15");

    let out = server.dir.join("october.csv");
    server.ok(&["report", "sessions", "--from", "2026-10-01", "--to", "2026-11-01", "--out", out.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    let col = |name: &str| rows[0].iter().position(|c| *c == name).unwrap();
    assert_eq!(
        (rows[1][col("session_id")], rows[1][col("total")], rows[1][col("energy_wh")]),
        (tx.as_str(), "2.15", "4000")
    );

    let statement = server.ok(&["statement", "--month", "2026-10", "--by", "driver"]);
    assert!(statement.contains("CLI-CARD") && statement.contains("2.15 CHF"), "{statement}");
    server.ok(&["tariff", "unassign", "--station", "BILL-1"]);
    let err = server.refused(&mut server.command(&["tariff", "unassign", "--station", "BILL-1"]));
    assert!(err.contains("no tariff is assigned there"), "{err}");
}
