//! Joule's server: the OCPP gateway (station connections, the protocol adapter) in front of the
//! application layer ([`joule_app`]), and the HTTP server that serves it with the REST API.

mod error;
pub mod gateway;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use joule_app::charging::Charging;
use joule_store::Store;
use tokio::net::TcpListener;

pub use error::Error;
pub use gateway::Gateway;
pub use joule_app::settings::{self, Settings};
// The gateway's files name the live events as the server's own.
pub(crate) use joule_app::events;

/// Checks the `[mail]` settings, so that `joule serve` refuses a configuration it cannot use.
pub fn check_mail(settings: &Settings) -> Result<(), joule_mail::MailError> {
    joule_mail::Mailer::new(&settings.mail, &settings.data_dir).map(|_| ())
}

/// A running server's parts, for the binary and for tests: the use cases, and the gateway they reach
/// stations through.
#[derive(Clone)]
pub struct Server {
    pub app: joule_app::App,
    pub gateway: Gateway,
    /// Routes served beside the OCPP endpoint (the REST API, which lives in its own crate).
    routes: Option<axum::Router>,
}

impl Server {
    /// The gateway is built first, with the station-facing rules ([`Charging`], which need no station);
    /// then the application, with the gateway as its `Stations`.
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Server {
        let settings = Arc::new(settings);
        let charging = Charging::new(store, settings.clone());
        let gateway = Gateway::new(charging.clone(), settings.clone());
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
        let app = joule_app::App::new(charging, Arc::new(gateway.clone()), Arc::new(mailer));
        Server { app, gateway, routes: None }
    }

    pub fn settings(&self) -> &Arc<Settings> {
        self.app.settings()
    }

    /// Serves `routes` too (e.g. `joule_api::router(server.app.clone())`).
    pub fn with_routes(mut self, routes: axum::Router) -> Server {
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
        let stale = self.app.charging().store().mark_all_offline(chrono::Utc::now()).await?;
        if stale > 0 {
            tracing::info!(stations = stale, "stations connected before the restart marked offline");
        }
        let jobs = joule_app::jobs::spawn_all(&self.app);
        let router = self.router().into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(listener, router).with_graceful_shutdown(shutdown).await;
        for job in jobs {
            job.abort();
        }
        // Upgraded WebSocket connections outlive the HTTP server's graceful shutdown: close them, so each
        // records its station offline, then let the store commit what is queued.
        self.gateway.close_all(Duration::from_secs(10)).await;
        self.app.charging().store().close().await;
        result.map_err(Error::from)
    }
}
