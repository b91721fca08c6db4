//! A tiny CSMS for the simulator's own tests: accepts `/ocpp/.../{station-id}`, answers the core 1.6 CALLs,
//! and has a few test hooks (custom actions) to exercise server CALLs, pings and closes.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp::{Call, CallError, CallResult, ErrorCode, Frame, MessageId};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

#[derive(Clone, Default)]
pub struct Behaviour {
    /// Answer each station's first BootNotification with Pending (interval 1).
    pub pending_first: bool,
    /// A CALL (action, payload) to send right after accepting a station's first accepted boot.
    pub after_first_accept: Option<(&'static str, Value)>,
}

#[derive(Default)]
pub struct Seen {
    /// BootNotifications per station.
    pub boots: HashMap<String, u32>,
    /// Actions of CALLs received, counted.
    pub actions: HashMap<String, u64>,
    /// Payloads of CALLRESULTs the stations sent to our CALLs.
    pub answers: Vec<Value>,
}

pub struct FakeCsms {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Seen>>,
}

impl FakeCsms {
    pub async fn start(behaviour: Behaviour) -> FakeCsms {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let tx_ids = Arc::new(AtomicI64::new(1));
        let state = seen.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serve(tcp, behaviour.clone(), state.clone(), tx_ids.clone()));
            }
        });
        FakeCsms { addr, seen }
    }

    /// Base URL without the station id.
    pub fn base_url(&self) -> String {
        format!("ws://{}/ocpp/KEY", self.addr)
    }

    pub fn url(&self, station: &str) -> String {
        format!("{}/{station}", self.base_url())
    }

    pub fn count(&self, action: &str) -> u64 {
        self.seen.lock().unwrap().actions.get(action).copied().unwrap_or(0)
    }
}

fn refuse(status: StatusCode) -> ErrorResponse {
    let mut response = ErrorResponse::new(Some("refused".to_string()));
    *response.status_mut() = status;
    response
}

async fn serve(tcp: TcpStream, behaviour: Behaviour, seen: Arc<Mutex<Seen>>, tx_ids: Arc<AtomicI64>) {
    let mut station = String::new();
    #[allow(clippy::result_large_err)] // the signature is tungstenite's
    let callback = |request: &Request, mut response: Response| -> Result<Response, ErrorResponse> {
        let path = request.uri().path().to_string();
        let Some(id) = path.strip_prefix("/ocpp/").and_then(|rest| rest.rsplit('/').next()) else {
            return Err(refuse(StatusCode::NOT_FOUND));
        };
        if id.starts_with("BAD") || id.is_empty() {
            return Err(refuse(StatusCode::NOT_FOUND));
        }
        if id.starts_with("AUTH") {
            // "AUTH-1:secret" in base64 is what a correct station sends.
            let expected = format!("Basic {}", base64_of(&format!("{id}:secret")));
            let given = request.headers().get("Authorization").and_then(|v| v.to_str().ok());
            if given != Some(expected.as_str()) {
                return Err(refuse(StatusCode::UNAUTHORIZED));
            }
        }
        let offered = request.headers().get("Sec-WebSocket-Protocol").and_then(|v| v.to_str().ok()).unwrap_or("");
        if offered.split(',').any(|p| p.trim() == "ocpp1.6") {
            response.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("ocpp1.6"));
        }
        station = id.to_string();
        Ok(response)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(tcp, callback).await else { return };
    while let Some(Ok(msg)) = ws.next().await {
        let Message::Text(text) = msg else { continue };
        let frame = match Frame::parse(text.as_str()) {
            Ok(frame) => frame,
            Err(e) => {
                if let (true, Some(id)) = (e.was_call, e.id) {
                    let reply = Frame::CallError(CallError::new(id, e.code, e.description));
                    let _ = ws.send(Message::text(reply.to_text())).await;
                }
                continue;
            }
        };
        let call = match frame {
            Frame::Call(call) => call,
            Frame::CallResult(r) => {
                seen.lock().unwrap().answers.push(r.payload);
                continue;
            }
            Frame::CallError(_) => continue,
        };
        *seen.lock().unwrap().actions.entry(call.action.clone()).or_default() += 1;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut after: Option<(&'static str, Value)> = None;
        let answer: Result<Value, ErrorCode> = match call.action.as_str() {
            "BootNotification" => {
                let boots = {
                    let mut seen = seen.lock().unwrap();
                    let n = seen.boots.entry(station.clone()).or_default();
                    *n += 1;
                    *n
                };
                if behaviour.pending_first && boots == 1 {
                    Ok(json!({"status": "Pending", "currentTime": now, "interval": 1}))
                } else {
                    if boots == 1 + u32::from(behaviour.pending_first) {
                        after = behaviour.after_first_accept.clone();
                    }
                    Ok(json!({"status": "Accepted", "currentTime": now, "interval": 60}))
                }
            }
            "Heartbeat" => Ok(json!({"currentTime": now})),
            "StatusNotification" | "MeterValues" | "DiagnosticsStatusNotification" | "FirmwareStatusNotification" => {
                Ok(json!({}))
            }
            "Authorize" => Ok(json!({"idTagInfo": {"status": id_tag_status(&call.payload)}})),
            "StartTransaction" => Ok(json!({
                "transactionId": tx_ids.fetch_add(1, Ordering::Relaxed),
                "idTagInfo": {"status": id_tag_status(&call.payload)},
            })),
            "StopTransaction" => Ok(json!({"idTagInfo": {"status": "Accepted"}})),
            "TestTrigger" => {
                // A server CALL arrives before the answer to the station's CALL.
                let trigger = Frame::Call(Call {
                    id: MessageId::new("srv-1"),
                    action: "TriggerMessage".into(),
                    payload: json!({"requestedMessage": "Heartbeat"}),
                });
                let _ = ws.send(Message::text(trigger.to_text())).await;
                Ok(json!({}))
            }
            "TestPing" => {
                // Answers only once the station has answered a ping.
                let _ = ws.send(Message::Ping(b"are you there".to_vec().into())).await;
                let mut ponged = false;
                let _ = tokio::time::timeout(Duration::from_secs(5), async {
                    while let Some(Ok(m)) = ws.next().await {
                        if let Message::Pong(_) = m {
                            ponged = true;
                            break;
                        }
                    }
                })
                .await;
                Ok(json!({"pong": ponged}))
            }
            "TestClose" => {
                let frame = CloseFrame { code: CloseCode::Library(4000), reason: "bye".into() };
                let _ = ws.close(Some(frame)).await;
                while let Some(Ok(_)) = ws.next().await {}
                return;
            }
            _ => Err(ErrorCode::NotImplemented),
        };
        let reply = match answer {
            Ok(payload) => Frame::CallResult(CallResult { id: call.id, payload }),
            Err(code) => Frame::CallError(CallError::new(call.id, code, "not here")),
        };
        if ws.send(Message::text(reply.to_text())).await.is_err() {
            return;
        }
        if let Some((action, payload)) = after {
            let _ = send_call(&mut ws, action, payload).await;
        }
    }
}

async fn send_call(ws: &mut WebSocketStream<TcpStream>, action: &str, payload: Value) -> Result<(), ()> {
    let id = MessageId::new(format!("srv-{}", rand_id()));
    let call = Frame::Call(Call { id, action: action.into(), payload });
    ws.send(Message::text(call.to_text())).await.map_err(|_| ())
}

fn rand_id() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

fn id_tag_status(payload: &Value) -> &'static str {
    if payload["idTag"] == "BLOCKED" { "Blocked" } else { "Accepted" }
}

fn base64_of(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
