//! The one writer connection: its transactions and the meter-value insert, the SQL that is SQLite's own
//! (every other write is `joule-store`'s, run on this connection through [`crate::exec`]). Runs inside the
//! group-commit worker of `joule-store`, which decides about transactions and savepoints; this file only
//! says how.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use joule_store::StoreError;
use joule_store::backend::{BatchExecutor, ExecResult, MeterRow, millis};
use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, QueryBuilder, Sqlite};

use crate::error::ResultExt;

/// Columns of one meter-value row in a multi-row insert. SQLite allows 32766 bound values per statement;
/// 13 columns x 1000 rows stays well below.
const METER_ROWS_PER_STATEMENT: usize = 1000;

pub struct SqliteWriter {
    conn: Option<SqliteConnection>,
    /// Set by the background checkpointer when it has copied most of the WAL: the writer then finishes
    /// the checkpoint between batches (see [`BatchExecutor::after_batch`]).
    finish_checkpoint: Arc<AtomicBool>,
}

impl SqliteWriter {
    pub(crate) fn new(conn: SqliteConnection, finish_checkpoint: Arc<AtomicBool>) -> SqliteWriter {
        SqliteWriter { conn: Some(conn), finish_checkpoint }
    }

    pub(crate) fn conn(&mut self) -> ExecResult<&mut SqliteConnection> {
        self.conn.as_mut().ok_or_else(|| StoreError::Closed.into())
    }

    async fn run(&mut self, sql: &'static str) -> ExecResult<()> {
        sqlx::query(sql).execute(self.conn()?).await.exec().map(drop)
    }
}

#[async_trait]
impl BatchExecutor for SqliteWriter {
    /// IMMEDIATE takes the write lock now, waiting up to busy_timeout for another process (the CLI) to
    /// finish. A deferred transaction would take it at its first write and fail at once with SQLITE_BUSY if
    /// another process held it, whatever the timeout.
    async fn begin(&mut self) -> ExecResult<()> {
        self.run("BEGIN IMMEDIATE").await
    }

    async fn commit(&mut self) -> ExecResult<()> {
        self.run("COMMIT").await
    }

    async fn rollback(&mut self) {
        // Fails harmlessly when SQLite has already rolled back (or nothing was begun).
        let _ = self.run("ROLLBACK").await;
    }

    async fn savepoint(&mut self) -> ExecResult<()> {
        self.run("SAVEPOINT op").await
    }

    async fn release_savepoint(&mut self) -> ExecResult<()> {
        self.run("RELEASE op").await
    }

    async fn rollback_to_savepoint(&mut self) -> ExecResult<()> {
        // ROLLBACK TO keeps the savepoint open; RELEASE removes it.
        self.run("ROLLBACK TO op").await?;
        self.run("RELEASE op").await
    }

    /// A background PASSIVE checkpoint never completes while commits keep coming, and SQLite restarts the
    /// WAL from its beginning only after a complete one; without this the WAL file would grow for as long
    /// as the load lasts. Here no commit can interleave, and only the frames written since the background
    /// checkpoint are left to copy, so it is short; the next BEGIN then restarts the log.
    async fn after_batch(&mut self) {
        if self.finish_checkpoint.swap(false, Ordering::Relaxed)
            && let Err(e) = self.run("PRAGMA wal_checkpoint(PASSIVE)").await
        {
            tracing::debug!(error = %e.error, "finishing the SQLite checkpoint failed");
        }
    }

    async fn close(&mut self) {
        if let Some(conn) = self.conn.take()
            && let Err(e) = conn.close().await
        {
            tracing::warn!(error = %e, "closing the SQLite writer connection failed");
        }
    }

    /// Rows get explicit ids, counted up from the largest id in the table. This connection is the only
    /// writer while its IMMEDIATE transaction is open, so the ids are free, and the ids RETURNING gives
    /// back say exactly which rows were new: SQLite cannot return anything but the inserted row's columns.
    async fn insert_meter_rows(&mut self, rows: &[MeterRow<'_>]) -> ExecResult<Vec<usize>> {
        let base: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM meter_values")
            .fetch_one(self.conn()?)
            .await
            .exec()?;
        let mut inserted = Vec::with_capacity(rows.len());
        for (chunk_index, chunk) in rows.chunks(METER_ROWS_PER_STATEMENT).enumerate() {
            let first = chunk_index * METER_ROWS_PER_STATEMENT;
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO meter_values (id, station_id, connector_id, transaction_id, ts, measurand, phase, location,
                     context, unit, value, raw, format) ",
            );
            q.push_values(chunk.iter().enumerate(), |mut b, (i, row)| {
                b.push_bind(base + (first + i) as i64)
                    .push_bind(row.station_id.as_str().to_string())
                    .push_bind(i64::from(row.connector_id))
                    .push_bind(row.transaction_id.map(|t| t.0))
                    .push_bind(millis(row.timestamp()))
                    .push_bind(row.sample.measurand.clone())
                    .push_bind(row.phase().to_string())
                    .push_bind(row.location().to_string())
                    .push_bind(row.sample.context.clone())
                    .push_bind(row.sample.unit.clone())
                    .push_bind(row.sample.value)
                    .push_bind(row.sample.raw.clone())
                    .push_bind(row.sample.format.clone());
            });
            // The conflict target is the natural key only: a clash on the id would be a bug and must fail.
            q.push(
                " ON CONFLICT (ts, station_id, connector_id, measurand, phase, location, context) DO NOTHING
                 RETURNING id",
            );
            // Each chunk size is a different statement; caching them all would only churn the cache.
            let ids: Vec<i64> = q.build_query_scalar().persistent(false).fetch_all(self.conn()?).await.exec()?;
            for id in ids {
                let pos = usize::try_from(id - base)
                    .map_err(|_| StoreError::Database(format!("meter value inserted with unexpected id {id}")))?;
                inserted.push(pos);
            }
        }
        Ok(inserted)
    }
}
