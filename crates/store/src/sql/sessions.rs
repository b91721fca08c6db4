//! [`SessionStore`] in SQL: sessions, stops for unknown transactions, meter values and what is read from
//! them. The meter-value insert itself is the group-commit writer's (it inserts the samples of every
//! MeterValues of a batch together) and the backend's (its bulk insert); the quarter summaries kept with
//! them are in [`super::quarters`].

use async_trait::async_trait;
use joule_core::intervals::{QuarterSummary, Reading};
use joule_core::session::{Session, SessionStart, SessionStop, StopOutcome};
use joule_core::{SessionId, StationId, TransactionId};

use super::{Exec, Query, SqlBackend, all, one, quarters};
use crate::backend::{self, BatchExecutor, Columns, ExecResult, Lock, MeterPlan, now, rank};
use crate::{
    EnergyQuery, MeterBatch, MeterFilter, PowerSample, Result, SessionFilter, SessionStore, StartOutcome, StoredSample,
    UnknownStop,
};

#[async_trait]
impl<B: SqlBackend> SessionStore for B {
    async fn start_session(&self, start: &SessionStart) -> Result<StartOutcome> {
        let lock = Lock::connector(&start.station_id, rank::SESSION_START, start.connector_id);
        self.writer().write(lock, start.clone(), |tx, start| Box::pin(start_session(tx, start))).await
    }

    async fn stop_session(&self, stop: &SessionStop) -> Result<StopOutcome> {
        let lock = Lock::station(&stop.station_id, rank::SESSION_STOP);
        self.writer().write(lock, stop.clone(), |tx, stop| Box::pin(stop_session(tx, stop))).await
    }

    async fn session(&self, id: SessionId) -> Result<Option<Session>> {
        let row = self.reader().await?.fetch_optional("SELECT * FROM sessions WHERE id = $1", &[id.into()]).await?;
        one(row, backend::session)
    }

    async fn session_by_transaction(
        &self,
        station: &StationId,
        transaction: &TransactionId,
    ) -> Result<Option<Session>> {
        // A station's transaction ids are its own and could repeat after a reset: the newest session wins.
        let sql = "SELECT * FROM sessions WHERE station_id = $1 AND transaction_id = $2
                   ORDER BY started_at DESC, id DESC LIMIT 1";
        let row = self.reader().await?.fetch_optional(sql, &[station.into(), transaction.as_str().into()]).await?;
        one(row, backend::session)
    }

    async fn list_sessions(&self, filter: &SessionFilter) -> Result<Vec<Session>> {
        let mut q = Query::new("SELECT * FROM sessions WHERE 1 = 1");
        if let Some(station) = &filter.station_id {
            q.push(" AND station_id = ").bind(station);
        }
        if let Some(operator) = filter.operator_id {
            q.push(" AND operator_id = ").bind(operator);
        }
        if let Some(since) = filter.since {
            q.push(" AND started_at >= ").bind(since);
        }
        if let Some(until) = filter.until {
            q.push(" AND started_at < ").bind(until);
        }
        if let Some(id_tag) = &filter.id_tag {
            q.push(" AND id_tag = ").bind(id_tag);
        }
        if let Some(connector) = filter.connector_id {
            q.push(" AND connector_id = ").bind(connector);
        }
        if filter.active_only {
            q.push(" AND stopped_at IS NULL");
        }
        q.push(" ORDER BY started_at DESC, id DESC");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").bind(limit);
        }
        all(q.fetch_all(&mut self.reader().await?).await?, backend::session)
    }

    async fn unknown_stops(&self, station: Option<&StationId>, limit: u32) -> Result<Vec<UnknownStop>> {
        let mut q = Query::new("SELECT * FROM unknown_stops");
        if let Some(station) = station {
            q.push(" WHERE station_id = ").bind(station);
        }
        q.push(" ORDER BY received_at DESC, id DESC LIMIT ").bind(limit);
        all(q.fetch_all(&mut self.reader().await?).await?, backend::unknown_stop)
    }

    async fn add_meter_values(&self, batch: &MeterBatch) -> Result<u64> {
        self.writer().add_meter_values(batch).await
    }

    async fn meter_values(&self, filter: &MeterFilter) -> Result<Vec<StoredSample>> {
        let mut q = Query::new("SELECT * FROM meter_values WHERE 1 = 1");
        if let Some(station) = &filter.station_id {
            q.push(" AND station_id = ").bind(station);
        }
        if let Some(transaction) = filter.transaction_id {
            q.push(" AND transaction_id = ").bind(transaction);
        }
        if let Some(since) = filter.since {
            q.push(" AND ts >= ").bind(since);
        }
        if let Some(until) = filter.until {
            q.push(" AND ts < ").bind(until);
        }
        q.push(" ORDER BY ts, id");
        if let Some(limit) = filter.limit {
            q.push(" LIMIT ").bind(limit);
        }
        all(q.fetch_all(&mut self.reader().await?).await?, backend::stored_sample)
    }

    // Both reads are answered from the index `meter_values_by_station_measurand` alone (migration 0013: it
    // holds every column they touch), in its order: station, measurand, connector, time.
    async fn energy_readings(&self, query: &EnergyQuery) -> Result<Vec<Reading>> {
        let rows = self
            .reader()
            .await?
            .fetch_all(
                "SELECT ts, value, CAST(CASE WHEN context = 'Sample.Clock' THEN 1 ELSE 0 END AS BIGINT) AS clock_aligned
                 FROM meter_values
                 WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register' AND connector_id = $2
                   AND ts >= $3 AND ts < $4 AND phase = '' AND location IN ('', 'Outlet') AND unit = 'Wh'
                   AND value IS NOT NULL
                 ORDER BY ts LIMIT $5",
                &[
                    (&query.station_id).into(),
                    query.connector_id.into(),
                    query.since.into(),
                    query.until.into(),
                    query.limit.into(),
                ],
            )
            .await?;
        all(rows, backend::energy_reading)
    }

    async fn latest_power(&self, station: &StationId) -> Result<Vec<PowerSample>> {
        let mut db = self.reader().await?;
        // The connectors with power samples, one index probe each (a loose index scan), so the read stays
        // small however long the history is.
        let connectors = db
            .fetch_all(
                "WITH RECURSIVE c(id) AS (
                     SELECT MIN(connector_id) FROM meter_values
                     WHERE station_id = $1 AND measurand = 'Power.Active.Import'
                     UNION ALL
                     SELECT (SELECT MIN(connector_id) FROM meter_values
                             WHERE station_id = $1 AND measurand = 'Power.Active.Import' AND connector_id > c.id)
                     FROM c WHERE c.id IS NOT NULL
                 )
                 SELECT id FROM c WHERE id IS NOT NULL",
                &[station.into()],
            )
            .await?;
        let mut out = Vec::with_capacity(connectors.len());
        for c in connectors {
            let rows = db
                .fetch_all(
                    "SELECT connector_id, ts, value FROM meter_values
                     WHERE station_id = $1 AND measurand = 'Power.Active.Import' AND connector_id = $2
                       AND phase = '' AND location IN ('', 'Outlet') AND unit = 'W' AND value IS NOT NULL
                     ORDER BY ts DESC LIMIT 2",
                    &[station.into(), c.int("id")?.into()],
                )
                .await?;
            let mut latest = all(rows, backend::power_sample)?.into_iter();
            if let Some(mut last) = latest.next() {
                last.previous_at = latest.next().map(|p| p.at);
                out.push(last);
            }
        }
        Ok(out)
    }

    async fn energy_quarters(
        &self,
        station: &StationId,
        connector: u32,
        first_day: i64,
        last_day: i64,
    ) -> Result<Vec<QuarterSummary>> {
        quarters::read(self, station, connector, first_day, last_day).await
    }

    async fn rebuild_energy_quarters(&self, station: Option<&StationId>) -> Result<u64> {
        quarters::rebuild(self, station).await
    }

    async fn import_energy_quarters(
        &self,
        station: &StationId,
        connector: u32,
        summaries: &[QuarterSummary],
    ) -> Result<u64> {
        quarters::import(self, station, connector, summaries).await
    }
}

/// Inserts the rows of `plan` (with the backend's own bulk insert), skipping those stored already, and
/// brings the quarter summaries up to date with the ones inserted, in the same transaction: the summaries
/// never disagree with the readings (DESIGN.md rule 1). Returns the positions in `plan.rows` inserted.
pub(crate) async fn insert_meter_values<E: BatchExecutor>(tx: &mut E, plan: &MeterPlan<'_>) -> ExecResult<Vec<usize>> {
    if plan.rows.is_empty() {
        return Ok(Vec::new());
    }
    let inserted = tx.insert_meter_rows(&plan.rows).await?;
    // Only the rows inserted: a sample already stored under the same key (perhaps without a number) stays as
    // stored.
    quarters::update(tx, &plan.inserted_rows(&inserted)).await?;
    Ok(inserted)
}

async fn start_session<E: BatchExecutor>(tx: &mut E, start: &SessionStart) -> ExecResult<StartOutcome> {
    let inserted = tx
        .fetch_optional(
            "INSERT INTO sessions (station_id, operator_id, connector_id, id_tag, auth_status, meter_start_wh,
                 started_at, reservation_id, transaction_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT DO NOTHING RETURNING *",
            &[
                (&start.station_id).into(),
                start.operator_id.into(),
                start.connector_id.into(),
                (&start.id_tag).into(),
                start.authorization.as_str().into(),
                start.meter_start_wh.into(),
                start.started_at.into(),
                start.reservation_id.into(),
                start.transaction_id.as_ref().map(|t| t.as_str()).into(),
            ],
        )
        .await?;
    if let Some(row) = inserted {
        let session = backend::session(&row)?;
        if start.transaction_id.is_none() {
            // The station takes the new session id as its transaction id (OCPP 1.6): record it as such, in
            // the same transaction, so that every session has one.
            let row = tx
                .fetch_one(
                    "UPDATE sessions SET transaction_id = $2 WHERE id = $1 RETURNING *",
                    &[session.id.into(), TransactionId::of_session(session.id).as_str().into()],
                )
                .await?;
            return Ok(StartOutcome { session: backend::session(&row)?, created: true });
        }
        return Ok(StartOutcome { session, created: true });
    }
    // The natural key exists: this start was received before.
    let row = tx
        .fetch_one(
            "SELECT * FROM sessions
             WHERE station_id = $1 AND connector_id = $2 AND id_tag = $3 AND started_at = $4
                 AND meter_start_wh = $5",
            &[
                (&start.station_id).into(),
                start.connector_id.into(),
                (&start.id_tag).into(),
                start.started_at.into(),
                start.meter_start_wh.into(),
            ],
        )
        .await?;
    Ok(StartOutcome { session: backend::session(&row)?, created: false })
}

async fn stop_session<E: BatchExecutor>(tx: &mut E, stop: &SessionStop) -> ExecResult<StopOutcome> {
    let stopped = tx
        .fetch_optional(
            "UPDATE sessions SET meter_stop_wh = $3, stopped_at = $4, stop_reason = $5, stop_id_tag = $6
             WHERE id = $1 AND station_id = $2 AND stopped_at IS NULL
             RETURNING *",
            &[
                stop.transaction_id.into(),
                (&stop.station_id).into(),
                stop.meter_stop_wh.into(),
                stop.stopped_at.into(),
                stop.reason.as_deref().into(),
                stop.id_tag.as_ref().map(|t| t.as_str()).into(),
            ],
        )
        .await?;
    if let Some(row) = stopped {
        let session = backend::session(&row)?;
        let plan = MeterPlan::for_samples(&stop.station_id, session.connector_id, Some(session.id), &stop.samples);
        insert_meter_values(tx, &plan).await?;
        return Ok(StopOutcome::Stopped(session));
    }
    let existing = tx
        .fetch_optional(
            "SELECT * FROM sessions WHERE id = $1 AND station_id = $2",
            &[stop.transaction_id.into(), (&stop.station_id).into()],
        )
        .await?;
    if let Some(row) = existing {
        return Ok(StopOutcome::AlreadyStopped(backend::session(&row)?));
    }
    tx.execute(
        "INSERT INTO unknown_stops (station_id, transaction_id, id_tag, meter_stop_wh, stopped_at, reason,
             received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING",
        &[
            (&stop.station_id).into(),
            stop.transaction_id.into(),
            stop.id_tag.as_ref().map(|t| t.as_str()).into(),
            stop.meter_stop_wh.into(),
            stop.stopped_at.into(),
            stop.reason.as_deref().into(),
            now().into(),
        ],
    )
    .await?;
    let plan = MeterPlan::for_samples(&stop.station_id, 0, Some(stop.transaction_id), &stop.samples);
    insert_meter_values(tx, &plan).await?;
    Ok(StopOutcome::Unknown)
}
