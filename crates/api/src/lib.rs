//! Joule's REST API: JSON under `/api/v1/`, described by the OpenAPI document at `/api/v1/openapi.json`
//! (generated from these handlers) and browsable at `/api/v1/docs`.
//!
//! Every endpoint but the two documents takes a bearer API token and acts for the token's operator only: a
//! resource of another operator answers 404 exactly like one that does not exist, so a token learns nothing
//! about other operators. Roles are checked per endpoint (viewer reads, operator also acts, admin also
//! manages tokens and defaults). Errors are RFC 9457 problem documents ([`error`]).

pub mod auth;
mod docs;
pub mod error;
mod extract;
pub mod model;
mod params;
mod routes;
mod token_import;

use axum::Router;
use joule_app::App;
use joule_core::StationId;
use joule_core::station::Station;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

use auth::Caller;
use error::{ApiError, ApiResult};

/// What every handler gets: the use cases, and what is the API's own (streams, the login limiter).
#[derive(Clone)]
pub struct ApiState {
    pub app: App,
    /// Open event streams, bounded: each holds a subscription to the event bus.
    pub(crate) streams: std::sync::Arc<tokio::sync::Semaphore>,
    /// Open connector streams of people who are not logged in (passers-by at a station), bounded apart so
    /// that they can never take the operators' streams.
    pub(crate) public_streams: std::sync::Arc<tokio::sync::Semaphore>,
    /// Failed logins per e-mail and per address.
    pub(crate) logins: std::sync::Arc<routes::LoginLimiter>,
}

/// At most this many event streams are open at once; more answer 503 until one closes.
pub const MAX_EVENT_STREAMS: usize = 1000;

/// At most this many connector streams of people who are not logged in are open at once (503 beyond).
pub const MAX_PUBLIC_STREAMS: usize = 200;

impl ApiState {
    /// The way to any station (the [`joule_app::Stations`] port).
    pub(crate) fn stations(&self) -> &dyn joule_app::Stations {
        &**self.app.stations()
    }

    /// The caller's station: 404 for a station that does not exist or belongs to another operator, 400 for
    /// an id that cannot be a station id.
    pub(crate) async fn station(&self, caller: &Caller, id: &str) -> ApiResult<(StationId, Station)> {
        Ok(self.app.operations().station(&caller.actor(), id).await?)
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Joule API",
        description = "Operate OCPP charging stations: stations, commands, configuration, id tokens, sessions, \
                       the OCPP message log and a live event stream; people's accounts and the audit log. \
                       Authenticate with `Authorization: Bearer <token>`: an API token (`joule api-token create`) \
                       or a login session (`POST /api/v1/login`). Errors are RFC 9457 problem documents.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "operators", description = "The operator the token belongs to, and its default configuration"),
        (name = "stations", description = "Stations, their connectors, configuration and history"),
        (name = "commands", description = "Commands sent to stations (OCPP 1.6 CSMS-initiated messages)"),
        (name = "id-tokens", description = "RFID cards and other idTags that may charge"),
        (name = "sessions", description = "Charging sessions (OCPP transactions) with their meter values"),
        (name = "events", description = "Live station events (server-sent events)"),
        (name = "api-tokens", description = "The operator's API tokens"),
        (name = "accounts", description = "People: login, accounts, approval of owners and installers, the audit log"),
        (name = "activation", description = "Activation requests: the owner's form, the operator's queue, the portal inbox"),
        (name = "handover", description = "Handover to third-party backends: backends, provisioning profiles, handovers, assignment of unclaimed stations"),
        (name = "access", description = "Who may charge at a station and when: access rules, and the explanation of a decision"),
        (name = "drivers", description = "Drivers in the portal: a connector's public page, starting and stopping a session, the live session with its cost so far"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("joule_…").build()),
        );
    }
}

fn api() -> OpenApiRouter<ApiState> {
    routes::all(OpenApiRouter::with_openapi(ApiDoc::openapi()))
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api().into_openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

/// The API's routes on the use cases of `app`, to be merged into the server's router.
pub fn router(app: App) -> Router {
    let (router, _) = api().split_for_parts();
    let doc = openapi();
    let json = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let html = docs::render(&doc);
    router
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], json) }),
        )
        .route("/api/v1/docs", axum::routing::get(move || async move { axum::response::Html(html) }))
        .fallback(fallback)
        .with_state(ApiState {
            app,
            streams: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_EVENT_STREAMS)),
            public_streams: std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_PUBLIC_STREAMS)),
            logins: Default::default(),
        })
}

/// Unknown paths under `/api/` answer a problem; others a plain 404 (they are not the API's).
async fn fallback(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        ApiError::not_found(format!("no endpoint {}; see /api/v1/docs", uri.path())).into_response()
    } else {
        axum::http::StatusCode::NOT_FOUND.into_response()
    }
}
