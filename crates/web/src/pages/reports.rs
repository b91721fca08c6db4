//! Reports and exports ("reports and exports (sessions CSV, 15-minute CSV)"): a date range and two
//! downloads, streamed from the API's CSV endpoints (documented columns: docs/tariffs.md, docs/intervals.md).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Layout, page};
use crate::client::{Ctx, PageError, Web};
use crate::session;

#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Template)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    pub layout: Layout,
    pub from: String,
    pub to: String,
}

fn dates(range: &Range) -> (String, String) {
    let today = chrono::Utc::now().date_naive();
    let first = today.with_day0(0).unwrap_or(today);
    let from = range.from.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| first.to_string());
    let to = range.to.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| today.to_string());
    (from, to)
}

use chrono::Datelike;

pub async fn reports(State(web): State<Web>, ctx: Ctx, Query(range): Query<Range>) -> Result<Response, PageError> {
    let me = web.me(&ctx).await?;
    let account = me.account.ok_or_else(|| PageError::Forbidden("API tokens have no portal".into()))?;
    let (from, to) = dates(&range);
    let layout = Layout::new(&ctx, "Reports and exports", Some(&account), "/portal/reports");
    Ok(page(&ctx, StatusCode::OK, ReportsPage { layout, from, to }.render()))
}

async fn operator_id(web: &Web, ctx: &Ctx) -> Result<i64, PageError> {
    if let Some(op) = ctx.operator.as_deref().and_then(|o| o.parse().ok()) {
        return Ok(op);
    }
    let me = web.me(ctx).await?;
    me.account.and_then(|a| a.operator_id).ok_or_else(|| PageError::Forbidden("choose an operator first".into()))
}

/// Streams an API CSV through as a download named `file` (the owner's page uses it too).
pub(super) async fn download(web: &Web, ctx: &Ctx, path: &str, file: &str) -> Result<Response, PageError> {
    let mut response = web.send(ctx, Method::GET, path, None).await;
    if !response.status().is_success() {
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
        let reply = crate::client::Reply { status: parts.status, headers: parts.headers, body };
        return Err(PageError::from_reply(&reply).at(ctx));
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response.into_response())
}

pub async fn sessions_csv(State(web): State<Web>, ctx: Ctx, Query(range): Query<Range>) -> Result<Response, PageError> {
    let op = operator_id(&web, &ctx).await?;
    let (from, to) = dates(&range);
    // The page's days are inclusive; the report's `to` is the instant before which sessions started.
    let end = chrono::NaiveDate::parse_from_str(&to, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(1)).to_string())
        .unwrap_or_else(|_| to.clone());
    let path = format!(
        "/api/v1/operators/{op}/sessions/report?from={}&to={}&format=csv",
        session::encode(&from),
        session::encode(&end)
    );
    download(&web, &ctx, &path, &format!("sessions-{from}-{to}.csv")).await
}

pub async fn intervals_csv(
    State(web): State<Web>,
    ctx: Ctx,
    Query(range): Query<Range>,
) -> Result<Response, PageError> {
    let op = operator_id(&web, &ctx).await?;
    let (from, to) = dates(&range);
    let path = format!("/api/v1/operators/{op}/intervals?from={}&to={}", session::encode(&from), session::encode(&to));
    download(&web, &ctx, &path, &format!("intervals-{from}-{to}.csv")).await
}
