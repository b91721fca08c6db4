//! One simulated station, driven step by step: for integration tests of a CSMS.
//!
//! A background task owns the socket and reads all the time, so WebSocket pings are answered even while the
//! test is busy elsewhere; what it reads waits in a bounded queue until the test asks for it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), joule_sim::Error> {
//! use joule_sim::client::{CallOutcome, ConnectOptions, StationClient};
//! let mut st = StationClient::connect("ws://127.0.0.1:8180/ocpp/KEY/ST-1", ConnectOptions::default()).await?;
//! let boot = serde_json::json!({"chargePointVendor": "Acme", "chargePointModel": "One"});
//! if let CallOutcome::Result(answer) = st.call("BootNotification", boot).await? {
//!     assert_eq!(answer["status"], "Accepted");
//! }
//! st.close().await;
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp::{Call, CallError, CallResult, ErrorCode, Frame, MessageId};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use crate::ws::{self, Ws};
use crate::{ClientError, ConnectError, Error};

/// How to connect.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Offered in `Sec-WebSocket-Protocol`, in order; default `["ocpp1.6"]`. Empty offers none.
    pub subprotocols: Vec<String>,
    /// HTTP Basic credentials (OCPP security profile 1/2: user = station id).
    pub basic_auth: Option<(String, String)>,
    /// Bounds each [`StationClient::call`], and also the connect and upgrade.
    pub call_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            subprotocols: vec!["ocpp1.6".to_string()],
            basic_auth: None,
            call_timeout: Duration::from_secs(10),
        }
    }
}

impl ConnectOptions {
    pub fn with_basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic_auth = Some((user.into(), password.into()));
        self
    }
    pub fn with_subprotocols<S: Into<String>>(mut self, subprotocols: impl IntoIterator<Item = S>) -> Self {
        self.subprotocols = subprotocols.into_iter().map(Into::into).collect();
        self
    }
    pub fn with_call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = timeout;
        self
    }
}

/// The answer to a CALL.
#[derive(Debug, Clone, PartialEq)]
pub enum CallOutcome {
    /// A CALLRESULT with its payload.
    Result(Value),
    /// A CALLERROR.
    Error { code: ErrorCode, description: String },
}

impl CallOutcome {
    /// The CALLRESULT payload; panics (with the error) on a CALLERROR. For tests.
    #[track_caller]
    pub fn expect_result(self) -> Value {
        match self {
            CallOutcome::Result(v) => v,
            CallOutcome::Error { code, description } => {
                panic!("expected a CALLRESULT, got CALLERROR {code}: {description}")
            }
        }
    }
    /// The CALLERROR code; panics on a CALLRESULT. For tests.
    #[track_caller]
    pub fn expect_error(self) -> ErrorCode {
        match self {
            CallOutcome::Error { code, .. } => code,
            CallOutcome::Result(v) => panic!("expected a CALLERROR, got CALLRESULT {v}"),
        }
    }
}

/// What the server sent on close (or why the connection ended).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseInfo {
    /// The close code of the server's close frame, if it sent one.
    pub code: Option<u16>,
    pub reason: String,
}

enum Inbound {
    Text(String),
    Binary,
    Closed(CloseInfo),
}

/// Something read and not yet handed to the caller.
enum Received {
    Frame(Frame),
    Bad { text: String, error: ocpp::FrameError },
    Binary,
}

/// A single simulated station on one WebSocket connection.
pub struct StationClient {
    out: mpsc::Sender<Message>,
    inbox: mpsc::Receiver<Inbound>,
    queue: VecDeque<Received>,
    closed: Option<CloseInfo>,
    subprotocol: Option<String>,
    call_timeout: Duration,
    io: JoinHandle<()>,
}

impl StationClient {
    /// Connects to `url`, the full URL including the station id, e.g. `ws://127.0.0.1:PORT/ocpp/KEY/ST-1`.
    /// A refused upgrade is [`Error::Http`] (see [`Error::http_status`]).
    pub async fn connect(url: &str, opts: ConnectOptions) -> Result<StationClient, ConnectError> {
        let auth = opts.basic_auth.as_ref().map(|(u, p)| (u.as_str(), p.as_str()));
        let (ws, subprotocol) = ws::open(url, &opts.subprotocols, auth, opts.call_timeout).await?;
        let (out_tx, out_rx) = mpsc::channel(64);
        let (in_tx, in_rx) = mpsc::channel(1024);
        let io = tokio::spawn(io_task(ws, out_rx, in_tx));
        Ok(StationClient {
            out: out_tx,
            inbox: in_rx,
            queue: VecDeque::new(),
            closed: None,
            subprotocol,
            call_timeout: opts.call_timeout,
            io,
        })
    }

    /// The subprotocol the server agreed, e.g. `ocpp1.6`.
    pub fn subprotocol(&self) -> Option<&str> {
        self.subprotocol.as_deref()
    }

    /// How the connection ended, once it has (see [`StationClient::is_closed`]).
    pub fn close_info(&self) -> Option<&CloseInfo> {
        self.closed.as_ref()
    }

    /// Sends a CALL and waits (up to the call timeout) for its CALLRESULT or CALLERROR. Server CALLs and other
    /// frames arriving meanwhile are kept for [`StationClient::next_server_call`] and
    /// [`StationClient::next_frame`].
    pub async fn call(&mut self, action: &str, payload: Value) -> Result<CallOutcome, ClientError> {
        let id = ws::next_message_id();
        let frame = Frame::Call(Call { id: id.clone(), action: action.to_string(), payload });
        self.send_message(Message::text(frame.to_text())).await?;
        let deadline = Instant::now() + self.call_timeout;
        loop {
            match self.receive_until(deadline).await? {
                None => return Err(Error::Timeout(self.call_timeout)),
                Some(Received::Frame(Frame::CallResult(r))) if r.id == id => return Ok(CallOutcome::Result(r.payload)),
                Some(Received::Frame(Frame::CallError(e))) if e.id == id => {
                    return Ok(CallOutcome::Error { code: e.code, description: e.description });
                }
                Some(other) => self.queue.push_back(other),
            }
        }
    }

    /// Sends `text` as it is, as one WebSocket text message (for malformed-frame tests); read the answer with
    /// [`StationClient::next_frame`].
    pub async fn send_raw(&mut self, text: &str) -> Result<(), ClientError> {
        self.send_message(Message::text(text)).await
    }

    /// The next frame from the server (queued ones first), or `None` if none arrives within `timeout`.
    /// A text that is not a valid frame is [`Error::BadFrame`].
    pub async fn next_frame(&mut self, timeout: Duration) -> Result<Option<Frame>, ClientError> {
        let received = match self.queue.pop_front() {
            Some(r) => Some(r),
            None => self.receive_until(Instant::now() + timeout).await?,
        };
        match received {
            None => Ok(None),
            Some(Received::Frame(f)) => Ok(Some(f)),
            Some(Received::Bad { text, error }) => Err(Error::BadFrame { text, error }),
            Some(Received::Binary) => Err(Error::Binary),
        }
    }

    /// The next CALL from the server (e.g. TriggerMessage), or `None` if none arrives within `timeout`.
    /// Other frames read meanwhile stay queued for [`StationClient::next_frame`]. Answer with
    /// [`StationClient::respond`] or [`StationClient::respond_error`].
    pub async fn next_server_call(&mut self, timeout: Duration) -> Result<Option<Call>, ClientError> {
        if let Some(pos) = self.queue.iter().position(|r| matches!(r, Received::Frame(Frame::Call(_))))
            && let Some(Received::Frame(Frame::Call(call))) = self.queue.remove(pos)
        {
            return Ok(Some(call));
        }
        let deadline = Instant::now() + timeout;
        loop {
            match self.receive_until(deadline).await? {
                None => return Ok(None),
                Some(Received::Frame(Frame::Call(call))) => return Ok(Some(call)),
                Some(other) => self.queue.push_back(other),
            }
        }
    }

    /// Answers a server CALL with a CALLRESULT.
    pub async fn respond(&mut self, call_id: &MessageId, payload: Value) -> Result<(), ClientError> {
        let frame = Frame::CallResult(CallResult { id: call_id.clone(), payload });
        self.send_message(Message::text(frame.to_text())).await
    }

    /// Answers a server CALL with a CALLERROR.
    pub async fn respond_error(
        &mut self,
        call_id: &MessageId,
        code: ErrorCode,
        description: &str,
    ) -> Result<(), ClientError> {
        let frame = Frame::CallError(CallError::new(call_id.clone(), code, description));
        self.send_message(Message::text(frame.to_text())).await
    }

    /// True if the server closed the connection (now or within `within`). Frames read while waiting stay
    /// queued.
    pub async fn is_closed(&mut self, within: Duration) -> bool {
        if self.closed.is_some() {
            return true;
        }
        let deadline = Instant::now() + within;
        loop {
            match self.receive_until(deadline).await {
                Err(_) => return true,
                Ok(None) => return false,
                Ok(Some(r)) => self.queue.push_back(r),
            }
        }
    }

    /// Closes the connection politely (close frame, then waits briefly for the server's close).
    pub async fn close(self) {
        let StationClient { out, inbox, io, .. } = self;
        drop(out);
        drop(inbox);
        let _ = tokio::time::timeout(Duration::from_secs(2), io).await;
    }

    async fn send_message(&mut self, message: Message) -> Result<(), ClientError> {
        if let Some(info) = &self.closed {
            return Err(closed_error(info));
        }
        if self.out.send(message).await.is_err() {
            // The I/O task ended: fetch why.
            while let Some(inbound) = self.inbox.recv().await {
                if let Inbound::Closed(info) = inbound {
                    self.closed = Some(info);
                    break;
                }
            }
            let info = self.closed.get_or_insert_with(|| CloseInfo { code: None, reason: String::new() });
            return Err(closed_error(info));
        }
        Ok(())
    }

    /// Reads the next item from the socket task (not the queue); `None` at the deadline.
    async fn receive_until(&mut self, deadline: Instant) -> Result<Option<Received>, ClientError> {
        if let Some(info) = &self.closed {
            return Err(closed_error(info));
        }
        let inbound = match tokio::time::timeout_at(deadline, self.inbox.recv()).await {
            Err(_) => return Ok(None),
            Ok(None) => Inbound::Closed(CloseInfo { code: None, reason: String::new() }),
            Ok(Some(inbound)) => inbound,
        };
        match inbound {
            Inbound::Text(text) => Ok(Some(match Frame::parse(&text) {
                Ok(frame) => Received::Frame(frame),
                Err(error) => Received::Bad { text, error },
            })),
            Inbound::Binary => Ok(Some(Received::Binary)),
            Inbound::Closed(info) => {
                let err = closed_error(&info);
                self.closed = Some(info);
                Err(err)
            }
        }
    }
}

fn closed_error(info: &CloseInfo) -> Error {
    Error::Closed { code: info.code, reason: info.reason.clone() }
}

/// Owns the socket: reads all the time (which answers pings), writes what the client sends, and reports the end.
async fn io_task(mut ws: Ws, mut out: mpsc::Receiver<Message>, inbox: mpsc::Sender<Inbound>) {
    let mut info = CloseInfo { code: None, reason: String::new() };
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    if inbox.send(Inbound::Text(text.as_str().to_owned())).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    if inbox.send(Inbound::Binary).await.is_err() {
                        break;
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    if let Some(frame) = frame {
                        info = CloseInfo { code: Some(frame.code.into()), reason: frame.reason.as_str().to_owned() };
                    }
                    // tungstenite answers the close; keep reading until the stream ends.
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    if info.code.is_none() {
                        info.reason = Error::from_ws(e).to_string();
                    }
                    break;
                }
                None => break,
            },
            message = out.recv() => match message {
                Some(message) => {
                    if let Err(e) = ws.send(message).await {
                        info.reason = Error::from_ws(e).to_string();
                        break;
                    }
                }
                None => {
                    // The client is done: close politely and wait briefly for the server's close.
                    let _ = ws.close(None).await;
                    let _ = tokio::time::timeout(Duration::from_secs(1), async {
                        while let Some(Ok(_)) = ws.next().await {}
                    })
                    .await;
                    return;
                }
            },
        }
    }
    let _ = inbox.send(Inbound::Closed(info)).await;
}
