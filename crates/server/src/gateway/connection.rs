//! One station's connection: reads its frames, answers its CALLs, sends Joule's CALLs one at a time, pings
//! it, and notices when it is gone.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use joule_core::station::Station;
use joule_store::Direction;
use ocpp::{CallError, CallResult, ErrorCode, Frame, MessageId};
use serde_json::Value;
use tokio::sync::{Notify, mpsc, oneshot, watch};
use tokio::time::{Instant, sleep_until};

use joule_app::CommandFailure;

use super::Gateway;
use super::adapter::{Context, Protocol};
use super::command::{Outbound, call_error_code};
use super::registry::Entry;
use crate::events::{LiveEvent, LiveEventKind};

/// How long a new connection waits for the one it replaced to finish its teardown.
const REPLACE_WAIT: Duration = Duration::from_secs(5);

/// A CALL Joule sent and is waiting for.
struct Outstanding {
    id: MessageId,
    action: String,
    deadline: Instant,
    reply: oneshot::Sender<Result<Value, CommandFailure>>,
}

/// Why the loop ended.
enum End {
    Closed,
    ShuttingDown,
    Replaced,
    Dead,
    Error(String),
}

/// Runs the connection of `station`, speaking `protocol`, the version negotiated at the handshake (OCPP-J
/// §3.1): the station's CALLs and the answers to Joule's go through its adapter alone.
pub(crate) async fn run(
    gw: Gateway,
    station: Station,
    protocol: &'static Protocol,
    mut ws: WebSocket,
    remote: SocketAddr,
) {
    let inner = &gw.inner;
    let settings = &inner.settings.ocpp;
    let id = station.id.clone();
    let conn_id = gw.next_conn_id();
    let (commands, mut queue) = mpsc::channel(settings.command_queue.max(1));
    let replaced = Arc::new(Notify::new());
    let (finished_tx, finished) = watch::channel(false);
    // The connection counts as traffic, as of the instant recorded as `connected_at` (offline detection's
    // compare-and-set relies on the two being the same).
    let connected_at = chrono::Utc::now();
    let traffic = Arc::new(super::registry::Traffic::new(connected_at));
    let entry = Entry { conn_id, protocol, commands, replaced: replaced.clone(), finished, traffic: traffic.clone() };
    if let Some(previous) = inner.registry.insert(id.clone(), entry) {
        tracing::info!(station = %id, %remote, "station reconnected: closing its previous connection");
        previous.replaced.notify_one();
        let mut done = previous.finished;
        let _ = tokio::time::timeout(REPLACE_WAIT, done.wait_for(|d| *d)).await;
    }
    if let Err(e) = inner.services.store().record_connection(&id, true, connected_at).await {
        tracing::error!(station = %id, error = %e, "could not record the connection");
    }
    if station.out_of_service_since.is_some() {
        // Out of service until now: offline detection clears the mark and tells everyone, once.
        inner.offline_wake.notify_one();
    }
    let live = |kind: LiveEventKind| {
        inner.services.events().publish(|| LiveEvent {
            operator_id: station.operator_id,
            station_id: id.clone(),
            at: chrono::Utc::now(),
            kind,
        })
    };
    live(LiveEventKind::Connected);

    let adapter = protocol.adapter;
    let ctx =
        Context { services: &inner.services, gateway: &gw, station_id: id.clone(), operator_id: station.operator_id };
    let log = &inner.log;
    let ping_every = settings.ping_interval();
    let call_timeout = settings.call_timeout();
    let max_frame = settings.max_frame_bytes;
    let mut last_heard = Instant::now();
    let mut next_ping = Instant::now() + ping_every;
    let mut outstanding: Option<Outstanding> = None;
    let mut next_call_id: u64 = 1;
    let mut shutdown = inner.shutdown.subscribe();
    // The server may have begun shutting down while this connection was being set up.
    let already_down = *shutdown.borrow_and_update();

    let end = if already_down {
        End::ShuttingDown
    } else {
        loop {
            let deadline = outstanding.as_ref().map(|o| o.deadline);
            tokio::select! {
                msg = ws.recv() => {
                    let Some(msg) = msg else { break End::Closed };
                    let msg = match msg {
                        Ok(m) => m,
                        Err(e) => break End::Error(e.to_string()),
                    };
                    last_heard = Instant::now();
                    if traffic.heard(chrono::Utc::now()) {
                        inner.offline_wake.notify_one();
                    }
                    let text = match msg {
                        Message::Text(t) => t,
                        // OCPP-J 1.6 §3: frames are text; a binary frame is read as UTF-8 text if it is one.
                        Message::Binary(b) => match String::from_utf8(b.to_vec()) {
                            Ok(s) => s.into(),
                            Err(_) => {
                                tracing::warn!(station = %id, "binary frame that is not UTF-8 text dropped");
                                continue;
                            }
                        },
                        Message::Ping(_) | Message::Pong(_) => continue,
                        Message::Close(_) => break End::Closed,
                    };
                    // The action a reply answers, for the message log.
                    let mut answered: Option<String> = None;
                    let reply = if text.len() > max_frame {
                        log.record(&id, Direction::In, 0, "", None, &text[..text.floor_char_boundary(1024)]);
                        too_large(&id, text.as_str(), max_frame)
                    } else {
                        match Frame::parse(text.as_str()) {
                            Ok(Frame::Call(call)) => {
                                log.record(&id, Direction::In, 2, call.id.as_str(), Some(&call.action), &text);
                                answered = Some(call.action.clone());
                                Some(adapter.handle(&ctx, call).await)
                            }
                            Ok(Frame::CallResult(CallResult { id: msg_id, payload })) => {
                                let action = outstanding.as_ref().filter(|o| o.id == msg_id).map(|o| o.action.as_str());
                                log.record(&id, Direction::In, 3, msg_id.as_str(), action, &text);
                                settle(&mut outstanding, &id, &msg_id, Ok(payload));
                                None
                            }
                            Ok(Frame::CallError(CallError { id: msg_id, code, description, .. })) => {
                                let action = outstanding.as_ref().filter(|o| o.id == msg_id).map(|o| o.action.as_str());
                                log.record(&id, Direction::In, 4, msg_id.as_str(), action, &text);
                                let code = call_error_code(code);
                                settle(&mut outstanding, &id, &msg_id, Err(CommandFailure::CallError { code, description }));
                                None
                            }
                            Err(e) => {
                                let msg_id = e.id.as_ref().map(|m| m.as_str()).unwrap_or("");
                                log.record(&id, Direction::In, if e.was_call { 2 } else { 0 }, msg_id, None, &text);
                                match (e.was_call, e.id) {
                                    (true, Some(msg_id)) => {
                                        tracing::info!(station = %id, code = %e.code, error = %e.description, "malformed CALL answered with CALLERROR");
                                        Some(Frame::CallError(CallError::new(msg_id, e.code, e.description)))
                                    }
                                    // OCPP-J 1.6 §4.2.3: a CALLERROR answers a CALL, so it needs the CALL's id;
                                    // without one the frame can only be logged and dropped.
                                    _ => {
                                        tracing::warn!(station = %id, code = %e.code, error = %e.description, "unreadable frame dropped (no CALL message id to answer)");
                                        None
                                    }
                                }
                            }
                        }
                    };
                    let reply = reply.map(|frame| {
                        let out = frame.to_text();
                        let kind = if matches!(frame, Frame::CallError(_)) { 4 } else { 3 };
                        log.record(&id, Direction::Out, kind, frame.id().as_str(), answered.as_deref(), &out);
                        out
                    });
                    if let Some(out) = reply
                        && let Err(e) = send(&mut ws, out, call_timeout).await
                    {
                        break End::Error(e);
                    }
                }
                outbound = queue.recv(), if outstanding.is_none() => {
                    // `queue` cannot close while the registry entry (which holds a sender) exists; if it does, the
                    // station has been replaced.
                    let Some(Outbound { action, payload, reply }) = outbound else { break End::Replaced };
                    let msg_id = MessageId::new(format!("j{conn_id:x}-{next_call_id}"));
                    next_call_id += 1;
                    let frame = Frame::Call(ocpp::Call { id: msg_id.clone(), action: action.clone(), payload });
                    let out = frame.to_text();
                    log.record(&id, Direction::Out, 2, msg_id.as_str(), Some(&action), &out);
                    if let Err(e) = send(&mut ws, out, call_timeout).await {
                        let _ = reply.send(Err(CommandFailure::Disconnected));
                        break End::Error(e);
                    }
                    tracing::debug!(station = %id, %action, id = %msg_id, "CALL sent");
                    outstanding = Some(Outstanding { id: msg_id, action, deadline: Instant::now() + call_timeout, reply });
                }
                _ = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                    if let Some(o) = outstanding.take() {
                        tracing::warn!(station = %id, action = %o.action, id = %o.id, "station did not answer in time");
                        let _ = o.reply.send(Err(CommandFailure::Timeout { secs: call_timeout.as_secs() }));
                    }
                }
                _ = sleep_until(next_ping) => {
                    if last_heard.elapsed() > ping_every * 2 {
                        break End::Dead;
                    }
                    if let Err(e) = send_message(&mut ws, Message::Ping(Default::default()), call_timeout).await {
                        break End::Error(e);
                    }
                    next_ping = Instant::now() + ping_every;
                }
                _ = replaced.notified() => break End::Replaced,
                // The value only ever changes to `true`.
                _ = shutdown.changed() => break End::ShuttingDown,
            }
        }
    };

    if let Some(o) = outstanding.take() {
        let _ = o.reply.send(Err(CommandFailure::Disconnected));
    }
    let close = match &end {
        End::Replaced => Some("replaced by a newer connection"),
        // 1001 "going away" would be the more precise code; 1000 with a reason is what every station's
        // client handles, and it reconnects either way.
        End::ShuttingDown => Some("server shutting down"),
        End::Dead => Some("no answer to pings"),
        End::Closed | End::Error(_) => None,
    };
    if let Some(reason) = close {
        let frame = CloseFrame { code: 1000, reason: reason.into() };
        let _ = tokio::time::timeout(Duration::from_secs(2), ws.send(Message::Close(Some(frame)))).await;
    }
    drop(ws);
    match &end {
        End::Closed => tracing::info!(station = %id, %remote, "station disconnected"),
        End::Replaced => tracing::info!(station = %id, %remote, "connection replaced"),
        End::ShuttingDown => tracing::debug!(station = %id, %remote, "connection closed for shutdown"),
        End::Dead => tracing::warn!(station = %id, %remote, "station stopped answering pings; connection closed"),
        End::Error(e) => tracing::info!(station = %id, %remote, error = %e, "connection ended"),
    }
    // Mark the station offline only if no newer connection took its place; a newer one waits for this
    // teardown before it records itself online, so the two writes cannot cross.
    if inner.registry.is_current(&id, conn_id) {
        if let Err(e) = inner.services.store().record_connection(&id, false, chrono::Utc::now()).await {
            tracing::error!(station = %id, error = %e, "could not record the disconnection");
        }
        inner.registry.remove_if(&id, conn_id);
        live(LiveEventKind::Disconnected);
    }
    let _ = finished_tx.send(true);
}

/// Resolves the outstanding CALL with the station's answer.
fn settle(
    outstanding: &mut Option<Outstanding>,
    station: &joule_core::StationId,
    msg_id: &MessageId,
    result: Result<Value, CommandFailure>,
) {
    match outstanding.take_if(|o| &o.id == msg_id) {
        Some(o) => {
            let _ = o.reply.send(result);
        }
        None => {
            tracing::warn!(station = %station, id = %msg_id, "answer to no outstanding CALL ignored (late or unknown id)")
        }
    }
}

/// A frame over the limit: a CALL whose id can be read gets a CALLERROR, anything else is dropped.
fn too_large(station: &joule_core::StationId, text: &str, limit: usize) -> Option<Frame> {
    let description = format!("frame of {} bytes exceeds the limit of {limit} bytes", text.len());
    // Only the head is parsed, to read the id of the CALL.
    let head: String = text.chars().take(64).collect();
    let salvaged = Frame::parse(&head).err().and_then(|e| e.id.filter(|_| e.was_call));
    tracing::warn!(station = %station, bytes = text.len(), "oversized frame refused");
    salvaged.map(|id| Frame::CallError(CallError::new(id, ErrorCode::FormationViolation, description)))
}

async fn send(ws: &mut WebSocket, text: String, timeout: Duration) -> Result<(), String> {
    send_message(ws, Message::Text(text.into()), timeout).await
}

/// Sends with a bound: a station that stops reading must not hold its connection task forever.
async fn send_message(ws: &mut WebSocket, msg: Message, timeout: Duration) -> Result<(), String> {
    match tokio::time::timeout(timeout, ws.send(msg)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("send timed out (station not reading)".into()),
    }
}
