//! A writer connection: its transactions and the meter-value insert, the SQL that is PostgreSQL's own (every
//! other write is `joule-store`'s, run on this connection through [`crate::exec`]). Each of the store's
//! writer workers owns one; they run inside the group-commit workers of `joule-store`, which decide about
//! transactions and savepoints.

use async_trait::async_trait;
use joule_store::StoreError;
use joule_store::backend::{BatchExecutor, ExecResult, MeterRow};
use sqlx::Postgres;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool};

use crate::error::ResultExt;

pub struct PgWriter {
    pool: PgPool,
    /// The message log's writer: its transactions commit without waiting for the WAL flush
    /// (`SET LOCAL synchronous_commit = off`).
    relaxed: bool,
    /// Held from batch to batch; dropped (and replaced from the pool at the next `begin`) when it may be
    /// broken.
    conn: Option<PoolConnection<Postgres>>,
}

impl PgWriter {
    pub(crate) fn new(pool: PgPool) -> PgWriter {
        PgWriter { pool, relaxed: false, conn: None }
    }

    /// A writer whose commits return before they are durable: for the message log, which is diagnostics,
    /// never something a station was told is stored. A crash may lose its last fraction of a second
    /// (`wal_writer_delay`); the table stays consistent and replicated.
    pub(crate) fn relaxed(pool: PgPool) -> PgWriter {
        PgWriter { pool, relaxed: true, conn: None }
    }

    pub(crate) fn conn(&mut self) -> ExecResult<&mut PgConnection> {
        match self.conn.as_mut() {
            Some(conn) => Ok(&mut **conn),
            None => Err(StoreError::Database("no writer connection (internal error)".into()).into()),
        }
    }

    async fn run(&mut self, sql: &'static str) -> ExecResult<()> {
        sqlx::query(sql).execute(self.conn()?).await.exec().map(drop)
    }
}

#[async_trait]
impl BatchExecutor for PgWriter {
    async fn begin(&mut self) -> ExecResult<()> {
        if self.conn.is_none() {
            self.conn = Some(self.pool.acquire().await.exec()?);
        }
        self.run("BEGIN").await?;
        if self.relaxed {
            self.run("SET LOCAL synchronous_commit = off").await?;
        }
        Ok(())
    }

    async fn commit(&mut self) -> ExecResult<()> {
        self.run("COMMIT").await
    }

    async fn rollback(&mut self) {
        // ROLLBACK outside a transaction only warns, so an error means the connection itself is in doubt:
        // close it rather than hand a half-open transaction to the next batch.
        if self.conn.is_some()
            && self.run("ROLLBACK").await.is_err()
            && let Some(conn) = self.conn.take()
        {
            let _ = conn.close().await;
        }
    }

    async fn savepoint(&mut self) -> ExecResult<()> {
        self.run("SAVEPOINT op").await
    }

    async fn release_savepoint(&mut self) -> ExecResult<()> {
        self.run("RELEASE SAVEPOINT op").await
    }

    async fn rollback_to_savepoint(&mut self) -> ExecResult<()> {
        // ROLLBACK TO keeps the savepoint open; RELEASE removes it.
        self.run("ROLLBACK TO SAVEPOINT op").await?;
        self.run("RELEASE SAVEPOINT op").await
    }

    async fn close(&mut self) {
        // Back to the pool, which the store closes next.
        self.conn = None;
    }

    /// One statement for any number of rows: the columns go in as arrays, and the rows the insert kept are
    /// joined back to their position (the ordinality) so the answer says exactly which were new.
    async fn insert_meter_rows(&mut self, rows: &[MeterRow<'_>]) -> ExecResult<Vec<usize>> {
        let positions: Vec<i64> = sqlx::query_scalar(
            "WITH input AS (
                 SELECT * FROM UNNEST($1::text[], $2::int8[], $3::int8[], $4::timestamptz[], $5::text[], $6::text[],
                                      $7::text[], $8::text[], $9::text[], $10::float8[], $11::text[], $12::text[])
                     WITH ORDINALITY AS i (station_id, connector_id, transaction_id, ts, measurand, phase, location,
                                           context, unit, value, raw, format, ord)
             ),
             inserted AS (
                 INSERT INTO meter_values (station_id, connector_id, transaction_id, ts, measurand, phase, location,
                                           context, unit, value, raw, format)
                 SELECT station_id, connector_id, transaction_id, ts, measurand, phase, location, context, unit, value,
                        raw, format
                 FROM input ORDER BY ord
                 ON CONFLICT (ts, station_id, connector_id, measurand, phase, location, context) DO NOTHING
                 RETURNING station_id, connector_id, ts, measurand, phase, location, context
             )
             SELECT input.ord FROM input
             JOIN inserted USING (station_id, connector_id, ts, measurand, phase, location, context)",
        )
        .bind(rows.iter().map(|r| r.station_id.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| i64::from(r.connector_id)).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.transaction_id.map(|t| t.0)).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.timestamp()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.sample.measurand.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.phase()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.location()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.sample.context.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.sample.unit.as_deref()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.sample.value).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.sample.raw.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.sample.format.as_deref()).collect::<Vec<_>>())
        .fetch_all(self.conn()?)
        .await
        .exec()?;
        positions
            .into_iter()
            .map(|ord| {
                usize::try_from(ord - 1)
                    .map_err(|_| StoreError::Database(format!("meter value inserted at position {ord}")).into())
            })
            .collect()
    }
}
