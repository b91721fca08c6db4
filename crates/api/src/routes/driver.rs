//! Drivers ("Driver: a public page per connector … the price that applies; for a signed-in driver
//! who may charge there, start charging (a remote start), a live view of the session (energy, power, cost so
//! far) and stop").
//!
//! The connector's page is public: anyone standing at the station (who scanned its QR code) may read what the
//! page shows, which is what is printed or visible there anyway: where it is, its status and its price. A
//! private station shows neither its address nor its price. When the request carries a person's login, the
//! answer also says whether that person may start here and why, and their running session.
//!
//! A person charges as their driver (the operator's driver linked to their account) with the first of
//! the driver's tokens that is neither blocked nor expired: the remote start uses that idTag, so the station's
//! StartTransaction is authorized by the same rules as a card (OCPP 1.6 §5.11 RemoteStartTransaction, with
//! AuthorizeRemoteTxRequests or not).

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use joule_core::access::{AccessMode, Decision};
use joule_core::account::Account;
use joule_core::auth::IdToken;
use joule_core::command::{CommandStatus, Evse, Outcome, RequestStart, StationCommand};
use joule_core::session::Session;
use joule_core::station::Station;
use joule_core::{OperatorId, SessionId, StationId};
use joule_store::{SessionFilter, Store};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::billing::{CostView, TariffView};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, Kind, Problem};
use crate::extract::Body;
use crate::{ApiState, MAX_EVENT_STREAMS, MAX_PUBLIC_STREAMS};
use joule_app::events::{LiveEvent, LiveEventKind};
use tokio::sync::broadcast::error::RecvError;

/// How long a start waits for the station's StartTransaction before answering without a transaction id.
const WAIT_FOR_START: Duration = Duration::from_secs(20);
/// Completed sessions shown with the running ones.
const RECENT: u32 = 5;

#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceView {
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub parking_spot: Option<String>,
    pub directions: Option<String>,
    /// `GET /api/v1/public/stations/{station_id}/photo` serves it.
    pub has_photo: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicPrice {
    pub currency: String,
    pub vat_rate: String,
    /// The tariffs that apply (for a signed-in driver: theirs, with their groups'); empty: charging is free.
    pub tariffs: Vec<TariffView>,
    pub free_below_wh: u32,
    pub free_below_secs: u32,
}

/// What a signed-in person may do here.
#[derive(Debug, Serialize, ToSchema)]
pub struct DriverHere {
    pub may_start: bool,
    /// "allowed: …" or "refused because …", or why the person cannot charge as a driver at all.
    pub reason: String,
    /// The idTag a start would use.
    pub id_tag: Option<String>,
    /// The person's running session on this connector, if any.
    pub session: Option<LiveSession>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectorPage {
    pub station_id: String,
    pub connector_id: u32,
    /// The connector's last reported status (OCPP 1.6 ChargePointStatus), or `Offline` when the station is
    /// not connected, or `Unknown` when it never reported one.
    pub status: String,
    /// The connector's state in words every OCPP version shares (2.0.1 ConnectorStatusEnumType: Available,
    /// Occupied, Reserved, Unavailable, Faulted); null when the station is offline or never reported one.
    pub state: Option<String>,
    pub online: bool,
    /// The station is activated and accepts sessions.
    pub in_service: bool,
    /// Private stations keep their place and price to their owner.
    pub private: bool,
    pub place: Option<PlaceView>,
    /// IANA name of the station's time zone.
    pub time_zone: String,
    pub price: Option<PublicPrice>,
    /// Present when the request carries a person's login session.
    pub you: Option<DriverHere>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveSession {
    pub transaction_id: i64,
    pub station_id: String,
    pub connector_id: u32,
    pub id_tag: String,
    pub started_at: DateTime<Utc>,
    pub stopped_at: Option<DateTime<Utc>>,
    /// Energy so far (the latest register reading minus the start), or in total once stopped.
    pub energy_wh: i64,
    /// The connector's latest power sample, while running.
    pub power_w: Option<f64>,
    /// While running: what the session would cost if it stopped now. Once stopped: the stored cost (absent
    /// until it is priced, a moment after the stop).
    pub cost: Option<CostView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyCharging {
    pub active: Vec<LiveSession>,
    /// The latest completed sessions, newest first.
    pub recent: Vec<LiveSession>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartCharging {
    pub station_id: String,
    pub connector_id: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StartAnswer {
    /// The station's answer to RemoteStartTransaction: `Accepted` or `Rejected`.
    pub status: String,
    pub id_tag: String,
    /// The session, when the station started it within 20 s.
    pub transaction_id: Option<i64>,
    /// Its entry in the station's command history.
    pub command_id: Option<i64>,
}

/// The person behind a login session, when the request carries one (a bad or missing credential is simply no
/// person: the page is public).
async fn person(parts: &mut Parts, state: &ApiState) -> Option<Account> {
    parts.headers.get(axum::http::header::AUTHORIZATION)?;
    match Principal::from_request_parts(parts, state).await {
        Ok(Principal::Person { account, .. }) => Some(account),
        _ => None,
    }
}

/// A signed-in person, for the `/me/charging` endpoints.
async fn signed_in(principal: Principal) -> ApiResult<Account> {
    match principal {
        Principal::Person { account, .. } => Ok(account),
        Principal::Token(_) => Err(ApiError::new(
            Kind::Forbidden,
            "charging is for people: log in; API tokens start sessions with remote-start",
        )),
    }
}

fn station_id(s: &str) -> ApiResult<StationId> {
    StationId::parse(s).map_err(|e| ApiError::invalid("station_id", e.to_string()))
}

/// The station a driver may see: it exists and is not pending or refused (404 otherwise, like an unknown one).
async fn visible_station(store: &dyn Store, id: &StationId) -> ApiResult<Station> {
    match store.station(id).await? {
        Some(s) if s.state.may_charge() => Ok(s),
        _ => Err(ApiError::not_found(format!("no station {id}"))),
    }
}

/// The tokens of the driver linked to the person's account at `operator` (read once per request: the start,
/// the page, the person's sessions and the stop all need them), or why the person cannot charge as a driver.
async fn my_tokens(
    store: &dyn Store,
    operator: OperatorId,
    account: &Account,
) -> ApiResult<Result<Vec<IdToken>, String>> {
    if account.operator_id != Some(operator) {
        return Ok(Err("this station belongs to another operator than your account".into()));
    }
    let Some(driver) = store.driver_by_account(operator, account.id).await? else {
        return Ok(Err("your account is not linked to a driver of this operator; ask the operator".into()));
    };
    Ok(Ok(store.driver_tokens(operator, driver.id).await?))
}

/// The token a start uses: the first one that is neither blocked nor expired, or why there is none.
fn charging_token(tokens: &[IdToken]) -> Result<IdToken, String> {
    let now = Utc::now();
    tokens
        .iter()
        .find(|t| !t.blocked && t.expires_at.is_none_or(|e| e > now))
        .cloned()
        .ok_or_else(|| "you have no token that is neither blocked nor expired; ask the operator".to_string())
}

async fn live(store: &dyn Store, s: &Session) -> ApiResult<LiveSession> {
    let now = Utc::now();
    let (energy_wh, power_w, cost) = if s.stopped_at.is_some() {
        let cost = store.session_cost(s.id).await?;
        (s.energy_wh().unwrap_or(0), None, cost.as_ref().map(CostView::from))
    } else {
        let cost = joule_app::billing::cost_of(store, s, now).await.map_err(pricing)?;
        let power = store.latest_power(&s.station_id).await?;
        let power = power.iter().find(|p| p.connector_id == s.connector_id).map(|p| p.watts);
        (cost.energy_wh, power, Some(CostView::from(&cost)))
    };
    Ok(LiveSession {
        transaction_id: s.id.0,
        station_id: s.station_id.to_string(),
        connector_id: s.connector_id,
        id_tag: s.id_tag.to_string(),
        started_at: s.started_at,
        stopped_at: s.stopped_at,
        energy_wh,
        power_w,
        cost,
    })
}

fn pricing(e: joule_app::billing::PricingError) -> ApiError {
    match e {
        joule_app::billing::PricingError::Store(e) => e.into(),
        other => ApiError::new(Kind::Internal, other.to_string()),
    }
}

/// The sessions started with these tokens of `operator`, newest first.
async fn sessions_of(
    store: &dyn Store,
    operator: OperatorId,
    tokens: &[IdToken],
    active_only: bool,
    limit: u32,
) -> ApiResult<Vec<Session>> {
    let mut out = Vec::new();
    for token in tokens {
        let filter = SessionFilter {
            operator_id: Some(operator),
            id_tag: Some(token.tag.clone()),
            active_only,
            limit: Some(limit),
            ..Default::default()
        };
        out.extend(store.list_sessions(&filter).await?);
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.started_at));
    Ok(out)
}

/// A connector's public page: where the station is, the connector's status and the price that applies; with
/// a person's login, whether they may start here and their running session.
#[utoipa::path(get, path = "/api/v1/public/connectors/{station_id}/{connector_id}", tag = "drivers",
    params(("station_id" = String, Path), ("connector_id" = u32, Path)), security((), ("bearer" = [])),
    responses((status = 200, body = ConnectorPage), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn connector_page(
    State(state): State<ApiState>,
    Path((station, connector)): Path<(String, u32)>,
    mut parts: Parts,
) -> ApiResult<Json<ConnectorPage>> {
    let id = station_id(&station)?;
    if connector == 0 {
        return Err(ApiError::invalid("connector_id", "connectors are numbered from 1"));
    }
    let store = state.app.store();
    let s = visible_station(&**store, &id).await?;
    let connectors = store.connectors(&id).await?;
    let reported = connectors.iter().find(|c| c.connector_id == connector);
    // A station that reported its connectors has no others (OCPP 1.6 §4.9: each connector reports its status).
    if reported.is_none() && connectors.iter().any(|c| c.connector_id > 0) {
        return Err(ApiError::not_found(format!("station {id} has no connector {connector}")));
    }
    let status = match (s.online, reported) {
        (false, _) => "Offline".to_string(),
        (true, Some(c)) => c.status.as_str().to_string(),
        (true, None) => "Unknown".to_string(),
    };
    let rules = store.access_rules(&id).await?;
    let private = rules.as_ref().is_some_and(|r| {
        let own = r.connectors.iter().find(|c| c.connector.get() == connector).and_then(|c| c.mode.as_ref());
        matches!(own.unwrap_or(&r.mode), AccessMode::Private)
    });
    let zone = joule_app::billing::zone::station_zone(&**store, &id, s.operator_id).await?;
    let account = person(&mut parts, &state).await;
    let tokens = match &account {
        Some(a) => Some(my_tokens(&**store, s.operator_id, a).await?),
        None => None,
    };
    let token = tokens.as_ref().map(|t| t.as_ref().map_err(Clone::clone).and_then(|t| charging_token(t)));
    let tag = token.as_ref().and_then(|t| t.as_ref().ok()).map(|t| t.tag.clone());

    // Whether the signed-in person may charge here (a private station shows its place and price to them only).
    let mut admitted = false;
    let you = match (account, token) {
        (Some(_), Some(Err(why))) => Some(DriverHere { may_start: false, reason: why, id_tag: None, session: None }),
        (Some(_), Some(Ok(token))) => {
            let check = state.app.charging().check_access(&s, &token.tag, Some(connector), Utc::now()).await?;
            let mine = tokens.and_then(Result::ok).unwrap_or_default();
            let running = sessions_of(&**store, s.operator_id, &mine, true, 10).await?;
            let here = running.iter().find(|r| r.station_id == id && r.connector_id == connector);
            let session = match here {
                Some(r) => Some(live(&**store, r).await?),
                None => None,
            };
            let allowed = matches!(check.decision, Decision::Allowed(_));
            admitted = allowed;
            Some(DriverHere {
                may_start: allowed && s.online && session.is_none(),
                reason: if allowed && !s.online {
                    "the station is offline: it cannot be started remotely now".into()
                } else {
                    check.decision.to_string()
                },
                id_tag: Some(token.tag.to_string()),
                session,
            })
        }
        _ => None,
    };
    let (place, price) = if private && !admitted {
        (None, None)
    } else {
        let place = store.installation(&id).await?.map(|i| {
            let p = i.pinpointing;
            PlaceView {
                street: p.street,
                house_number: p.house_number,
                postal_code: p.postal_code,
                city: p.city,
                country: p.country,
                lat: p.lat,
                lon: p.lon,
                parking_spot: p.parking_spot,
                directions: p.directions,
                has_photo: i.photo_type.is_some(),
            }
        });
        let settings = store.billing_settings(s.operator_id).await?;
        let tariffs =
            joule_app::billing::applicable_tariffs(&**store, s.operator_id, &id, connector, tag.as_ref(), Utc::now())
                .await?;
        let price = PublicPrice {
            currency: settings.currency.to_string(),
            vat_rate: settings.vat.value().to_string(),
            tariffs: tariffs.iter().map(|v| super::billing::view(v, &settings)).collect(),
            free_below_wh: settings.free_below_wh,
            free_below_secs: settings.free_below_secs,
        };
        (place, Some(price))
    };

    Ok(Json(ConnectorPage {
        station_id: id.to_string(),
        connector_id: connector,
        status,
        state: reported.filter(|_| s.online).map(|c| c.status.state.as_str().to_string()),
        online: s.online,
        in_service: s.out_of_service_since.is_none(),
        private,
        place,
        time_zone: zone.tz.name().to_string(),
        price,
        you,
    }))
}

/// The station's installation photo, for the public page (a private station's is not shown).
#[utoipa::path(get, path = "/api/v1/public/stations/{station_id}/photo", tag = "drivers",
    params(("station_id" = String, Path)), security(()),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = Problem)))]
pub async fn photo(State(state): State<ApiState>, Path(station): Path<String>) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let id = station_id(&station)?;
    let store = state.app.store();
    visible_station(&**store, &id).await?;
    if store.access_rules(&id).await?.is_some_and(|r| matches!(r.mode, AccessMode::Private)) {
        return Err(ApiError::not_found(format!("station {id} shows no photo")));
    }
    let (bytes, content_type) = store
        .installation_photo(&id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("station {id} has no photo")))?;
    Ok(([(axum::http::header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// The signed-in person's running sessions with energy, power and cost so far, and their latest completed
/// ones with their cost.
#[utoipa::path(get, path = "/api/v1/me/charging", tag = "drivers",
    responses((status = 200, body = MyCharging), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn my_charging(State(state): State<ApiState>, principal: Principal) -> ApiResult<Json<MyCharging>> {
    let account = signed_in(principal).await?;
    let store = state.app.store();
    let (mut active, mut recent) = (Vec::new(), Vec::new());
    let Some(operator) = account.operator_id else { return Ok(Json(MyCharging { active, recent })) };
    let Ok(tokens) = my_tokens(&**store, operator, &account).await? else {
        return Ok(Json(MyCharging { active, recent }));
    };
    for s in sessions_of(&**store, operator, &tokens, true, 10).await? {
        active.push(live(&**store, &s).await?);
    }
    for s in
        sessions_of(&**store, operator, &tokens, false, RECENT).await?.into_iter().filter(|s| s.stopped_at.is_some())
    {
        if recent.len() == RECENT as usize {
            break;
        }
        recent.push(live(&**store, &s).await?);
    }
    Ok(Json(MyCharging { active, recent }))
}

/// Starts charging at a connector as the signed-in person's driver: the access rules are checked first (409
/// with the reason when they refuse), then RemoteStartTransaction is sent with the driver's token, and the
/// answer waits up to 20 s for the session to start.
#[utoipa::path(post, path = "/api/v1/me/charging", tag = "drivers", request_body = StartCharging,
    responses((status = 200, body = StartAnswer), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 504, body = Problem)))]
pub async fn start(
    State(state): State<ApiState>,
    principal: Principal,
    Body(r): Body<StartCharging>,
) -> ApiResult<Json<StartAnswer>> {
    let account = signed_in(principal).await?;
    let id = station_id(&r.station_id)?;
    if r.connector_id == 0 {
        return Err(ApiError::invalid("connector_id", "connectors are numbered from 1"));
    }
    let store = state.app.store();
    let s = visible_station(&**store, &id).await?;
    let token = my_tokens(&**store, s.operator_id, &account)
        .await?
        .and_then(|tokens| charging_token(&tokens))
        .map_err(|why| ApiError::new(Kind::Conflict, why))?;
    let check = state.app.charging().check_access(&s, &token.tag, Some(r.connector_id), Utc::now()).await?;
    if let Decision::Refused(refusal) = &check.decision {
        return Err(ApiError::new(Kind::Conflict, refusal.remote_start_text()));
    }
    let evse = Evse::new(r.connector_id).map_err(|e| ApiError::invalid("connector_id", e.to_string()))?;
    let start =
        RequestStart { evse: Some(evse), id_token: token.tag.clone(), charging_profile: None, remote_start_id: None };
    let actor = format!("account:{}", account.email);
    let report = state.stations().send(&actor, &id, StationCommand::RequestStart(start)).await?;
    let status = report.outcome.as_ref().ok().and_then(Outcome::status).cloned();
    let mut transaction_id = None;
    if status == Some(CommandStatus::Accepted)
        && let Some(started) = report.started
        && let Ok(Ok(tx)) = tokio::time::timeout(WAIT_FOR_START, started).await
    {
        transaction_id = Some(tx.0);
    }
    let status = status.map(|s| s.name().to_string()).unwrap_or_default();
    Ok(Json(StartAnswer { status, id_tag: token.tag.to_string(), transaction_id, command_id: report.command_id }))
}

/// Stops the signed-in person's running session (RemoteStopTransaction, OCPP 1.6 §5.12). 404 for a session
/// that is not theirs; 409 for one that has stopped.
#[utoipa::path(post, path = "/api/v1/me/charging/{transaction_id}/stop", tag = "drivers",
    params(("transaction_id" = i64, Path)),
    responses((status = 200, body = StartAnswer), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 504, body = Problem)))]
pub async fn stop(
    State(state): State<ApiState>,
    principal: Principal,
    Path(transaction): Path<i64>,
) -> ApiResult<Json<StartAnswer>> {
    let account = signed_in(principal).await?;
    let store = state.app.store();
    let session = store.session(SessionId(transaction)).await?;
    let not_yours = || ApiError::not_found(format!("no session {transaction} of yours"));
    let session = session.ok_or_else(not_yours)?;
    let tokens = my_tokens(&**store, session.operator_id, &account).await?.map_err(|_| not_yours())?;
    if !tokens.iter().any(|t| t.tag == session.id_tag) {
        return Err(not_yours());
    }
    if session.stopped_at.is_some() {
        return Err(ApiError::new(Kind::Conflict, format!("session {transaction} has stopped already")));
    }
    let stop = StationCommand::RequestStop { transaction_id: transaction.to_string() };
    let actor = format!("account:{}", account.email);
    let report = state.stations().send(&actor, &session.station_id, stop).await?;
    let status =
        report.outcome.as_ref().ok().and_then(Outcome::status).map(|s| s.name().to_string()).unwrap_or_default();
    Ok(Json(StartAnswer {
        status,
        id_tag: session.id_tag.to_string(),
        transaction_id: Some(transaction),
        command_id: report.command_id,
    }))
}

/// How many of a connector's transaction ids a stream remembers, to recognise their StopTransaction (whose
/// event names no connector).
const REMEMBERED: usize = 16;

/// Whether `event` changes what the page of `connector` shows; remembers the connector's transactions.
fn concerns(event: &LiveEvent, connector: u32, ours: &mut Vec<SessionId>) -> bool {
    let mut remember = |t: SessionId| {
        if !ours.contains(&t) {
            if ours.len() == REMEMBERED {
                ours.remove(0);
            }
            ours.push(t);
        }
    };
    match &event.kind {
        // Connector 0 is the whole station (OCPP 1.6 §6.47): its status shows on every connector's page.
        LiveEventKind::Status(r) => r.connector_id == connector || r.connector_id == 0,
        LiveEventKind::SessionStarted { transaction_id, connector_id, .. } if *connector_id == connector => {
            remember(*transaction_id);
            true
        }
        LiveEventKind::MeterValues { connector_id, transaction_id, .. } if *connector_id == connector => {
            if let Some(t) = transaction_id {
                remember(*t);
            }
            true
        }
        LiveEventKind::SessionStopped { transaction_id, .. } => ours.contains(transaction_id),
        LiveEventKind::Connected | LiveEventKind::Disconnected => true,
        _ => false,
    }
}

/// Live updates for a connector's page, as server-sent events: `changed` (data `{"kind", "at"}`, `kind` being
/// the station event's name) whenever the connector's status changes, the station connects or disconnects,
/// or a session on the connector starts, reports meter values or stops. The page then re-reads what it
/// shows, so a person's figures stay behind `GET /api/v1/public/connectors/…` and their login; the stream
/// itself says nothing a passer-by could not see on the station, and needs no login. Streams of people
/// logged in count with the operators' (1000); the others have their own bound (200): 503 beyond either.
#[utoipa::path(get, path = "/api/v1/public/connectors/{station_id}/{connector_id}/events", tag = "drivers",
    params(("station_id" = String, Path), ("connector_id" = u32, Path)), security((), ("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 400, body = Problem),
        (status = 404, body = Problem), (status = 503, body = Problem)))]
pub async fn connector_events(
    State(state): State<ApiState>,
    Path((station, connector)): Path<(String, u32)>,
    mut parts: Parts,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let id = station_id(&station)?;
    if connector == 0 {
        return Err(ApiError::invalid("connector_id", "connectors are numbered from 1"));
    }
    visible_station(&**state.app.store(), &id).await?;
    let (pool, limit) = match person(&mut parts, &state).await {
        Some(_) => (&state.streams, MAX_EVENT_STREAMS),
        None => (&state.public_streams, MAX_PUBLIC_STREAMS),
    };
    let permit = pool
        .clone()
        .try_acquire_owned()
        .map_err(|_| ApiError::new(Kind::Unavailable, format!("{limit} such event streams are open; retry later")))?;
    let rx = state.app.events().subscribe();
    // The permit lives as long as the stream.
    let stream = futures_util::stream::unfold((rx, permit, Vec::new()), move |(mut rx, permit, mut ours)| {
        let id = id.clone();
        async move {
            loop {
                let kind = match rx.recv().await {
                    Ok(event) if event.station_id == id && concerns(&event, connector, &mut ours) => {
                        json!({ "kind": event.kind.name(), "at": event.at })
                    }
                    Ok(_) => continue,
                    // Missed events may have been this connector's: re-read to be sure.
                    Err(RecvError::Lagged(_)) => json!({ "kind": "lagged", "at": Utc::now() }),
                    Err(RecvError::Closed) => return None,
                };
                let event = Event::default().event("changed").data(kind.to_string());
                return Some((Ok(event), (rx, permit, ours)));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
