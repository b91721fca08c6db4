//! Opening an OCPP-J WebSocket: TCP connect, upgrade with subprotocols and optional Basic auth.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine as _;
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::Error;

pub(crate) type Ws = WebSocketStream<TcpStream>;

/// Small buffers: a station exchanges small messages at a low rate, and the load generator holds thousands of
/// connections (tungstenite's defaults allocate 128 KiB per connection up front).
pub(crate) fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(4 << 20)
        .max_message_size(Some(4 << 20))
        .max_frame_size(Some(4 << 20))
}

/// Opens the WebSocket to `url`, offering `subprotocols`; returns the stream and the subprotocol the server
/// agreed. The whole of TCP connect and upgrade is bounded by `timeout`.
pub(crate) async fn open(
    url: &str,
    subprotocols: &[String],
    basic_auth: Option<(&str, &str)>,
    timeout: Duration,
) -> Result<(Ws, Option<String>), Error> {
    let mut request = url.into_client_request().map_err(Error::from_ws)?;
    let uri = request.uri().clone();
    match uri.scheme_str() {
        Some("ws") => {}
        Some("wss") => {
            return Err(Error::InvalidRequest(
                "wss:// is not supported by the simulator; use ws:// on loopback or a TLS-terminating proxy".into(),
            ));
        }
        _ => return Err(Error::InvalidRequest(format!("URL must start with ws://: {url}"))),
    }
    let host = uri.host().ok_or_else(|| Error::InvalidRequest(format!("URL has no host: {url}")))?;
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    let port = uri.port_u16().unwrap_or(80);
    if !subprotocols.is_empty() {
        let value = HeaderValue::from_str(&subprotocols.join(", "))
            .map_err(|e| Error::InvalidRequest(format!("subprotocol header: {e}")))?;
        request.headers_mut().insert("Sec-WebSocket-Protocol", value);
    }
    if let Some((user, password)) = basic_auth {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let value = HeaderValue::from_str(&format!("Basic {token}"))
            .map_err(|e| Error::InvalidRequest(format!("authorization header: {e}")))?;
        request.headers_mut().insert("Authorization", value);
    }
    let handshake = async {
        let tcp = TcpStream::connect((host.as_str(), port)).await.map_err(Error::Connect)?;
        // Small request/response messages: do not let Nagle's algorithm add latency.
        let _ = tcp.set_nodelay(true);
        let (ws, response) = tokio_tungstenite::client_async_with_config(request, tcp, Some(ws_config()))
            .await
            .map_err(Error::from_ws)?;
        let subprotocol = response
            .headers()
            .get("Sec-WebSocket-Protocol")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.trim().to_string());
        Ok((ws, subprotocol))
    };
    tokio::time::timeout(timeout, handshake).await.map_err(|_| Error::Timeout(timeout))?
}

/// Message ids unique within the process (and, through the random prefix, very likely across runs), at most
/// 36 characters as OCPP-J requires.
pub(crate) fn next_message_id() -> ocpp::MessageId {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let prefix = PREFIX.get_or_init(|| format!("{:08x}", rand::random::<u32>()));
    ocpp::MessageId::new(format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed)))
}
