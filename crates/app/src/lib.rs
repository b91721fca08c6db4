//! Joule's application layer: the one home of the rules and use cases, grouped by concept, and the ports
//! they reach the world through.
//!
//! - [`App`] is the facade the API, the portal and the CLI call: `app.operations()`, `app.access()`, ...
//!   each give a small value whose methods are the use cases. A use case checks the [`Actor`]'s
//!   permission first ([`policy`]), writes its audit entry through [`audit`], and fails with [`AppError`].
//! - [`Stations`] is the one way to ask anything of a station; the ports in [`ports`] hold what lives in
//!   the process today (live events, remote start watches, local list marks, claims, leadership).
//!
//! Depends on the domain (`joule-core`), the store and the mailer only: never on the gateway, the API or
//! the OCPP crate, so that a use case reads the same whatever version a station speaks and wherever it is
//! connected.

pub mod access;
pub mod accounts;
mod actor;
mod app;
pub mod audit;
pub mod billing;
pub mod charging;
mod error;
pub mod events;
pub mod jobs;
pub mod notify;
pub mod onboarding;
pub mod operations;
pub mod policy;
pub mod ports;
pub mod settings;
pub mod stations;

pub use actor::Actor;
pub use app::App;
pub use error::{AppError, AppResult, StoreError};
pub use policy::Permission;
pub use settings::Settings;
pub use stations::{
    CommandFailure, CommandReport, Connection, Recorded, Stations, Traffic, UnreadableAnswer, WireCall,
};
