//! What the stations observe, gathered by one collector task into a [`Report`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hdrhistogram::Histogram;
use ocpp::ErrorCode;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::config::Mode;

/// How a CALL ended.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CallEnd {
    Result,
    Error(ErrorCode),
    Timeout,
    /// The connection was lost before the answer came.
    Lost,
}

#[derive(Debug)]
pub(crate) enum Event {
    ConnectAttempt,
    Connected,
    ConnectFailed(String),
    /// An established connection ended without us closing it.
    Disconnected(String),
    /// We closed an established connection (end of run, or a simulated reset).
    Closed,
    Call {
        action: &'static str,
        end: CallEnd,
        latency: Duration,
    },
    BootAccepted {
        first: bool,
    },
    BootPending,
    BootRejected,
    ServerCall(String),
    TransactionStarted,
    TransactionStopped,
    AuthorizeRejected,
    BadFrame,
    StaleResponse,
    /// The run stopped (deadline, or storm complete); the wind-down follows.
    Stopping,
}

/// Shared by every station: the event channel and the counters the progress line reads.
pub(crate) struct Sink {
    events: mpsc::Sender<Event>,
    calls_sent: Arc<AtomicU64>,
}

impl Sink {
    pub(crate) async fn emit(&self, event: Event) {
        // The collector outlives the stations; if it is gone the run is over anyway.
        let _ = self.events.send(event).await;
    }
    pub(crate) fn call_sent(&self) {
        self.calls_sent.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Default)]
struct ActionStats {
    results: u64,
    errors: u64,
    timeouts: u64,
    lost: u64,
    latency_us: Option<Histogram<u64>>,
}

#[derive(Default)]
struct Totals {
    attempted: u64,
    established: u64,
    failed: u64,
    failures: BTreeMap<String, u64>,
    disconnects: u64,
    disconnect_reasons: BTreeMap<String, u64>,
    closed: u64,
    peak_connected: u64,
    results: u64,
    errors: BTreeMap<String, u64>,
    timeouts: u64,
    lost: u64,
    stale: u64,
    bad_frames: u64,
    boot_accepted: u64,
    boot_pending: u64,
    boot_rejected: u64,
    stations_accepted: u64,
    all_accepted_at: Option<Duration>,
    server_calls: BTreeMap<String, u64>,
    tx_started: u64,
    tx_stopped: u64,
    authorize_rejected: u64,
    stopped_at: Option<Duration>,
}

impl Totals {
    fn connected(&self) -> u64 {
        self.established.saturating_sub(self.disconnects + self.closed)
    }
    fn completed(&self) -> u64 {
        self.results + self.errors.values().sum::<u64>() + self.timeouts + self.lost
    }
}

/// Gathers events until every station is done.
pub(crate) struct Collector {
    rx: mpsc::Receiver<Event>,
    calls_sent: Arc<AtomicU64>,
    start: Instant,
    stations: u64,
    mode: Mode,
    /// Set when the run should stop early (storm mode, once every station is accepted).
    stop: Arc<watch::Sender<bool>>,
    progress_interval: Duration,
    totals: Totals,
    actions: HashMap<&'static str, ActionStats>,
}

impl Collector {
    pub(crate) fn new(
        stations: u32,
        mode: Mode,
        start: Instant,
        stop: Arc<watch::Sender<bool>>,
        progress_interval: Duration,
    ) -> (Collector, Arc<Sink>) {
        let (tx, rx) = mpsc::channel(16 * 1024);
        let calls_sent = Arc::new(AtomicU64::new(0));
        let sink = Arc::new(Sink { events: tx, calls_sent: calls_sent.clone() });
        let collector = Collector {
            rx,
            calls_sent,
            start,
            stations: stations.into(),
            mode,
            stop,
            progress_interval,
            totals: Totals::default(),
            actions: HashMap::new(),
        };
        (collector, sink)
    }

    /// Runs until every clone of the [`Sink`] is dropped (every station is done), printing progress lines.
    pub(crate) async fn run(mut self) -> Report {
        let progress = !self.progress_interval.is_zero();
        let mut ticker =
            tokio::time::interval(if progress { self.progress_interval } else { Duration::from_secs(3600) });
        ticker.tick().await;
        let mut last = (Instant::now(), 0u64);
        loop {
            tokio::select! {
                biased;
                event = self.rx.recv() => match event {
                    Some(event) => self.record(event),
                    None => break,
                },
                _ = ticker.tick(), if progress => {
                    let now = Instant::now();
                    let completed = self.totals.completed();
                    let rate = (completed - last.1) as f64 / now.duration_since(last.0).as_secs_f64().max(1e-3);
                    last = (now, completed);
                    eprintln!("{}", self.progress_line(rate));
                }
            }
        }
        self.report()
    }

    fn progress_line(&self, rate: f64) -> String {
        let t = &self.totals;
        let errors: u64 = t.errors.values().sum();
        format!(
            "[{:>7.1}s] connected {}/{} (failed {}, disconnects {}) accepted {} | calls {} ({rate:.0}/s) results {} \
             errors {errors} timeouts {}",
            self.start.elapsed().as_secs_f64(),
            t.connected(),
            self.stations,
            t.failed,
            t.disconnects,
            t.stations_accepted,
            self.calls_sent.load(Ordering::Relaxed),
            t.results,
            t.timeouts,
        )
    }

    fn record(&mut self, event: Event) {
        let t = &mut self.totals;
        match event {
            Event::ConnectAttempt => t.attempted += 1,
            Event::Connected => {
                t.established += 1;
                t.peak_connected = t.peak_connected.max(t.connected());
            }
            Event::ConnectFailed(reason) => {
                t.failed += 1;
                *t.failures.entry(reason).or_default() += 1;
            }
            Event::Disconnected(reason) => {
                t.disconnects += 1;
                *t.disconnect_reasons.entry(reason).or_default() += 1;
            }
            Event::Closed => t.closed += 1,
            Event::Call { action, end, latency } => {
                let a = self.actions.entry(action).or_default();
                let answered = match end {
                    CallEnd::Result => {
                        t.results += 1;
                        a.results += 1;
                        true
                    }
                    CallEnd::Error(code) => {
                        *t.errors.entry(code.as_str().to_string()).or_default() += 1;
                        a.errors += 1;
                        true
                    }
                    CallEnd::Timeout => {
                        t.timeouts += 1;
                        a.timeouts += 1;
                        false
                    }
                    CallEnd::Lost => {
                        t.lost += 1;
                        a.lost += 1;
                        false
                    }
                };
                if answered {
                    let h = a.latency_us.get_or_insert_with(|| {
                        Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
                    });
                    h.saturating_record((latency.as_micros() as u64).max(1));
                }
            }
            Event::BootAccepted { first } => {
                t.boot_accepted += 1;
                if first {
                    t.stations_accepted += 1;
                    if t.stations_accepted == self.stations && t.all_accepted_at.is_none() {
                        t.all_accepted_at = Some(self.start.elapsed());
                        if self.mode == Mode::Storm {
                            let _ = self.stop.send(true);
                        }
                    }
                }
            }
            Event::BootPending => t.boot_pending += 1,
            Event::BootRejected => t.boot_rejected += 1,
            Event::ServerCall(action) => *t.server_calls.entry(action).or_default() += 1,
            Event::TransactionStarted => t.tx_started += 1,
            Event::TransactionStopped => t.tx_stopped += 1,
            Event::AuthorizeRejected => t.authorize_rejected += 1,
            Event::BadFrame => t.bad_frames += 1,
            Event::StaleResponse => t.stale += 1,
            Event::Stopping => t.stopped_at = t.stopped_at.or(Some(self.start.elapsed())),
        }
    }

    fn report(self) -> Report {
        let elapsed = self.start.elapsed();
        let t = self.totals;
        let active = t.stopped_at.unwrap_or(elapsed);
        let secs = active.as_secs_f64().max(1e-6);
        let ms = |us: u64| us as f64 / 1000.0;
        let actions = self
            .actions
            .into_iter()
            .map(|(action, a)| {
                let latency = a.latency_us.map(|h| Latency {
                    p50_ms: ms(h.value_at_quantile(0.50)),
                    p99_ms: ms(h.value_at_quantile(0.99)),
                    max_ms: ms(h.max()),
                });
                let answered = a.results + a.errors;
                let report = ActionReport {
                    sent: answered + a.timeouts + a.lost,
                    results: a.results,
                    errors: a.errors,
                    timeouts: a.timeouts,
                    lost: a.lost,
                    per_second: answered as f64 / secs,
                    latency,
                };
                (action.to_string(), report)
            })
            .collect();
        let answered = t.results + t.errors.values().sum::<u64>();
        Report {
            mode: self.mode,
            stations: self.stations,
            active,
            elapsed,
            connections: Connections {
                attempted: t.attempted,
                established: t.established,
                failed: t.failed,
                failures: t.failures,
                disconnects: t.disconnects,
                disconnect_reasons: t.disconnect_reasons,
                peak_connected: t.peak_connected,
            },
            boots: Boots {
                accepted: t.boot_accepted,
                pending: t.boot_pending,
                rejected: t.boot_rejected,
                stations_accepted: t.stations_accepted,
                time_to_all_accepted: t.all_accepted_at,
            },
            calls: Calls {
                sent: self.calls_sent.load(Ordering::Relaxed),
                results: t.results,
                errors: t.errors,
                timeouts: t.timeouts,
                lost: t.lost,
                stale_responses: t.stale,
                per_second: answered as f64 / secs,
            },
            actions,
            server_calls: t.server_calls,
            transactions: Transactions {
                started: t.tx_started,
                stopped: t.tx_stopped,
                authorize_rejected: t.authorize_rejected,
            },
            bad_frames: t.bad_frames,
        }
    }
}

/// The outcome of a load-generator run.
#[derive(Debug, Clone)]
pub struct Report {
    pub mode: Mode,
    pub stations: u64,
    /// From the start of the run until it stopped (the deadline, or all accepted in storm mode); rates are
    /// per second of this.
    pub active: Duration,
    /// From the start of the run until the report was made (includes the wind-down).
    pub elapsed: Duration,
    pub connections: Connections,
    pub boots: Boots,
    pub calls: Calls,
    /// Per CALL action sent by the stations.
    pub actions: BTreeMap<String, ActionReport>,
    /// CALLs the server sent to the stations, by action.
    pub server_calls: BTreeMap<String, u64>,
    pub transactions: Transactions,
    /// Texts from the server that were not valid OCPP-J frames.
    pub bad_frames: u64,
}

#[derive(Debug, Clone)]
pub struct Connections {
    pub attempted: u64,
    pub established: u64,
    pub failed: u64,
    /// Failed attempts grouped by reason, e.g. `HTTP 404` → 3.
    pub failures: BTreeMap<String, u64>,
    /// Established connections that ended without the station closing them.
    pub disconnects: u64,
    pub disconnect_reasons: BTreeMap<String, u64>,
    /// Most connections open at once.
    pub peak_connected: u64,
}

#[derive(Debug, Clone)]
pub struct Boots {
    /// BootNotification answers by status (a station may boot several times).
    pub accepted: u64,
    pub pending: u64,
    pub rejected: u64,
    /// Stations that were Accepted at least once.
    pub stations_accepted: u64,
    /// From the start of the run until every station had been Accepted, if that happened.
    pub time_to_all_accepted: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct Calls {
    /// CALLs written to the socket.
    pub sent: u64,
    pub results: u64,
    /// CALLERRORs by error code.
    pub errors: BTreeMap<String, u64>,
    pub timeouts: u64,
    /// Sent, but the connection was lost before an answer came.
    pub lost: u64,
    /// Answers that came after their call had timed out.
    pub stale_responses: u64,
    /// Answered calls (results + errors) per second of the active run.
    pub per_second: f64,
}

impl Calls {
    pub fn errors_total(&self) -> u64 {
        self.errors.values().sum()
    }
}

#[derive(Debug, Clone)]
pub struct ActionReport {
    pub sent: u64,
    pub results: u64,
    pub errors: u64,
    pub timeouts: u64,
    pub lost: u64,
    /// Answered calls of this action per second of the active run.
    pub per_second: f64,
    /// Time from sending the CALL to reading its answer, for answered calls.
    pub latency: Option<Latency>,
}

#[derive(Debug, Clone, Copy)]
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug, Clone)]
pub struct Transactions {
    pub started: u64,
    pub stopped: u64,
    /// Authorize or StartTransaction answers whose idTagInfo was not Accepted.
    pub authorize_rejected: u64,
}

impl Report {
    /// The report as JSON (durations in milliseconds), for scripts.
    pub fn to_json(&self) -> Value {
        let secs = |d: Duration| (d.as_secs_f64() * 1000.0).round() / 1000.0;
        let actions: serde_json::Map<String, Value> = self
            .actions
            .iter()
            .map(|(name, a)| {
                let mut v = json!({
                    "sent": a.sent, "results": a.results, "errors": a.errors, "timeouts": a.timeouts,
                    "lost": a.lost, "per_second": round2(a.per_second),
                });
                if let Some(l) = a.latency {
                    v["latency_ms"] =
                        json!({"p50": round3(l.p50_ms), "p99": round3(l.p99_ms), "max": round3(l.max_ms)});
                }
                (name.clone(), v)
            })
            .collect();
        json!({
            "mode": self.mode.as_str(),
            "stations": self.stations,
            "active_s": secs(self.active),
            "elapsed_s": secs(self.elapsed),
            "connections": {
                "attempted": self.connections.attempted,
                "established": self.connections.established,
                "failed": self.connections.failed,
                "failures": self.connections.failures,
                "disconnects": self.connections.disconnects,
                "disconnect_reasons": self.connections.disconnect_reasons,
                "peak_connected": self.connections.peak_connected,
            },
            "boots": {
                "accepted": self.boots.accepted,
                "pending": self.boots.pending,
                "rejected": self.boots.rejected,
                "stations_accepted": self.boots.stations_accepted,
                "time_to_all_accepted_s": self.boots.time_to_all_accepted.map(secs),
            },
            "calls": {
                "sent": self.calls.sent,
                "results": self.calls.results,
                "errors": self.calls.errors,
                "timeouts": self.calls.timeouts,
                "lost": self.calls.lost,
                "stale_responses": self.calls.stale_responses,
                "per_second": round2(self.calls.per_second),
            },
            "actions": actions,
            "server_calls": self.server_calls,
            "transactions": {
                "started": self.transactions.started,
                "stopped": self.transactions.stopped,
                "authorize_rejected": self.transactions.authorize_rejected,
            },
            "bad_frames": self.bad_frames,
        })
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn grouped(map: &BTreeMap<String, u64>) -> String {
    if map.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = map.iter().map(|(k, v)| format!("{k} x{v}")).collect();
    format!(" ({})", parts.join(", "))
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.connections;
        writeln!(
            f,
            "joule-sim {} run: {} stations, {:.1} s (+{:.1} s wind-down)",
            self.mode.as_str(),
            self.stations,
            self.active.as_secs_f64(),
            self.elapsed.saturating_sub(self.active).as_secs_f64()
        )?;
        writeln!(
            f,
            "connections  attempted {}  established {}  failed {}{}  peak open {}",
            c.attempted,
            c.established,
            c.failed,
            grouped(&c.failures),
            c.peak_connected
        )?;
        writeln!(f, "disconnects  {}{}", c.disconnects, grouped(&c.disconnect_reasons))?;
        let b = &self.boots;
        write!(
            f,
            "boots        accepted {}  pending {}  rejected {}  stations accepted {}/{}",
            b.accepted, b.pending, b.rejected, b.stations_accepted, self.stations
        )?;
        match b.time_to_all_accepted {
            Some(d) => writeln!(f, "  all accepted after {:.3} s", d.as_secs_f64())?,
            None => writeln!(f)?,
        }
        let k = &self.calls;
        writeln!(
            f,
            "calls        sent {}  results {}  errors {}{}  timeouts {}  lost {}  stale answers {}  {:.1} calls/s",
            k.sent,
            k.results,
            k.errors_total(),
            grouped(&k.errors),
            k.timeouts,
            k.lost,
            k.stale_responses,
            k.per_second
        )?;
        let tx = &self.transactions;
        if tx.started + tx.stopped + tx.authorize_rejected > 0 {
            writeln!(
                f,
                "transactions started {}  stopped {}  idTag not accepted {}",
                tx.started, tx.stopped, tx.authorize_rejected
            )?;
        }
        if !self.server_calls.is_empty() {
            writeln!(f, "server calls {}", grouped(&self.server_calls).trim())?;
        }
        if self.bad_frames > 0 {
            writeln!(f, "bad frames   {}", self.bad_frames)?;
        }
        writeln!(
            f,
            "{:<28} {:>9} {:>9} {:>7} {:>8} {:>10} {:>9} {:>9} {:>9}",
            "action", "sent", "results", "errors", "timeouts", "calls/s", "p50 ms", "p99 ms", "max ms"
        )?;
        for (name, a) in &self.actions {
            let (p50, p99, max) = match a.latency {
                Some(l) => (format!("{:.3}", l.p50_ms), format!("{:.3}", l.p99_ms), format!("{:.3}", l.max_ms)),
                None => ("-".into(), "-".into(), "-".into()),
            };
            writeln!(
                f,
                "{:<28} {:>9} {:>9} {:>7} {:>8} {:>10.1} {:>9} {:>9} {:>9}",
                name, a.sent, a.results, a.errors, a.timeouts, a.per_second, p50, p99, max
            )?;
        }
        Ok(())
    }
}
