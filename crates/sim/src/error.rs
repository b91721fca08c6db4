use std::time::Duration;

/// Everything that can go wrong in this crate: connecting, talking to the CSMS, or a bad load-generator
/// configuration. [`ConnectError`] and [`ClientError`] are the same type under the names the client API uses.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The URL or the request built from it is unusable (bad scheme, no host, bad header value).
    #[error("invalid URL or request: {0}")]
    InvalidRequest(String),
    /// The TCP connection could not be made.
    #[error("TCP connect failed: {0}")]
    Connect(#[source] std::io::Error),
    /// The server answered the WebSocket upgrade with something other than `101 Switching Protocols`.
    #[error("the server refused the WebSocket upgrade with HTTP {status}")]
    Http { status: u16, body: Option<String> },
    /// The upgrade succeeded but the subprotocol negotiation did not (e.g. the server agreed none).
    #[error("subprotocol negotiation failed: {0}")]
    Subprotocol(String),
    /// Connecting or waiting for an answer took longer than allowed.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The connection is closed (by the server, or after an error); `code` and `reason` come from the
    /// server's close frame when it sent one.
    #[error("the connection is closed{}", close_suffix(*.code, .reason))]
    Closed { code: Option<u16>, reason: String },
    /// A WebSocket protocol or I/O error on an established connection.
    #[error("WebSocket error: {0}")]
    WebSocket(String),
    /// The server sent a text that is not a valid OCPP-J frame.
    #[error("the server sent an invalid OCPP-J frame ({error}): {text}")]
    BadFrame { text: String, error: ocpp::FrameError },
    /// The server sent a binary message; OCPP-J is text only.
    #[error("the server sent a binary WebSocket message; OCPP-J uses text messages only")]
    Binary,
    /// The load generator's configuration is unusable.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A bug in the simulator (a task panicked).
    #[error("internal error: {0}")]
    Internal(String),
}

/// The error of [`crate::client::StationClient::connect`].
pub type ConnectError = Error;
/// The error of the other [`crate::client::StationClient`] methods.
pub type ClientError = Error;

fn close_suffix(code: Option<u16>, reason: &str) -> String {
    match (code, reason.is_empty()) {
        (Some(code), true) => format!(" (close code {code})"),
        (Some(code), false) => format!(" (close code {code}: {reason})"),
        (None, true) => String::new(),
        (None, false) => format!(" ({reason})"),
    }
}

impl Error {
    /// The HTTP status of a refused WebSocket upgrade (e.g. 404, 401, 400).
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A short label that groups like failures together in a report, e.g. `HTTP 404` or `timeout`.
    pub fn reason(&self) -> String {
        match self {
            Error::InvalidRequest(_) => "invalid request".to_string(),
            Error::Connect(e) => format!("connect: {}", io_kind(e)),
            Error::Http { status, .. } => format!("HTTP {status}"),
            Error::Subprotocol(_) => "subprotocol not agreed".to_string(),
            Error::Timeout(_) => "timeout".to_string(),
            Error::Closed { code: Some(code), .. } => format!("closed by server ({code})"),
            Error::Closed { code: None, .. } => "closed".to_string(),
            Error::WebSocket(e) => format!("websocket: {e}"),
            Error::BadFrame { .. } => "bad frame".to_string(),
            Error::Binary => "binary message".to_string(),
            Error::Config(_) => "invalid configuration".to_string(),
            Error::Internal(_) => "internal error".to_string(),
        }
    }

    pub(crate) fn from_ws(e: tokio_tungstenite::tungstenite::Error) -> Error {
        use tokio_tungstenite::tungstenite::Error as WsError;
        use tokio_tungstenite::tungstenite::error::ProtocolError;
        match e {
            WsError::Http(response) => {
                let status = response.status().as_u16();
                let body = response.body().as_ref().map(|b| String::from_utf8_lossy(b).into_owned());
                Error::Http { status, body }
            }
            WsError::Protocol(ProtocolError::SecWebSocketSubProtocolError(e)) => Error::Subprotocol(e.to_string()),
            WsError::Io(e) => Error::WebSocket(format!("I/O: {}", io_kind(&e))),
            WsError::ConnectionClosed | WsError::AlreadyClosed => Error::Closed { code: None, reason: String::new() },
            WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake) => {
                Error::Closed { code: None, reason: "reset without closing handshake".to_string() }
            }
            WsError::Url(e) => Error::InvalidRequest(e.to_string()),
            WsError::HttpFormat(e) => Error::InvalidRequest(e.to_string()),
            other => Error::WebSocket(other.to_string()),
        }
    }
}

/// The OS message of an I/O error ("Connection refused (os error 111)"): the same for the same cause, so it
/// groups well.
fn io_kind(e: &std::io::Error) -> String {
    e.to_string()
}
