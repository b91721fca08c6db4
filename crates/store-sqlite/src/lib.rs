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
//! - **Another process may write too** (the CLI while the server runs): write transactions start with
//!   `BEGIN IMMEDIATE`, which waits up to `busy_timeout` for the other process's lock instead of failing.
//!
//! Instants are stored as INTEGER milliseconds since the epoch (UTC).

mod error;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use joule_core::auth::IdToken;
use joule_core::session::{Session, SessionStart, SessionStop, StopOutcome};
use joule_core::station::{BootInfo, Connector, Station, StationState, StatusReport};
use joule_core::{IdTag, OperatorId, OperatorKey, StationId, Timestamp, TransactionId};
pub use joule_store::backend::GroupCommitOptions;
use joule_store::backend::{self, Writer, millis};
use joule_store::{
    MeterBatch, MeterFilter, NewStation, Operator, OutboxItem, OutboxKind, Result, SessionFilter, StartOutcome,
    StationEvent, StationFilter, StatusRecord, Store, StoreError, StoredSample, UnknownStop,
};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{ConnectOptions, QueryBuilder, Sqlite};

use crate::error::{Cols, ResultExt, store_error};
use crate::writer::SqliteWriter;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

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

/// The SQLite [`Store`].
pub struct SqliteStore {
    path: PathBuf,
    reads: SqlitePool,
    writer: Writer,
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
        let finish_checkpoint = Arc::new(AtomicBool::new(false));
        let writer = Writer::spawn(vec![SqliteWriter::new(writer, finish_checkpoint.clone())], opts.group_commit);
        let checkpointer = tokio::spawn(checkpoint(checkpoints, opts.checkpoint_interval, finish_checkpoint));
        Ok(SqliteStore {
            path: path.to_path_buf(),
            reads,
            writer,
            checkpointer: std::sync::Mutex::new(Some(checkpointer)),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
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

fn all<T>(rows: Vec<SqliteRow>, decode: impl Fn(&Cols<'_>) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(|row| decode(&Cols(row))).collect()
}

fn one<T>(row: Option<SqliteRow>, decode: impl Fn(&Cols<'_>) -> Result<T>) -> Result<Option<T>> {
    row.as_ref().map(|row| decode(&Cols(row))).transpose()
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.reads).await.store().map(drop)
    }

    async fn close(&self) {
        self.writer.close().await;
        let checkpointer = self.checkpointer.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        if let Some(task) = checkpointer {
            task.abort();
            let _ = task.await;
        }
        self.reads.close().await;
    }

    async fn create_operator(&self, name: &str, key: &OperatorKey) -> Result<Operator> {
        self.writer.create_operator(name, key).await
    }

    async fn list_operators(&self) -> Result<Vec<Operator>> {
        let rows = sqlx::query("SELECT * FROM operators ORDER BY name").fetch_all(&self.reads).await.store()?;
        all(rows, |r| backend::operator(r))
    }

    async fn operator(&self, id: OperatorId) -> Result<Option<Operator>> {
        let row = sqlx::query("SELECT * FROM operators WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.reads)
            .await
            .store()?;
        one(row, |r| backend::operator(r))
    }

    async fn operator_by_key(&self, key: &OperatorKey) -> Result<Option<Operator>> {
        let row = sqlx::query("SELECT * FROM operators WHERE operator_key = $1")
            .bind(key.as_str())
            .fetch_optional(&self.reads)
            .await
            .store()?;
        one(row, |r| backend::operator(r))
    }

    async fn operator_by_name(&self, name: &str) -> Result<Option<Operator>> {
        let row = sqlx::query("SELECT * FROM operators WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.reads)
            .await
            .store()?;
        one(row, |r| backend::operator(r))
    }

    async fn register_station(&self, new: NewStation) -> Result<Station> {
        self.writer.register_station(new).await
    }

    async fn ensure_station(&self, operator: OperatorId, id: &StationId, at: Timestamp) -> Result<Station> {
        self.writer.ensure_station(operator, id, at).await
    }

    async fn station(&self, id: &StationId) -> Result<Option<Station>> {
        let row = sqlx::query("SELECT * FROM stations WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.reads)
            .await
            .store()?;
        one(row, |r| backend::station(r))
    }

    async fn list_stations(&self, filter: &StationFilter) -> Result<Vec<Station>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM stations WHERE 1 = 1");
        if let Some(operator) = filter.operator_id {
            q.push(" AND operator_id = ").push_bind(operator.0);
        }
        if let Some(state) = filter.state {
            q.push(" AND state = ").push_bind(state.as_str());
        }
        if let Some(online) = filter.online {
            q.push(" AND online = ").push_bind(online);
        }
        q.push(" ORDER BY id");
        let rows = q.build().fetch_all(&self.reads).await.store()?;
        all(rows, |r| backend::station(r))
    }

    async fn set_station_state(&self, id: &StationId, state: StationState) -> Result<Station> {
        self.writer.set_station_state(id, state).await
    }

    async fn set_station_free_vend(&self, id: &StationId, free_vend: bool) -> Result<Station> {
        self.writer.set_station_free_vend(id, free_vend).await
    }

    async fn set_station_password(&self, id: &StationId, password_hash: Option<&str>) -> Result<Station> {
        self.writer.set_station_password(id, password_hash).await
    }

    async fn record_boot(&self, id: &StationId, boot: &BootInfo, at: Timestamp) -> Result<()> {
        self.writer.record_boot(id, boot, at).await
    }

    async fn record_connection(&self, id: &StationId, online: bool, at: Timestamp) -> Result<()> {
        self.writer.record_connection(id, online, at).await
    }

    async fn record_heartbeat(&self, id: &StationId, at: Timestamp) -> Result<()> {
        self.writer.record_heartbeat(id, at).await
    }

    async fn mark_all_offline(&self, at: Timestamp) -> Result<u64> {
        self.writer.mark_all_offline(at).await
    }

    async fn record_status(&self, id: &StationId, report: &StatusReport, received_at: Timestamp) -> Result<()> {
        self.writer.record_status(id, report, received_at).await
    }

    async fn connectors(&self, id: &StationId) -> Result<Vec<Connector>> {
        let rows = sqlx::query("SELECT * FROM connectors WHERE station_id = $1 ORDER BY connector_id")
            .bind(id.as_str())
            .fetch_all(&self.reads)
            .await
            .store()?;
        all(rows, |r| backend::connector(r))
    }

    async fn status_history(&self, id: &StationId, connector: Option<u32>, limit: u32) -> Result<Vec<StatusRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM status_history WHERE station_id = ");
        q.push_bind(id.as_str());
        if let Some(connector) = connector {
            q.push(" AND connector_id = ").push_bind(i64::from(connector));
        }
        q.push(" ORDER BY COALESCE(station_time, received_at) DESC, id DESC LIMIT ").push_bind(i64::from(limit));
        let rows = q.build().fetch_all(&self.reads).await.store()?;
        all(rows, |r| backend::status_record(r))
    }

    async fn add_id_token(&self, token: &IdToken) -> Result<IdToken> {
        self.writer.add_id_token(token).await
    }

    async fn id_token(&self, operator: OperatorId, tag: &IdTag) -> Result<Option<IdToken>> {
        let row = sqlx::query("SELECT * FROM id_tokens WHERE operator_id = $1 AND tag = $2")
            .bind(operator.0)
            .bind(tag.as_str())
            .fetch_optional(&self.reads)
            .await
            .store()?;
        one(row, |r| backend::id_token(r))
    }

    async fn list_id_tokens(&self, operator: OperatorId) -> Result<Vec<IdToken>> {
        let rows = sqlx::query("SELECT * FROM id_tokens WHERE operator_id = $1 ORDER BY tag")
            .bind(operator.0)
            .fetch_all(&self.reads)
            .await
            .store()?;
        all(rows, |r| backend::id_token(r))
    }

    async fn start_session(&self, start: &SessionStart) -> Result<StartOutcome> {
        self.writer.start_session(start).await
    }

    async fn stop_session(&self, stop: &SessionStop) -> Result<StopOutcome> {
        self.writer.stop_session(stop).await
    }

    async fn session(&self, id: TransactionId) -> Result<Option<Session>> {
        let row =
            sqlx::query("SELECT * FROM sessions WHERE id = $1").bind(id.0).fetch_optional(&self.reads).await.store()?;
        one(row, |r| backend::session(r))
    }

    async fn list_sessions(&self, filter: &SessionFilter) -> Result<Vec<Session>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM sessions WHERE 1 = 1");
        if let Some(station) = &filter.station_id {
            q.push(" AND station_id = ").push_bind(station.as_str());
        }
        if let Some(operator) = filter.operator_id {
            q.push(" AND operator_id = ").push_bind(operator.0);
        }
        if let Some(since) = filter.since {
            q.push(" AND started_at >= ").push_bind(millis(since));
        }
        if filter.active_only {
            q.push(" AND stopped_at IS NULL");
        }
        q.push(" ORDER BY started_at DESC, id DESC");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").push_bind(i64::from(limit));
        }
        let rows = q.build().fetch_all(&self.reads).await.store()?;
        all(rows, |r| backend::session(r))
    }

    async fn unknown_stops(&self, station: Option<&StationId>, limit: u32) -> Result<Vec<UnknownStop>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM unknown_stops");
        if let Some(station) = station {
            q.push(" WHERE station_id = ").push_bind(station.as_str());
        }
        q.push(" ORDER BY received_at DESC, id DESC LIMIT ").push_bind(i64::from(limit));
        let rows = q.build().fetch_all(&self.reads).await.store()?;
        all(rows, |r| backend::unknown_stop(r))
    }

    async fn add_meter_values(&self, batch: &MeterBatch) -> Result<u64> {
        self.writer.add_meter_values(batch).await
    }

    async fn meter_values(&self, filter: &MeterFilter) -> Result<Vec<StoredSample>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM meter_values WHERE 1 = 1");
        if let Some(station) = &filter.station_id {
            q.push(" AND station_id = ").push_bind(station.as_str());
        }
        if let Some(transaction) = filter.transaction_id {
            q.push(" AND transaction_id = ").push_bind(transaction.0);
        }
        if let Some(since) = filter.since {
            q.push(" AND ts >= ").push_bind(millis(since));
        }
        if let Some(until) = filter.until {
            q.push(" AND ts < ").push_bind(millis(until));
        }
        q.push(" ORDER BY ts, id");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").push_bind(i64::from(limit));
        }
        let rows = q.build().fetch_all(&self.reads).await.store()?;
        all(rows, |r| backend::stored_sample(r))
    }

    async fn record_station_event(&self, event: &StationEvent) -> Result<()> {
        self.writer.record_station_event(event).await
    }

    async fn station_events(&self, id: &StationId, limit: u32) -> Result<Vec<StationEvent>> {
        let rows = sqlx::query(
            "SELECT * FROM station_events WHERE station_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2",
        )
        .bind(id.as_str())
        .bind(i64::from(limit))
        .fetch_all(&self.reads)
        .await
        .store()?;
        all(rows, |r| backend::station_event(r))
    }

    async fn push_outbox(&self, station: &StationId, kind: OutboxKind, at: Timestamp) -> Result<OutboxItem> {
        self.writer.push_outbox(station, kind, at).await
    }

    async fn open_outbox(&self, after: i64, limit: u32) -> Result<Vec<OutboxItem>> {
        let rows = sqlx::query("SELECT * FROM outbox WHERE closed_at IS NULL AND id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.reads)
            .await
            .store()?;
        all(rows, |r| backend::outbox_item(r))
    }

    async fn close_outbox(&self, id: i64, outcome: &str, at: Timestamp) -> Result<()> {
        self.writer.close_outbox(id, outcome, at).await
    }
}
