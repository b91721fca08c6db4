//! Drivers, id tokens and groups ("drivers, tokens and groups (with CSV import and its report)").
//!
//! - `/portal/drivers`: the drivers (search, filter by group) and the groups, with forms to add either;
//! - `/portal/drivers/{id}`: one driver's details, tokens (add, which registers a new tag; remove) and groups;
//! - `/portal/tokens`: every id token (search; add; block and unblock; delete);
//! - `/portal/tokens/import`: a CSV file checked first (the API's dry run) and its report line by line, then
//!   imported. The file is read in the browser into the form's text area, so the form stays a plain
//!   urlencoded POST that works without JavaScript too (pasting the CSV).
//!
//! Every change is the API's (`/api/v1/operators/{id}/drivers|groups|id-tokens/import`, `/api/v1/id-tokens`),
//! so its checks, audit log entries and local-list sync marks (OCPP 1.6 §3.5.3) are the same as the CLI's.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Layout, Refused, checked_form, operator_of, page, redirect, refused, staff};
use crate::client::{Ctx, PageError, Reply, Web};
use crate::session::{Form, encode};
use crate::views::Account;

/// The most rows a list page shows; a search narrows it down.
pub const SHOWN: usize = 500;

#[derive(Debug, Clone, Deserialize)]
pub struct GroupRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Driver {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub account_id: Option<i64>,
    pub groups: Vec<GroupRef>,
    #[serde(default)]
    pub tokens: Option<Vec<Token>>,
}

impl Driver {
    pub fn group_names(&self) -> String {
        self.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")
    }

    fn in_group(&self, group: i64) -> bool {
        self.groups.iter().any(|g| g.id == group)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub members: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Token {
    pub tag: String,
    pub parent: Option<String>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub blocked: bool,
}

impl Token {
    /// The tag as a path segment.
    pub fn seg(&self) -> String {
        encode(&self.tag)
    }

    /// "active", "blocked" or "expired" (at `now`), as the Authorize answer would say it.
    pub fn state(&self) -> &'static str {
        if self.blocked {
            "blocked"
        } else if self.expires_at.is_some_and(|e| e <= chrono::Utc::now()) {
            "expired"
        } else {
            "active"
        }
    }
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(needle)
}

async fn operator(web: &Web, ctx: &Ctx) -> Result<(Account, i64), PageError> {
    let account = staff(web, ctx).await?;
    let op = operator_of(ctx, &account)?;
    Ok((account, op))
}

/// After a refused form: the page again with the message (400/403/404/409), else the error page.
fn kept(reply: &Reply) -> bool {
    matches!(reply.status.as_u16(), 400 | 403 | 404 | 409 | 413)
}

// ---------------------------------------------------------------------------------------------------------
// Drivers and groups

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    pub group: Option<i64>,
}

#[derive(Template)]
#[template(path = "drivers.html")]
pub struct DriversPage {
    pub layout: Layout,
    pub drivers: Vec<Driver>,
    /// Drivers matching the search before the cut at [`SHOWN`].
    pub matching: usize,
    pub total: usize,
    pub groups: Vec<Group>,
    pub q: String,
    pub group: Option<i64>,
    pub refused: Refused,
}

impl DriversPage {
    pub fn is_group(&self, id: &i64) -> bool {
        self.group == Some(*id)
    }
}

async fn drivers_page(web: &Web, ctx: &Ctx, query: ListQuery, refused: Refused) -> Result<Response, PageError> {
    let (account, op) = operator(web, ctx).await?;
    let all: Vec<Driver> = web.get(ctx, &format!("/api/v1/operators/{op}/drivers")).await?;
    let groups: Vec<Group> = web.get(ctx, &format!("/api/v1/operators/{op}/groups")).await?;
    let q = query.q.trim().to_lowercase();
    let total = all.len();
    let matching: Vec<Driver> = all
        .into_iter()
        .filter(|d| query.group.is_none_or(|g| d.in_group(g)))
        .filter(|d| q.is_empty() || contains(&d.name, &q) || d.email.as_deref().is_some_and(|e| contains(e, &q)))
        .collect();
    let count = matching.len();
    let drivers = matching.into_iter().take(SHOWN).collect();
    let layout = Layout::new(ctx, "Drivers and groups", Some(&account), "/portal/drivers");
    let status = refused.status();
    let view = DriversPage { layout, drivers, matching: count, total, groups, q: query.q, group: query.group, refused };
    Ok(page(ctx, status, view.render()))
}

pub async fn drivers(State(web): State<Web>, ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, PageError> {
    drivers_page(&web, &ctx, query, Refused::default()).await
}

fn driver_input(form: &Form) -> Value {
    json!({ "name": form.get("name").trim(), "email": form.opt("email") })
}

pub async fn create_driver(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let (_, op) = operator(&web, &ctx).await?;
    let reply =
        web.call(&ctx, Method::POST, &format!("/api/v1/operators/{op}/drivers"), Some(&driver_input(&form))).await;
    if !reply.ok() {
        if kept(&reply) {
            return drivers_page(&web, &ctx, ListQuery::default(), Refused::new(refused("driver", &reply), form)).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let created: Value = reply.json()?;
    let id = created["id"].as_i64().unwrap_or_default();
    let message = format!("Driver {} added. Give them a token below.", form.get("name").trim());
    Ok(redirect(&ctx, &format!("/portal/drivers/{id}"), Some(&message)))
}

pub async fn create_group(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let (_, op) = operator(&web, &ctx).await?;
    let request = json!({ "name": form.get("name").trim() });
    let reply = web.call(&ctx, Method::POST, &format!("/api/v1/operators/{op}/groups"), Some(&request)).await;
    if !reply.ok() {
        if kept(&reply) {
            return drivers_page(&web, &ctx, ListQuery::default(), Refused::new(refused("group", &reply), form)).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/portal/drivers", Some(&format!("Group {} added.", form.get("name").trim()))))
}

pub async fn delete_group(
    State(web): State<Web>,
    ctx: Ctx,
    Path(group): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    checked_form(&ctx, &body)?;
    let (_, op) = operator(&web, &ctx).await?;
    let reply = web.call(&ctx, Method::DELETE, &format!("/api/v1/operators/{op}/groups/{group}"), None).await;
    if !reply.ok() {
        if kept(&reply) {
            let shown = Refused::new(refused("groups", &reply), Form::default());
            return drivers_page(&web, &ctx, ListQuery::default(), shown).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/portal/drivers", Some("The group is deleted; its members keep their tokens.")))
}

// ---------------------------------------------------------------------------------------------------------
// One driver

#[derive(Template)]
#[template(path = "driver_detail.html")]
pub struct DriverPage {
    pub layout: Layout,
    pub driver: Driver,
    pub tokens: Vec<Token>,
    pub groups: Vec<Group>,
    pub refused: Refused,
}

impl DriverPage {
    pub fn member(&self, group: &i64) -> bool {
        self.driver.in_group(*group)
    }
}

async fn driver_page(web: &Web, ctx: &Ctx, id: i64, refused: Refused) -> Result<Response, PageError> {
    let (account, op) = operator(web, ctx).await?;
    let mut driver: Driver = web.get(ctx, &format!("/api/v1/operators/{op}/drivers/{id}")).await?;
    let groups: Vec<Group> = web.get(ctx, &format!("/api/v1/operators/{op}/groups")).await?;
    let tokens = driver.tokens.take().unwrap_or_default();
    let layout = Layout::new(ctx, format!("Driver {}", driver.name), Some(&account), "/portal/drivers");
    let status = refused.status();
    Ok(page(ctx, status, DriverPage { layout, driver, tokens, groups, refused }.render()))
}

pub async fn driver(State(web): State<Web>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, PageError> {
    driver_page(&web, &ctx, id, Refused::default()).await
}

/// The driver's forms: `details`, `add-token`, `groups`, `delete`, and `unlink` (with the tag in the form).
pub async fn driver_action(
    State(web): State<Web>,
    ctx: Ctx,
    Path((id, action)): Path<(i64, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let (_, op) = operator(&web, &ctx).await?;
    let base = format!("/api/v1/operators/{op}/drivers/{id}");
    let here = format!("/portal/drivers/{id}");
    let outcome = match action.as_str() {
        "details" => {
            let current: Driver = web.get(&ctx, &base).await?;
            let mut input = driver_input(&form);
            input["account_id"] = json!(current.account_id);
            let reply = web.call(&ctx, Method::PUT, &base, Some(&input)).await;
            reply_or(reply, "Details saved.")
        }
        "add-token" => add_token(&web, &ctx, &base, &form).await,
        "unlink" => {
            let tag = form.get("tag");
            let reply = web.call(&ctx, Method::DELETE, &format!("{base}/tokens/{}", encode(tag)), None).await;
            reply_or(reply, &format!("Token {tag} removed from the driver (it stays registered)."))
        }
        "groups" => set_groups(&web, &ctx, op, id, &form).await?,
        "delete" => {
            let reply = web.call(&ctx, Method::DELETE, &base, None).await;
            if reply.ok() {
                return Ok(redirect(
                    &ctx,
                    "/portal/drivers",
                    Some("The driver is deleted; their tokens stay registered."),
                ));
            }
            Err(Box::new(reply))
        }
        _ => return Err(PageError::NotFound(format!("there is no driver action {action:?}"))),
    };
    match outcome {
        Ok(message) => Ok(redirect(&ctx, &here, Some(&message))),
        Err(reply) if kept(&reply) => driver_page(&web, &ctx, id, Refused::new(refused(&action, &reply), form)).await,
        Err(reply) => Err(PageError::from_reply(&reply).at(&ctx)),
    }
}

/// A form's outcome: the message for the next page, or the API's refusal (boxed: it is large).
type Outcome = Result<String, Box<Reply>>;

fn reply_or(reply: Reply, message: &str) -> Outcome {
    if reply.ok() { Ok(message.to_string()) } else { Err(Box::new(reply)) }
}

/// Gives the driver a token: registers the tag first when it is new (with the form's expiry), then links it
/// (which moves it from another driver, if it had one).
async fn add_token(web: &Web, ctx: &Ctx, base: &str, form: &Form) -> Outcome {
    let tag = form.get("tag").trim();
    let exists = web.call(ctx, Method::GET, &format!("/api/v1/id-tokens/{}", encode(tag)), None).await;
    let mut registered = false;
    if exists.status == StatusCode::NOT_FOUND || exists.status == StatusCode::BAD_REQUEST {
        let new = json!({ "tag": tag, "parent": form.opt("parent"), "expires_at": expiry(form) });
        let created = web.call(ctx, Method::POST, "/api/v1/id-tokens", Some(&new)).await;
        if !created.ok() {
            return Err(Box::new(created));
        }
        registered = true;
    } else if !exists.ok() {
        return Err(Box::new(exists));
    }
    let linked = web.call(ctx, Method::PUT, &format!("{base}/tokens/{}", encode(tag)), None).await;
    let message = if registered {
        format!("Token {tag} registered and given to the driver.")
    } else {
        format!("Token {tag} given to the driver.")
    };
    reply_or(linked, &message)
}

/// The form's "valid until" date as the end of that day in UTC (the token expires at the next midnight),
/// or null.
fn expiry(form: &Form) -> Value {
    match form.opt("expires").and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()) {
        Some(day) => match day.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)) {
            Some(t) => json!(t.and_utc().to_rfc3339()),
            None => Value::Null,
        },
        None => Value::Null,
    }
}

/// Makes the driver's groups the checked ones: joins and leaves only the differences.
async fn set_groups(web: &Web, ctx: &Ctx, op: i64, id: i64, form: &Form) -> Result<Outcome, PageError> {
    let driver: Driver = web.get(ctx, &format!("/api/v1/operators/{op}/drivers/{id}")).await?;
    let wanted: Vec<i64> = form.all("group").filter_map(|g| g.parse().ok()).collect();
    let mut changes = 0;
    for g in &driver.groups {
        if !wanted.contains(&g.id) {
            let path = format!("/api/v1/operators/{op}/groups/{}/members/{id}", g.id);
            let reply = web.call(ctx, Method::DELETE, &path, None).await;
            if !reply.ok() {
                return Ok(Err(Box::new(reply)));
            }
            changes += 1;
        }
    }
    for g in wanted.iter().filter(|g| !driver.in_group(**g)) {
        let reply = web.call(ctx, Method::PUT, &format!("/api/v1/operators/{op}/groups/{g}/members/{id}"), None).await;
        if !reply.ok() {
            return Ok(Err(Box::new(reply)));
        }
        changes += 1;
    }
    Ok(Ok(if changes == 0 { "No change to the groups.".into() } else { "Groups saved.".into() }))
}

// ---------------------------------------------------------------------------------------------------------
// Tokens

#[derive(Template)]
#[template(path = "tokens.html")]
pub struct TokensPage {
    pub layout: Layout,
    pub tokens: Vec<Token>,
    pub matching: usize,
    pub total: usize,
    pub q: String,
    pub refused: Refused,
}

async fn tokens_page(web: &Web, ctx: &Ctx, q: String, refused: Refused) -> Result<Response, PageError> {
    let account = staff(web, ctx).await?;
    let all: Vec<Token> = web.get(ctx, "/api/v1/id-tokens").await?;
    let needle = q.trim().to_lowercase();
    let total = all.len();
    let matching: Vec<Token> = all
        .into_iter()
        .filter(|t| {
            needle.is_empty() || contains(&t.tag, &needle) || t.parent.as_deref().is_some_and(|p| contains(p, &needle))
        })
        .collect();
    let count = matching.len();
    let tokens = matching.into_iter().take(SHOWN).collect();
    let layout = Layout::new(ctx, "Id tokens", Some(&account), "/portal/tokens");
    let status = refused.status();
    Ok(page(ctx, status, TokensPage { layout, tokens, matching: count, total, q, refused }.render()))
}

pub async fn tokens(State(web): State<Web>, ctx: Ctx, Query(query): Query<ListQuery>) -> Result<Response, PageError> {
    tokens_page(&web, &ctx, query.q, Refused::default()).await
}

pub async fn create_token(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let tag = form.get("tag").trim().to_string();
    let new = json!({ "tag": tag, "parent": form.opt("parent"), "expires_at": expiry(&form),
        "blocked": form.get("blocked") == "on" });
    let reply = web.call(&ctx, Method::POST, "/api/v1/id-tokens", Some(&new)).await;
    if !reply.ok() {
        if kept(&reply) {
            return tokens_page(&web, &ctx, String::new(), Refused::new(refused("token", &reply), form)).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/portal/tokens", Some(&format!("Token {tag} registered."))))
}

/// `block`, `unblock` or `delete` one token.
pub async fn token_action(
    State(web): State<Web>,
    ctx: Ctx,
    Path((tag, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    checked_form(&ctx, &body)?;
    let path = format!("/api/v1/id-tokens/{}", encode(&tag));
    let (reply, message) = match action.as_str() {
        "block" | "unblock" => {
            let current: Token = web.get(&ctx, &path).await?;
            let blocked = action == "block";
            let update = json!({ "parent": current.parent, "expires_at": current.expires_at, "blocked": blocked });
            let word = if blocked { "blocked: stations refuse it from now on" } else { "unblocked" };
            (web.call(&ctx, Method::PUT, &path, Some(&update)).await, format!("Token {tag} {word}."))
        }
        "delete" => (web.call(&ctx, Method::DELETE, &path, None).await, format!("Token {tag} deleted.")),
        _ => return Err(PageError::NotFound(format!("there is no token action {action:?}"))),
    };
    if !reply.ok() {
        if kept(&reply) {
            let shown = Refused::new(refused("tokens", &reply), Form::default());
            return tokens_page(&web, &ctx, String::new(), shown).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    Ok(redirect(&ctx, "/portal/tokens", Some(&message)))
}

// ---------------------------------------------------------------------------------------------------------
// CSV import

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Counts {
    pub lines: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rejection {
    pub line: usize,
    pub column: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    pub dry_run: bool,
    pub counts: Counts,
    pub rejected: Vec<Rejection>,
    pub drivers_created: Vec<String>,
    pub groups_created: Vec<String>,
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub layout: Layout,
    /// The CSV as entered, kept so that "Import" after "Check" sends the same file.
    pub csv: String,
    pub report: Option<Report>,
    pub error: Option<String>,
}

impl ImportPage {
    /// Whether the checked file can be imported: a dry run that found something to write.
    pub fn importable(&self) -> bool {
        self.report.as_ref().is_some_and(|r| r.dry_run && r.counts.created + r.counts.updated > 0)
    }
}

async fn import_page(
    web: &Web,
    ctx: &Ctx,
    csv: String,
    report: Option<Report>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let account = staff(web, ctx).await?;
    let layout = Layout::new(ctx, "Import id tokens", Some(&account), "/portal/tokens");
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(page(ctx, status, ImportPage { layout, csv, report, error }.render()))
}

pub async fn import_form(State(web): State<Web>, ctx: Ctx) -> Result<Response, PageError> {
    import_page(&web, &ctx, String::new(), None, None).await
}

/// Checks (`mode=check`, the API's dry run) or imports (`mode=import`) the form's CSV, and shows the report.
pub async fn import(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let (_, op) = operator(&web, &ctx).await?;
    let csv = form.get("csv").to_string();
    let dry_run = form.get("mode") != "import";
    let path = format!("/api/v1/operators/{op}/id-tokens/import?dry_run={dry_run}");
    let reply = web.call_raw(&ctx, Method::POST, &path, "text/csv; charset=utf-8", Bytes::from(csv.clone())).await;
    if !reply.ok() {
        if kept(&reply) {
            let p = reply.problem();
            let detail = match p.field {
                Some(f) => format!("{f}: {}", p.detail),
                None => p.detail,
            };
            return import_page(&web, &ctx, csv, None, Some(detail)).await;
        }
        return Err(PageError::from_reply(&reply).at(&ctx));
    }
    let report: Report = reply.json()?;
    import_page(&web, &ctx, csv, Some(report), None).await
}
