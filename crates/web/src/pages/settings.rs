//! Operator settings (issue 6: "operator settings (offline threshold, service level, the OCPP URL with a copy
//! button); API tokens"). The default configuration keys stay with the API and `joule operator defaults` for
//! now. A new token's secret is shown once, on the page that created it, never again.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{FormError, Layout, checked_form, page, redirect};
use crate::client::{Ctx, PageError, Web};
use crate::views::Account;

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

#[derive(Template)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    pub layout: Layout,
    pub operator: Operator,
    pub settings: Settings,
    pub tokens: Vec<Token>,
    /// A token just created: its secret, shown this once.
    pub secret: Option<(String, String)>,
    pub error: Option<FormError>,
}

impl SettingsPage {
    pub fn err(&self, form: &str) -> Option<&str> {
        self.error.as_ref().and_then(|e| e.of(form)).map(|e| e.detail.as_str())
    }
}

async fn staff(web: &Web, ctx: &Ctx) -> Result<Account, PageError> {
    let me = web.me(ctx).await?;
    me.account.ok_or_else(|| PageError::Forbidden("API tokens have no portal".into()))
}

/// The operator the page is about: a platform admin's choice, else the staff member's own.
fn operator_id(ctx: &Ctx, account: &Account) -> Result<i64, PageError> {
    if let Some(op) = ctx.operator.as_deref().and_then(|o| o.parse().ok()) {
        return Ok(op);
    }
    account.operator_id.ok_or_else(|| PageError::Forbidden("choose an operator first".into()))
}

async fn show(
    web: &Web,
    ctx: &Ctx,
    secret: Option<(String, String)>,
    error: Option<FormError>,
) -> Result<Response, PageError> {
    let account = staff(web, ctx).await?;
    let op = operator_id(ctx, &account)?;
    let operator: Operator = web.get(ctx, &format!("/api/v1/operators/{op}")).await?;
    let settings: Settings = web.get(ctx, &format!("/api/v1/operators/{op}/settings")).await?;
    let tokens: Vec<Token> = web.get(ctx, "/api/v1/api-tokens").await?;
    let layout = Layout::new(ctx, "Settings", Some(&account), "/portal/settings");
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(page(ctx, status, SettingsPage { layout, operator, settings, tokens, secret, error }.render()))
}

pub async fn settings(State(web): State<Web>, ctx: Ctx) -> Result<Response, PageError> {
    show(&web, &ctx, None, None).await
}

fn refused(form: &str, reply: &crate::client::Reply) -> FormError {
    let p = reply.problem();
    let detail = match &p.field {
        Some(f) => format!("{f}: {}", p.detail),
        None => p.detail,
    };
    FormError { form: form.into(), field: p.field, detail }
}

pub async fn save(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let account = staff(&web, &ctx).await?;
    let op = operator_id(&ctx, &account)?;
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
