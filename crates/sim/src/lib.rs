//! joule-sim: simulated OCPP 1.6J charging stations.
//!
//! - [`client::StationClient`] drives one station step by step, for integration tests of a CSMS.
//! - [`run`] is the load generator behind the `joule-sim` binary: N stations, each one task and one WebSocket,
//!   in one of the [`Mode`]s, bounded by [`Config::duration`], ending with a [`Report`].
//!
//! It speaks only OCPP 1.6J over WebSocket, so it can be pointed at any CSMS.

pub mod client;
mod config;
mod error;
mod payloads;
pub mod provisioned;
mod run;
mod station;
mod stats;
mod ws;

pub use config::{Config, MAX_DURATION, MAX_STATIONS, Mode, parse_duration};
pub use error::{ClientError, ConnectError, Error};
pub use run::run;
pub use stats::{ActionReport, Boots, Calls, Connections, Latency, Report, Transactions};
