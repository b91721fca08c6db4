//! One simulated station of the load generator: a single task that owns its socket, sends its own CALLs one at a
//! time (OCPP-J allows one outstanding CALL per direction) and answers the server's CALLs as they arrive.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp::{Call, CallError, CallResult, ErrorCode, Frame};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::{self, Message};

use crate::Error;
use crate::config::{Config, Mode};
use crate::payloads::{self, Sample};
use crate::stats::{CallEnd, Event, Sink};
use crate::ws::{self, Ws};

/// What every station shares.
pub(crate) struct Shared {
    pub(crate) cfg: Config,
    pub(crate) sink: Arc<Sink>,
}

/// Time a station has, after the run stops, to stop its transactions and close.
pub(crate) fn wind_down_budget(cfg: &Config) -> Duration {
    cfg.call_timeout.min(Duration::from_secs(10)) + Duration::from_secs(1)
}

/// Why a connection's loop ended.
#[derive(Debug)]
enum Exit {
    /// The run is over.
    Stop,
    /// The connection broke.
    Lost(String),
    /// The server asked for a Reset: close and reconnect.
    Reset,
    /// Send BootNotification again (TriggerMessage, or a re-boot answered Pending).
    Reboot,
}

enum Answer {
    Result(Value),
    Error,
    Timeout,
}

/// Work a server CALL asked for, done after its answer was sent.
enum Deferred {
    Boot,
    Heartbeat,
    Status(Option<u32>),
    Meter(Option<u32>),
    Send(&'static str, Value),
    RemoteStart { connector: u32, id_tag: String },
    RemoteStop { connector: u32 },
    Reset(&'static str),
}

struct Session {
    transaction_id: Option<i64>,
    /// Set when the session was started remotely with another idTag than the configured one.
    id_tag: Option<String>,
    max_power_w: f64,
    phases: u8,
    power_w: f64,
    last_update: Instant,
    next_meter: Instant,
    end: Option<Instant>,
}

struct Connector {
    /// The meter register: never goes down, survives sessions.
    energy_wh: f64,
    session: Option<Session>,
    /// When the next session starts (sessions mode, while idle).
    next_start: Option<Instant>,
}

impl Connector {
    /// Advances the meter to now and returns a fresh sample.
    fn sample(&mut self, now: Instant) -> Sample {
        let Some(s) = self.session.as_mut() else {
            return Sample { energy_wh: self.energy_wh, power_w: 0.0, phases: 1, voltage_v: voltages() };
        };
        let hours = now.saturating_duration_since(s.last_update).as_secs_f64() / 3600.0;
        self.energy_wh += s.power_w * hours;
        s.last_update = now;
        // The car draws a little less or more from one sample to the next.
        s.power_w = s.max_power_w * rand::random_range(0.88..1.0);
        Sample { energy_wh: self.energy_wh, power_w: s.power_w, phases: s.phases, voltage_v: voltages() }
    }
}

fn voltages() -> [f64; 3] {
    [rand::random_range(226.0..234.0), rand::random_range(226.0..234.0), rand::random_range(226.0..234.0)]
}

/// `d` scaled by a random factor in 0.5..1.5, so stations do not act in lockstep.
fn jitter(d: Duration) -> Duration {
    d.mul_f64(rand::random_range(0.5..1.5))
}

/// A random point in `0..d`.
fn random_within(d: Duration) -> Duration {
    if d.is_zero() { d } else { d.mul_f64(rand::random_range(0.0..1.0)) }
}

const READ_ONLY_KEYS: [&str; 2] = ["NumberOfConnectors", "SupportedFeatureProfiles"];

pub(crate) struct Station {
    id: String,
    shared: Arc<Shared>,
    stop: watch::Receiver<bool>,
    accepted_once: bool,
    /// Accepted on the current connection (only then are transactions started).
    accepted: bool,
    heartbeat: Duration,
    next_heartbeat: Instant,
    connectors: Vec<Connector>,
    deferred: VecDeque<Deferred>,
    config_overrides: Vec<(String, String)>,
    /// Set during wind-down: no call waits past it.
    hard_deadline: Option<Instant>,
}

/// Runs station number `index` until the run stops.
pub(crate) async fn run(index: u32, shared: Arc<Shared>, stop: watch::Receiver<bool>) {
    let cfg = &shared.cfg;
    let connectors = (0..cfg.connectors)
        .map(|_| Connector {
            energy_wh: rand::random_range(0.0..5_000_000.0f64).floor(),
            session: None,
            next_start: None,
        })
        .collect();
    let mut st = Station {
        id: cfg.station_id(index),
        shared: shared.clone(),
        stop,
        accepted_once: false,
        accepted: false,
        heartbeat: cfg.heartbeat_interval.unwrap_or(Duration::from_secs(300)),
        next_heartbeat: Instant::now(),
        connectors,
        deferred: VecDeque::new(),
        config_overrides: Vec::new(),
        hard_deadline: None,
    };
    st.run_connections().await;
}

impl Station {
    fn cfg(&self) -> &Config {
        &self.shared.cfg
    }

    async fn emit(&self, event: Event) {
        self.shared.sink.emit(event).await;
    }

    fn stopped(&self) -> bool {
        *self.stop.borrow()
    }

    /// Sleeps for `d` unless the run stops first; false if it stopped.
    async fn pause(&mut self, d: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(d) => true,
            _ = self.stop.wait_for(|s| *s) => false,
        }
    }

    async fn run_connections(&mut self) {
        loop {
            if self.stopped() {
                return;
            }
            self.emit(Event::ConnectAttempt).await;
            let url = self.cfg().station_url(&self.id);
            let password = self.cfg().password.clone();
            let auth = password.as_deref().map(|p| (self.id.as_str(), p));
            let opened = tokio::select! {
                r = ws::open(&url, &self.shared.cfg.subprotocols, auth, self.shared.cfg.call_timeout) => r,
                _ = self.stop.wait_for(|s| *s) => return,
            };
            let mut ws = match opened {
                Ok((ws, _)) => ws,
                Err(e) => {
                    self.emit(Event::ConnectFailed(e.reason())).await;
                    if self.cfg().no_reconnect || !self.pause(jitter(self.cfg().reconnect_delay)).await {
                        return;
                    }
                    continue;
                }
            };
            self.emit(Event::Connected).await;
            let exit = self.run_connected(&mut ws).await;
            self.accepted = false;
            match exit {
                Exit::Stop | Exit::Reboot => {
                    self.hard_deadline = Some(Instant::now() + wind_down_budget(self.cfg()));
                    match self.stop_all_sessions(&mut ws, "Local").await {
                        Ok(()) => {
                            close(&mut ws).await;
                            self.emit(Event::Closed).await;
                        }
                        Err(exit) => self.emit(Event::Disconnected(lost_reason(exit))).await,
                    }
                    return;
                }
                Exit::Lost(reason) => {
                    self.emit(Event::Disconnected(reason)).await;
                    // Sessions go on "offline" and continue after the reconnect, as a real station's would.
                    if self.cfg().no_reconnect || !self.pause(jitter(self.cfg().reconnect_delay)).await {
                        return;
                    }
                }
                Exit::Reset => {
                    close(&mut ws).await;
                    self.emit(Event::Closed).await;
                    if !self.pause(Duration::from_secs(1)).await {
                        return;
                    }
                }
            }
        }
    }

    /// Boot, then the mode's work, until the run stops or the connection ends.
    async fn run_connected(&mut self, ws: &mut Ws) -> Exit {
        loop {
            let result = async {
                self.boot(ws).await?;
                self.after_boot(ws).await?;
                self.main_loop(ws).await
            }
            .await;
            match result {
                Err(Exit::Reboot) => continue,
                Err(exit) => return exit,
                Ok(never) => match never {},
            }
        }
    }

    /// Sends BootNotification until Accepted; Pending and Rejected answers wait the interval they give.
    async fn boot(&mut self, ws: &mut Ws) -> Result<(), Exit> {
        self.accepted = false;
        loop {
            if self.stopped() {
                return Err(Exit::Stop);
            }
            let payload = payloads::boot_notification(&self.id);
            let retry = match self.call(ws, "BootNotification", payload).await? {
                Answer::Result(v) => {
                    let interval = v.get("interval").and_then(Value::as_u64).unwrap_or(0);
                    match v.get("status").and_then(Value::as_str) {
                        Some("Accepted") => {
                            self.emit(Event::BootAccepted { first: !self.accepted_once }).await;
                            self.accepted_once = true;
                            self.accepted = true;
                            if self.cfg().heartbeat_interval.is_none() {
                                self.heartbeat = Duration::from_secs(if interval == 0 { 300 } else { interval });
                            }
                            return Ok(());
                        }
                        Some("Pending") => self.emit(Event::BootPending).await,
                        _ => self.emit(Event::BootRejected).await,
                    }
                    Duration::from_secs(interval.max(1))
                }
                Answer::Error | Answer::Timeout => Duration::from_secs(10),
            };
            let retry_at = Instant::now() + self.cfg().boot_retry_interval.unwrap_or(retry);
            // Serve the server's CALLs while waiting: a Pending station may be configured, or triggered to boot.
            while Instant::now() < retry_at {
                let served = match self.wait_until(ws, retry_at).await {
                    Ok(()) => self.process_deferred(ws).await,
                    Err(exit) => Err(exit),
                };
                match served {
                    Ok(()) => {}
                    Err(Exit::Reboot) => break,
                    Err(exit) => return Err(exit),
                }
            }
        }
    }

    /// What a station does right after it is Accepted: report its connectors, set up its schedule.
    async fn after_boot(&mut self, ws: &mut Ws) -> Result<(), Exit> {
        let now = Instant::now();
        self.next_heartbeat = now + random_within(self.heartbeat);
        for c in 0..=self.connectors.len() as u32 {
            let status = match c {
                0 => "Available",
                c if self.connectors[c as usize - 1].session.is_some() => "Charging",
                _ => "Available",
            };
            self.call(ws, "StatusNotification", payloads::status_notification(c, status)).await?;
        }
        let (mode, meter_interval) = (self.cfg().mode, self.cfg().meter_interval);
        for i in 0..self.connectors.len() {
            if self.connectors[i].session.is_none() {
                self.connectors[i].next_start = match mode {
                    Mode::Sessions if !meter_interval.is_zero() => Some(now + random_within(meter_interval)),
                    _ => None,
                };
            } else if let Some(s) = self.connectors[i].session.as_mut() {
                s.next_meter = now;
            }
        }
        if mode == Mode::MeterFlood && self.connectors[0].session.is_none() {
            self.start_session(ws, 1, None).await?;
        }
        Ok(())
    }

    async fn main_loop(&mut self, ws: &mut Ws) -> Result<std::convert::Infallible, Exit> {
        let mode = self.cfg().mode;
        loop {
            self.process_deferred(ws).await?;
            if self.stopped() {
                return Err(Exit::Stop);
            }
            let now = Instant::now();
            if now >= self.next_heartbeat {
                self.next_heartbeat = now + self.heartbeat;
                self.call(ws, "Heartbeat", json!({})).await?;
            }
            for i in 0..self.connectors.len() {
                let connector = i as u32 + 1;
                let now = Instant::now();
                let c = &self.connectors[i];
                match &c.session {
                    Some(s) if s.end.is_some_and(|end| now >= end) => {
                        self.stop_session(ws, connector, "Local", true).await?;
                        let pause = self.cfg().meter_interval;
                        self.connectors[i].next_start = Some(Instant::now() + pause);
                    }
                    Some(s) if mode != Mode::MeterFlood && now >= s.next_meter => {
                        self.send_meter_values(ws, connector, "Sample.Periodic").await?;
                        let interval = self.meter_interval();
                        if let Some(s) = self.connectors[i].session.as_mut() {
                            s.next_meter = (s.next_meter + interval).max(Instant::now());
                        }
                    }
                    None if c.next_start.is_some_and(|t| now >= t) => {
                        self.connectors[i].next_start = None;
                        self.start_session(ws, connector, None).await?;
                    }
                    _ => {}
                }
            }
            if mode == Mode::MeterFlood {
                self.send_meter_values(ws, 1, "Sample.Periodic").await?;
                continue;
            }
            if mode == Mode::AuthorizeFlood {
                let id_tag = self.cfg().id_tag.clone();
                if let Answer::Result(v) = self.call(ws, "Authorize", payloads::authorize(&id_tag)).await?
                    && !id_tag_accepted(&v)
                {
                    self.emit(Event::AuthorizeRejected).await;
                }
                continue;
            }
            let next = self.next_due();
            self.wait_until(ws, next).await?;
        }
    }

    fn meter_interval(&self) -> Duration {
        if self.cfg().meter_interval.is_zero() { Duration::from_secs(60) } else { self.cfg().meter_interval }
    }

    fn next_due(&self) -> Instant {
        let mut next = self.next_heartbeat;
        for c in &self.connectors {
            let t = match &c.session {
                Some(s) => s.end.map_or(s.next_meter, |end| end.min(s.next_meter)),
                None => match c.next_start {
                    Some(t) => t,
                    None => continue,
                },
            };
            next = next.min(t);
        }
        next
    }

    async fn start_session(&mut self, ws: &mut Ws, connector: u32, remote_tag: Option<String>) -> Result<(), Exit> {
        let i = connector as usize - 1;
        let mode = self.cfg().mode;
        let id_tag = remote_tag.clone().unwrap_or_else(|| self.cfg().id_tag.clone());
        let retry_at = Instant::now() + self.meter_interval();
        if remote_tag.is_none() && mode == Mode::Sessions {
            match self.call(ws, "Authorize", payloads::authorize(&id_tag)).await? {
                Answer::Result(v) if id_tag_accepted(&v) => {}
                Answer::Result(_) => {
                    self.emit(Event::AuthorizeRejected).await;
                    self.connectors[i].next_start = Some(retry_at);
                    return Ok(());
                }
                Answer::Error | Answer::Timeout => {
                    self.connectors[i].next_start = Some(retry_at);
                    return Ok(());
                }
            }
        }
        self.call(ws, "StatusNotification", payloads::status_notification(connector, "Preparing")).await?;
        let meter_start = self.connectors[i].energy_wh.floor() as i64;
        let answer =
            self.call(ws, "StartTransaction", payloads::start_transaction(connector, &id_tag, meter_start)).await?;
        let transaction_id = match answer {
            Answer::Result(v) => {
                let tx = v.get("transactionId").and_then(Value::as_i64);
                if !id_tag_accepted(&v) {
                    self.emit(Event::AuthorizeRejected).await;
                    if let Some(tx) = tx {
                        // The station must end a transaction whose idTag was not accepted.
                        let meter = self.connectors[i].energy_wh.floor() as i64;
                        self.call(
                            ws,
                            "StopTransaction",
                            payloads::stop_transaction(tx, &id_tag, meter, "DeAuthorized"),
                        )
                        .await?;
                    }
                    if mode != Mode::MeterFlood {
                        self.call(ws, "StatusNotification", payloads::status_notification(connector, "Available"))
                            .await?;
                        self.connectors[i].next_start = Some(retry_at);
                        return Ok(());
                    }
                    None
                } else {
                    tx
                }
            }
            Answer::Error | Answer::Timeout if mode == Mode::MeterFlood => None,
            Answer::Error | Answer::Timeout => {
                self.call(ws, "StatusNotification", payloads::status_notification(connector, "Available")).await?;
                self.connectors[i].next_start = Some(retry_at);
                return Ok(());
            }
        };
        if transaction_id.is_some() {
            self.emit(Event::TransactionStarted).await;
        }
        self.call(ws, "StatusNotification", payloads::status_notification(connector, "Charging")).await?;
        let (max_power_w, phases) =
            [(3_680.0, 1), (7_360.0, 1), (11_040.0, 3), (22_080.0, 3)][rand::random_range(0..4)];
        let now = Instant::now();
        let end = match (mode, self.cfg().session_length) {
            (Mode::Sessions, Some(len)) => Some(now + len),
            _ => None,
        };
        self.connectors[i].session = Some(Session {
            transaction_id,
            id_tag: remote_tag,
            max_power_w,
            phases,
            power_w: max_power_w,
            last_update: now,
            next_meter: now + self.meter_interval(),
            end,
        });
        Ok(())
    }

    /// Ends the session on `connector` (if any) with StopTransaction.
    async fn stop_session(
        &mut self,
        ws: &mut Ws,
        connector: u32,
        reason: &str,
        report_status: bool,
    ) -> Result<(), Exit> {
        let i = connector as usize - 1;
        let sample = self.connectors[i].sample(Instant::now());
        let Some(session) = self.connectors[i].session.take() else { return Ok(()) };
        if let Some(tx) = session.transaction_id {
            let id_tag = session.id_tag.unwrap_or_else(|| self.cfg().id_tag.clone());
            let payload = payloads::stop_transaction(tx, &id_tag, sample.energy_wh.floor() as i64, reason);
            if let Answer::Result(_) = self.call(ws, "StopTransaction", payload).await? {
                self.emit(Event::TransactionStopped).await;
            }
        }
        if report_status {
            self.call(ws, "StatusNotification", payloads::status_notification(connector, "Finishing")).await?;
            self.call(ws, "StatusNotification", payloads::status_notification(connector, "Available")).await?;
        }
        Ok(())
    }

    async fn stop_all_sessions(&mut self, ws: &mut Ws, reason: &str) -> Result<(), Exit> {
        for connector in 1..=self.connectors.len() as u32 {
            if self.hard_deadline.is_some_and(|h| Instant::now() >= h) {
                break;
            }
            self.stop_session(ws, connector, reason, false).await?;
        }
        Ok(())
    }

    async fn send_meter_values(&mut self, ws: &mut Ws, connector: u32, context: &str) -> Result<(), Exit> {
        let Some(c) = self.connectors.get_mut(connector as usize - 1) else { return Ok(()) };
        let sample = c.sample(Instant::now());
        let tx = c.session.as_ref().and_then(|s| s.transaction_id);
        self.call(ws, "MeterValues", payloads::meter_values(connector, tx, &sample, context)).await?;
        Ok(())
    }

    /// Does what the server's CALLs asked for, in order.
    async fn process_deferred(&mut self, ws: &mut Ws) -> Result<(), Exit> {
        while let Some(work) = self.deferred.pop_front() {
            match work {
                Deferred::Boot => return Err(Exit::Reboot),
                Deferred::Heartbeat => {
                    self.call(ws, "Heartbeat", json!({})).await?;
                }
                Deferred::Status(connector) => {
                    let all: Vec<u32> = match connector {
                        Some(c) => vec![c],
                        None => (0..=self.connectors.len() as u32).collect(),
                    };
                    for c in all {
                        let charging = c > 0 && self.connectors[c as usize - 1].session.is_some();
                        let status = if charging { "Charging" } else { "Available" };
                        self.call(ws, "StatusNotification", payloads::status_notification(c, status)).await?;
                    }
                }
                Deferred::Meter(connector) => {
                    let all: Vec<u32> = match connector {
                        Some(c) if c > 0 => vec![c],
                        _ => (1..=self.connectors.len() as u32).collect(),
                    };
                    for c in all {
                        self.send_meter_values(ws, c, "Trigger").await?;
                    }
                }
                Deferred::Send(action, payload) => {
                    self.call(ws, action, payload).await?;
                }
                Deferred::RemoteStart { connector, id_tag } => {
                    if self.connectors[connector as usize - 1].session.is_none() {
                        self.connectors[connector as usize - 1].next_start = None;
                        self.start_session(ws, connector, Some(id_tag)).await?;
                    }
                }
                Deferred::RemoteStop { connector } => {
                    self.stop_session(ws, connector, "Remote", true).await?;
                    if self.cfg().mode == Mode::Sessions && !self.cfg().meter_interval.is_zero() {
                        self.connectors[connector as usize - 1].next_start =
                            Some(Instant::now() + self.meter_interval());
                    }
                }
                Deferred::Reset(reason) => {
                    self.hard_deadline = Some(Instant::now() + wind_down_budget(self.cfg()));
                    let result = self.stop_all_sessions(ws, reason).await;
                    self.hard_deadline = None;
                    result?;
                    return Err(Exit::Reset);
                }
            }
        }
        Ok(())
    }

    /// Reads and answers the server until `until`, or until a server CALL leaves work to do.
    async fn wait_until(&mut self, ws: &mut Ws, until: Instant) -> Result<(), Exit> {
        while self.deferred.is_empty() {
            let msg = tokio::select! {
                m = ws.next() => m,
                _ = sleep_until(until) => return Ok(()),
                _ = self.stop.wait_for(|s| *s) => return Err(Exit::Stop),
            };
            if self.on_message(ws, msg).await?.is_some() {
                // An answer to a call that already timed out.
                self.emit(Event::StaleResponse).await;
            }
        }
        Ok(())
    }

    /// Sends a CALL and waits for its answer, answering server CALLs meanwhile. Records the outcome.
    async fn call(&mut self, ws: &mut Ws, action: &'static str, payload: Value) -> Result<Answer, Exit> {
        let id = ws::next_message_id();
        let text = Frame::Call(Call { id: id.clone(), action: action.to_string(), payload }).to_text();
        let mut timeout = self.cfg().call_timeout;
        if let Some(hard) = self.hard_deadline {
            timeout = timeout.min(hard.saturating_duration_since(Instant::now()));
        }
        let sent_at = Instant::now();
        self.shared.sink.call_sent();
        if let Err(e) = ws.send(Message::text(text)).await {
            self.emit(Event::Call { action, end: CallEnd::Lost, latency: Duration::ZERO }).await;
            return Err(Exit::Lost(Error::from_ws(e).reason()));
        }
        let deadline = sent_at + timeout;
        loop {
            let msg = tokio::select! {
                m = ws.next() => m,
                _ = sleep_until(deadline) => {
                    self.emit(Event::Call { action, end: CallEnd::Timeout, latency: timeout }).await;
                    return Ok(Answer::Timeout);
                }
            };
            let frame = match self.on_message(ws, msg).await {
                Ok(frame) => frame,
                Err(exit) => {
                    self.emit(Event::Call { action, end: CallEnd::Lost, latency: sent_at.elapsed() }).await;
                    return Err(exit);
                }
            };
            match frame {
                Some(Frame::CallResult(r)) if r.id == id => {
                    self.emit(Event::Call { action, end: CallEnd::Result, latency: sent_at.elapsed() }).await;
                    return Ok(Answer::Result(r.payload));
                }
                Some(Frame::CallError(e)) if e.id == id => {
                    self.emit(Event::Call { action, end: CallEnd::Error(e.code), latency: sent_at.elapsed() }).await;
                    return Ok(Answer::Error);
                }
                Some(_) => self.emit(Event::StaleResponse).await,
                None => {}
            }
        }
    }

    /// Handles one read from the socket: answers server CALLs and bad frames, returns answers (CALLRESULT,
    /// CALLERROR) to the caller, and turns the end of the connection into [`Exit::Lost`].
    async fn on_message(
        &mut self,
        ws: &mut Ws,
        msg: Option<Result<Message, tungstenite::Error>>,
    ) -> Result<Option<Frame>, Exit> {
        let text = match msg {
            None => return Err(Exit::Lost("closed without close frame".to_string())),
            Some(Err(e)) => return Err(Exit::Lost(Error::from_ws(e).reason())),
            Some(Ok(Message::Close(frame))) => {
                // Let tungstenite send its close reply.
                let _ = ws.flush().await;
                let reason = match frame {
                    Some(f) => format!("closed by server ({})", u16::from(f.code)),
                    None => "closed by server".to_string(),
                };
                return Err(Exit::Lost(reason));
            }
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Binary(_))) => {
                self.emit(Event::BadFrame).await;
                return Ok(None);
            }
            Some(Ok(_)) => return Ok(None),
        };
        match Frame::parse(text.as_str()) {
            Ok(Frame::Call(call)) => {
                self.answer_server_call(ws, call).await?;
                Ok(None)
            }
            Ok(frame) => Ok(Some(frame)),
            Err(error) => {
                self.emit(Event::BadFrame).await;
                if let (true, Some(id)) = (error.was_call, error.id) {
                    let reply = Frame::CallError(CallError::new(id, error.code, error.description));
                    send(ws, reply).await?;
                }
                Ok(None)
            }
        }
    }

    async fn answer_server_call(&mut self, ws: &mut Ws, call: Call) -> Result<(), Exit> {
        self.emit(Event::ServerCall(call.action.clone())).await;
        let reply = match self.reply_to(&call) {
            Ok(payload) => Frame::CallResult(CallResult { id: call.id, payload }),
            Err((code, description)) => Frame::CallError(CallError::new(call.id, code, description)),
        };
        send(ws, reply).await
    }

    /// The answer to a server CALL; queues the work it asks for in `deferred`.
    fn reply_to(&mut self, call: &Call) -> Result<Value, (ErrorCode, String)> {
        let p = &call.payload;
        let n = self.connectors.len() as u32;
        let connector_id = p.get("connectorId").and_then(Value::as_u64).map(|c| c as u32);
        let accepted = json!({"status": "Accepted"});
        let rejected = json!({"status": "Rejected"});
        Ok(match call.action.as_str() {
            "TriggerMessage" | "ExtendedTriggerMessage" => {
                let requested = p.get("requestedMessage").and_then(Value::as_str).unwrap_or("");
                if connector_id.is_some_and(|c| c > n) {
                    return Ok(rejected);
                }
                let work = match requested {
                    "BootNotification" => Deferred::Boot,
                    "Heartbeat" => Deferred::Heartbeat,
                    "StatusNotification" => Deferred::Status(connector_id),
                    "MeterValues" => Deferred::Meter(connector_id),
                    "DiagnosticsStatusNotification" if call.action == "TriggerMessage" => {
                        Deferred::Send("DiagnosticsStatusNotification", json!({"status": "Idle"}))
                    }
                    "FirmwareStatusNotification" => {
                        let action = if call.action == "TriggerMessage" {
                            "FirmwareStatusNotification"
                        } else {
                            "SignedFirmwareStatusNotification"
                        };
                        Deferred::Send(action, json!({"status": "Idle"}))
                    }
                    "LogStatusNotification" if call.action == "ExtendedTriggerMessage" => {
                        Deferred::Send("LogStatusNotification", json!({"status": "Idle"}))
                    }
                    _ => return Ok(json!({"status": "NotImplemented"})),
                };
                self.deferred.push_back(work);
                accepted
            }
            "GetConfiguration" => self.get_configuration(p),
            "ChangeConfiguration" => {
                let (Some(key), Some(value)) =
                    (p.get("key").and_then(Value::as_str), p.get("value").and_then(Value::as_str))
                else {
                    return Err((ErrorCode::FormationViolation, "key and value must be strings".into()));
                };
                if READ_ONLY_KEYS.contains(&key) {
                    return Ok(rejected);
                }
                if key == "HeartbeatInterval" && self.cfg().heartbeat_interval.is_none() {
                    match value.parse::<u64>() {
                        Ok(secs) if secs > 0 => {
                            self.heartbeat = Duration::from_secs(secs);
                            self.next_heartbeat = self.next_heartbeat.min(Instant::now() + self.heartbeat);
                        }
                        _ => return Ok(rejected),
                    }
                }
                match self.config_overrides.iter_mut().find(|(k, _)| k == key) {
                    Some(entry) => entry.1 = value.to_string(),
                    None => self.config_overrides.push((key.to_string(), value.to_string())),
                }
                accepted
            }
            "Reset" => {
                let reason =
                    if p.get("type").and_then(Value::as_str) == Some("Hard") { "HardReset" } else { "SoftReset" };
                self.deferred.push_back(Deferred::Reset(reason));
                accepted
            }
            "RemoteStartTransaction" => {
                let Some(id_tag) = p.get("idTag").and_then(Value::as_str) else {
                    return Err((ErrorCode::OccurenceConstraintViolation, "idTag is required".into()));
                };
                let free = |c: u32| {
                    c >= 1 && c <= n && self.connectors[c as usize - 1].session.is_none() && !self.deferred_start(c)
                };
                let chosen = match connector_id {
                    Some(c) => Some(c).filter(|&c| free(c)),
                    None => (1..=n).find(|&c| free(c)),
                };
                match chosen {
                    Some(connector) if self.accepted => {
                        self.deferred.push_back(Deferred::RemoteStart { connector, id_tag: id_tag.to_string() });
                        accepted
                    }
                    _ => rejected,
                }
            }
            "RemoteStopTransaction" => {
                let tx = p.get("transactionId").and_then(Value::as_i64);
                let found = self.connectors.iter().position(|c| {
                    c.session.as_ref().is_some_and(|s| s.transaction_id.is_some() && s.transaction_id == tx)
                });
                match found {
                    Some(i) => {
                        self.deferred.push_back(Deferred::RemoteStop { connector: i as u32 + 1 });
                        accepted
                    }
                    None => rejected,
                }
            }
            "UnlockConnector" => json!({"status": "Unlocked"}),
            "ChangeAvailability"
            | "ClearCache"
            | "SendLocalList"
            | "SetChargingProfile"
            | "ClearChargingProfile"
            | "ReserveNow"
            | "CancelReservation"
            | "DataTransfer"
            | "CertificateSigned"
            | "InstallCertificate" => accepted,
            "GetLocalListVersion" => json!({"listVersion": 0}),
            "GetCompositeSchedule" | "GetLog" | "SignedUpdateFirmware" => rejected,
            "GetDiagnostics" | "UpdateFirmware" => json!({}),
            "DeleteCertificate" | "GetInstalledCertificateIds" => json!({"status": "NotFound"}),
            other => return Err((ErrorCode::NotImplemented, format!("joule-sim does not implement {other}"))),
        })
    }

    fn deferred_start(&self, connector: u32) -> bool {
        self.deferred.iter().any(|d| matches!(d, Deferred::RemoteStart { connector: c, .. } if *c == connector))
    }

    fn get_configuration(&self, p: &Value) -> Value {
        let cfg = self.cfg();
        let mut known: Vec<(String, String, bool)> = vec![
            ("HeartbeatInterval".into(), self.heartbeat.as_secs().to_string(), false),
            ("MeterValueSampleInterval".into(), self.meter_interval().as_secs().to_string(), false),
            ("ClockAlignedDataInterval".into(), "0".into(), false),
            (
                "MeterValuesSampledData".into(),
                "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage".into(),
                false,
            ),
            ("NumberOfConnectors".into(), cfg.connectors.to_string(), true),
            ("ConnectionTimeOut".into(), "60".into(), false),
            ("AuthorizeRemoteTxRequests".into(), "false".into(), false),
            ("LocalAuthorizeOffline".into(), "true".into(), false),
            ("LocalPreAuthorize".into(), "false".into(), false),
            ("StopTransactionOnEVSideDisconnect".into(), "true".into(), false),
            (
                "SupportedFeatureProfiles".into(),
                "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger".into(),
                true,
            ),
        ];
        for (k, v) in &self.config_overrides {
            match known.iter_mut().find(|(key, _, _)| key == k) {
                Some(entry) => entry.1 = v.clone(),
                None => known.push((k.clone(), v.clone(), false)),
            }
        }
        let entry = |(k, v, ro): &(String, String, bool)| json!({"key": k, "readonly": ro, "value": v});
        match p.get("key").and_then(Value::as_array).filter(|keys| !keys.is_empty()) {
            None => json!({"configurationKey": known.iter().map(entry).collect::<Vec<_>>()}),
            Some(keys) => {
                let mut found = Vec::new();
                let mut unknown = Vec::new();
                for key in keys.iter().filter_map(Value::as_str) {
                    match known.iter().find(|(k, _, _)| k == key) {
                        Some(e) => found.push(entry(e)),
                        None => unknown.push(key),
                    }
                }
                let mut answer = json!({"configurationKey": found});
                if !unknown.is_empty() {
                    answer["unknownKey"] = json!(unknown);
                }
                answer
            }
        }
    }
}

fn id_tag_accepted(answer: &Value) -> bool {
    answer.pointer("/idTagInfo/status").and_then(Value::as_str) == Some("Accepted")
}

fn lost_reason(exit: Exit) -> String {
    match exit {
        Exit::Lost(reason) => reason,
        other => format!("{other:?}"),
    }
}

async fn send(ws: &mut Ws, frame: Frame) -> Result<(), Exit> {
    ws.send(Message::text(frame.to_text())).await.map_err(|e| Exit::Lost(Error::from_ws(e).reason()))
}

/// Closes politely: close frame, then waits briefly for the server's.
async fn close(ws: &mut Ws) {
    let _ = ws.close(None).await;
    let _ = tokio::time::timeout(Duration::from_secs(1), async { while let Some(Ok(_)) = ws.next().await {} }).await;
}
