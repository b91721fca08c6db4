//! Joule's server: the OCPP gateway and the rules behind it, on a [`joule_store::Store`].

pub mod access;
pub mod billing;
mod error;
pub mod events;
pub mod gateway;
pub mod handover;
pub mod intervals;
pub mod local_list;
pub mod notify;
pub mod offline;
pub mod password;
pub mod remote_start;
pub mod service;
pub mod settings;
pub mod zone;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use joule_app::{CommandFailure, Stations};
use joule_core::command::{StationCommand, TriggerKind};
use joule_store::{OutboxKind, Store};
use tokio::net::TcpListener;

pub use error::Error;
pub use gateway::Gateway;
pub use service::Services;
pub use settings::Settings;

/// How often the server looks for work queued by other processes (e.g. `joule station activate`).
const OUTBOX_POLL: Duration = Duration::from_secs(1);

/// Checks the `[mail]` settings, so that `joule serve` refuses a configuration it cannot use.
pub fn check_mail(settings: &Settings) -> Result<(), joule_mail::MailError> {
    joule_mail::Mailer::new(&settings.mail, &settings.data_dir).map(|_| ())
}

/// A running server's parts, for the binary and for tests.
#[derive(Clone)]
pub struct App {
    pub services: Services,
    pub gateway: Gateway,
    pub settings: Arc<Settings>,
    /// Sends Joule's e-mails (or writes them to the outbox folder).
    pub mailer: Arc<joule_mail::Mailer>,
    /// Routes served beside the OCPP endpoint (the REST API, which lives in its own crate).
    routes: Option<axum::Router>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> App {
        let settings = Arc::new(settings);
        let services = Services::new(store, settings.clone());
        let gateway = Gateway::new(services.clone(), settings.clone());
        let mailer = match joule_mail::Mailer::new(&settings.mail, &settings.data_dir) {
            Ok(mailer) => mailer,
            Err(e) => {
                // `joule serve` checks the settings before it starts (see `check_mail`); a caller that did
                // not still gets a working system: every mail goes to the outbox folder.
                tracing::error!(error = %e, "invalid [mail] settings: mails go to the outbox folder");
                let outbox_only = joule_mail::MailSettings { smtp: None, ..settings.mail.clone() };
                joule_mail::Mailer::new(&outbox_only, &settings.data_dir)
                    .or_else(|_| joule_mail::Mailer::new(&Default::default(), &settings.data_dir))
                    .expect("the default mail settings are valid")
            }
        };
        App { services, gateway, settings, mailer: Arc::new(mailer), routes: None }
    }

    /// Serves `routes` too (e.g. `joule_api::router(app.clone())`).
    pub fn with_routes(mut self, routes: axum::Router) -> App {
        self.routes = Some(routes);
        self
    }

    pub fn router(&self) -> axum::Router {
        let router = self.gateway.routes().route("/health", axum::routing::get(|| async { "ok" }));
        match &self.routes {
            Some(routes) => router.merge(routes.clone()),
            None => router,
        }
    }

    /// Serves on `listener` until `shutdown` completes.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), Error> {
        // No station can be connected to a server that is only starting (single node): whatever the
        // database says about connections from before is stale.
        let stale = self.services.store().mark_all_offline(chrono::Utc::now()).await?;
        if stale > 0 {
            tracing::info!(stations = stale, "stations connected before the restart marked offline");
        }
        let outbox = tokio::spawn(run_outbox(self.clone()));
        // --- offline detection ---
        let offline = tokio::spawn(offline::run(self.clone()));
        // Handovers: re-checks what a restart interrupted, starts recorded ones on boot.
        let handovers = tokio::spawn(handover::run(self.clone()));
        // --- tariffs and billing: prices sessions that stopped while no server was running ---
        let pricing = tokio::spawn(billing::run(self.services.store().clone()));
        // --- local authorization list sync: syncs the stations whose lists may be out of step ---
        let local_lists = tokio::spawn(local_list::run(self.gateway.clone()));
        let router = self.router().into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(listener, router).with_graceful_shutdown(shutdown).await;
        outbox.abort();
        offline.abort();
        handovers.abort();
        pricing.abort();
        local_lists.abort();
        // Upgraded WebSocket connections outlive the HTTP server's graceful shutdown: close them, so each
        // records its station offline, then let the store commit what is queued.
        self.gateway.close_all(Duration::from_secs(10)).await;
        self.services.store().close().await;
        result.map_err(Error::from)
    }
}

/// Delivers work queued in the database to the stations connected here. Open items are re-read on every
/// poll rather than after a cursor: with several writers, ids may become visible out of order, and an item
/// stays open only until it is handled, so the open set stays small.
async fn run_outbox(app: App) {
    let store = app.services.store().clone();
    let in_flight: Arc<std::sync::Mutex<std::collections::HashSet<i64>>> = Arc::default();
    loop {
        tokio::time::sleep(OUTBOX_POLL).await;
        let items = match store.open_outbox(0, 100).await {
            Ok(items) => items,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the outbox");
                continue;
            }
        };
        for item in items {
            if !in_flight.lock().unwrap_or_else(|e| e.into_inner()).insert(item.id) {
                continue;
            }
            let (app, store, in_flight) = (app.clone(), store.clone(), in_flight.clone());
            // Each item on its own task: a station that is slow to answer must not hold up the others.
            tokio::spawn(async move {
                let outcome = match item.kind {
                    OutboxKind::TriggerBoot => {
                        // OCPP 1.6 §5.17 TriggerMessage: the station sends BootNotification now and is
                        // accepted, instead of waiting out its pending interval.
                        let trigger = StationCommand::Trigger { message: TriggerKind::BootNotification, target: None };
                        let action = app.gateway.wire(&item.station_id, &trigger).map(|w| w.action).unwrap_or_default();
                        match app.gateway.send("system", &item.station_id, trigger).await {
                            Ok(report) => format!("{} answered {}", report.action, report.answer),
                            Err(CommandFailure::Offline) => "station offline; it is accepted at its next boot".into(),
                            Err(e) => format!("{action} failed: {e}"),
                        }
                    }
                };
                tracing::info!(station = %item.station_id, kind = item.kind.as_str(), %outcome, "outbox item done");
                if let Err(e) = store.close_outbox(item.id, &outcome, chrono::Utc::now()).await {
                    tracing::warn!(error = %e, "could not close an outbox item");
                }
                in_flight.lock().unwrap_or_else(|e| e.into_inner()).remove(&item.id);
            });
        }
    }
}
