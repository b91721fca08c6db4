//! Joule's embedded store: one SQLite file, for a single server and its CLI.
//!
//! - **One writer connection**, owned by the group-commit worker of `joule-store`: every write of the
//!   process goes through it, many per transaction. SQLite allows one writer at a time anyway; one
//!   connection makes that a queue instead of lock contention.
//! - **A small read pool** of `query_only` connections. In WAL mode readers never wait for the writer and see
//!   every committed transaction.
//! - **WAL with `synchronous = FULL`**: a commit is fsynced before it is acknowledged, so an acknowledged
//!   write survives a power loss (DESIGN.md rule 1). Group commit pays for the fsync once per batch.
//! - **Checkpoints off the commit path**: SQLite's automatic checkpoint runs inside the COMMIT that crosses
//!   its threshold, so every caller of that batch would wait for pages to be copied and the database file
//!   fsynced. The writer turns it off; a background task runs PASSIVE checkpoints on a connection of its
//!   own, which copy the bulk of the WAL while the writer keeps committing, and the writer finishes each
//!   one between two batches so that the WAL restarts instead of growing.
//! - **The message log in a file of its own** (`joule-messages.db` next to `joule.db`, see
//!   [`message_log_path`]), with its own writer connection, read pool and `synchronous = NORMAL`: every OCPP
//!   frame in and out is diagnostics, not acknowledged data, so it neither shares the main writer's
//!   transactions nor waits for their fsync. A crash may lose the last log commits; the log file itself
//!   stays consistent (WAL).
//! - **Another process may write too** (the CLI while the server runs): write transactions start with
//!   `BEGIN IMMEDIATE`, which waits up to `busy_timeout` for the other process's lock instead of failing.
//!
//! Instants are stored as INTEGER milliseconds since the epoch (UTC).

mod error;
mod exec;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use joule_store::backend::GroupCommitOptions;
use joule_store::backend::Writer;
use joule_store::sql::SqlBackend;
use joule_store::{Result, StoreError};
use sqlx::ConnectOptions;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::store_error;
use crate::writer::SqliteWriter;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");
/// The schema of the message log's own file.
static LOG_MIGRATOR: Migrator = sqlx::migrate!("./message-log-migrations");

/// The file the message log of the database at `path` is kept in: `joule.db` -> `joule-messages.db`, in
/// the same directory.
pub fn message_log_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "joule".into());
    path.with_file_name(format!("{stem}-messages.db"))
}

/// Tuning for [`SqliteStore::open`].
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    pub group_commit: GroupCommitOptions,
    /// Connections for reads. Reads do not block each other or the writer, so a few are plenty.
    pub readers: u32,
    /// How long a statement waits for a lock held by another process (the CLI, or the server seen from
    /// the CLI) before failing.
    pub busy_timeout: Duration,
    /// How often the write-ahead log is copied into the database file. Shorter keeps the WAL file and
    /// the writer's share of each checkpoint small; each checkpoint that copies anything costs an fsync
    /// of the database file.
    pub checkpoint_interval: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            group_commit: GroupCommitOptions::default(),
            readers: 4,
            busy_timeout: Duration::from_secs(5),
            checkpoint_interval: Duration::from_millis(200),
        }
    }
}

/// The SQLite [`Store`](joule_store::Store): every store trait comes from [`SqlBackend`], implemented below.
pub struct SqliteStore {
    path: PathBuf,
    reads: SqlitePool,
    writer: Writer<SqliteWriter>,
    /// The message log's file: its writer and its readers.
    log_writer: Writer<SqliteWriter>,
    log_reads: SqlitePool,
    checkpointer: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl SqliteStore {
    /// Opens (creating it and its directory if needed) the database at `path` and brings its schema up to
    /// date. Must run inside a tokio runtime: it starts the writer task.
    ///
    /// Two processes opening a new file at the same moment may both try to create the schema, and one of
    /// them fails; opening it again succeeds.
    pub async fn open(path: &Path, opts: SqliteOptions) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| StoreError::Database(format!("creating {}: {e}", dir.display())))?;
        }
        let base = SqliteConnectOptions::new().filename(path).busy_timeout(opts.busy_timeout).foreign_keys(true);

        // WAL is a property of the file: set once by the writer, it holds for every connection after.
        let mut writer = base
            .clone()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            // Savepoints and multi-row statements keep undo journals; in memory they cost no file writes.
            .pragma("temp_store", "MEMORY")
            // 64 MiB of page cache (negative = KiB): the indexes' hot pages stay cached as the file grows.
            .pragma("cache_size", "-65536")
            // Checkpoints are the background task's job (see the crate docs).
            .pragma("wal_autocheckpoint", "0")
            // After a burst, a restarted WAL file is cut back to 64 MiB.
            .pragma("journal_size_limit", "67108864")
            .connect()
            .await
            .map_err(|e| StoreError::Database(format!("opening {}: {}", path.display(), store_error(e))))?;
        MIGRATOR
            .run(&mut writer)
            .await
            .map_err(|e| StoreError::Database(format!("migrating {}: {e}", path.display())))?;

        let checkpoints = base.clone().connect().await.map_err(store_error)?;
        let reads = SqlitePoolOptions::new()
            .max_connections(opts.readers.max(1))
            .min_connections(0)
            // A local file does not go away under a connection; a ping per read would be pure cost.
            .test_before_acquire(false)
            .connect_with(base.pragma("query_only", "ON"))
            .await
            .map_err(store_error)?;
        let (log_writer, log_reads) = open_message_log(&message_log_path(path), &opts).await?;
        let finish_checkpoint = Arc::new(AtomicBool::new(false));
        let writer = Writer::spawn(vec![SqliteWriter::new(writer, finish_checkpoint.clone())], opts.group_commit);
        let checkpointer = tokio::spawn(checkpoint(checkpoints, opts.checkpoint_interval, finish_checkpoint));
        let store = SqliteStore {
            path: path.to_path_buf(),
            reads,
            writer,
            log_writer,
            log_reads,
            checkpointer: std::sync::Mutex::new(Some(checkpointer)),
        };
        // Once, after migration 0016: the quarter summaries of readings stored before it.
        joule_store::sql::backfill_energy_quarters(&store).await?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl SqlBackend for SqliteStore {
    const NAME: &'static str = "sqlite";
    type Writer = SqliteWriter;
    type Reader = exec::Reader;

    async fn reader(&self) -> Result<exec::Reader> {
        Ok(exec::Reader(self.reads.acquire().await.map_err(store_error)?))
    }

    async fn log_reader(&self) -> Result<exec::Reader> {
        Ok(exec::Reader(self.log_reads.acquire().await.map_err(store_error)?))
    }

    fn writer(&self) -> &Writer<SqliteWriter> {
        &self.writer
    }

    fn log_writer(&self) -> &Writer<SqliteWriter> {
        &self.log_writer
    }

    /// Stops the checkpointer and closes the read pools.
    async fn close_connections(&self) {
        let checkpointer = self.checkpointer.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        if let Some(task) = checkpointer {
            task.abort();
            let _ = task.await;
        }
        self.reads.close().await;
        self.log_reads.close().await;
    }
}

/// Opens (creating it if needed) the message log's file: one writer connection with `synchronous = NORMAL`
/// and SQLite's own automatic checkpoints (its commits are nobody's acknowledgement, so a checkpoint inside
/// one delays only the log), and a small read pool.
async fn open_message_log(path: &Path, opts: &SqliteOptions) -> Result<(Writer<SqliteWriter>, SqlitePool)> {
    let base = SqliteConnectOptions::new().filename(path).busy_timeout(opts.busy_timeout);
    let mut conn = base
        .clone()
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .pragma("temp_store", "MEMORY")
        .pragma("cache_size", "-16384")
        .pragma("journal_size_limit", "67108864")
        .connect()
        .await
        .map_err(|e| StoreError::Database(format!("opening {}: {}", path.display(), store_error(e))))?;
    LOG_MIGRATOR
        .run(&mut conn)
        .await
        .map_err(|e| StoreError::Database(format!("migrating {}: {e}", path.display())))?;
    let reads = SqlitePoolOptions::new()
        .max_connections(2)
        .min_connections(0)
        .test_before_acquire(false)
        .connect_with(base.pragma("query_only", "ON"))
        .await
        .map_err(store_error)?;
    // The gateway hands the log over in batches already, one at a time; a batch is one transaction.
    let writer =
        Writer::spawn(vec![SqliteWriter::new(conn, Arc::new(AtomicBool::new(false)))], opts.group_commit.clone());
    Ok((writer, reads))
}

/// Copies committed WAL frames into the database file now and then, then asks the writer to finish the
/// checkpoint. PASSIVE never waits for (or blocks) the writer or readers; what it cannot copy yet waits for
/// the next round.
async fn checkpoint(mut conn: SqliteConnection, interval: Duration, finish: Arc<AtomicBool>) {
    let mut ticks = tokio::time::interval(interval.max(Duration::from_millis(10)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut conn).await {
            Ok(_) => finish.store(true, Ordering::Relaxed),
            Err(e) => tracing::warn!(error = %e, "SQLite checkpoint failed"),
        }
    }
}
