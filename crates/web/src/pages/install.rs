//! Installers' pages, made for a phone ("claim by QR code or MAC + activation password; pinpoint (use
//! my location, take a photo); the verification checklist with a 'start test session' button").
//!
//! `/claim?mac=…&code=…` is what a sticker's QR code opens (joule-sticker's claim URL): it fills the claim
//! form. The API decides who may claim, pinpoint and verify (the claiming installer or staff); these pages ask
//! and show, and the photo goes up as it is, from the phone's camera, through the API's photo endpoint.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{FormError, Layout, checked_form, page, redirect};
use crate::client::{Ctx, PageError, Web};
use crate::session;
use crate::views::Account;

#[derive(Debug, Deserialize, Default)]
pub struct ClaimQuery {
    mac: Option<String>,
    code: Option<String>,
}

#[derive(Template)]
#[template(path = "install.html")]
pub struct ClaimPage {
    pub layout: Layout,
    pub mac: String,
    pub code: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Gps {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Address {
    #[serde(default)]
    pub street: String,
    pub house_number: Option<String>,
    pub postal_code: Option<String>,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Installation {
    pub gps: Option<Gps>,
    pub serial_number: Option<String>,
    pub address: Option<Address>,
    pub time_zone: Option<String>,
    pub parking_spot: Option<String>,
    pub directions: Option<String>,
    pub photo: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    pub item: String,
    pub status: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Checklist {
    pub state: String,
    pub all_green: bool,
    pub items: Vec<Item>,
}

#[derive(Template)]
#[template(path = "install_station.html")]
pub struct StationPage {
    pub layout: Layout,
    pub id: String,
    pub path: String,
    pub i: Installation,
    pub checklist: Option<Checklist>,
    pub error: Option<FormError>,
}

impl StationPage {
    pub fn gps_text(&self) -> String {
        match &self.i.gps {
            Some(g) => format!(
                "{:.6}, {:.6}{}",
                g.lat,
                g.lon,
                g.accuracy_m.map(|a| format!(" (± {a:.0} m)")).unwrap_or_default()
            ),
            None => "not set".into(),
        }
    }

    pub fn field(&self, name: &str) -> String {
        let a = self.i.address.clone().unwrap_or_default();
        match name {
            "street" => a.street,
            "house_number" => a.house_number.unwrap_or_default(),
            "postal_code" => a.postal_code.unwrap_or_default(),
            "city" => a.city,
            "country" => a.country,
            "time_zone" => self.i.time_zone.clone().unwrap_or_default(),
            "parking_spot" => self.i.parking_spot.clone().unwrap_or_default(),
            "directions" => self.i.directions.clone().unwrap_or_default(),
            "serial_number" => self.i.serial_number.clone().unwrap_or_default(),
            "lat" => self.i.gps.as_ref().map(|g| g.lat.to_string()).unwrap_or_default(),
            "lon" => self.i.gps.as_ref().map(|g| g.lon.to_string()).unwrap_or_default(),
            "accuracy_m" => self.i.gps.as_ref().and_then(|g| g.accuracy_m).map(|a| a.to_string()).unwrap_or_default(),
            _ => String::new(),
        }
    }

    pub fn general(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.detail.as_str())
    }

    pub fn photo_url(&self) -> String {
        format!("/portal/stations/{}/photo", session::encode(&self.id))
    }
}

async fn person(web: &Web, ctx: &Ctx) -> Result<Account, PageError> {
    let me = web.me(ctx).await?;
    me.account.ok_or_else(|| PageError::Forbidden("API tokens have no installer pages".into()))
}

/// What a sticker's QR code opens: the claim form, filled.
pub async fn from_sticker(Query(q): Query<ClaimQuery>) -> Response {
    let mut to = "/install".to_string();
    if let (Some(mac), Some(code)) = (q.mac, q.code) {
        to = format!("/install?mac={}&code={}", session::encode(&mac), session::encode(&code));
    }
    Redirect::to(&to).into_response()
}

pub async fn claim_form(State(web): State<Web>, ctx: Ctx, Query(q): Query<ClaimQuery>) -> Result<Response, PageError> {
    let account = person(&web, &ctx).await?;
    let layout = Layout::new(&ctx, "Claim a station", Some(&account), "/install");
    let rendered = ClaimPage { layout, mac: q.mac.unwrap_or_default(), code: q.code.unwrap_or_default(), error: None };
    Ok(page(&ctx, StatusCode::OK, rendered.render()))
}

pub async fn claim(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let account = person(&web, &ctx).await?;
    let request = json!({ "mac": form.get("mac").trim(), "code": form.get("code").trim() });
    let reply = web.call(&ctx, Method::POST, "/api/v1/claims", Some(&request)).await;
    if !reply.ok() {
        if matches!(reply.status.as_u16(), 400 | 403 | 409 | 429) {
            let layout = Layout::new(&ctx, "Claim a station", Some(&account), "/install");
            let rendered = ClaimPage {
                layout,
                mac: form.get("mac").to_string(),
                code: String::new(),
                error: Some(reply.problem().detail),
            };
            return Ok(page(&ctx, reply.status, rendered.render()));
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let claimed: Value = reply.json()?;
    let id = claimed["station_id"].as_str().unwrap_or_default();
    let to = format!("/install/stations/{}", session::encode(id));
    Ok(redirect(&ctx, &to, Some(&format!("You claimed {id}. Pinpoint it, add a photo and verify it."))))
}

async fn show(web: &Web, ctx: &Ctx, id: &str, error: Option<FormError>) -> Result<Response, PageError> {
    let account = person(web, ctx).await?;
    let enc = session::encode(id);
    let i: Installation = web.get(ctx, &format!("/api/v1/stations/{enc}/installation")).await?;
    let checklist: Option<Checklist> = web.get(ctx, &format!("/api/v1/stations/{enc}/verification")).await.ok();
    let path = format!("/install/stations/{enc}");
    let layout = Layout::new(ctx, format!("Install {id}"), Some(&account), &path);
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(page(ctx, status, StationPage { layout, id: id.to_string(), path, i, checklist, error }.render()))
}

pub async fn station(State(web): State<Web>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    show(&web, &ctx, &id, None).await
}

fn opt(form: &session::Form, name: &str) -> Value {
    form.opt(name).map(Value::String).unwrap_or(Value::Null)
}

/// Saves the pinpointing (replaced whole, as the API takes it).
pub async fn pinpoint(
    State(web): State<Web>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let number = |name: &str| form.opt(name).and_then(|v| v.parse::<f64>().ok());
    let gps = match (number("lat"), number("lon")) {
        (Some(lat), Some(lon)) => json!({ "lat": lat, "lon": lon, "accuracy_m": number("accuracy_m") }),
        _ => Value::Null,
    };
    let address = if form.opt("street").is_some() || form.opt("city").is_some() || form.opt("country").is_some() {
        json!({ "street": form.get("street").trim(), "house_number": opt(&form, "house_number"),
                "postal_code": opt(&form, "postal_code"), "city": form.get("city").trim(),
                "country": form.get("country").trim() })
    } else {
        Value::Null
    };
    let request = json!({
        "gps": gps, "address": address, "time_zone": opt(&form, "time_zone"), "parking_spot": opt(&form, "parking_spot"),
        "directions": opt(&form, "directions"), "serial_number": opt(&form, "serial_number"),
    });
    let path = format!("/api/v1/stations/{}/installation", session::encode(&id));
    let reply = web.call(&ctx, Method::PUT, &path, Some(&request)).await;
    if !reply.ok() {
        if reply.status == StatusCode::BAD_REQUEST {
            let p = reply.problem();
            let detail = match &p.field {
                Some(f) => format!("{f}: {}", p.detail),
                None => p.detail,
            };
            return show(&web, &ctx, &id, Some(FormError { form: "pinpoint".into(), field: p.field, detail })).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, &format!("/install/stations/{}", session::encode(&id)), Some("Pinpointing saved.")))
}

/// The photo, sent by the page's script as the file's bytes with the CSRF token in a header.
pub async fn photo(
    State(web): State<Web>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Some(secret) = ctx.secret.as_deref() else { return Err(PageError::Login { next: "/install".into() }) };
    if !session::same(&session::csrf_token(secret), token) {
        return Err(PageError::Csrf);
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let path = format!("/api/v1/stations/{}/installation/photo", session::encode(&id));
    let reply = web.call_raw(&ctx, Method::PUT, &path, content_type, body).await;
    let status = reply.status;
    let message = if reply.ok() { "Photo saved.".to_string() } else { reply.problem().detail };
    Ok((status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response())
}

/// "Start test session" and "Verify".
pub async fn act(
    State(web): State<Web>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    checked_form(&ctx, &body)?;
    let enc = session::encode(&id);
    let (path, body, done) = match action.as_str() {
        "test-session" => {
            (format!("/api/v1/stations/{enc}/test-session"), json!({}), "Test session started: plug in a car.")
        }
        "verify" => (format!("/api/v1/stations/{enc}/verify"), json!({}), "The station is verified."),
        _ => return Err(PageError::NotFound(format!("no action {action}"))),
    };
    let reply = web.call(&ctx, Method::POST, &path, Some(&body)).await;
    if !reply.ok() {
        if matches!(reply.status.as_u16(), 400 | 409 | 502 | 504) {
            let detail = reply.problem().detail;
            return show(&web, &ctx, &id, Some(FormError { form: action, field: None, detail })).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, &format!("/install/stations/{enc}"), Some(done)))
}
