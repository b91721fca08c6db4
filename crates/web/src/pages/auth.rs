//! Everyone's pages: the home redirect, logging in and out, the account and its password.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::{FormError, Layout, checked_form, page, redirect};
use crate::client::{Ctx, PageError, Web};
use crate::session::{self, Form};
use crate::views::{Account, LoginAnswer};

/// The home of a role: operator staff (and platform admins) the dashboard, everyone else the account page
/// until their pages exist.
fn home_of(account: &Account) -> &'static str {
    match account.role.as_str() {
        "operator-staff" | "platform-admin" => "/portal",
        "installer" => "/install",
        "owner" => "/owner",
        _ => "/account",
    }
}

pub async fn home(State(web): State<Web>, ctx: Ctx) -> Response {
    match web.me(&ctx).await {
        Ok(me) => match me.account {
            Some(a) => Redirect::to(home_of(&a)).into_response(),
            None => Redirect::to("/login").into_response(),
        },
        Err(_) => Redirect::to("/login").into_response(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub csrf_login: String,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

fn login_page(ctx: &Ctx, status: StatusCode, email: String, next: String, error: Option<String>) -> Response {
    // One double-submit token per browser, kept while it is there, so two open login tabs both work.
    let token = ctx.login_csrf.clone().unwrap_or_else(session::random_token);
    let layout = Layout::new(ctx, "Log in", None, "/login");
    let rendered = LoginPage { layout, csrf_login: token.clone(), email, next, error }.render();
    let mut response = page(ctx, status, rendered);
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::cookie(session::LOGIN_CSRF_COOKIE, &token, 7200, ctx.secure));
    response
}

pub async fn login_form(State(web): State<Web>, ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    let next = q.next.filter(|n| session::local_path(n)).unwrap_or_default();
    if ctx.secret.is_some()
        && let Ok(me) = web.me(&ctx).await
        && let Some(account) = me.account
    {
        let to = if next.is_empty() { home_of(&account).to_string() } else { next };
        return Redirect::to(&to).into_response();
    }
    login_page(&ctx, StatusCode::OK, String::new(), next, None)
}

pub async fn login(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if !ctx.login_csrf.as_deref().is_some_and(|expected| session::same(expected, form.get("csrf"))) {
        return PageError::Csrf.into_response();
    }
    let email = form.get("email").trim().to_string();
    let next = Some(form.get("next").to_string()).filter(|n| session::local_path(n)).unwrap_or_else(|| "/".into());
    let body = json!({ "email": email, "password": form.get("password") });
    // The login call carries no session: a stale cookie must not be sent along.
    let anonymous = Ctx { secret: None, ..ctx.clone() };
    let reply = web.call(&anonymous, Method::POST, "/api/v1/login", Some(&body)).await;
    if !reply.ok() {
        let status = reply.status;
        return login_page(&ctx, status, email, next, Some(reply.problem().detail));
    }
    let answer: LoginAnswer = match serde_json::from_slice(&reply.body) {
        Ok(a) => a,
        Err(_) => {
            return PageError::Failed(StatusCode::INTERNAL_SERVER_ERROR, "the login answer was unreadable".into())
                .into_response();
        }
    };
    let max_age = (answer.expires_at - chrono::Utc::now()).num_seconds().max(0);
    let mut response = redirect(&ctx, &next, None);
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session::cookie(session::SESSION_COOKIE, &answer.token, max_age, ctx.secure));
    headers.append(header::SET_COOKIE, session::cookie(session::LOGIN_CSRF_COOKIE, "", 0, ctx.secure));
    response
}

pub async fn logout(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    if ctx.secret.is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    checked_form(&ctx, &body)?;
    // Ending the session in the database is what matters; an already ended one answers 401, also fine.
    let _ = web.call(&ctx, Method::POST, "/api/v1/logout", None).await;
    let mut response = redirect(&ctx, "/login", Some("You are logged out."));
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session::cookie(session::SESSION_COOKIE, "", 0, ctx.secure));
    if ctx.operator.is_some() {
        headers.append(header::SET_COOKIE, session::cookie(session::OPERATOR_COOKIE, "", 0, ctx.secure));
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub account: Account,
}

pub async fn account(State(web): State<Web>, ctx: Ctx) -> Result<Response, PageError> {
    let me = web.me(&ctx).await?;
    let account = me.account.ok_or_else(|| PageError::Forbidden("API tokens have no account page".into()))?;
    let layout = Layout::new(&ctx, "Account", Some(&account), "/account");
    Ok(page(&ctx, StatusCode::OK, AccountPage { layout, account }.render()))
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    pub error: Option<FormError>,
}

impl PasswordPage {
    /// The error of `field`, if the last attempt failed there.
    pub fn err(&self, field: &str) -> Option<&str> {
        self.error.as_ref().filter(|e| e.on("password", field)).map(|e| e.detail.as_str())
    }

    /// An error not about one field.
    pub fn general(&self) -> Option<&str> {
        self.error.as_ref().filter(|e| e.field.is_none()).map(|e| e.detail.as_str())
    }
}

pub async fn password_form(State(web): State<Web>, ctx: Ctx) -> Result<Response, PageError> {
    let me = web.me(&ctx).await?;
    let account = me.account.ok_or_else(|| PageError::Forbidden("API tokens have no password".into()))?;
    let layout = Layout::new(&ctx, "Change password", Some(&account), "/account");
    Ok(page(&ctx, StatusCode::OK, PasswordPage { layout, error: None }.render()))
}

pub async fn change_password(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let form = checked_form(&ctx, &body)?;
    let me = web.me(&ctx).await?;
    let account = me.account.ok_or_else(|| PageError::Forbidden("API tokens have no password".into()))?;
    let failed = |status: StatusCode, field: Option<&str>, detail: String| {
        let layout = Layout::new(&ctx, "Change password", Some(&account), "/account");
        let error = FormError { form: "password".into(), field: field.map(str::to_string), detail };
        page(&ctx, status, PasswordPage { layout, error: Some(error) }.render())
    };
    if form.get("new_password") != form.get("new_password_again") {
        let detail = "the two new passwords differ; type the same one twice".to_string();
        return Ok(failed(StatusCode::BAD_REQUEST, Some("new_password_again"), detail));
    }
    let body = json!({ "current_password": form.get("current_password"), "new_password": form.get("new_password") });
    let reply = web.call(&ctx, Method::POST, "/api/v1/me/password", Some(&body)).await;
    if !reply.ok() {
        let problem = reply.problem();
        return Ok(failed(reply.status, problem.field.as_deref(), problem.detail));
    }
    let answer: LoginAnswer = reply.json()?;
    let max_age = (answer.expires_at - chrono::Utc::now()).num_seconds().max(0);
    let mut response =
        redirect(&ctx, "/account", Some("Your password is changed. Your other login sessions were ended."));
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::cookie(session::SESSION_COOKIE, &answer.token, max_age, ctx.secure));
    Ok(response)
}
