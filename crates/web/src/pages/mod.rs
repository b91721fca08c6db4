//! The pages, by who uses them, and what they share: the layout (navigation by role, flash message),
//! form handling with CSRF checks, redirects.

pub mod access;
pub mod auth;
pub mod driver;
pub mod install;
pub mod operator;
pub mod owner;
pub mod people;
pub mod reports;
pub mod reset;
pub mod settings;
pub mod tariffs;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::client::{Ctx, PageError, Reply, Web};
use crate::session::{self, Form};
use crate::views::Account;

/// A link of the navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What every page's frame shows.
pub struct Layout {
    pub title: String,
    pub person: Option<Account>,
    pub nav: Vec<NavLink>,
    pub csrf: String,
    pub flash: Option<String>,
}

impl Layout {
    /// The frame for `person`: the navigation of their role, with `here` marked as the current page.
    pub fn new(ctx: &Ctx, title: impl Into<String>, person: Option<&Account>, here: &str) -> Layout {
        let mut nav = Vec::new();
        if let Some(p) = person {
            if matches!(p.role.as_str(), "operator-staff" | "platform-admin") {
                nav.push(("/portal", "Dashboard"));
                nav.push(("/portal/stations", "Stations"));
                nav.push(("/portal/activations", "Activation requests"));
                nav.push(("/portal/drivers", "Drivers"));
                nav.push(("/portal/tokens", "Tokens"));
                nav.push(("/portal/tariffs", "Tariffs"));
                nav.push(("/portal/reports", "Reports"));
                nav.push(("/portal/settings", "Settings"));
            }
            if p.role == "installer" {
                nav.push(("/install", "Claim a station"));
            }
            if p.role == "owner" {
                nav.push(("/owner", "My stations"));
            }
            nav.push(("/account", "Account"));
        }
        Layout {
            title: title.into(),
            person: person.cloned(),
            nav: nav.into_iter().map(|(href, label)| NavLink { href, label, current: href == here }).collect(),
            csrf: ctx.csrf(),
            flash: ctx.flash.clone(),
        }
    }
}

/// A rendered page; the flash message it showed is deleted.
pub fn page(ctx: &Ctx, status: StatusCode, rendered: askama::Result<String>) -> Response {
    let mut response = crate::client::html(rendered);
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    if ctx.flash.is_some() {
        response.headers_mut().append(header::SET_COOKIE, session::cookie(session::FLASH_COOKIE, "", 0, ctx.secure));
    }
    response
}

/// 303 to `to` (after a POST, so a reload does not repeat it), with a message for the next page.
pub fn redirect(ctx: &Ctx, to: &str, flash: Option<&str>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let location = HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/"));
    response.headers_mut().insert(header::LOCATION, location);
    if let Some(message) = flash {
        let value = session::encode(message);
        response
            .headers_mut()
            .append(header::SET_COOKIE, session::cookie(session::FLASH_COOKIE, &value, 60, ctx.secure));
    }
    response
}

/// The form of a logged-in person's POST, after its CSRF token is checked (403 page without a valid one).
pub fn checked_form(ctx: &Ctx, body: &[u8]) -> Result<Form, PageError> {
    let form = Form::parse(body);
    let Some(secret) = ctx.secret.as_deref() else {
        return Err(PageError::Login { next: "/".into() });
    };
    if session::same(&session::csrf_token(secret), form.get("csrf")) { Ok(form) } else { Err(PageError::Csrf) }
}

/// An error of a form: the API's problem, shown next to the field it names (or atop the form).
#[derive(Debug, Clone, Default)]
pub struct FormError {
    /// Which form on the page it belongs to.
    pub form: String,
    pub field: Option<String>,
    pub detail: String,
}

impl FormError {
    pub fn of(&self, form: &str) -> Option<&FormError> {
        (self.form == form).then_some(self)
    }

    pub fn on(&self, form: &str, field: &str) -> bool {
        self.form == form && self.field.as_deref() == Some(field)
    }
}

/// The logged-in person behind an operator page (API tokens have no portal).
pub async fn staff(web: &Web, ctx: &Ctx) -> Result<Account, PageError> {
    let me = web.me(ctx).await?;
    me.account.ok_or_else(|| PageError::Forbidden("API tokens have no portal".into()))
}

/// The operator an operator page is about: a platform admin's choice, else the staff member's own.
pub fn operator_of(ctx: &Ctx, account: &Account) -> Result<i64, PageError> {
    if let Some(op) = ctx.operator.as_deref().and_then(|o| o.parse().ok()) {
        return Ok(op);
    }
    account.operator_id.ok_or_else(|| PageError::Forbidden("choose an operator first".into()))
}

/// The API's refusal of a form, as the message shown atop `form` (naming the field when the API did).
pub fn refused(form: &str, reply: &Reply) -> FormError {
    let p = reply.problem();
    let detail = match &p.field {
        Some(f) => format!("{f}: {}", p.detail),
        None => p.detail,
    };
    FormError { form: form.into(), field: p.field, detail }
}

/// A refused form shown again: the API's problem atop the form it belongs to, and what was entered kept.
/// Pages with several forms hold one, and the templates ask it per form.
#[derive(Debug, Default)]
pub struct Refused {
    pub error: Option<FormError>,
    pub entered: Form,
}

impl Refused {
    pub fn new(error: FormError, entered: Form) -> Refused {
        Refused { error: Some(error), entered }
    }

    /// The problem to show atop `form`, if it is the refused one.
    pub fn err(&self, form: &str) -> Option<&str> {
        self.error.as_ref().and_then(|e| e.of(form)).map(|e| e.detail.as_str())
    }

    /// What was entered in `field` of `form`, if it is the refused one; else empty.
    pub fn entered(&self, form: &str, field: &str) -> &str {
        self.or(form, field, "")
    }

    /// What was entered in `field` of `form`, if it is the refused one; else `current`.
    pub fn or<'a>(&'a self, form: &str, field: &str, current: &'a str) -> &'a str {
        match &self.error {
            Some(e) if e.form == form => self.entered.get(field),
            _ => current,
        }
    }

    /// 400 for a page shown again with a problem, else 200.
    pub fn status(&self) -> StatusCode {
        if self.error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK }
    }
}
