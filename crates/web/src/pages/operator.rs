//! The operator's pages under `/portal`: the dashboard, the station list, a station's page with its
//! commands, and the activation queue. Each reads and acts through the API, so a person sees and does
//! exactly what the API lets their role do for their operator (another operator's station is a 404 here
//! as there).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{FormError, Layout, checked_form, page, redirect};
use crate::client::{Ctx, PageError, Web};
use crate::session::{Form, encode};
use crate::views::{
    Account, ActivationRequest, Badge, Checklist, Command, Connector, Installation, Message, Power, Session,
    StationDetail, StationSummary, kw, kwh, station_status, when, when_opt,
};

/// At most this many stations get their connectors and power read for the dashboard and a list page (one
/// in-process API call each): bounded work per page view.
const DETAIL_LIMIT: usize = 200;
/// A power sample older than this is not counted as live.
const FRESH_POWER_SECS: f64 = 15.0 * 60.0;

/// The person behind the page: an account (API tokens have no portal).
async fn person(web: &Web, ctx: &Ctx) -> Result<Account, PageError> {
    web.me(ctx).await?.account.ok_or_else(|| PageError::Forbidden("the portal is for people; log in".into()))
}

fn pct(s: &str) -> String {
    encode(s)
}

/// A station's connectors and power, as pages show them.
#[derive(Debug, Clone)]
pub struct StationLive {
    pub status: Badge,
    pub connectors: Vec<Connector>,
    pub watts: Option<f64>,
}

/// The station's connectors (from its detail) and its live power (outlets' sum, else the main meter's).
async fn live(
    web: &Web,
    ctx: &Ctx,
    id: &str,
    online: bool,
) -> Result<(StationDetail, StationLive, Vec<Power>), PageError> {
    let detail: StationDetail = web.get(ctx, &format!("/api/v1/stations/{}", pct(id))).await?;
    let power: Vec<Power> = if online {
        web.get(ctx, &format!("/api/v1/stations/{}/power", pct(id))).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let connectors = detail.connectors.clone();
    let fresh: Vec<&Power> = power.iter().filter(|p| p.age_secs <= FRESH_POWER_SECS).collect();
    let outlets: Vec<f64> = fresh.iter().filter(|p| p.connector_id > 0).map(|p| p.watts).collect();
    let watts = if !outlets.is_empty() {
        Some(outlets.iter().sum())
    } else {
        fresh.iter().find(|p| p.connector_id == 0).map(|p| p.watts)
    };
    let status = station_status(detail.online, &connectors);
    Ok((detail, StationLive { status, connectors, watts }, power))
}

// ---------------------------------------------------------------------------------------------------------
// Dashboard

pub struct Alert {
    pub station: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub total: usize,
    pub online: usize,
    pub offline: usize,
    pub charging: usize,
    pub faulted: usize,
    pub power: String,
    pub sessions_today: usize,
    /// The operator's time zone, whose day "today" is.
    pub zone: String,
    pub energy_today: String,
    pub active_sessions: usize,
    pub queue: usize,
    pub overdue: usize,
    pub alerts: Vec<Alert>,
    pub partial: bool,
}

#[derive(Debug, Deserialize)]
pub struct DashboardQuery {
    /// A platform admin choosing the operator to act for.
    operator: Option<String>,
}

/// The start of `now`'s day in `zone`, as an instant (a day starting in a daylight-saving gap starts at the
/// gap's end).
fn local_midnight(zone: chrono_tz::Tz, now: chrono::DateTime<Utc>) -> chrono::DateTime<Utc> {
    use chrono::TimeZone;
    let day = now.with_timezone(&zone).date_naive();
    let start = (0..3).find_map(|h| zone.from_local_datetime(&day.and_hms_opt(h, 0, 0)?).earliest());
    start.map_or(now, |t| t.with_timezone(&Utc))
}

pub async fn dashboard(
    State(web): State<Web>,
    ctx: Ctx,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    if let Some(operator) = q.operator {
        let operator = operator.trim();
        if operator.is_empty() || !operator.bytes().all(|b| b.is_ascii_digit()) || operator.len() > 18 {
            return Err(PageError::ChooseOperator(format!("{operator:?} is not an operator id (a number)")));
        }
        // The API checks that the operator exists and that this person may act for it, on every call.
        let mut response = redirect(&ctx, "/portal", None);
        let cookie = crate::session::cookie(crate::session::OPERATOR_COOKIE, operator, 12 * 3600, ctx.secure);
        response.headers_mut().append(header::SET_COOKIE, cookie);
        return Ok(response);
    }
    let account = person(&web, &ctx).await?;
    let stations: Vec<StationSummary> = web.get(&ctx, "/api/v1/stations?limit=1000").await?;
    let online = stations.iter().filter(|s| s.online).count();
    let (mut charging, mut faulted, mut watts) = (0, 0, 0.0);
    let mut alerts = Vec::new();
    for s in stations.iter().filter(|s| s.online).take(DETAIL_LIMIT) {
        let (detail, live, _) = live(&web, &ctx, &s.id, true).await?;
        if live.connectors.iter().any(Connector::is_charging) {
            charging += 1;
        }
        if live.connectors.iter().any(Connector::is_faulted) {
            faulted += 1;
        }
        watts += live.watts.unwrap_or(0.0);
        for c in detail.connectors.iter().filter(|c| c.is_faulted()) {
            let info = c.info.as_deref().map(|i| format!(" ({i})")).unwrap_or_default();
            alerts.push(Alert {
                station: s.id.clone(),
                text: format!("connector {} is faulted: {}{info}", c.connector_id, c.error_code),
            });
        }
    }
    for s in &stations {
        if let Some(since) = &s.out_of_service_since {
            alerts
                .push(Alert { station: s.id.clone(), text: format!("out of service (silent since {})", when(since)) });
        } else if !s.online && matches!(s.state.as_str(), "active" | "verified") {
            alerts.push(Alert { station: s.id.clone(), text: "offline".into() });
        }
    }
    // "Today" is the operator's day (its billing time zone, which also labels reports), not UTC's.
    let op = super::operator_of(&ctx, &account)?;
    let billing: Value = web.get(&ctx, &format!("/api/v1/operators/{op}/billing")).await?;
    let zone: chrono_tz::Tz = billing["time_zone"].as_str().and_then(|z| z.parse().ok()).unwrap_or(chrono_tz::UTC);
    let today = local_midnight(zone, Utc::now()).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let sessions: Vec<Session> =
        web.get(&ctx, &format!("/api/v1/sessions?since={}&limit=1000", encode(&today))).await?;
    let active: Vec<Session> = web.get(&ctx, "/api/v1/sessions?active=true&limit=1000").await?;
    let mut queue: Vec<ActivationRequest> =
        web.get(&ctx, "/api/v1/activation-requests?state=requested&limit=1000").await?;
    queue.extend(
        web.get::<Vec<ActivationRequest>>(&ctx, "/api/v1/activation-requests?state=in-review&limit=1000").await?,
    );
    let page_data = DashboardPage {
        layout: Layout::new(&ctx, "Dashboard", Some(&account), "/portal"),
        total: stations.len(),
        online,
        offline: stations.len() - online,
        charging,
        faulted,
        power: kw(watts),
        sessions_today: sessions.len(),
        zone: zone.name().to_string(),
        energy_today: kwh(sessions.iter().filter_map(|s| s.energy_wh).sum()),
        active_sessions: active.len(),
        queue: queue.len(),
        overdue: queue.iter().filter(|r| r.overdue).count(),
        alerts,
        partial: online > DETAIL_LIMIT,
    };
    Ok(page(&ctx, StatusCode::OK, page_data.render()))
}

// ---------------------------------------------------------------------------------------------------------
// Station list

pub struct StationRow {
    pub id: String,
    pub href: String,
    pub state: String,
    pub status: String,
    pub class: &'static str,
    pub connectors: String,
    pub vendor_model: String,
    pub firmware: String,
    pub heartbeat: String,
    pub power: String,
}

#[derive(Template)]
#[template(path = "stations.html")]
pub struct StationsPage {
    pub layout: Layout,
    pub rows: Vec<StationRow>,
    pub q: String,
    pub state: String,
    pub online: String,
    pub next: Option<String>,
}

impl StationsPage {
    pub fn states(&self) -> &'static [&'static str] {
        &["pending", "requested", "active", "verified", "suspended", "rejected", "handed-over"]
    }
}

#[derive(Debug, Deserialize)]
pub struct StationsQuery {
    q: Option<String>,
    state: Option<String>,
    online: Option<String>,
    after: Option<String>,
}

/// Stations per list page.
const PAGE: usize = 100;

pub async fn stations(State(web): State<Web>, ctx: Ctx, Query(q): Query<StationsQuery>) -> Result<Response, PageError> {
    let account = person(&web, &ctx).await?;
    let search = q.q.unwrap_or_default().trim().to_string();
    let state = q.state.unwrap_or_default();
    let online = q.online.unwrap_or_default();
    let mut path = format!("/api/v1/stations?limit={}", if search.is_empty() { PAGE } else { 1000 });
    if !state.is_empty() {
        path.push_str(&format!("&state={}", encode(&state)));
    }
    if online == "true" || online == "false" {
        path.push_str(&format!("&online={online}"));
    }
    if let Some(after) = q.after.as_deref().filter(|a| !a.is_empty()) {
        path.push_str(&format!("&after={}", encode(after)));
    }
    let listed: Vec<StationSummary> = web.get(&ctx, &path).await?;
    let full = search.is_empty() && listed.len() == PAGE;
    let needle = search.to_lowercase();
    let matching: Vec<&StationSummary> = listed
        .iter()
        .filter(|s| {
            needle.is_empty()
                || [Some(&s.id), s.vendor.as_ref(), s.model.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|v| v.to_lowercase().contains(&needle))
        })
        .take(DETAIL_LIMIT)
        .collect();
    let mut rows = Vec::with_capacity(matching.len());
    for s in matching {
        let (_, live, _) = live(&web, &ctx, &s.id, s.online).await?;
        rows.push(StationRow {
            id: s.id.clone(),
            href: format!("/portal/stations/{}", pct(&s.id)),
            state: s.state.clone(),
            class: live.status.class,
            status: live.status.text.clone(),
            connectors: connectors_attr(&live.connectors),
            vendor_model: [s.vendor.clone(), s.model.clone()].into_iter().flatten().collect::<Vec<_>>().join(" "),
            firmware: s.firmware_version.clone().unwrap_or_default(),
            heartbeat: when_opt(&s.last_heartbeat_at),
            power: live.watts.map(kw).unwrap_or_else(|| "—".into()),
        });
    }
    let next = full.then(|| {
        let last = listed.last().map(|s| s.id.clone()).unwrap_or_default();
        format!("/portal/stations?state={}&online={}&after={}", encode(&state), encode(&online), encode(&last))
    });
    let page_data = StationsPage {
        layout: Layout::new(&ctx, "Stations", Some(&account), "/portal/stations"),
        rows,
        q: search,
        state,
        online,
        next,
    };
    Ok(page(&ctx, StatusCode::OK, page_data.render()))
}

/// `{"1":{"status":"Charging","state":"Occupied","charging_state":"Charging"}}`: the connectors the page's
/// script recomputes a station's badge from, as `views::station_status` does (the reported status shown,
/// the state decided on).
fn connectors_attr(connectors: &[Connector]) -> String {
    let map: serde_json::Map<String, Value> = connectors
        .iter()
        .map(|c| {
            let one = serde_json::json!({ "status": c.status, "state": c.state, "charging_state": c.charging_state });
            (c.connector_id.to_string(), one)
        })
        .collect();
    Value::Object(map).to_string()
}

// ---------------------------------------------------------------------------------------------------------
// Station page

pub struct ConnectorRow {
    pub id: u32,
    pub status: String,
    pub class: &'static str,
    pub error: String,
    pub since: String,
    pub power: String,
}

pub struct CommandRow {
    pub at: String,
    pub action: String,
    pub payload: String,
    pub by: String,
    pub outcome: String,
    pub answer: String,
}

pub struct MessageRow {
    pub at: String,
    pub direction: String,
    pub action: String,
    pub frame: String,
}

pub struct SessionRow {
    pub id: i64,
    pub connector: u32,
    pub id_tag: String,
    pub state: String,
    pub started: String,
    pub stopped: String,
    pub energy: String,
    pub active: bool,
}

pub struct ConfigRow {
    pub key: String,
    pub value: String,
    pub readonly: bool,
}

#[derive(Template)]
#[template(path = "station.html")]
pub struct StationPage {
    pub layout: Layout,
    pub id: String,
    pub href: String,
    pub station: StationDetail,
    pub status: String,
    pub class: &'static str,
    pub connectors_attr: String,
    pub connectors: Vec<ConnectorRow>,
    pub power: String,
    pub checklist: Option<Checklist>,
    pub config: Vec<ConfigRow>,
    pub commands: Vec<CommandRow>,
    pub messages: Vec<MessageRow>,
    pub sessions: Vec<SessionRow>,
    pub installation: Option<Installation>,
    /// The trigger form's choices (see [`TRIGGER_MESSAGES`]).
    pub triggers: &'static [(&'static str, &'static str)],
    pub error: Option<FormError>,
    pub values: Form,
}

/// The messages the trigger form offers, as (value, label): the values are the API's `message` values for
/// `POST /api/v1/stations/{id}/trigger`, sent as they are; the labels are what people read. The first is
/// the form's default.
pub const TRIGGER_MESSAGES: &[(&str, &str)] = &[
    ("StatusNotification", "Status of the connectors"),
    ("BootNotification", "Boot notification"),
    ("Heartbeat", "Heartbeat"),
    ("MeterValues", "Meter values"),
    ("DiagnosticsStatusNotification", "Status of the diagnostics upload"),
    ("FirmwareStatusNotification", "Status of the firmware update"),
];

impl StationPage {
    /// The trigger form's default choice.
    pub fn default_trigger(&self) -> &'static str {
        self.triggers.first().map_or("", |(value, _)| value)
    }

    /// The error of form `form` (shown atop it when it names no field of it).
    pub fn form_error(&self, form: &str) -> Option<&str> {
        self.error.as_ref().and_then(|e| e.of(form)).map(|e| e.detail.as_str())
    }

    /// Whether the last attempt of `form` failed on `field` (to mark the input invalid).
    pub fn bad(&self, form: &str, field: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.on(form, field))
    }

    /// What was entered in `form`'s `field` on a failed attempt, else `default`.
    pub fn value<'a>(&'a self, form: &str, field: &str, default: &'a str) -> &'a str {
        match &self.error {
            Some(e) if e.form == form => self.values.get(field),
            _ => default,
        }
    }

    /// Whether `option` is the one to show selected in `form`'s `field`.
    pub fn chosen(&self, form: &str, field: &str, default: &str, option: &str) -> bool {
        self.value(form, field, default) == option
    }

    pub fn boot_rows(&self) -> Vec<(&'static str, String)> {
        let Some(b) = &self.station.boot else { return Vec::new() };
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        vec![
            ("Vendor", b.vendor.clone()),
            ("Model", b.model.clone()),
            ("Serial number", opt(&b.serial_number)),
            ("Charge box serial number", opt(&b.charge_box_serial_number)),
            ("Firmware", opt(&b.firmware_version)),
            ("ICCID", opt(&b.iccid)),
            ("IMSI", opt(&b.imsi)),
            ("Meter type", opt(&b.meter_type)),
            ("Meter serial number", opt(&b.meter_serial_number)),
            ("Booted", when_opt(&b.booted_at)),
        ]
    }

    pub fn connection_rows(&self) -> Vec<(&'static str, String)> {
        let s = &self.station;
        vec![
            ("State", s.state.clone()),
            ("Connected", if s.online { "yes".into() } else { "no".into() }),
            ("Connected at", when_opt(&s.connected_at)),
            ("Disconnected at", when_opt(&s.disconnected_at)),
            ("Last heartbeat", when_opt(&s.last_heartbeat_at)),
            ("Free vend", if s.free_vend { "yes".into() } else { "no".into() }),
            ("Out of service since", when_opt(&s.out_of_service_since)),
        ]
    }
}

async fn station_page(
    web: &Web,
    ctx: &Ctx,
    id: &str,
    error: Option<FormError>,
    values: Form,
) -> Result<(Account, StationPage), PageError> {
    let account = person(web, ctx).await?;
    let sid = pct(id);
    let (station, live, power) = live(web, ctx, id, true).await?;
    let checklist = web.get::<Checklist>(ctx, &format!("/api/v1/stations/{sid}/verification")).await.ok();
    let commands: Vec<Command> = web.get(ctx, &format!("/api/v1/stations/{sid}/commands?limit=20")).await?;
    let since = (Utc::now() - chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let messages: Vec<Message> =
        web.get(ctx, &format!("/api/v1/stations/{sid}/messages?since={}&limit=200", encode(&since))).await?;
    let sessions: Vec<Session> = web.get(ctx, &format!("/api/v1/sessions?station={sid}&limit=20")).await?;
    let installation = web.get::<Installation>(ctx, &format!("/api/v1/stations/{sid}/installation")).await.ok();
    let power_of =
        |c: u32| power.iter().find(|p| p.connector_id == c && p.age_secs <= FRESH_POWER_SECS).map(|p| kw(p.watts));
    let connectors = station
        .connectors
        .iter()
        .map(|c| ConnectorRow {
            id: c.connector_id,
            class: Badge::of(c).class,
            status: c.status.clone(),
            error: if c.error_code == "NoError" { String::new() } else { c.error_code.clone() },
            since: when(&c.status_at),
            power: power_of(c.connector_id).unwrap_or_else(|| "—".into()),
        })
        .collect();
    let page_data = StationPage {
        layout: Layout::new(ctx, format!("Station {id}"), Some(&account), "/portal/stations"),
        id: id.to_string(),
        href: format!("/portal/stations/{sid}"),
        status: live.status.text.clone(),
        class: live.status.class,
        connectors_attr: connectors_attr(&live.connectors),
        connectors,
        power: live.watts.map(kw).unwrap_or_else(|| "—".into()),
        checklist,
        config: station
            .configuration
            .iter()
            .map(|k| ConfigRow { key: k.key.clone(), value: k.value.clone().unwrap_or_default(), readonly: k.readonly })
            .collect(),
        commands: commands
            .into_iter()
            .map(|c| CommandRow {
                at: when(&c.requested_at),
                action: c.action,
                payload: compact(&c.payload),
                by: c.requested_by,
                outcome: c.outcome,
                answer: c.answer.as_ref().map(compact).or(c.error).unwrap_or_default(),
            })
            .collect(),
        messages: messages
            .into_iter()
            .rev()
            .map(|m| MessageRow {
                at: m.at.format("%H:%M:%S").to_string(),
                direction: if m.direction == "in" { "station → Joule".into() } else { "Joule → station".into() },
                action: m.action.unwrap_or_default(),
                frame: m.frame,
            })
            .collect(),
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                id: s.transaction_id,
                connector: s.connector_id,
                id_tag: s.id_tag,
                active: s.state == "active",
                state: s.state,
                started: when(&s.started_at),
                stopped: when_opt(&s.stopped_at),
                energy: s.energy_wh.map(kwh).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        installation,
        triggers: TRIGGER_MESSAGES,
        station,
        error,
        values,
    };
    Ok((account, page_data))
}

fn compact(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub async fn station(State(web): State<Web>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let (_, page_data) = station_page(&web, &ctx, &id, None, Form::default()).await?;
    Ok(page(&ctx, StatusCode::OK, page_data.render()))
}

/// The installation photo, fetched from the API with the person's session.
pub async fn photo(State(web): State<Web>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let reply = web.call(&ctx, Method::GET, &format!("/api/v1/stations/{}/installation/photo", pct(&id)), None).await;
    if !reply.ok() {
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let content_type = reply.headers.get(header::CONTENT_TYPE).cloned();
    let mut response = reply.body.into_response();
    if let Some(ct) = content_type {
        response.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    station: Option<String>,
}

/// The API's live event stream (server-sent events), streamed through with the person's session.
pub async fn events(State(web): State<Web>, ctx: Ctx, Query(q): Query<EventsQuery>) -> Response {
    let path = match q.station.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => format!("/api/v1/events?station={}", encode(s)),
        None => "/api/v1/events".to_string(),
    };
    web.send(&ctx, Method::GET, &path, None).await
}

/// A whole number from a form field, or the error that names it.
fn number(form: &Form, field: &str, required: bool) -> Result<Option<i64>, (String, String)> {
    match form.opt(field) {
        None if required => Err((field.to_string(), "enter a number".into())),
        None => Ok(None),
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| (field.to_string(), format!("{v:?} is not a whole number"))),
    }
}

/// What a station form asks of the API: method, path and body.
fn station_request(sid: &str, action: &str, form: &Form) -> Result<(Method, String, Value), (String, String)> {
    let base = format!("/api/v1/stations/{sid}");
    Ok(match action {
        "reset" => {
            (Method::POST, format!("{base}/reset"), json!({ "type": form.opt("type").unwrap_or("Soft".into()) }))
        }
        "unlock" => {
            (Method::POST, format!("{base}/unlock"), json!({ "connector_id": number(form, "connector_id", true)? }))
        }
        "trigger" => {
            let mut body = json!({ "message": form.get("message") });
            if let Some(c) = number(form, "connector_id", false)? {
                body["connector_id"] = json!(c);
            }
            (Method::POST, format!("{base}/trigger"), body)
        }
        "availability" => {
            let body =
                json!({ "connector_id": number(form, "connector_id", false)?.unwrap_or(0), "type": form.get("type") });
            (Method::POST, format!("{base}/availability"), body)
        }
        "remote-start" => {
            if form.get("id_tag").trim().is_empty() {
                return Err(("id_tag".into(), "enter the id tag to start the session for".into()));
            }
            // Not waiting for the session: it shows up live once the station starts it.
            let mut body = json!({ "id_tag": form.get("id_tag").trim(), "wait_for_start_secs": 0 });
            if let Some(c) = number(form, "connector_id", false)? {
                body["connector_id"] = json!(c);
            }
            (Method::POST, format!("{base}/remote-start"), body)
        }
        "remote-stop" => {
            let body = json!({ "transaction_id": number(form, "transaction_id", true)? });
            (Method::POST, format!("{base}/remote-stop"), body)
        }
        "configuration" => {
            let key = form.get("key");
            if key.trim().is_empty() {
                return Err(("key".into(), "enter a configuration key".into()));
            }
            (Method::PUT, format!("{base}/configuration/{}", encode(key)), json!({ "value": form.get("value") }))
        }
        "refresh-configuration" => (Method::POST, format!("{base}/configuration/refresh"), json!({})),
        "apply-defaults" => (Method::POST, format!("{base}/defaults/apply"), json!({})),
        "verify" => (Method::POST, format!("{base}/verify"), json!({})),
        _ => return Err((String::new(), format!("there is no station action {action:?}"))),
    })
}

/// "Default configuration: 3 keys; HeartbeatInterval Accepted, MeterValueSampleInterval Rejected, …".
fn defaults_summary(answer: &Value) -> String {
    let results = answer.as_array().map(Vec::as_slice).unwrap_or_default();
    if results.is_empty() {
        return "The operator has no default configuration (Settings).".into();
    }
    let each: Vec<String> = results
        .iter()
        .map(|r| format!("{} {}", r["key"].as_str().unwrap_or("?"), r["result"].as_str().unwrap_or("?")))
        .collect();
    format!("Default configuration: {} keys; {}.", results.len(), each.join(", "))
}

fn action_name(action: &str) -> &'static str {
    match action {
        "reset" => "Reset the station",
        "unlock" => "Unlock",
        "trigger" => "Trigger message",
        "availability" => "Change availability",
        "remote-start" => "Remote start",
        "remote-stop" => "Remote stop",
        "configuration" => "Change configuration",
        "refresh-configuration" => "Read configuration",
        "apply-defaults" => "Apply the default configuration",
        "verify" => "Verify",
        _ => "Action",
    }
}

/// A station form's POST: the API call it stands for, then back to the station page with the station's
/// answer, or the page again with the problem next to the field it names and the entered values kept.
pub async fn station_action(
    State(web): State<Web>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let sid = pct(&id);
    let failed = |status: StatusCode, field: Option<String>, detail: String, form: Form| {
        let web = web.clone();
        let ctx = ctx.clone();
        let id = id.clone();
        let action = action.clone();
        async move {
            let error = FormError { form: action, field: field.filter(|f| !f.is_empty()), detail };
            let (_, page_data) = station_page(&web, &ctx, &id, Some(error), form).await?;
            Ok::<Response, PageError>(page(&ctx, status, page_data.render()))
        }
    };
    let (method, path, request) = match station_request(&sid, &action, &form) {
        Ok(r) => r,
        Err((field, detail)) if field.is_empty() => return Err(PageError::NotFound(detail)),
        Err((field, detail)) => return failed(StatusCode::BAD_REQUEST, Some(field), detail, form).await,
    };
    let reply = web.call(&ctx, method, &path, Some(&request)).await;
    if !reply.ok() {
        if matches!(reply.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
            return Err(PageError::from_reply(&reply).at(&ctx));
        }
        let problem = reply.problem();
        return failed(reply.status, problem.field, problem.detail, form).await;
    }
    let answer: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
    let status = answer["answer"]["status"].as_str().or(answer["status"].as_str()).map(str::to_string);
    let message = match (action.as_str(), status) {
        ("refresh-configuration", _) => "The configuration was read from the station.".to_string(),
        ("verify", _) => format!("Station {id} is verified."),
        ("apply-defaults", _) => defaults_summary(&answer),
        (_, Some(status)) => format!("{}: the station answered {status}.", action_name(&action)),
        (_, None) => format!("{}: done.", action_name(&action)),
    };
    let href = format!("/portal/stations/{sid}");
    Ok(redirect(&ctx, &href, Some(&message)))
}

// ---------------------------------------------------------------------------------------------------------
// Activation queue

pub struct RequestRow {
    pub request: ActivationRequest,
    pub stations: String,
    pub address: String,
    pub requested: String,
}

#[derive(Template)]
#[template(path = "activations.html")]
pub struct ActivationsPage {
    pub layout: Layout,
    pub rows: Vec<RequestRow>,
    pub error: Option<FormError>,
    pub values: Form,
}

impl ActivationsPage {
    pub fn form_error(&self, form: &str) -> Option<&str> {
        self.error.as_ref().and_then(|e| e.of(form)).map(|e| e.detail.as_str())
    }

    pub fn reason(&self, form: &str) -> &str {
        match &self.error {
            Some(e) if e.form == form => self.values.get("reason"),
            _ => "",
        }
    }
}

async fn activations_page(
    web: &Web,
    ctx: &Ctx,
    error: Option<FormError>,
    values: Form,
) -> Result<ActivationsPage, PageError> {
    let account = person(web, ctx).await?;
    let mut requests: Vec<ActivationRequest> =
        web.get(ctx, "/api/v1/activation-requests?state=requested&limit=1000").await?;
    requests.extend(
        web.get::<Vec<ActivationRequest>>(ctx, "/api/v1/activation-requests?state=in-review&limit=1000").await?,
    );
    requests.sort_by_key(|r| (r.requested_at, r.id));
    let rows = requests
        .into_iter()
        .map(|r| RequestRow {
            stations: r
                .charge_points
                .iter()
                .map(|c| {
                    format!(
                        "{} ({} connector{})",
                        c.station_id,
                        c.connectors.len(),
                        if c.connectors.len() == 1 { "" } else { "s" }
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
            address: r.address.line(),
            requested: when(&r.requested_at),
            request: r,
        })
        .collect();
    Ok(ActivationsPage {
        layout: Layout::new(ctx, "Activation requests", Some(&account), "/portal/activations"),
        rows,
        error,
        values,
    })
}

pub async fn activations(State(web): State<Web>, ctx: Ctx) -> Result<Response, PageError> {
    let page_data = activations_page(&web, &ctx, None, Form::default()).await?;
    Ok(page(&ctx, StatusCode::OK, page_data.render()))
}

/// Approve (a request still waiting is taken into review first: the person approving it has reviewed it)
/// or reject with a reason.
pub async fn activation_action(
    State(web): State<Web>,
    ctx: Ctx,
    Path((id, action)): Path<(i64, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let base = format!("/api/v1/activation-requests/{id}");
    let reply = match action.as_str() {
        "approve" => {
            if form.get("state") == "requested" {
                let review = web.call(&ctx, Method::POST, &format!("{base}/review"), Some(&json!({}))).await;
                // 409: someone took it into review meanwhile, which is what approving needs anyway.
                if !review.ok() && review.status != StatusCode::CONFLICT {
                    return rerender(&web, &ctx, &review, format!("approve-{id}"), form).await;
                }
            }
            web.call(&ctx, Method::POST, &format!("{base}/approve"), Some(&json!({}))).await
        }
        "reject" => {
            let body = json!({ "reason": form.get("reason") });
            web.call(&ctx, Method::POST, &format!("{base}/reject"), Some(&body)).await
        }
        other => return Err(PageError::NotFound(format!("there is no activation action {other:?}"))),
    };
    if !reply.ok() {
        return rerender(&web, &ctx, &reply, format!("{action}-{id}"), form).await;
    }
    let message = if action == "approve" {
        format!("Activation request {id} is approved; its stations are active.")
    } else {
        format!("Activation request {id} is rejected; the owner is told why.")
    };
    Ok(redirect(&ctx, "/portal/activations", Some(&message)))
}

async fn rerender(
    web: &Web,
    ctx: &Ctx,
    reply: &crate::client::Reply,
    form_name: String,
    form: Form,
) -> Result<Response, PageError> {
    if matches!(reply.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        return Err(PageError::from_reply(reply).at(ctx));
    }
    let problem = reply.problem();
    let error = FormError { form: form_name, field: problem.field, detail: problem.detail };
    let page_data = activations_page(web, ctx, Some(error), form).await?;
    Ok(page(ctx, reply.status, page_data.render()))
}

#[cfg(test)]
mod tests {
    use super::local_midnight;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn today_starts_at_the_operators_midnight() {
        let zurich: chrono_tz::Tz = "Europe/Zurich".parse().unwrap();
        // 00:30 in Zurich on the 22nd is still the 21st in UTC.
        assert_eq!(local_midnight(zurich, at("2026-11-21T23:30:00Z")), at("2026-11-21T23:00:00Z"));
        assert_eq!(local_midnight(zurich, at("2026-11-21T22:30:00Z")), at("2026-11-20T23:00:00Z"));
        assert_eq!(local_midnight(chrono_tz::UTC, at("2026-11-21T22:30:00Z")), at("2026-11-21T00:00:00Z"));
        // A summer day: UTC+2.
        assert_eq!(local_midnight(zurich, at("2026-07-01T12:00:00Z")), at("2026-06-30T22:00:00Z"));
        // Santiago skips 00:00-01:00 on 2026-09-06: the day starts at 01:00 local (04:00 UTC).
        let santiago: chrono_tz::Tz = "America/Santiago".parse().unwrap();
        assert_eq!(local_midnight(santiago, at("2026-09-06T12:00:00Z")), at("2026-09-06T04:00:00Z"));
    }
}
