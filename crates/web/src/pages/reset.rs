//! A forgotten password ("reset password by an e-mailed link"): the form that asks for a link, and
//! the page the mailed link opens to choose a new password. The API decides everything (one answer for every
//! address, single-use links, limits); these pages ask and show.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{Layout, page, redirect};
use crate::client::{Ctx, PageError, Web};
use crate::session::{self, Form};

#[derive(Template)]
#[template(path = "forgot.html")]
pub struct ForgotPage {
    pub layout: Layout,
    pub csrf_login: String,
    pub email: String,
    pub error: Option<String>,
    pub sent: Option<String>,
}

#[derive(Template)]
#[template(path = "reset.html")]
pub struct ResetPage {
    pub layout: Layout,
    pub csrf_login: String,
    pub token: String,
    pub error: Option<String>,
    pub field: Option<String>,
}

/// The double-submit token of a person who is not logged in (as the login form uses).
fn token_cookie(ctx: &Ctx, response: &mut Response, token: &str) {
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::cookie(session::LOGIN_CSRF_COOKIE, token, 7200, ctx.secure));
}

fn forgot_page(ctx: &Ctx, status: StatusCode, email: String, error: Option<String>, sent: Option<String>) -> Response {
    let token = ctx.login_csrf.clone().unwrap_or_else(session::random_token);
    let layout = Layout::new(ctx, "Forgot your password?", None, "/password/forgot");
    let mut response = page(ctx, status, ForgotPage { layout, csrf_login: token.clone(), email, error, sent }.render());
    token_cookie(ctx, &mut response, &token);
    response
}

pub async fn forgot_form(ctx: Ctx) -> Response {
    forgot_page(&ctx, StatusCode::OK, String::new(), None, None)
}

pub async fn forgot(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if !ctx.login_csrf.as_deref().is_some_and(|expected| session::same(expected, form.get("csrf"))) {
        return axum::response::IntoResponse::into_response(PageError::Csrf);
    }
    let email = form.get("email").trim().to_string();
    let anonymous = Ctx { secret: None, ..ctx.clone() };
    let reply = web.call(&anonymous, Method::POST, "/api/v1/password-reset", Some(&json!({ "email": email }))).await;
    if !reply.ok() {
        return forgot_page(&ctx, reply.status, email, Some(reply.problem().detail), None);
    }
    let detail: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
    let sent = detail["detail"].as_str().unwrap_or("If the address has an account, a link is on its way.").to_string();
    forgot_page(&ctx, StatusCode::OK, email, None, Some(sent))
}

#[derive(Debug, Deserialize)]
pub struct ResetQuery {
    token: Option<String>,
}

fn reset_page(ctx: &Ctx, status: StatusCode, token: String, error: Option<String>, field: Option<String>) -> Response {
    let csrf = ctx.login_csrf.clone().unwrap_or_else(session::random_token);
    let layout = Layout::new(ctx, "Choose a new password", None, "/password/reset");
    let mut response = page(ctx, status, ResetPage { layout, csrf_login: csrf.clone(), token, error, field }.render());
    token_cookie(ctx, &mut response, &csrf);
    response
}

pub async fn reset_form(ctx: Ctx, Query(q): Query<ResetQuery>) -> Response {
    reset_page(&ctx, StatusCode::OK, q.token.unwrap_or_default(), None, None)
}

pub async fn reset(State(web): State<Web>, ctx: Ctx, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if !ctx.login_csrf.as_deref().is_some_and(|expected| session::same(expected, form.get("csrf"))) {
        return axum::response::IntoResponse::into_response(PageError::Csrf);
    }
    let token = form.get("token").to_string();
    if form.get("password") != form.get("password_again") {
        let detail = "the two passwords differ; type the same one twice".to_string();
        return reset_page(&ctx, StatusCode::BAD_REQUEST, token, Some(detail), Some("password_again".into()));
    }
    let anonymous = Ctx { secret: None, ..ctx.clone() };
    let request = json!({ "token": token, "password": form.get("password") });
    let reply = web.call(&anonymous, Method::POST, "/api/v1/password-reset/confirm", Some(&request)).await;
    if !reply.ok() {
        let problem = reply.problem();
        return reset_page(&ctx, reply.status, token, Some(problem.detail), problem.field);
    }
    redirect(&ctx, "/login", Some("Your new password is set. Log in with it."))
}
