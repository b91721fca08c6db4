//! Owners' pages (issue 6: "my stations; request activation (the form); the state of my requests"): one page,
//! `/owner`, with the owner's stations and whether each is online, their activation requests with their state
//! (and a rejection's reason), and the activation form. The API decides what an owner sees (their own only).

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{FormError, Layout, checked_form, page, redirect};
use crate::client::{Ctx, PageError, Web};
use crate::session::Form;

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

async fn show(web: &Web, ctx: &Ctx, entered: Entered, error: Option<FormError>) -> Result<Response, PageError> {
    let me = web.me(ctx).await?;
    let account = me.account.ok_or_else(|| PageError::Forbidden("API tokens have no owner pages".into()))?;
    let stations: Vec<MyStation> = web.get(ctx, "/api/v1/me/stations").await?;
    let requests: Vec<MyRequest> = web.get(ctx, "/api/v1/activation-requests").await?;
    let layout = Layout::new(ctx, "My stations", Some(&account), "/owner");
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(page(ctx, status, OwnerPage { layout, stations, requests, entered, error }.render()))
}

pub async fn home(State(web): State<Web>, ctx: Ctx) -> Result<Response, PageError> {
    show(&web, &ctx, Entered::default(), None).await
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
            return show(&web, &ctx, entered, Some(FormError { form: "request".into(), field: p.field, detail })).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/owner", Some("Your activation request is sent. The operator will review it.")))
}
