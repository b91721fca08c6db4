//! The WebSocket upgrade: who is this station, may it connect, which OCPP version does it speak.
//!
//! Every refusal is logged with its reason, the station id and the remote address, because an operator must
//! be able to see why a station cannot connect (SteVe #941: failed handshakes that log nothing).

use std::net::SocketAddr;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use joule_core::station::Station;
use joule_core::{OperatorKey, StationId};
use joule_store::StationEvent;

use super::adapter::{self, Protocol};
use super::{Gateway, connection};
use crate::settings::UnkeyedStations;

pub(crate) async fn keyed(
    State(gw): State<Gateway>,
    Path((key, station)): Path<(String, String)>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    accept(gw, Some(key), station, remote, headers, ws).await
}

pub(crate) async fn unkeyed(
    State(gw): State<Gateway>,
    Path(station): Path<String>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    accept(gw, None, station, remote, headers, ws).await
}

/// Why a connection was refused, and the HTTP answer for it.
struct Refusal {
    status: StatusCode,
    reason: String,
    /// The station, when it is known: the refusal is also recorded in its event history.
    known: Option<StationId>,
}

impl Refusal {
    fn new(status: StatusCode, reason: impl Into<String>) -> Refusal {
        Refusal { status, reason: reason.into(), known: None }
    }
}

struct Accepted {
    station: Station,
    /// The subprotocol to answer with, as the station offered it; `None` when it offered none.
    subprotocol: Option<HeaderValue>,
    /// The version the connection speaks.
    protocol: &'static Protocol,
}

async fn accept(
    gw: Gateway,
    key: Option<String>,
    raw_id: String,
    remote: SocketAddr,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            tracing::warn!(%remote, station = %truncate(&raw_id), reason = %rejection.body_text(), "refused station connection: not a WebSocket upgrade");
            return rejection.into_response();
        }
    };
    match check(&gw, key.as_deref(), &raw_id, &headers).await {
        Ok(Accepted { station, subprotocol, protocol }) => {
            let settings = &gw.inner.settings.ocpp;
            let mut ws = ws
                // Small buffers: most stations are idle most of the time (research/rust-ecosystem.md: the
                // 128 KiB default read buffer would cost 128 KiB per station).
                .read_buffer_size(4 * 1024)
                .write_buffer_size(0)
                .max_write_buffer_size(1024 * 1024)
                // Frames up to max_frame_bytes are handled; larger CALLs are answered with a CALLERROR by the
                // connection, and only frames beyond this hard cap close the socket.
                .max_message_size(settings.max_frame_bytes.saturating_mul(4))
                .max_frame_size(settings.max_frame_bytes.saturating_mul(4));
            let protocol_name = match subprotocol.as_ref().and_then(|p| p.to_str().ok()) {
                Some(name) => name.to_string(),
                None => format!("(none, served as {})", protocol.subprotocol),
            };
            if let Some(p) = subprotocol {
                ws.set_selected_protocol(p);
            }
            tracing::info!(%remote, station = %station.id, protocol = %protocol_name, "station connected");
            ws.on_upgrade(move |socket| connection::run(gw, station, protocol, socket, remote))
        }
        Err(refusal) => {
            tracing::warn!(%remote, station = %truncate(&raw_id), status = refusal.status.as_u16(), reason = %refusal.reason, "refused station connection");
            if let Some(id) = refusal.known.as_ref().filter(|id| gw.inner.refusals.admit(id)) {
                let event = StationEvent {
                    station_id: id.clone(),
                    kind: "ConnectionRefused".into(),
                    detail: format!("{} from {remote}", refusal.reason),
                    at: chrono::Utc::now(),
                };
                if let Err(e) = gw.inner.services.store().record_station_event(&event).await {
                    tracing::warn!(station = %id, error = %e, "could not record the refusal");
                }
            }
            let mut response = (refusal.status, refusal.reason).into_response();
            if refusal.status == StatusCode::UNAUTHORIZED {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"OCPP\""));
            }
            response
        }
    }
}

async fn check(gw: &Gateway, key: Option<&str>, raw_id: &str, headers: &HeaderMap) -> Result<Accepted, Refusal> {
    let settings = &gw.inner.settings.ocpp;
    let store = gw.inner.services.store();
    let id = StationId::parse(raw_id).map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    let (subprotocol, protocol) = select_protocol(headers, settings.require_subprotocol)?;
    let internal = |e: joule_store::StoreError| {
        tracing::error!(error = %e, "store error during handshake");
        Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "storage unavailable, try again")
    };
    let existing = store.station(&id).await.map_err(internal)?;
    let station = match key {
        Some(key) => {
            let operator = match OperatorKey::parse(key) {
                Ok(k) => store.operator_by_key(&k).await.map_err(internal)?,
                Err(_) => None,
            };
            let Some(operator) = operator else {
                return Err(Refusal {
                    known: existing.map(|s| s.id),
                    ..Refusal::new(StatusCode::NOT_FOUND, "unknown operator key")
                });
            };
            match existing {
                Some(st) if st.operator_id != operator.id => {
                    return Err(Refusal {
                        known: Some(st.id),
                        ..Refusal::new(StatusCode::FORBIDDEN, "station is registered under another operator")
                    });
                }
                Some(st) => st,
                None if settings.require_station_password => {
                    return Err(Refusal::new(
                        StatusCode::UNAUTHORIZED,
                        "unknown station and station passwords are required: register it with a password first",
                    ));
                }
                // An unknown station with a valid operator key: held back as pending until activated.
                None => store.ensure_station(operator.id, &id, chrono::Utc::now()).await.map_err(internal)?,
            }
        }
        None => match (settings.unkeyed_stations, existing) {
            (UnkeyedStations::Registered, Some(st)) => st,
            (UnkeyedStations::Registered, None) => {
                return Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    "unknown station; connect with the operator's OCPP URL",
                ));
            }
            (UnkeyedStations::Refuse, existing) => {
                return Err(Refusal {
                    known: existing.map(|s| s.id),
                    ..Refusal::new(
                        StatusCode::NOT_FOUND,
                        "an operator key is required: /ocpp/{operator-key}/{station-id}",
                    )
                });
            }
        },
    };
    check_password(gw, &station, headers, settings.require_station_password).await?;
    Ok(Accepted { station, subprotocol, protocol })
}

/// OCPP-J §3.1 (OCPP-J 1.6 §3.1.2): the station lists the versions it speaks in `Sec-WebSocket-Protocol`; the
/// server picks one it has an adapter for ([`adapter::PROTOCOLS`]) and answers with it. Tolerated: case
/// variants and known aliases such as `ocpp1.6j` (echoed back as offered, so the station's client accepts the
/// answer), and a missing header unless `require_subprotocol` is set (served as [`adapter::fallback`]). A
/// header offering no OCPP version Joule speaks is refused.
fn select_protocol(headers: &HeaderMap, required: bool) -> Result<(Option<HeaderValue>, &'static Protocol), Refusal> {
    let offered: Vec<&str> = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if offered.is_empty() {
        return if required {
            Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("no Sec-WebSocket-Protocol offered; Joule speaks {}", adapter::spoken()),
            ))
        } else {
            Ok((None, adapter::fallback()))
        };
    }
    match adapter::select(&offered) {
        Some((name, protocol)) => Ok((HeaderValue::from_str(name).ok(), protocol)),
        None => Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!(
                "no supported OCPP subprotocol offered ({}); Joule speaks {}",
                truncate(&offered.join(", ")),
                adapter::spoken()
            ),
        )),
    }
}

/// OCPP 1.6 Security Whitepaper §2.3 (security profile 1): HTTP Basic authentication whose user name is the
/// station id and whose password is the station's own.
async fn check_password(gw: &Gateway, station: &Station, headers: &HeaderMap, required: bool) -> Result<(), Refusal> {
    let refuse =
        |reason: &str| Refusal { known: Some(station.id.clone()), ..Refusal::new(StatusCode::UNAUTHORIZED, reason) };
    let Some(hash) = station.password_hash.clone() else {
        return if required { Err(refuse("station has no password; passwords are required")) } else { Ok(()) };
    };
    let Some((user, password)) = basic_credentials(headers) else {
        return Err(refuse("Basic authentication required"));
    };
    if user != station.id.as_str() {
        return Err(refuse("Basic-auth user must be the station id"));
    }
    if !gw.inner.passwords.verify(&station.id, password, &hash).await {
        return Err(refuse("wrong station password"));
    }
    Ok(())
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    // OCPP 1.6 Security Whitepaper: the password may be binary (hex in config); as text here.
    let decoded = String::from_utf8(decoded).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// Limits what a client controls in a log line.
fn truncate(s: &str) -> String {
    let mut out: String = s.chars().take(80).filter(|c| !c.is_control()).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}
