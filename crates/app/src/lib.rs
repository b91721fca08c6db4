//! Joule's application layer: the use cases, grouped by concept, and the ports they reach the world
//! through. For now it holds the ports: [`Stations`], the one way to ask anything of a station.
//!
//! Depends on the domain (`joule-core`) only: never on the gateway, the API or the OCPP crate, so that a
//! use case reads the same whatever version a station speaks and wherever it is connected.

pub mod stations;

pub use stations::{CommandFailure, CommandReport, Connection, Recorded, Stations, UnreadableAnswer, WireCall};
