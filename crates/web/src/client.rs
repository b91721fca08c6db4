//! The portal's way to the API: an in-process call of the API router with the person's login session, and
//! what a page makes of the answer.

use std::convert::Infallible;
use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tower::ServiceExt;

use crate::session;
use crate::views::{Me, Problem};

/// The largest API answer a page reads (message logs and lists are bounded by their `limit`s far below).
const MAX_ANSWER: usize = 16 * 1024 * 1024;

/// The portal's state: the API router it calls.
#[derive(Clone)]
pub struct Web {
    api: Router,
}

/// What a request brings that pages need: the login session from the cookie, the client's address (the
/// API's login limiter counts per address), whether it came over https, and a flash message.
/// Not `Debug`: it holds the session secret, which must never reach a log line.
#[derive(Clone)]
pub struct Ctx {
    pub secret: Option<String>,
    pub remote: Option<ConnectInfo<SocketAddr>>,
    pub secure: bool,
    pub flash: Option<String>,
    pub login_csrf: Option<String>,
    /// For a platform admin: the operator chosen to act for (sent as the API's `Joule-Operator` header).
    pub operator: Option<String>,
    /// The path and query of the request, to come back to after logging in.
    pub here: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ctx, Infallible> {
        let cookies = session::cookies(&parts.headers);
        let find = |name: &str| cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let forwarded_https = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
        Ok(Ctx {
            secret: find(session::SESSION_COOKIE).filter(|s| !s.is_empty()),
            remote: parts.extensions.get::<ConnectInfo<SocketAddr>>().cloned(),
            secure: forwarded_https || parts.uri.scheme_str() == Some("https"),
            flash: find(session::FLASH_COOKIE).map(|f| session::decode(&f)).filter(|f| !f.is_empty()),
            login_csrf: find(session::LOGIN_CSRF_COOKIE).filter(|s| !s.is_empty()),
            operator: find(session::OPERATOR_COOKIE).filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())),
            here: parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into()),
        })
    }
}

impl Ctx {
    /// The CSRF token of the person's session: forms carry it, POSTs must bring it back.
    pub fn csrf(&self) -> String {
        self.secret.as_deref().map(session::csrf_token).unwrap_or_default()
    }
}

/// An API answer.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn ok(&self) -> bool {
        self.status.is_success()
    }

    /// The problem document of a failed call (a generic one if the body is not one).
    pub fn problem(&self) -> Problem {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| Problem {
            title: "The request failed".into(),
            detail: format!("the API answered {}", self.status),
            field: None,
        })
    }

    /// The answer's JSON as `T`, or the page error its status means.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, PageError> {
        if !self.ok() {
            return Err(PageError::from_reply(&self));
        }
        serde_json::from_slice(&self.body).map_err(|e| {
            tracing::error!(error = %e, "the portal could not read an API answer");
            PageError::Failed(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the API's answer was not what the page expected".into(),
            )
        })
    }
}

/// Why a page cannot be shown.
#[derive(Debug)]
pub enum PageError {
    /// Not logged in (or the session ended): to the login page, coming back to `next` afterwards.
    Login {
        next: String,
    },
    Forbidden(String),
    NotFound(String),
    /// A POST without a valid CSRF token.
    Csrf,
    Failed(StatusCode, String),
    /// A platform admin has not chosen the operator to act for (the API wants `Joule-Operator`).
    ChooseOperator(String),
}

impl PageError {
    pub fn from_reply(reply: &Reply) -> PageError {
        let problem = reply.problem();
        let detail = problem.detail;
        match reply.status {
            StatusCode::BAD_REQUEST if problem.field.as_deref() == Some("Joule-Operator") => {
                PageError::ChooseOperator(detail)
            }
            StatusCode::UNAUTHORIZED => PageError::Login { next: "/".into() },
            StatusCode::FORBIDDEN => PageError::Forbidden(detail),
            StatusCode::NOT_FOUND => PageError::NotFound(detail),
            status => PageError::Failed(status, detail),
        }
    }

    /// A 401 sends the person to log in and come back to `here`.
    pub fn at(self, ctx: &Ctx) -> PageError {
        match self {
            PageError::Login { .. } => PageError::Login { next: ctx.here.clone() },
            other => other,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub title: String,
    pub detail: String,
    /// Offer a platform admin the form to choose the operator to act for.
    pub choose_operator: bool,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, detail) = match self {
            PageError::Login { next } => {
                let target = if session::local_path(&next) && next != "/" {
                    format!("/login?next={}", session::encode(&next))
                } else {
                    "/login".to_string()
                };
                return Redirect::to(&target).into_response();
            }
            PageError::Forbidden(d) => (StatusCode::FORBIDDEN, "Not allowed", d),
            PageError::NotFound(d) => (StatusCode::NOT_FOUND, "Not found", d),
            PageError::Csrf => (
                StatusCode::FORBIDDEN,
                "Not allowed",
                "The form's security token is missing or out of date. Go back, reload the page and try again."
                    .to_string(),
            ),
            PageError::Failed(status, d) => (status, "Something went wrong", d),
            PageError::ChooseOperator(d) => {
                let page = ErrorPage { title: "Choose an operator".into(), detail: d, choose_operator: true };
                return (StatusCode::BAD_REQUEST, html(page.render())).into_response();
            }
        };
        let page = ErrorPage { title: title.to_string(), detail, choose_operator: false };
        (status, html(page.render())).into_response()
    }
}

/// A rendered template as an HTML response (a render failure is logged and answers 500).
pub fn html(rendered: askama::Result<String>) -> Response {
    match rendered {
        // Pages load only their own script, style and images and may not be framed (clickjacking), so even
        // markup that slipped through escaping could not run a script of its own.
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
                ),
                (header::X_FRAME_OPTIONS, "DENY"),
                (header::REFERRER_POLICY, "same-origin"),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a portal template did not render");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response()
        }
    }
}

impl Web {
    pub fn new(api: Router) -> Web {
        Web { api }
    }

    /// Calls the API in-process as the person of `ctx`, with a JSON body if given.
    pub async fn call(&self, ctx: &Ctx, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let response = self.send(ctx, method, path, body).await;
        let (parts, body) = response.into_parts();
        let body = match axum::body::to_bytes(body, MAX_ANSWER).await {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, path, "the portal could not read an API answer");
                return Reply {
                    status: StatusCode::BAD_GATEWAY,
                    headers: HeaderMap::new(),
                    body: Bytes::from_static(
                        b"{\"title\":\"No answer\",\"detail\":\"the API's answer could not be read\"}",
                    ),
                };
            }
        };
        Reply { status: parts.status, headers: parts.headers, body }
    }

    /// Calls the API and returns its response as it is, body streaming (event streams, photos).
    pub async fn send(&self, ctx: &Ctx, method: Method, path: &str, body: Option<&Value>) -> Response {
        let mut builder = axum::http::Request::builder().method(method).uri(path);
        if let Some(secret) = &ctx.secret
            && let Ok(value) = HeaderValue::from_str(&format!("Bearer {secret}"))
        {
            builder = builder.header(header::AUTHORIZATION, value);
        }
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        let mut request = match builder.body(body) {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, path, "the portal built an invalid API request");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        if let Some(operator) = &ctx.operator
            && let Ok(value) = HeaderValue::from_str(operator)
        {
            request.headers_mut().insert("joule-operator", value);
        }
        if let Some(remote) = ctx.remote {
            request.extensions_mut().insert(remote);
        }
        match self.api.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }

    /// Calls the API with a raw body of `content_type` (a photo), as the person of `ctx`.
    pub async fn call_raw(&self, ctx: &Ctx, method: Method, path: &str, content_type: &str, body: Bytes) -> Reply {
        let mut builder = axum::http::Request::builder().method(method).uri(path);
        if let Some(secret) = &ctx.secret
            && let Ok(value) = HeaderValue::from_str(&format!("Bearer {secret}"))
        {
            builder = builder.header(header::AUTHORIZATION, value);
        }
        if let Ok(value) = HeaderValue::from_str(content_type) {
            builder = builder.header(header::CONTENT_TYPE, value);
        }
        let Ok(mut request) = builder.body(Body::from(body)) else {
            return Reply { status: StatusCode::BAD_REQUEST, headers: HeaderMap::new(), body: Bytes::new() };
        };
        if let Some(operator) = &ctx.operator
            && let Ok(value) = HeaderValue::from_str(operator)
        {
            request.headers_mut().insert("joule-operator", value);
        }
        if let Some(remote) = ctx.remote {
            request.extensions_mut().insert(remote);
        }
        let response = match self.api.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, MAX_ANSWER).await.unwrap_or_default();
        Reply { status: parts.status, headers: parts.headers, body }
    }

    /// GET a JSON resource as `T`.
    pub async fn get<T: DeserializeOwned>(&self, ctx: &Ctx, path: &str) -> Result<T, PageError> {
        self.call(ctx, Method::GET, path, None).await.json().map_err(|e| e.at(ctx))
    }

    /// Who is logged in; to the login page if nobody is.
    pub async fn me(&self, ctx: &Ctx) -> Result<Me, PageError> {
        if ctx.secret.is_none() {
            return Err(PageError::Login { next: ctx.here.clone() });
        }
        self.get(ctx, "/api/v1/me").await
    }

    /// Requests the router has no route for: the API's problem for `/api/...`, the portal's 404 page else.
    pub async fn fallback(&self, request: Request) -> Response {
        if request.uri().path().starts_with("/api/") {
            return match self.api.clone().oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
        }
        PageError::NotFound(format!("There is no page {}.", request.uri().path())).into_response()
    }
}
