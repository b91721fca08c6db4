//! Server settings. The binary layers them: defaults, then a TOML file, then `JOULE_*` environment variables,
//! then command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address the HTTP/WebSocket server listens on.
    pub listen: SocketAddr,
    /// Where the embedded SQLite database lives when no `database_url` is given.
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL, or `sqlite://PATH`; empty means SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// How stations and people reach this server, e.g. `ws://charge.example.com:8180`; used when printing
    /// OCPP URLs. Empty means derived from `listen`.
    pub public_url: Option<String>,
    pub ocpp: OcppSettings,
    /// Where Joule's e-mails go (SMTP, or the outbox folder when none is configured).
    #[serde(default)]
    pub mail: joule_mail::MailSettings,
}

/// What to do with a station that connects to `/ocpp/{station-id}`, without an operator key.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum UnkeyedStations {
    /// Refuse the upgrade (404).
    Refuse,
    /// Let stations that are already registered connect; refuse unknown ones.
    Registered,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OcppSettings {
    /// Heartbeat interval given to accepted stations in BootNotification.conf, seconds.
    pub heartbeat_interval_secs: u32,
    /// Interval after which a Pending (not yet activated) station boots again, seconds.
    pub pending_interval_secs: u32,
    /// WebSocket ping interval, seconds. A station that sends nothing (not even a pong) for twice this long
    /// is taken as gone and marked offline.
    pub ping_interval_secs: u32,
    /// How long Joule waits for a station to answer a CALL, seconds.
    pub call_timeout_secs: u32,
    /// Largest frame accepted, bytes. Larger CALLs are answered with a CALLERROR; frames over four times
    /// this close the connection.
    pub max_frame_bytes: usize,
    /// Commands waiting per station while one is outstanding.
    pub command_queue: usize,
    pub unkeyed_stations: UnkeyedStations,
    /// Refuse stations without a Basic-auth password (OCPP security profile 1 for everyone).
    pub require_station_password: bool,
    /// Refuse stations that send no `Sec-WebSocket-Protocol` header. Off by default: some firmware never
    /// sends it (e.g. Grizzl-E), and such stations are served as OCPP 1.6.
    pub require_subprotocol: bool,
    /// Days the OCPP message log (every frame in and out) is kept, 7 by default; 0 turns the log off. Its
    /// cost is in BENCHMARKS.md.
    pub message_log_days: u32,
    // --- offline detection ---
    /// How often offline detection looks for silent stations, seconds (60 by default). A station is out of
    /// service after its operator's `offline_after_minutes` without traffic; this is how late it may be seen.
    pub offline_check_secs: u32,
    // --- handover ---
    /// Seconds a station handed over to another backend must stay away from Joule after it left before
    /// the handover is confirmed, 600 by default. A station that comes back within it did not take the
    /// new URL, and the handover fails.
    pub handover_confirm_secs: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([0, 0, 0, 0], 8180)),
            data_dir: PathBuf::from("./joule-data"),
            database_url: None,
            public_url: None,
            ocpp: OcppSettings::default(),
            mail: Default::default(),
        }
    }
}

impl Default for OcppSettings {
    fn default() -> Self {
        OcppSettings {
            heartbeat_interval_secs: 300,
            pending_interval_secs: 60,
            ping_interval_secs: 30,
            call_timeout_secs: 30,
            max_frame_bytes: 64 * 1024,
            command_queue: 16,
            unkeyed_stations: UnkeyedStations::Refuse,
            require_station_password: false,
            require_subprotocol: false,
            message_log_days: 7,
            // --- offline detection ---
            offline_check_secs: 60,
            // --- handover ---
            handover_confirm_secs: 600,
        }
    }
}

impl OcppSettings {
    pub fn ping_interval(&self) -> Duration {
        Duration::from_secs(u64::from(self.ping_interval_secs.max(1)))
    }
    pub fn call_timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.call_timeout_secs.max(1)))
    }
    // --- offline detection ---
    pub fn offline_check(&self) -> Duration {
        Duration::from_secs(u64::from(self.offline_check_secs.max(1)))
    }
}

impl Settings {
    /// The base URL stations are given: `ws://HOST:PORT`.
    pub fn public_base(&self) -> String {
        if let Some(url) = self.public_url.as_deref().filter(|u| !u.is_empty()) {
            return url.trim_end_matches('/').to_string();
        }
        let host =
            if self.listen.ip().is_unspecified() { "localhost".to_string() } else { self.listen.ip().to_string() };
        format!("ws://{host}:{}", self.listen.port())
    }

    /// An operator's OCPP URL, to which a station appends its own id.
    pub fn ocpp_url(&self, operator_key: &str) -> String {
        format!("{}/ocpp/{operator_key}/", self.public_base())
    }
}

/// The commented example printed by `joule config example`.
pub const EXAMPLE_TOML: &str = include_str!("../joule.example.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_the_defaults() {
        let parsed: Settings = toml_from_example();
        assert_eq!(parsed, Settings::default());
    }

    fn toml_from_example() -> Settings {
        // The example's values are written out as comments; uncommented they must equal the defaults.
        let uncommented: String = EXAMPLE_TOML
            .lines()
            .filter_map(|l| {
                l.strip_prefix("# ")
                    .filter(|rest| !rest.starts_with(' ') && (rest.contains(" = ") || rest.starts_with('[')))
            })
            .map(|l| format!("{l}\n"))
            .collect();
        basic_toml_parse(&uncommented)
    }

    /// Minimal parse for the test without a TOML dependency in this crate: key = value lines and [sections],
    /// turned into JSON and deserialised.
    fn basic_toml_parse(text: &str) -> Settings {
        let mut root = serde_json::Map::new();
        let mut section: Option<String> = None;
        for line in text.lines() {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(name.to_string());
                root.insert(name.to_string(), serde_json::Value::Object(Default::default()));
                continue;
            }
            let (k, v) = line.split_once(" = ").unwrap();
            let v: serde_json::Value = serde_json::from_str(v).unwrap();
            let target = match &section {
                Some(s) => root.get_mut(s).unwrap().as_object_mut().unwrap(),
                None => &mut root,
            };
            target.insert(k.to_string(), v);
        }
        serde_json::from_value(serde_json::Value::Object(root)).unwrap()
    }

    #[test]
    fn urls() {
        let mut s = Settings::default();
        assert_eq!(s.ocpp_url("abc"), "ws://localhost:8180/ocpp/abc/");
        s.public_url = Some("wss://charge.example.com/".into());
        assert_eq!(s.ocpp_url("abc"), "wss://charge.example.com/ocpp/abc/");
    }
}
