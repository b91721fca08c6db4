//! The load generator's settings, which are also its command line.

use std::time::Duration;

use clap::{Parser, ValueEnum};

use crate::Error;

/// The longest run allowed: every loop of the load generator ends by then.
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);
/// The most stations one run may simulate.
pub const MAX_STATIONS: u32 = 500_000;

const EXAMPLES: &str = "\
Examples (operator key KEY; stations SIM-00001...):
  joule-sim --url ws://127.0.0.1:8180/ocpp/KEY --stations 5000 --mode idle --connect-rate 500 --duration 60s
  joule-sim --url ws://127.0.0.1:8180/ocpp/KEY --stations 500 --mode sessions --connectors 2 \\
            --meter-interval 10s --session-length 2m --duration 5m --json sessions.json
  joule-sim --url ws://127.0.0.1:8180/ocpp/KEY --stations 10000 --mode storm --duration 120s
  joule-sim --url ws://127.0.0.1:8180/ocpp/KEY --stations 200 --mode meter-flood --duration 30s --json flood.json

The report goes to stdout (and --json FILE); progress lines to stderr. Exit status 2 if no connection was made.";

/// What the simulated stations do once connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Boot, StatusNotification per connector, then heartbeats only: for counting concurrent stations.
    Idle,
    /// Boot, then charging sessions on every connector: Authorize, StartTransaction, MeterValues every
    /// --meter-interval, StopTransaction after --session-length or at the end of the run.
    Sessions,
    /// All stations connect and boot at once (ignores --connect-rate unless given); stations answered Pending
    /// re-boot at the interval the server gave. Stops as soon as every station is Accepted, and reports how long
    /// that took.
    Storm,
    /// Each station starts a transaction on connector 1 and sends MeterValues back to back, one outstanding call
    /// at a time, as fast as the server answers: the ingestion throughput benchmark.
    MeterFlood,
    /// Each station sends Authorize back to back with --id-tag, one outstanding call at a time, as fast as the
    /// server answers: the authorization benchmark (the token, its driver and the station's access rules are
    /// read and decided for every call).
    AuthorizeFlood,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Idle => "idle",
            Mode::Sessions => "sessions",
            Mode::Storm => "storm",
            Mode::MeterFlood => "meter-flood",
            Mode::AuthorizeFlood => "authorize-flood",
        }
    }
}

/// Simulates N OCPP 1.6J charging stations against a CSMS and reports connections, calls and latencies.
///
/// Every run is bounded by --duration and ends by itself. Only point it at servers you run yourself
/// (loopback). For more than about 1000 stations the open-file limit matters: joule-sim raises its soft
/// RLIMIT_NOFILE to the hard limit at start; if the hard limit is too low, raise it first (`ulimit -Hn`,
/// `ulimit -n 65536`). One source address reaches one server port from about 28000 ephemeral ports.
#[derive(Debug, Clone, Parser)]
#[command(name = "joule-sim", version, verbatim_doc_comment, after_help = EXAMPLES)]
pub struct Config {
    /// Base WebSocket URL of the CSMS; `/{station-id}` is appended for each station, so both
    /// ws://HOST/ocpp and ws://HOST/ocpp/{operator-key} work. Only ws:// (use a TLS-terminating proxy for wss).
    #[arg(long, env = "JOULE_SIM_URL")]
    pub url: String,

    /// How many stations to simulate (each one WebSocket connection and one task).
    #[arg(long, short = 'n', default_value_t = 10)]
    pub stations: u32,

    /// What the stations do: idle, sessions, storm, meter-flood or authorize-flood.
    #[arg(long, value_enum, default_value_t = Mode::Idle)]
    pub mode: Mode,

    /// How long the run lasts (hard cap; stations then stop their transactions and disconnect). E.g. 30s, 2m,
    /// 500ms; a bare number is seconds.
    #[arg(long, short = 'd', value_parser = parse_duration, default_value = "30s")]
    pub duration: Duration,

    /// Station ids are this prefix followed by a 5-digit number: SIM-00001, SIM-00002, ...
    #[arg(long, default_value = "SIM-")]
    pub id_prefix: String,

    /// Number of the first station (so several generators can share one server without id clashes).
    #[arg(long, default_value_t = 1)]
    pub first_station: u32,

    /// New connections per second; 0 = all at once (the reconnect-storm case). Default: 100, and 0 in storm
    /// mode.
    #[arg(long)]
    pub connect_rate: Option<f64>,

    /// Time between Heartbeats (e.g. 30s). Default: the interval in the BootNotification answer, which a
    /// ChangeConfiguration of HeartbeatInterval then changes.
    #[arg(long, value_parser = parse_duration)]
    pub heartbeat_interval: Option<Duration>,

    /// Time between MeterValues per connector during a session (sessions mode); 0 = no sessions.
    #[arg(long, value_parser = parse_duration, default_value = "10s")]
    pub meter_interval: Duration,

    /// Length of a session in sessions mode; after it the session is stopped and, after a pause of one meter
    /// interval, a new one starts. Default: sessions last until the end of the run.
    #[arg(long, value_parser = parse_duration)]
    pub session_length: Option<Duration>,

    /// Connectors per station (1.6 connector ids 1..=N).
    #[arg(long, default_value_t = 1)]
    pub connectors: u32,

    /// The idTag used for Authorize and StartTransaction (at most 20 characters).
    #[arg(long, default_value = "SIMTAG0001")]
    pub id_tag: String,

    /// HTTP Basic auth password (security profile 1/2); the user is the station id.
    #[arg(long, env = "JOULE_SIM_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,

    /// WebSocket subprotocol offered (repeat for several).
    #[arg(long = "subprotocol", default_value = "ocpp1.6")]
    pub subprotocols: Vec<String>,

    /// How long a station waits for the answer to a CALL (and for connect + upgrade).
    #[arg(long, value_parser = parse_duration, default_value = "10s")]
    pub call_timeout: Duration,

    /// Wait before a station reconnects after a failed connect or a lost connection (jittered ±50 %).
    #[arg(long, value_parser = parse_duration, default_value = "2s")]
    pub reconnect_delay: Duration,

    /// Do not reconnect: a station whose connect fails or whose connection drops stays off.
    #[arg(long)]
    pub no_reconnect: bool,

    /// Wait between BootNotifications of a station answered Pending or Rejected. Default: the interval in the
    /// answer (at least 1 s).
    #[arg(long, value_parser = parse_duration)]
    pub boot_retry_interval: Option<Duration>,

    /// Time between progress lines on stderr; 0 = none.
    #[arg(long, value_parser = parse_duration, default_value = "5s")]
    pub progress_interval: Duration,

    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<std::path::PathBuf>,
}

impl Config {
    /// Settings with every default and the given base URL.
    pub fn new(url: impl Into<String>) -> Config {
        let url = url.into();
        Config::parse_from(["joule-sim", "--url", url.as_str()])
    }

    /// The connect rate in force (per second; 0 = all at once).
    pub fn effective_connect_rate(&self) -> f64 {
        match (self.connect_rate, self.mode) {
            (Some(rate), _) => rate,
            (None, Mode::Storm) => 0.0,
            (None, _) => 100.0,
        }
    }

    /// The id of station number `index` (0-based within this run).
    pub fn station_id(&self, index: u32) -> String {
        format!("{}{:05}", self.id_prefix, u64::from(self.first_station) + u64::from(index))
    }

    /// The full URL of a station.
    pub fn station_url(&self, station_id: &str) -> String {
        format!("{}/{}", self.url.trim_end_matches('/'), station_id)
    }

    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: String| Err(Error::Config(m));
        if !self.url.starts_with("ws://") {
            return bad(format!("--url must start with ws:// (got {})", self.url));
        }
        if self.stations == 0 || self.stations > MAX_STATIONS {
            return bad(format!("--stations must be 1..={MAX_STATIONS}"));
        }
        if self.duration.is_zero() || self.duration > MAX_DURATION {
            return bad(format!("--duration must be more than 0 and at most {}s", MAX_DURATION.as_secs()));
        }
        if self.connectors == 0 || self.connectors > 100 {
            return bad("--connectors must be 1..=100".into());
        }
        if self.id_tag.is_empty() || self.id_tag.chars().count() > 20 {
            return bad("--id-tag must be 1 to 20 characters".into());
        }
        let rate = self.effective_connect_rate();
        if !rate.is_finite() || rate < 0.0 {
            return bad("--connect-rate must be 0 or more".into());
        }
        if self.call_timeout.is_zero() {
            return bad("--call-timeout must be more than 0".into());
        }
        if self.heartbeat_interval.is_some_and(|d| d < Duration::from_millis(10)) {
            return bad("--heartbeat-interval must be at least 10ms".into());
        }
        if !self.meter_interval.is_zero() && self.meter_interval < Duration::from_millis(10) {
            return bad("--meter-interval must be 0 or at least 10ms".into());
        }
        let id = self.station_id(self.stations - 1);
        if id.len() > 48 || id.contains(['/', '?', '#', ' ']) {
            return bad(format!("station ids must be at most 48 characters without / ? # or space (e.g. {id})"));
        }
        Ok(())
    }
}

/// Parses `30s`, `1.5s`, `500ms`, `2m`, `1h`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| format!("not a duration: {text:?} (try 30s, 500ms, 2m)"))?;
    let seconds = match unit.trim() {
        "" | "s" => number,
        "ms" => number / 1000.0,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        other => return Err(format!("unknown unit {other:?} in {text:?} (use ms, s, m or h)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("bad duration {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("3 parsecs").is_err());
    }

    #[test]
    fn defaults_and_ids() {
        let c = Config::new("ws://127.0.0.1:8180/ocpp/KEY/");
        assert_eq!(c.stations, 10);
        assert_eq!(c.duration, Duration::from_secs(30));
        assert_eq!(c.station_id(0), "SIM-00001");
        assert_eq!(c.station_url("SIM-00001"), "ws://127.0.0.1:8180/ocpp/KEY/SIM-00001");
        assert_eq!(c.subprotocols, vec!["ocpp1.6".to_string()]);
        assert!(c.validate().is_ok());
        let storm = Config { mode: Mode::Storm, ..c.clone() };
        assert_eq!(storm.effective_connect_rate(), 0.0);
        assert!(Config { stations: 0, ..c }.validate().is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Config::command().debug_assert();
    }
}
