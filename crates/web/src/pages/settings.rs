//! Operator settings ("operator settings (offline threshold, service level, the OCPP URL with a copy
//! button, default configuration); API tokens"). The default configuration is the list of OCPP configuration
//! keys Joule sends to each new station of the operator (ChangeConfiguration, OCPP 1.6 §5.3) after its first
//! accepted boot. A new token's secret is shown once, on the page that created it, never again.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{FormError, Layout, checked_form, operator_of, page, redirect, refused, staff};
use crate::client::{Ctx, PageError, Web};

#[derive(Debug, Clone, Deserialize)]
pub struct Operator {
    pub name: String,
    pub ocpp_url: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub service_level_days: u32,
    pub offline_after_minutes: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Token {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A default configuration key, applied to new stations in this order.
#[derive(Debug, Clone, Deserialize)]
pub struct DefaultKey {
    pub key: String,
    pub value: String,
}

/// Empty rows the defaults form offers for new keys.
pub const NEW_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    pub layout: Layout,
    pub operator: Operator,
    pub settings: Settings,
    pub tokens: Vec<Token>,
    pub defaults: Vec<DefaultKey>,
    /// A token just created: its secret, shown this once.
    pub secret: Option<(String, String)>,
    pub error: Option<FormError>,
}

impl SettingsPage {
    pub fn err(&self, form: &str) -> Option<&str> {
        self.error.as_ref().and_then(|e| e.of(form)).map(|e| e.detail.as_str())
    }
}

async fn show(
    web: &Web,
    ctx: &Ctx,
    secret: Option<(String, String)>,
    error: Option<FormError>,
) -> Result<Response, PageError> {
    let account = staff(web, ctx).await?;
    let op = operator_of(ctx, &account)?;
    let operator: Operator = web.get(ctx, &format!("/api/v1/operators/{op}")).await?;
    let settings: Settings = web.get(ctx, &format!("/api/v1/operators/{op}/settings")).await?;
    let tokens: Vec<Token> = web.get(ctx, "/api/v1/api-tokens").await?;
    let defaults: Vec<DefaultKey> = web.get(ctx, &format!("/api/v1/operators/{op}/defaults")).await?;
    let layout = Layout::new(ctx, "Settings", Some(&account), "/portal/settings");
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(page(ctx, status, SettingsPage { layout, operator, settings, tokens, defaults, secret, error }.render()))
}

pub async fn settings(State(web): State<Web>, ctx: Ctx) -> Result<Response, PageError> {
    show(&web, &ctx, None, None).await
}

pub async fn save(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let account = staff(&web, &ctx).await?;
    let op = operator_of(&ctx, &account)?;
    let number = |name: &str| form.get(name).trim().parse::<i64>().map(serde_json::Value::from).unwrap_or_default();
    let request = json!({
        "service_level_days": number("service_level_days"),
        "offline_after_minutes": number("offline_after_minutes"),
    });
    let reply = web.call(&ctx, Method::PUT, &format!("/api/v1/operators/{op}/settings"), Some(&request)).await;
    if !reply.ok() {
        if matches!(reply.status.as_u16(), 400 | 403) {
            return show(&web, &ctx, None, Some(refused("settings", &reply))).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/portal/settings", Some("Settings saved.")))
}

pub async fn create_token(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let request = json!({ "name": form.get("name").trim(), "role": form.get("role") });
    let reply = web.call(&ctx, Method::POST, "/api/v1/api-tokens", Some(&request)).await;
    if !reply.ok() {
        if matches!(reply.status.as_u16(), 400 | 403 | 409) {
            return show(&web, &ctx, None, Some(refused("token", &reply))).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let created: serde_json::Value = reply.json()?;
    let name = created["name"].as_str().unwrap_or_default().to_string();
    let secret = created["secret"].as_str().unwrap_or_default().to_string();
    show(&web, &ctx, Some((name, secret)), None).await
}

pub async fn revoke_token(
    State(web): State<Web>,
    ctx: Ctx,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    checked_form(&ctx, &body)?;
    let reply = web.call(&ctx, Method::DELETE, &format!("/api/v1/api-tokens/{id}"), None).await;
    if !reply.ok() {
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/portal/settings", Some("The token is revoked.")))
}

/// Replaces the default configuration with the form's rows, in order; a row whose key is blank is dropped
/// (that is how a key is removed). The API checks the OCPP bounds and duplicates and names the row.
pub async fn save_defaults(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let account = staff(&web, &ctx).await?;
    let op = operator_of(&ctx, &account)?;
    let rows: Vec<serde_json::Value> = form
        .all("key")
        .zip(form.all("value"))
        .filter(|(k, _)| !k.trim().is_empty())
        .map(|(k, v)| json!({ "key": k.trim(), "value": v }))
        .collect();
    let request = serde_json::Value::Array(rows);
    let reply = web.call(&ctx, Method::PUT, &format!("/api/v1/operators/{op}/defaults"), Some(&request)).await;
    if !reply.ok() {
        if matches!(reply.status.as_u16(), 400 | 403) {
            return show(&web, &ctx, None, Some(refused("defaults", &reply))).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/portal/settings", Some("Default configuration saved.")))
}
