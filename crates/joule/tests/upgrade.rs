//! The real binary on a data folder written by an earlier release (the SQLite fixtures of
//! `tests/upgrade/`, made by `make.sh` with that release's binary): the CLI lists what the release stored,
//! `serve` starts on it, the release's API token and passwords still let people in, a station the release
//! knew boots Accepted and runs a session that is recorded, and a session left running before the upgrade
//! is stopped after it. The store-level checks of the same fixtures are in `tests/upgrade/checks.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use joule_sim::client::{ConnectOptions, StationClient};
use serde_json::json;

/// The fixtures in `tests/upgrade/` (as `checks::FIXTURES` there).
const FIXTURES: &[&str] = &["1ba04fc"];
/// FX-2's Basic-auth password, as make.sh registered it.
const FX2_PASSWORD: &str = "fixture-station-password-2";

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/upgrade").join(name)
}

/// A value from the fixture's `sqlite.env` (what make.sh's SQLite run drew at random).
fn generated(fixture: &str, key: &str) -> String {
    let path = fixture_dir(fixture).join("sqlite.env");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .find_map(|l| l.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
        .unwrap_or_else(|| panic!("{} has no {key}", path.display()))
        .to_string()
}

/// A copy of a fixture's data folder, and the server run on it.
struct Upgraded {
    dir: PathBuf,
    port: u16,
    token: String,
    server: Option<Child>,
}

impl Upgraded {
    fn copy(fixture: &str) -> Upgraded {
        let dir = std::env::temp_dir().join(format!("joule-upgrade-{fixture}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for file in ["joule.db", "joule-messages.db"] {
            std::fs::copy(fixture_dir(fixture).join(file), dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        Upgraded { dir, port, token: generated(fixture, "ADMIN_TOKEN"), server: None }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_joule"));
        cmd.arg("--data-dir")
            .arg(&self.dir)
            .args(args)
            .env("JOULE_LOG", "warn")
            .env("JOULE_URL", format!("http://127.0.0.1:{}", self.port))
            // The release's API token: it must still authenticate.
            .env("JOULE_TOKEN", &self.token)
            .env_remove("JOULE_DATABASE_URL")
            .current_dir(&self.dir);
        cmd
    }

    fn ok(&self, args: &[&str]) -> String {
        let out: Output = self.command(args).output().unwrap();
        assert!(out.status.success(), "joule {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn ok_with_input(&self, args: &[&str], input: &str) -> String {
        let mut child =
            self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "joule {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn serve(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_joule"))
            .arg("--data-dir")
            .arg(&self.dir)
            .args(["--listen", &format!("127.0.0.1:{}", self.port), "serve"])
            .env("JOULE_LOG", "warn")
            .env_remove("JOULE_DATABASE_URL")
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        self.server = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "joule serve did not listen on {}", self.port);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    async fn station(&self, key: &str, id: &str, password: Option<&str>) -> StationClient {
        let url = format!("ws://127.0.0.1:{}/ocpp/{key}/{id}", self.port);
        let opts = match password {
            Some(p) => ConnectOptions::default().with_basic_auth(id, p),
            None => ConnectOptions::default(),
        };
        StationClient::connect(&url, opts).await.unwrap_or_else(|e| panic!("{id} connects: {e}"))
    }
}

impl Drop for Upgraded {
    fn drop(&mut self) {
        if let Some(mut child) = self.server.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The rows of a CLI table, each split at whitespace (the header dropped).
fn rows(table: &str) -> Vec<Vec<String>> {
    table.lines().skip(1).map(|l| l.split_whitespace().map(str::to_string).collect()).collect()
}

/// The row whose cells, from `skip` on, start with `cells`.
fn row<'a>(table: &'a [Vec<String>], skip: usize, cells: &[&str]) -> Option<&'a Vec<String>> {
    table
        .iter()
        .find(|r| r.len() >= skip + cells.len() && r[skip..skip + cells.len()].iter().zip(cells).all(|(a, b)| a == b))
}

/// Answers what the server asks meanwhile (e.g. the operator's default configuration, sent after an
/// accepted boot) with Accepted; waits briefly for each, asserts nothing about them.
async fn answer_server_calls(st: &mut StationClient) {
    while let Ok(Some(call)) = st.next_server_call(Duration::from_millis(300)).await {
        st.respond(&call.id, json!({"status": "Accepted"})).await.unwrap();
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_a_data_folder_of_an_earlier_release() {
    for fixture in FIXTURES {
        run(fixture).await;
    }
}

async fn run(fixture: &str) {
    let mut up = Upgraded::copy(fixture);

    // The CLI opens the release's database (migrating it) and lists what the release stored.
    let stations = rows(&up.ok(&["station", "list"]));
    for (id, state) in [
        ("FX-1", "active"),
        ("FX-2", "active"),
        ("FX-3", "verified"),
        ("FX-4", "pending"),
        ("FX-5", "requested"),
        ("FX-6", "rejected"),
        ("FX-7", "handed-over"),
        ("FX-8", "suspended"),
        ("FX-SIM-00001", "active"),
    ] {
        let r = row(&stations, 0, &[id]).unwrap_or_else(|| panic!("{id} is listed: {stations:?}"));
        assert!(r.contains(&state.to_string()), "{id} is {state}: {r:?}");
    }
    assert_eq!(stations.len(), 11, "{stations:?}");
    let fx1 = stations.iter().find(|r| r[0] == "FX-1").unwrap();
    assert!(fx1.join(" ").contains("Fixture Works FX-22 1.4.2"), "FX-1's boot data: {fx1:?}");

    let sessions = rows(&up.ok(&["session", "list"]));
    assert_eq!(sessions.len(), 7, "{sessions:?}");
    let expected = [
        ["FX-1", "1", "TAG-A", "2026-06-02", "08:00:00Z", "2026-06-02", "08:40:00Z", "4000", "completed"],
        ["FX-1", "2", "TAG-B", "2026-06-02", "08:10:00Z", "2026-06-02", "08:50:00Z", "3000", "completed"],
        ["FX-2", "1", "TAG-B", "2026-06-03", "10:00:00Z", "2026-06-03", "10:30:00Z", "2000", "completed"],
        ["FX-2", "2", "TAG-A", "2026-06-03", "10:40:00Z", "2026-06-03", "10:41:00Z", "100", "completed"],
    ];
    for cells in expected {
        assert!(row(&sessions, 1, &cells).is_some(), "session {cells:?} in {sessions:?}");
    }
    let running = row(&sessions, 1, &["FX-2", "1", "TAG-A", "2026-06-03", "11:00:00Z", "-", "-", "active"])
        .unwrap_or_else(|| panic!("FX-2's running session in {sessions:?}"));
    let running_id: i64 = running[0].parse().unwrap();
    let residents_session: i64 = row(&sessions, 1, &expected[0]).unwrap()[0].parse().unwrap();
    let highest: i64 = sessions.iter().map(|r| r[0].parse::<i64>().unwrap()).max().unwrap();

    let tokens = rows(&up.ok(&["token", "list", "--operator", "Fixture Charging"]));
    for cells in [
        vec!["TAG-A", "-", "never", "no"],
        vec!["TAG-B", "TAG-A", "2100-01-01", "00:00:00Z", "no"],
        vec!["TAG-BLOCKED", "-", "never", "yes"],
        vec!["TAG-IMP-2", "TAG-IMP-1", "2031-01-01", "00:00:00Z", "yes"],
    ] {
        assert!(row(&tokens, 0, &cells).is_some(), "token {cells:?} in {tokens:?}");
    }
    let unknown = up.ok(&["session", "unknown-stops"]);
    assert!(unknown.contains("999999") && unknown.contains("FX-1"), "{unknown}");

    // The server starts on it; the release's API token and a person's password still work.
    up.serve();
    let commands = up.ok(&["station", "commands", "FX-SIM-00001"]);
    assert!(commands.contains("RemoteStartTransaction") && commands.contains("token:fixture-admin"), "{commands}");
    let cost = up.ok(&["session", "cost", &residents_session.to_string()]);
    assert!(cost.contains("total 1.41 CHF"), "the stored cost: {cost}");
    let token = up.ok_with_input(&["login", "--email", "staff@fixture.example"], "fixture staff password\n");
    assert!(token.trim().starts_with("jsess_"), "{token}");

    // FX-1 boots Accepted and charges: its session gets a transaction id above the release's.
    let key = generated(fixture, "OPERATOR_KEY");
    let mut st = up.station(&key, "FX-1", None).await;
    let boot = json!({"chargePointVendor": "Fixture Works", "chargePointModel": "FX-22", "firmwareVersion": "1.4.2"});
    let answer = st.call("BootNotification", boot).await.unwrap().expect_result();
    assert_eq!(answer["status"], "Accepted", "{answer}");
    answer_server_calls(&mut st).await;
    let status = json!({"connectorId": 1, "errorCode": "NoError", "status": "Preparing", "timestamp": now()});
    st.call("StatusNotification", status).await.unwrap().expect_result();
    let auth = st.call("Authorize", json!({"idTag": "TAG-A"})).await.unwrap().expect_result();
    assert_eq!(auth["idTagInfo"]["status"], "Accepted", "{auth}");
    let start = json!({"connectorId": 1, "idTag": "TAG-A", "meterStart": 8000, "timestamp": now()});
    let started = st.call("StartTransaction", start).await.unwrap().expect_result();
    assert_eq!(started["idTagInfo"]["status"], "Accepted", "{started}");
    let tx = started["transactionId"].as_i64().expect("a transaction id");
    assert!(tx > highest, "a new transaction id ({tx}) above the release's ({highest})");
    let sample = json!({"value": "8300", "measurand": "Energy.Active.Import.Register", "unit": "Wh"});
    let meter =
        json!({"connectorId": 1, "transactionId": tx, "meterValue": [{"timestamp": now(), "sampledValue": [sample]}]});
    st.call("MeterValues", meter).await.unwrap().expect_result();
    let stop = json!({"transactionId": tx, "meterStop": 8500, "timestamp": now(), "idTag": "TAG-A", "reason": "Local"});
    let stopped = st.call("StopTransaction", stop).await.unwrap().expect_result();
    assert_eq!(stopped["idTagInfo"]["status"], "Accepted", "{stopped}");
    answer_server_calls(&mut st).await;
    st.close().await;

    // FX-2 (with its Basic-auth password) stops the session it started before the upgrade.
    let mut st = up.station(&key, "FX-2", Some(FX2_PASSWORD)).await;
    let boot = json!({"chargePointVendor": "Fixture Works", "chargePointModel": "FX-11"});
    assert_eq!(st.call("BootNotification", boot).await.unwrap().expect_result()["status"], "Accepted");
    answer_server_calls(&mut st).await;
    let stop = json!({"transactionId": running_id, "meterStop": 3000, "timestamp": now(), "reason": "EVDisconnected"});
    st.call("StopTransaction", stop).await.unwrap().expect_result();
    answer_server_calls(&mut st).await;
    st.close().await;

    let after = rows(&up.ok(&["session", "list", "--station", "FX-1"]));
    let new = after.iter().find(|r| r[0] == tx.to_string()).unwrap_or_else(|| panic!("session {tx} in {after:?}"));
    assert_eq!((new[1].as_str(), new[2].as_str(), new[3].as_str()), ("FX-1", "1", "TAG-A"));
    assert_eq!(&new[new.len() - 2..], ["500", "completed"], "recorded with its energy: {new:?}");
    let fx2 = rows(&up.ok(&["session", "list", "--station", "FX-2", "--active"]));
    assert!(fx2.is_empty(), "the release's running session is stopped: {fx2:?}");
}
