//! The SQL both backends run, written once, in plain functions grouped by aggregate, and the one
//! implementation of the store traits over them.
//!
//! - [`Exec`] is what the functions are written against: a connection that runs a statement with typed
//!   [`Arg`]s. A backend crate implements it for its connections (binding an instant as SQLite's INTEGER
//!   milliseconds or PostgreSQL's `timestamptz`, mapping its driver's errors) and implements
//!   [`SqlBackend`]: its read connections, its group-commit writers and what closing means. Every store
//!   trait is then implemented for it, here.
//! - Reads run on a read connection; writes are handed to the group-commit [`Writer`] as a function of the
//!   writer's connection (see [`Writer::write`]), which runs it in a batch's transaction.
//! - A new write is one function, `async fn …(tx: &mut impl Exec, …) -> ExecResult<…>`, in its aggregate's
//!   module, and the trait method that hands it to the writer with the [`Lock`](crate::backend::Lock) it
//!   takes (its [`rank`](crate::backend::rank) says where it runs in a batch). A new read is the trait
//!   method, on [`SqlBackend::reader`]. A filter with optional conditions or an insert of many rows is a
//!   [`Query`].
//! - The statements are what both databases understand alike: `$n` parameters, `ON CONFLICT`,
//!   `RETURNING`, the literals `true` and `false` (SQLite's 1 and 0). Where the dialects differ, the
//!   backend crate holds its own query: the meter-value bulk insert
//!   ([`BatchExecutor::insert_meter_rows`]), the
//!   transaction statements, and the row-locking clause ([`Exec::LOCK_ROWS`]).
//!
//! PostgreSQL runs several writers in parallel, and a second process (the CLI) may write to either
//! database, so no write reads and then decides to insert: idempotency rests on unique constraints with
//! `ON CONFLICT DO NOTHING`, which waits for a concurrent transaction inserting the same key and then sees
//! its row.

mod access;
mod accounts;
mod billing;
mod commands;
mod exec;
mod handover;
mod onboarding;
mod quarters;
mod query;
mod sessions;
mod stations;

use std::future::Future;

use async_trait::async_trait;

pub use exec::{Arg, Exec, Sql};
pub use quarters::backfill as backfill_energy_quarters;
pub use query::{Query, Values};
pub(crate) use sessions::insert_meter_values;

use crate::Result;
use crate::backend::{BatchExecutor, Writer};
use crate::prelude::*;

/// A database the store runs on, as its backend crate sets it up. Every store trait is implemented for
/// every `SqlBackend`.
pub trait SqlBackend: Send + Sync + 'static {
    /// [`Store::backend`].
    const NAME: &'static str;
    /// A writer worker's connection: it runs whole batches.
    type Writer: BatchExecutor;
    /// A connection for reads, taken from a pool and given back when dropped.
    type Reader: Exec;

    fn reader(&self) -> impl Future<Output = Result<Self::Reader>> + Send;
    /// A connection for reading the message log, which may live elsewhere (SQLite: a file of its own).
    fn log_reader(&self) -> impl Future<Output = Result<Self::Reader>> + Send;
    /// The writer of everything but the message log.
    fn writer(&self) -> &Writer<Self::Writer>;
    /// The message log's writer: its commits neither share a transaction with the station data nor wait
    /// for it (nor, on either backend, for the disk).
    fn log_writer(&self) -> &Writer<Self::Writer>;
    /// Closes what is left once both writers have finished (the end of [`Store::close`]).
    fn close_connections(&self) -> impl Future<Output = ()> + Send;
}

#[async_trait]
impl<B: SqlBackend> Store for B {
    fn backend(&self) -> &'static str {
        B::NAME
    }

    async fn ping(&self) -> Result<()> {
        self.reader().await?.execute("SELECT 1", &[]).await?;
        Ok(())
    }

    async fn close(&self) {
        self.writer().close().await;
        self.log_writer().close().await;
        self.close_connections().await;
    }
}

/// Decodes every row.
fn all<R, T>(rows: Vec<R>, decode: impl FnMut(&R) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(decode).collect()
}

/// Decodes the row, if there is one.
fn one<R, T>(row: Option<R>, decode: impl FnOnce(&R) -> Result<T>) -> Result<Option<T>> {
    row.as_ref().map(decode).transpose()
}
