//! Joule's web portal: server-rendered HTML pages (askama templates, checked at compile time) with a little
//! vanilla JavaScript for live updates, all served from the binary.
//!
//! The portal does not touch the store. Every page and form calls the JSON API in-process
//! ([`client::Web::call`]) with the person's login session as the bearer credential, so the role and
//! operator checks are exactly the API's and no rule is written twice; the portal only renders what the API
//! answers and turns problem documents into messages next to the form field they name.
//!
//! Paths: `/` (redirects to the home of the person's role), `/login`, `/logout`, `/account/password`,
//! operator pages under `/portal/...`, drivers' connector pages under `/c/{station}/{connector}` (what a
//! station's QR code opens), `/password/forgot` and `/password/reset` for a forgotten password, owners'
//! pages under `/owner`, installers' under `/install` (and `/claim`, what a sticker's QR code opens).

mod client;
mod pages;
mod session;
mod views;

use axum::Router;
use axum::extract::Request;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use client::Web;

const CSS: &str = include_str!("../static/portal.css");
const JS: &str = include_str!("../static/portal.js");
const DRIVER_JS: &str = include_str!("../static/driver.js");
const INSTALL_JS: &str = include_str!("../static/install.js");
const SETTINGS_JS: &str = include_str!("../static/settings.js");
const IMPORT_JS: &str = include_str!("../static/import.js");
const ACCESS_JS: &str = include_str!("../static/access.js");

/// The API's routes with the portal's pages added: serve this instead of the API router alone. The API
/// router is kept (cloned) and called in-process for every page; unknown paths under `/api/` still get the
/// API's problem document, other unknown paths the portal's 404 page.
pub fn router(api: Router) -> Router {
    let web = Web::new(api.clone());
    let pages = Router::new()
        .route("/", get(pages::auth::home))
        .route("/login", get(pages::auth::login_form).post(pages::auth::login))
        .route("/logout", post(pages::auth::logout))
        .route("/account", get(pages::auth::account))
        .route("/account/password", get(pages::auth::password_form).post(pages::auth::change_password))
        .route("/portal", get(pages::operator::dashboard))
        .route("/portal/events", get(pages::operator::events))
        .route("/portal/stations", get(pages::operator::stations))
        .route("/portal/stations/{id}", get(pages::operator::station))
        .route("/portal/stations/{id}/photo", get(pages::operator::photo))
        .route("/portal/stations/{id}/{action}", post(pages::operator::station_action))
        .route("/portal/activations", get(pages::operator::activations))
        .route("/portal/activations/{id}/{action}", post(pages::operator::activation_action))
        // --- drivers, password reset, tariffs, reports ---
        .route("/c/{station}/photo", get(pages::driver::photo))
        .route("/c/{station}/{connector}", get(pages::driver::connector))
        .route("/c/{station}/{connector}/start", post(pages::driver::start))
        .route("/c/{station}/{connector}/events", get(pages::driver::events))
        .route("/c/{station}/{connector}/stop/{transaction}", post(pages::driver::stop))
        .route("/password/forgot", get(pages::reset::forgot_form).post(pages::reset::forgot))
        .route("/password/reset", get(pages::reset::reset_form).post(pages::reset::reset))
        .route("/portal/tariffs", get(pages::tariffs::list).post(pages::tariffs::create))
        .route("/portal/tariffs/{id}", get(pages::tariffs::edit).post(pages::tariffs::update))
        .route("/portal/reports", get(pages::reports::reports))
        .route("/portal/reports/sessions.csv", get(pages::reports::sessions_csv))
        .route("/portal/reports/intervals.csv", get(pages::reports::intervals_csv))
        .route("/portal/settings", get(pages::settings::settings).post(pages::settings::save))
        .route("/portal/settings/defaults", post(pages::settings::save_defaults))
        .route("/portal/settings/tokens", post(pages::settings::create_token))
        .route("/portal/settings/tokens/{id}/revoke", post(pages::settings::revoke_token))
        .route("/static/settings.js", get(|| async { asset("text/javascript; charset=utf-8", SETTINGS_JS) }))
        .route("/owner", get(pages::owner::home))
        .route("/owner/requests", post(pages::owner::request))
        // --- owners' sessions and energy ---
        .route("/owner/stations/{id}/intervals.csv", get(pages::owner::intervals_csv))
        .route("/claim", get(pages::install::from_sticker))
        .route("/install", get(pages::install::claim_form))
        .route("/install/claim", post(pages::install::claim))
        .route("/install/stations/{id}", get(pages::install::station))
        .route("/install/stations/{id}/pinpoint", post(pages::install::pinpoint))
        // A photo may be 5 MiB (the API's limit says so precisely); the default body limit is 2 MiB.
        .route(
            "/install/stations/{id}/photo",
            axum::routing::put(pages::install::photo).layer(axum::extract::DefaultBodyLimit::max(6 * 1024 * 1024)),
        )
        .route("/install/stations/{id}/{action}", post(pages::install::act))
        // --- drivers, tokens, groups, access rules ---
        .route("/portal/drivers", get(pages::people::drivers).post(pages::people::create_driver))
        .route("/portal/drivers/{id}", get(pages::people::driver))
        .route("/portal/drivers/{id}/{action}", post(pages::people::driver_action))
        .route("/portal/groups", post(pages::people::create_group))
        .route("/portal/groups/{id}/delete", post(pages::people::delete_group))
        .route("/portal/tokens", get(pages::people::tokens).post(pages::people::create_token))
        // The CSV may be 5 MiB (the API's limit); urlencoded, up to three times that.
        .route(
            "/portal/tokens/import",
            get(pages::people::import_form)
                .post(pages::people::import)
                .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024)),
        )
        .route("/portal/tokens/{tag}/{action}", post(pages::people::token_action))
        .route("/portal/stations/{id}/access", get(pages::access::page).post(pages::access::save))
        .route("/portal/stations/{id}/local-list", post(pages::access::sync_list))
        .route("/static/import.js", get(|| async { asset("text/javascript; charset=utf-8", IMPORT_JS) }))
        .route("/static/access.js", get(|| async { asset("text/javascript; charset=utf-8", ACCESS_JS) }))
        .route("/static/install.js", get(|| async { asset("text/javascript; charset=utf-8", INSTALL_JS) }))
        .route("/static/driver.js", get(|| async { asset("text/javascript; charset=utf-8", DRIVER_JS) }))
        .route("/static/portal.css", get(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/static/portal.js", get(|| async { asset("text/javascript; charset=utf-8", JS) }))
        .with_state(web.clone());
    let fallback_web = web.clone();
    api.merge(pages).fallback(move |request: Request| {
        let web = fallback_web.clone();
        async move { web.fallback(request).await }
    })
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

#[cfg(test)]
mod render_tests;
