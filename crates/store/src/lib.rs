//! The storage boundary: the [`Store`] trait every backend implements (SQLite, PostgreSQL), its models and
//! its error type, the [`contract`] tests every backend must pass, and the pieces the backends share
//! ([`backend`]: the group-commit writer, row decoding, and the queries of the sqlx backends, expanded in
//! each by a macro).
//!
//! Rule 1 of DESIGN.md lives here: a write method returns only once what it wrote is committed. Backends
//! reach throughput by group commit (many callers' writes in one transaction), never by answering early.
//! Rule 2 too: the ingestion methods (`start_session`, `stop_session`, `add_meter_values`,
//! `record_status`) are idempotent.
//!
//! Timestamps are kept to the millisecond: whatever finer part an instant has is cut off when it is stored,
//! by every backend alike, so what a method returns is exactly what a later read returns.

mod activation;
pub mod backend;
pub mod contract;
mod drivers;
mod error;
mod handover;
mod intervals;
mod local_list;
mod model;
pub mod sql;
mod stores;
mod tariffs;

use async_trait::async_trait;

pub use activation::*;
pub use drivers::*;
pub use error::StoreError;
pub use handover::*;
pub use intervals::*;
pub use local_list::*;
pub use model::*;
pub use stores::*;
pub use tariffs::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything Joule keeps: every aggregate's store, and the three methods about the store itself. Callers
/// hold an `Arc<dyn Store>` (and may narrow it to one aggregate's trait, e.g. `Arc<dyn SessionStore>`);
/// `use joule_store::prelude::*` brings every trait's methods into scope.
///
/// Write methods answer after their write is committed; a write that fails changes nothing. Methods that
/// name a station, operator or session that does not exist fail with `NotFound` unless they say otherwise.
#[async_trait]
pub trait Store:
    StationStore
    + SessionStore
    + AccessStore
    + BillingStore
    + AccountStore
    + CommandStore
    + OnboardingStore
    + HandoverStore
    + Send
    + Sync
    + 'static
{
    /// Which backend this is, for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Checks the database answers.
    async fn ping(&self) -> Result<()>;

    /// Stops taking writes, waits until the writes already queued are committed and answered, and closes
    /// the connections. Every call after it fails with `Closed`. For a graceful shutdown; dropping the
    /// store also finishes the queued writes, but nobody waits for them.
    async fn close(&self);
}

/// Every store trait, for `use joule_store::prelude::*`: a method of an aggregate's trait can be called on
/// a `dyn Store` only with that trait in scope.
pub mod prelude {
    pub use crate::{
        AccessStore, AccountStore, BillingStore, CommandStore, HandoverStore, OnboardingStore, SessionStore,
        StationStore, Store,
    };
}
