//! Drivers' pages: the public page of a connector, `/c/{station}/{connector}` (what the QR code on
//! a station opens), with the station's place, directions, status and the price that applies; for a signed-in
//! driver who may charge there, "Start charging", the running session (energy, power, cost so far, re-read
//! every few seconds) and "Stop charging", then the session's cost.
//!
//! Everything comes from the API's drivers' endpoints (`/api/v1/public/connectors/…`, `/api/v1/me/charging`),
//! which decide who may do what; the page only shows and asks.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::{Layout, checked_form, page, redirect};
use crate::client::{Ctx, PageError, Web};
use crate::session;
use crate::views::Account;

#[derive(Debug, Clone, Deserialize)]
pub struct Place {
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub parking_spot: Option<String>,
    pub directions: Option<String>,
    pub has_photo: bool,
}

impl Place {
    pub fn address(&self) -> String {
        let street = [self.street.as_deref(), self.house_number.as_deref()].into_iter().flatten().collect::<Vec<_>>();
        let city = [self.postal_code.as_deref(), self.city.as_deref()].into_iter().flatten().collect::<Vec<_>>();
        [street.join(" "), city.join(" "), self.country.clone().unwrap_or_default()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A link that opens the directions in the phone's map (OpenStreetMap works everywhere).
    pub fn map_link(&self) -> Option<String> {
        match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => {
                Some(format!("https://www.openstreetmap.org/?mlat={lat:.6}&mlon={lon:.6}#map=18/{lat:.6}/{lon:.6}"))
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Tariff {
    pub name: String,
    #[serde(default)]
    pub description: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Price {
    pub currency: String,
    pub tariffs: Vec<Tariff>,
    pub free_below_wh: u32,
    pub free_below_secs: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Cost {
    pub total: String,
    pub currency: String,
    pub free_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Live {
    pub transaction_id: i64,
    pub station_id: String,
    pub connector_id: u32,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub energy_wh: i64,
    pub power_w: Option<f64>,
    pub cost: Option<Cost>,
}

impl Live {
    pub fn energy_kwh(&self) -> String {
        format!("{:.2}", self.energy_wh as f64 / 1000.0)
    }

    pub fn power_kw(&self) -> String {
        self.power_w.map(|w| format!("{:.1} kW", w / 1000.0)).unwrap_or_else(|| "–".into())
    }

    pub fn cost_text(&self) -> String {
        match &self.cost {
            Some(c) if c.free_reason.is_some() => format!("free ({})", c.free_reason.as_deref().unwrap_or_default()),
            Some(c) => format!("{} {}", c.total, c.currency),
            None => "being calculated…".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct You {
    pub may_start: bool,
    pub reason: String,
    pub id_tag: Option<String>,
    pub session: Option<Live>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConnectorView {
    pub station_id: String,
    pub connector_id: u32,
    /// As reported, or `Offline` / `Unknown`: what people see.
    pub status: String,
    /// The shared state the page decides on (Available, Occupied, ...); none when offline or never reported.
    #[serde(default)]
    pub state: Option<String>,
    pub private: bool,
    pub place: Option<Place>,
    pub time_zone: String,
    pub price: Option<Price>,
    pub you: Option<You>,
}

impl ConnectorView {
    pub fn path(&self) -> String {
        path_of(&self.station_id, self.connector_id)
    }

    pub fn photo_path(&self) -> String {
        format!("/c/{}/photo", session::encode(&self.station_id))
    }

    pub fn status_class(&self) -> &'static str {
        self.state.as_deref().map_or("off", crate::views::state_class)
    }
}

#[derive(Debug, Deserialize)]
struct MyCharging {
    recent: Vec<Live>,
}

#[derive(Template)]
#[template(path = "connector.html")]
pub struct ConnectorPage {
    pub layout: Layout,
    pub c: ConnectorView,
    /// The person's latest completed session here, with its cost (after "Stop charging").
    pub last: Option<Live>,
    pub error: Option<String>,
}

fn path_of(station: &str, connector: u32) -> String {
    format!("/c/{}/{connector}", session::encode(station))
}

async fn person(web: &Web, ctx: &Ctx) -> Option<Account> {
    ctx.secret.as_ref()?;
    web.me(ctx).await.ok().and_then(|m| m.account)
}

async fn render(
    web: &Web,
    ctx: &Ctx,
    station: &str,
    connector: u32,
    error: Option<String>,
) -> Result<Response, PageError> {
    let api = format!("/api/v1/public/connectors/{}/{connector}", session::encode(station));
    let c: ConnectorView = web.get(ctx, &api).await?;
    let person = person(web, ctx).await;
    let last = if person.is_some() && c.you.as_ref().is_some_and(|y| y.session.is_none()) {
        let mine: Option<MyCharging> = web.get(ctx, "/api/v1/me/charging").await.ok();
        mine.and_then(|m| {
            m.recent.into_iter().find(|s| s.station_id == c.station_id && s.connector_id == c.connector_id)
        })
    } else {
        None
    };
    let here = path_of(station, connector);
    let title = format!("{} · connector {}", c.station_id, c.connector_id);
    let layout = Layout::new(ctx, title, person.as_ref(), &here);
    let status = if error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok(page(ctx, status, ConnectorPage { layout, c, last, error }.render()))
}

/// The connector's page, for anyone; more for a signed-in driver.
pub async fn connector(
    State(web): State<Web>,
    ctx: Ctx,
    Path((station, connector)): Path<(String, u32)>,
) -> Result<Response, PageError> {
    render(&web, &ctx, &station, connector, None).await
}

/// "Start charging": a remote start as the signed-in person's driver.
pub async fn start(
    State(web): State<Web>,
    ctx: Ctx,
    Path((station, connector)): Path<(String, u32)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let here = path_of(&station, connector);
    if ctx.secret.is_none() {
        return Err(PageError::Login { next: here });
    }
    checked_form(&ctx, &body)?;
    let request = json!({ "station_id": station, "connector_id": connector });
    let reply = web.call(&ctx, Method::POST, "/api/v1/me/charging", Some(&request)).await;
    if !reply.ok() {
        if reply.status == StatusCode::CONFLICT || reply.status == StatusCode::BAD_REQUEST {
            return render(&web, &ctx, &station, connector, Some(reply.problem().detail)).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let answer: serde_json::Value = reply.json()?;
    let message = match answer["status"].as_str() {
        Some("Accepted") if answer["transaction_id"].is_i64() => "Charging started.".to_string(),
        Some("Accepted") => "The station accepted: plug in your car to start charging.".to_string(),
        other => {
            format!("The station did not start ({}). Try again, or ask the operator.", other.unwrap_or("no answer"))
        }
    };
    Ok(redirect(&ctx, &here, Some(&message)))
}

/// "Stop charging": a remote stop of the person's session.
pub async fn stop(
    State(web): State<Web>,
    ctx: Ctx,
    Path((station, connector, transaction)): Path<(String, u32, i64)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let here = path_of(&station, connector);
    if ctx.secret.is_none() {
        return Err(PageError::Login { next: here });
    }
    checked_form(&ctx, &body)?;
    let reply = web.call(&ctx, Method::POST, &format!("/api/v1/me/charging/{transaction}/stop"), None).await;
    if !reply.ok() {
        if reply.status == StatusCode::CONFLICT {
            return render(&web, &ctx, &station, connector, Some(reply.problem().detail)).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, &here, Some("Charging stopped.")))
}

/// The station's photo, for the public page.
pub async fn photo(State(web): State<Web>, ctx: Ctx, Path(station): Path<String>) -> Response {
    let path = format!("/api/v1/public/stations/{}/photo", session::encode(&station));
    let response = web.send(&ctx, Method::GET, &path, None).await;
    if response.status().is_success() {
        response
    } else {
        PageError::NotFound("this station shows no photo".into()).into_response()
    }
}

/// The connector's live updates (the API's event stream for this connector), streamed through with the
/// person's session; the page re-reads itself on each `changed` event.
pub async fn events(State(web): State<Web>, ctx: Ctx, Path((station, connector)): Path<(String, u32)>) -> Response {
    let path = format!("/api/v1/public/connectors/{}/{connector}/events", session::encode(&station));
    web.send(&ctx, Method::GET, &path, None).await
}
