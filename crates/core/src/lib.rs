//! Joule's domain: the words of the glossary in `DESIGN.md` as types, and the rules that do not depend on a
//! protocol, a database or a socket.
//!
//! Everything here is synchronous and pure: the OCPP adapters translate wire messages into these types, the
//! store persists them, and the rules (who may charge, what a boot is answered) live here so that OCPP 1.6 and
//! 2.0.1 stations share them.

pub mod access;
pub mod account;
pub mod activation;
pub mod address;
pub mod auth;
pub mod billing;
pub mod catalog;
pub mod command;
pub mod country;
pub mod error;
pub mod handover;
pub mod ids;
pub mod intervals;
pub mod local_list;
pub mod location;
pub mod meter;
pub mod operator;
pub mod parking;
pub mod role;
pub mod session;
pub mod station;
pub mod tariff;
pub mod verification;

pub use error::DomainError;
pub use ids::{IdTag, IdToken, IdTokenType, OperatorId, OperatorKey, SessionId, StationId, TransactionId};
pub use role::Role;

/// All instants are UTC inside Joule (DESIGN.md rule 3).
pub type Timestamp = chrono::DateTime<chrono::Utc>;
