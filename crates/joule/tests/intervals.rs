//! The 15-minute interval and live power commands, run as a user runs them: the real binary
//! against a real `joule serve`, fed by a simulated station's MeterValues over a real WebSocket.

use std::path::Path;

use chrono::{TimeZone, Utc};
use joule_sim::client::{ConnectOptions, StationClient};
use serde_json::{Value, json};

mod support;

use support::Server;

impl Server {
    /// A station of the test server's operator, registered, activated and booted over a real WebSocket.
    async fn station(&self, id: &str) -> StationClient {
        self.ok(&["station", "register", id, "--operator", "Acme", "--activate"]);
        let url = format!("ws://127.0.0.1:{}/ocpp/{}/{id}", self.port, self.key);
        let mut st = StationClient::connect(&url, ConnectOptions::default()).await.unwrap();
        let boot = json!({"chargePointVendor": "Joule", "chargePointModel": "Test-22"});
        let answer = st.call("BootNotification", boot).await.unwrap().expect_result();
        assert_eq!(answer["status"], "Accepted");
        st
    }
}

/// Sends clock-aligned register readings for 2026-06-10 (UTC: the operator's zone, as it set none) every 15 minutes,
/// `wh` apart, none strictly between 10:00 and 17:00 (7 hours, longer than the 6-hour maximum gap).
async fn send_day(st: &mut StationClient, wh: u64) {
    let start = Utc.with_ymd_and_hms(2026, 6, 10, 0, 0, 0).single().unwrap();
    let values: Vec<Value> = (0..=96u32)
        .filter(|q| !(41..68).contains(q))
        .map(|q| {
            let at = start + chrono::Duration::minutes(15 * i64::from(q));
            json!({
                "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "sampledValue": [{
                    "value": (1_000 + wh * u64::from(q)).to_string(),
                    "context": "Sample.Clock",
                    "measurand": "Energy.Active.Import.Register",
                    "unit": "Wh"
                }]
            })
        })
        .collect();
    for chunk in values.chunks(20) {
        let payload = json!({"connectorId": 0, "meterValue": chunk});
        st.call("MeterValues", payload).await.unwrap().expect_result();
    }
}

/// Checks an exported CSV: header, `lines` data lines, `missing` of them missing, the rest `wh` each.
fn check_csv(path: &Path, station: &str, lines: usize, missing: usize, wh: u64) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows = text.lines();
    assert_eq!(rows.next(), Some("station_id,connector_id,interval_start,interval_end,energy_wh,quality"));
    let rows: Vec<String> = rows.filter(|l| l.starts_with(&format!("{station},"))).map(str::to_string).collect();
    assert_eq!(rows.len(), lines, "{text}");
    let fields: Vec<Vec<&str>> = rows.iter().map(|l| l.split(',').collect()).collect();
    assert!(fields.iter().all(|f| f.len() == 6));
    assert_eq!(fields.iter().filter(|f| f[5] == "missing" && f[4].is_empty()).count(), missing);
    assert!(fields.iter().filter(|f| f[5] != "missing").all(|f| f[5] == "measured" && f[4] == wh.to_string()));
    assert_eq!(fields[0][2], "2026-06-10T00:00:00+00:00");
    assert_eq!(fields[40][2], "2026-06-10T10:00:00+00:00");
    assert_eq!(fields[40][5], "missing", "the gap starts at 10:00");
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn station_and_operator_exports_and_live_power() {
    let server = Server::start_as("intervals-export", "viewer");
    let mut a = server.station("CP-A").await;
    let mut b = server.station("CP-B").await;
    send_day(&mut a, 25).await;
    send_day(&mut b, 40).await;

    // One station to a file: 96 intervals, 28 missing (10:00 to 17:00), the zone said.
    let file = server.dir.join("a.csv");
    let stderr = server.ok_stderr(&[
        "station",
        "intervals",
        "CP-A",
        "--from",
        "2026-06-10",
        "--to",
        "2026-06-10",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(stderr.contains("96 intervals") && stderr.contains("time zone UTC"), "{stderr}");
    check_csv(&file, "CP-A", 96, 28, 25);
    assert!(!server.dir.join("a.csv.partial").exists(), "no partial file left");

    // To standard output.
    let out = server.ok(&["station", "intervals", "CP-B", "--from", "2026-06-10", "--to", "2026-06-10"]);
    assert_eq!(out.lines().count(), 97);

    // One file per station, with progress.
    let dir = server.dir.join("export");
    let stderr = server.ok_stderr(&[
        "intervals",
        "export",
        "--operator",
        "Acme",
        "--from",
        "2026-06-10",
        "--to",
        "2026-06-10",
        "--out",
        dir.to_str().unwrap(),
        "--progress",
    ]);
    assert!(stderr.contains("station 2/2 CP-B"), "{stderr}");
    assert!(stderr.contains("2 stations, 192 intervals"), "{stderr}");
    check_csv(&dir.join("CP-A_2026-06-10_2026-06-10.csv"), "CP-A", 96, 28, 25);
    check_csv(&dir.join("CP-B_2026-06-10_2026-06-10.csv"), "CP-B", 96, 28, 40);

    // One combined file.
    let combined = server.dir.join("all.csv");
    let stderr = server.ok_stderr(&[
        "intervals",
        "export",
        "--operator",
        "Acme",
        "--from",
        "2026-06-10",
        "--to",
        "2026-06-10",
        "--out",
        combined.to_str().unwrap(),
        "--combined",
    ]);
    assert!(stderr.contains("192 intervals"), "{stderr}");
    check_csv(&combined, "CP-A", 96, 28, 25);
    check_csv(&combined, "CP-B", 96, 28, 40);

    // A wrong date or operator says what to fix.
    let out = server.run(&["station", "intervals", "CP-A", "--from", "2026-99-01", "--to", "2026-06-10"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("from") && stderr.contains("YYYY-MM-DD"), "{stderr}");
    let out = server.run(&[
        "intervals",
        "export",
        "--operator",
        "Nobody",
        "--from",
        "2026-06-10",
        "--to",
        "2026-06-10",
        "--out",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Acme"), "names the token's operator");

    // Live power.
    let out = server.ok(&["station", "power", "CP-A"]);
    assert!(out.contains("has sent no power values"), "{out}");
    let now = Utc::now();
    let power = |secs_ago: i64, w: &str| {
        json!({
            "timestamp": (now - chrono::Duration::seconds(secs_ago)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "sampledValue": [{"value": w, "measurand": "Power.Active.Import", "unit": "W"}]
        })
    };
    let payload = json!({"connectorId": 1, "meterValue": [power(40, "7000"), power(10, "7400")]});
    a.call("MeterValues", payload).await.unwrap().expect_result();
    let out = server.ok(&["station", "power", "CP-A"]);
    let row = out.lines().find(|l| l.trim_start().starts_with('1')).unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("7400 W") && row.contains("30 s (samples)"), "{out}");
}
