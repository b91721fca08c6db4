//! Owners' pages ("my stations; request activation (the form); the state of my requests"): one page,
//! `/owner`, with the owner's stations and whether each is online, their activation requests with their state
//! (and a rejection's reason), and the activation form. The API decides what an owner sees (their own only).
//!
//! Sessions and energy ("Owner: … sessions and energy of my stations"): for a month chosen with a
//! month picker (`/owner?month=YYYY-MM`, the current month by default), the energy per station, the sessions
//! (drivers' tags masked by the API), and per station its 15-minute CSV for the month
//! (`/owner/stations/{id}/intervals.csv?month=YYYY-MM`, streamed from the API's intervals export, which
//! allows a station's owner).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;

use super::{FormError, Layout, checked_form, page, redirect};
use crate::client::{Ctx, PageError, Web};
use crate::session::{self, Form};

#[derive(Debug, Clone, Deserialize)]
pub struct MyStation {
    pub id: String,
    pub state: String,
    pub online: bool,
    pub out_of_service_since: Option<chrono::DateTime<chrono::Utc>>,
    pub vendor: Option<String>,
    pub model: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChargePoint {
    pub station_id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MyRequest {
    pub id: i64,
    pub customer_number: String,
    pub charge_points: Vec<ChargePoint>,
    pub state: String,
    pub reason: Option<String>,
    pub requested_at: chrono::DateTime<chrono::Utc>,
}

impl MyRequest {
    pub fn stations(&self) -> String {
        self.charge_points.iter().map(|c| c.station_id.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The form's values, kept when the API refuses them.
#[derive(Debug, Clone, Default)]
pub struct Entered {
    pub values: Vec<(String, String)>,
}

impl Entered {
    pub fn get(&self, name: &str) -> &str {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "owner.html")]
pub struct OwnerPage {
    pub layout: Layout,
    pub stations: Vec<MyStation>,
    pub requests: Vec<MyRequest>,
    pub entered: Entered,
    pub error: Option<FormError>,
    pub usage: Usage,
}

const FIELDS: [&str; 12] = [
    "customer_number",
    "number",
    "station_id",
    "connector_count",
    "installation_type",
    "network",
    "street",
    "house_number",
    "postal_code",
    "city",
    "country",
    "notes",
];

async fn show(
    web: &Web,
    ctx: &Ctx,
    month: Option<&str>,
    entered: Entered,
    error: Option<FormError>,
) -> Result<Response, PageError> {
    let me = web.me(ctx).await?;
    let account = me.account.ok_or_else(|| PageError::Forbidden("API tokens have no owner pages".into()))?;
    let stations: Vec<MyStation> = web.get(ctx, "/api/v1/me/stations").await?;
    let requests: Vec<MyRequest> = web.get(ctx, "/api/v1/activation-requests").await?;
    let usage = usage(web, ctx, month).await?;
    let layout = Layout::new(ctx, "My stations", Some(&account), "/owner");
    let status = if error.is_some() || usage.month_error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(page(ctx, status, OwnerPage { layout, stations, requests, entered, error, usage }.render()))
}

pub async fn home(State(web): State<Web>, ctx: Ctx, Query(q): Query<MonthQuery>) -> Result<Response, PageError> {
    show(&web, &ctx, q.month.as_deref(), Entered::default(), None).await
}

fn text(form: &Form, name: &str) -> serde_json::Value {
    form.opt(name).map(serde_json::Value::String).unwrap_or(serde_json::Value::Null)
}

/// The activation form, sent to `POST /api/v1/activation-requests` (one charge point per form here).
pub async fn request(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let entered = Entered { values: FIELDS.iter().map(|f| (f.to_string(), form.get(f).to_string())).collect() };
    let connectors = form.get("connector_count").trim().parse::<u32>().ok();
    let request = json!({
        "customer_number": form.get("customer_number").trim(),
        "charge_points": [{ "number": form.get("number").trim(), "station_id": form.get("station_id").trim(),
                            "connector_count": connectors.unwrap_or(1) }],
        "installation_type": form.get("installation_type"),
        "network": form.get("network"),
        "address": { "street": form.get("street").trim(), "house_number": text(&form, "house_number"),
                     "postal_code": text(&form, "postal_code"), "city": form.get("city").trim(),
                     "country": form.get("country").trim() },
        "notes": text(&form, "notes"),
    });
    let reply = web.call(&ctx, Method::POST, "/api/v1/activation-requests", Some(&request)).await;
    if !reply.ok() {
        if matches!(reply.status.as_u16(), 400 | 409) {
            let p = reply.problem();
            let detail = match &p.field {
                Some(f) => format!("{f}: {}", p.detail),
                None => p.detail,
            };
            let error = Some(FormError { form: "request".into(), field: p.field, detail });
            return show(&web, &ctx, None, entered, error).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/owner", Some("Your activation request is sent. The operator will review it.")))
}

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    pub month: Option<String>,
}

/// A calendar month: its `YYYY-MM` name and its first and last days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Month {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Month {
    /// `YYYY-MM` (what `<input type="month">` sends), or `None`.
    pub fn parse(s: &str) -> Option<Month> {
        let s = s.trim();
        if s.len() != 7 {
            return None;
        }
        let first = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()?;
        let last = first.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
        Some(Month { first, last })
    }

    /// The month of today (UTC).
    pub fn current() -> Month {
        let today = Utc::now().date_naive();
        let name = format!("{:04}-{:02}", today.year(), today.month());
        Month::parse(&name).unwrap_or(Month { first: today, last: today })
    }

    pub fn name(&self) -> String {
        self.first.format("%Y-%m").to_string()
    }
}

/// `/api/v1/me/energy`'s answer, the fields the page shows.
#[derive(Debug, Deserialize)]
struct EnergyReport {
    stations: Vec<StationEnergy>,
}

#[derive(Debug, Deserialize)]
struct StationEnergy {
    station_id: String,
    time_zone: String,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    sessions: u64,
    energy_wh: i64,
}

#[derive(Debug, Deserialize)]
struct CostView {
    total: String,
    currency: String,
}

/// One of `/api/v1/me/sessions`.
#[derive(Debug, Deserialize)]
struct OwnerSession {
    station_id: String,
    connector_id: u32,
    started_at: DateTime<Utc>,
    stopped_at: Option<DateTime<Utc>>,
    energy_wh: Option<i64>,
    cost: Option<CostView>,
    id_tag: String,
}

/// A station's line of the month.
#[derive(Debug, Clone)]
pub struct EnergyRow {
    pub station_id: String,
    pub time_zone: String,
    pub sessions: u64,
    pub kwh: String,
    pub csv_href: String,
}

/// A session's line.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub start: String,
    pub station_id: String,
    pub connector_id: u32,
    pub duration: String,
    pub kwh: String,
    pub cost: String,
    pub id_tag: String,
}

/// The "Sessions and energy" section.
#[derive(Debug, Clone)]
pub struct Usage {
    /// `YYYY-MM`, the picker's value.
    pub month: String,
    /// Why the month asked for was not taken (the current one is shown instead).
    pub month_error: Option<String>,
    pub stations: Vec<EnergyRow>,
    pub sessions: Vec<SessionRow>,
    /// The month has more sessions than the list shows.
    pub truncated: bool,
}

/// The most sessions the page lists (the API's largest page).
const LISTED: usize = 1000;

/// Wh as kWh with 2 decimals, rounded half up (energy is integer Wh; no floating point on the way).
pub fn kwh(wh: i64) -> String {
    let hundredths = (wh.max(0) + 5) / 10;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// "1 h 05 min", "12 min", or "running".
pub fn duration(start: DateTime<Utc>, stop: Option<DateTime<Utc>>) -> String {
    let Some(stop) = stop else { return "running".into() };
    let minutes = (stop - start).num_minutes().max(0);
    if minutes < 60 { format!("{minutes} min") } else { format!("{} h {:02} min", minutes / 60, minutes % 60) }
}

/// The month's energy per station and its sessions. Each station's month is its own local month (the API
/// says which UTC instants bound it), so a session is listed under the month its energy counts in.
async fn usage(web: &Web, ctx: &Ctx, asked: Option<&str>) -> Result<Usage, PageError> {
    let asked = asked.map(str::trim).filter(|m| !m.is_empty());
    let (month, month_error) = match asked.map(|m| (m, Month::parse(m))) {
        None => (Month::current(), None),
        Some((_, Some(m))) => (m, None),
        Some((m, None)) => (Month::current(), Some(format!("{m:?} is not a month; choose one as YYYY-MM"))),
    };
    let path = format!("/api/v1/me/energy?from={}&to={}", month.first, month.last);
    let energy: EnergyReport = web.get(ctx, &path).await?;
    let name = month.name();
    let stations: Vec<EnergyRow> = energy
        .stations
        .iter()
        .map(|s| EnergyRow {
            station_id: s.station_id.clone(),
            time_zone: s.time_zone.clone(),
            sessions: s.sessions,
            kwh: kwh(s.energy_wh),
            csv_href: format!("/owner/stations/{}/intervals.csv?month={name}", session::encode(&s.station_id)),
        })
        .collect();
    let (Some(since), Some(until)) =
        (energy.stations.iter().map(|s| s.since).min(), energy.stations.iter().map(|s| s.until).max())
    else {
        return Ok(Usage { month: name, month_error, stations, sessions: Vec::new(), truncated: false });
    };
    let path = format!(
        "/api/v1/me/sessions?since={}&until={}&limit={LISTED}",
        session::encode(&since.to_rfc3339()),
        session::encode(&until.to_rfc3339())
    );
    let listed: Vec<OwnerSession> = web.get(ctx, &path).await?;
    let truncated = listed.len() == LISTED;
    let in_month = |s: &OwnerSession| {
        energy
            .stations
            .iter()
            .any(|e| e.station_id == s.station_id && s.started_at >= e.since && s.started_at < e.until)
    };
    // Start times in the station's own zone, the one its energy days are counted in.
    let zone_of = |station: &str| {
        energy.stations.iter().find(|e| e.station_id == station).and_then(|e| e.time_zone.parse::<chrono_tz::Tz>().ok())
    };
    let sessions = listed
        .iter()
        .filter(|s| in_month(s))
        .map(|s| SessionRow {
            start: local_time(s.started_at, zone_of(&s.station_id)),
            station_id: s.station_id.clone(),
            connector_id: s.connector_id,
            duration: duration(s.started_at, s.stopped_at),
            kwh: s.energy_wh.map(kwh).unwrap_or_else(|| "—".into()),
            cost: match (&s.cost, s.stopped_at) {
                (Some(c), Some(_)) => format!("{} {}", c.total, c.currency),
                (Some(c), None) => format!("{} {} so far", c.total, c.currency),
                (None, None) => "running".into(),
                (None, Some(_)) => "not priced yet".into(),
            },
            id_tag: s.id_tag.clone(),
        })
        .collect();
    Ok(Usage { month: name, month_error, stations, sessions, truncated })
}

/// A station's 15-minute CSV for a month, streamed from `GET /api/v1/stations/{id}/intervals` (the API
/// checks that the station is the owner's; its days are the station's local days).
pub async fn intervals_csv(
    State(web): State<Web>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let month = q.month.as_deref().unwrap_or_default();
    let month = Month::parse(month)
        .ok_or_else(|| PageError::Failed(StatusCode::BAD_REQUEST, format!("{month:?} is not a month YYYY-MM")))?;
    let path = format!("/api/v1/stations/{}/intervals?from={}&to={}", session::encode(&id), month.first, month.last);
    // The file name keeps only the id's safe characters: it goes into a header.
    let safe: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    super::reports::download(&web, &ctx, &path, &format!("{safe}-{}-intervals.csv", month.name())).await
}

/// `2026-11-03 09:00 CET` in the station's zone, or UTC when it is unknown.
fn local_time(at: DateTime<Utc>, zone: Option<chrono_tz::Tz>) -> String {
    match zone {
        Some(tz) => at.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
        None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

#[cfg(test)]
mod usage_tests {
    use super::*;

    #[test]
    fn months_parse_with_their_last_day() {
        let m = Month::parse("2024-02").unwrap();
        assert_eq!((m.first.to_string(), m.last.to_string()), ("2024-02-01".into(), "2024-02-29".into()));
        assert_eq!(Month::parse("2026-12").unwrap().last.to_string(), "2026-12-31");
        for bad in ["2026-13", "2026-1", "2026-01-01", "", "soon"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn energy_and_durations_read_as_people_write_them() {
        assert_eq!(kwh(8000), "8.00");
        assert_eq!(kwh(3004), "3.00");
        assert_eq!(kwh(3005), "3.01");
        assert_eq!(kwh(12_345), "12.35");
        assert_eq!(kwh(0), "0.00");
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(duration(t("2026-11-03T08:00:00Z"), Some(t("2026-11-03T09:05:00Z"))), "1 h 05 min");
        assert_eq!(duration(t("2026-11-03T08:00:00Z"), Some(t("2026-11-03T08:12:30Z"))), "12 min");
        assert_eq!(duration(t("2026-11-03T08:00:00Z"), None), "running");
    }

    #[test]
    fn a_session_starts_at_the_stations_local_time() {
        let at = "2026-11-03T08:00:00Z".parse().unwrap();
        assert_eq!(local_time(at, "Europe/Zurich".parse().ok()), "2026-11-03 09:00 CET");
        assert_eq!(
            local_time("2026-07-03T08:00:00Z".parse().unwrap(), "Europe/Zurich".parse().ok()),
            "2026-07-03 10:00 CEST"
        );
        assert_eq!(local_time(at, None), "2026-11-03 08:00 UTC");
    }
}
