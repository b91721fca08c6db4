//! Joule's PostgreSQL store, for a network: several servers (and the CLI) on one database.
//!
//! - **Group commit over a few writer connections**: each writer worker of `joule-store` owns a connection
//!   and runs whole batches on it; with more than one, batches commit in parallel. Idempotency rests on
//!   unique constraints (`ON CONFLICT DO NOTHING`), never on reading first, so parallel writers (and other
//!   processes) cannot create a session or a sample twice. A batch that deadlocks with another is rolled
//!   back and run again.
//! - **A read pool** for everything else.
//! - **The message log has a writer of its own** on a connection of its own, whose transactions set
//!   `synchronous_commit = off`: every OCPP frame in and out is diagnostics, not acknowledged data, so its
//!   commits neither share the station data's transactions nor wait for the WAL flush. (Not an UNLOGGED
//!   table: that would be emptied after any crash and missing on replicas.)
//! - **Runtime-checked SQL** only (`sqlx::query` with binds), so building needs no database; migrations
//!   are embedded and run at connect (sqlx takes an advisory lock, so servers starting together are safe).
//!
//! Instants are `timestamptz`, cut to the millisecond before they are stored (as in the SQLite backend).

mod error;
mod exec;
mod writer;

use std::str::FromStr;
use std::time::Duration;

pub use joule_store::backend::GroupCommitOptions;
use joule_store::backend::Writer;
use joule_store::sql::SqlBackend;
use joule_store::{Result, StoreError};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use crate::error::store_error;
use crate::writer::PgWriter;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Tuning for [`PgStore::connect`].
#[derive(Debug, Clone)]
pub struct PgOptions {
    pub group_commit: GroupCommitOptions,
    /// Writer connections, each running whole batches. Two let one batch execute while the other waits for
    /// its commit's fsync; more mostly add lock contention.
    pub writers: u32,
    /// Connections for reads.
    pub readers: u32,
    /// How long to wait for a connection (at connect, and for a free one from a pool).
    pub acquire_timeout: Duration,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions {
            group_commit: GroupCommitOptions::default(),
            writers: 2,
            readers: 8,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// The PostgreSQL [`Store`](joule_store::Store): every store trait comes from [`SqlBackend`], implemented
/// below.
pub struct PgStore {
    reads: PgPool,
    writes: PgPool,
    writer: Writer<PgWriter>,
    log_writes: PgPool,
    log_writer: Writer<PgWriter>,
    log_reads: PgPool,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`) and brings its
    /// schema up to date. Must run inside a tokio runtime: it starts the writer tasks. Errors never repeat
    /// the URL, which may hold a password.
    pub async fn connect(url: &str, opts: PgOptions) -> Result<PgStore> {
        let connect = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Database(format!("invalid PostgreSQL URL: {}", store_error(e))))?;
        let writes = PgPoolOptions::new()
            .max_connections(opts.writers.max(1))
            .min_connections(0)
            .acquire_timeout(opts.acquire_timeout)
            // Each writer holds its connection; a broken one shows at the next statement and is replaced.
            .test_before_acquire(false)
            .connect_with(connect.clone())
            .await
            .map_err(|e| StoreError::Database(format!("connecting to PostgreSQL: {}", store_error(e))))?;
        MIGRATOR.run(&writes).await.map_err(|e| StoreError::Database(format!("migrating: {e}")))?;
        let reads = PgPoolOptions::new()
            .max_connections(opts.readers.max(1))
            .min_connections(0)
            .acquire_timeout(opts.acquire_timeout)
            .connect_with(connect.clone())
            .await
            .map_err(|e| StoreError::Database(format!("connecting to PostgreSQL: {}", store_error(e))))?;
        let log_writes = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .acquire_timeout(opts.acquire_timeout)
            .test_before_acquire(false)
            .connect_lazy_with(connect);
        let executors = (0..opts.writers.max(1)).map(|_| PgWriter::new(writes.clone())).collect();
        let writer = Writer::spawn(executors, opts.group_commit.clone());
        let log_writer = Writer::spawn(vec![PgWriter::relaxed(log_writes.clone())], opts.group_commit);
        let store = PgStore { log_reads: reads.clone(), reads, writes, writer, log_writes, log_writer };
        // Once, after migration 0016: the quarter summaries of readings stored before it.
        joule_store::sql::backfill_energy_quarters(&store).await?;
        Ok(store)
    }
}

impl SqlBackend for PgStore {
    const NAME: &'static str = "postgres";
    type Writer = PgWriter;
    type Reader = exec::Reader;

    async fn reader(&self) -> Result<exec::Reader> {
        Ok(exec::Reader(self.reads.acquire().await.map_err(store_error)?))
    }

    async fn log_reader(&self) -> Result<exec::Reader> {
        Ok(exec::Reader(self.log_reads.acquire().await.map_err(store_error)?))
    }

    fn writer(&self) -> &Writer<PgWriter> {
        &self.writer
    }

    fn log_writer(&self) -> &Writer<PgWriter> {
        &self.log_writer
    }

    async fn close_connections(&self) {
        self.log_writes.close().await;
        self.writes.close().await;
        self.reads.close().await;
    }
}
