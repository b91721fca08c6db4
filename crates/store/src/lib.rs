//! The storage boundary: one small trait per aggregate ([`StationStore`], [`SessionStore`], [`AccessStore`],
//! [`BillingStore`], [`AccountStore`], [`CommandStore`], [`OnboardingStore`], [`HandoverStore`]) and
//! [`Store`], all of them at once, which is what callers hold; the models and the error type; the
//! [`contract`] tests every backend must pass; the SQL both backends run, written once in plain functions
//! by aggregate ([`sql`]), which implements every trait for any [`sql::SqlBackend`]; and what else the
//! backends share ([`backend`]: the group-commit writer, row decoding, time helpers).
//!
//! Where things go:
//! - a new method: its aggregate's trait (`src/stores/`), and its SQL in the module of the same name under
//!   `src/sql/`: a read runs there on a read connection; a write is one function of the writer's
//!   connection, handed to the group-commit writer by the trait method;
//! - a statement the two databases cannot share: the backend crates (`joule-store-sqlite`,
//!   `joule-store-postgres`), behind [`sql::Exec`] or [`backend::BatchExecutor`];
//! - a new table or column: a migration in each backend crate.
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

// A caller holding the whole store can hand on one aggregate's part of it (trait upcasting).
const _: fn(std::sync::Arc<dyn Store>) -> std::sync::Arc<dyn SessionStore> = |store| store;

/// Every store trait, for `use joule_store::prelude::*`: a method of an aggregate's trait can be called on
/// a `dyn Store` only with that trait in scope.
pub mod prelude {
    pub use crate::{
        AccessStore, AccountStore, BillingStore, CommandStore, HandoverStore, OnboardingStore, SessionStore,
        StationStore, Store,
    };
}
