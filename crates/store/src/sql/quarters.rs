//! The quarter summaries of the meters in SQL (what they are and how a day is packed:
//! [`crate::backend::quarters`]): kept up to date in the transaction of every meter-value insert, read
//! for the interval export, rebuilt from the readings, and loaded from elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use joule_core::intervals::{QuarterSummary, Reading, quarter_of, quarter_start, summarize};
use joule_core::{StationId, Timestamp};

use super::{Exec, Query, SqlBackend};
use crate::backend::quarters::{self as packing, DayKey, QuarterDay};
use crate::backend::{self, Columns, ExecResult, Lock, MeterRow, rank};
use crate::{Result, StoreError};

/// Meter-days per statement: 4 bound values each, far below both databases' limits.
const KEYS_PER_STATEMENT: usize = 500;

/// [`SessionStore::energy_quarters`](crate::SessionStore::energy_quarters).
pub(super) async fn read<B: SqlBackend>(
    store: &B,
    station: &StationId,
    connector: u32,
    first_day: i64,
    last_day: i64,
) -> Result<Vec<QuarterSummary>> {
    // A primary-key range: one row per day.
    let rows = store
        .reader()
        .await?
        .fetch_all(
            "SELECT day, quarters FROM meter_quarter_days
             WHERE station_id = $1 AND connector_id = $2 AND day >= $3 AND day <= $4
             ORDER BY day",
            &[station.into(), connector.into(), first_day.into(), last_day.into()],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len() * packing::QUARTERS_PER_DAY);
    for row in &rows {
        packing::decode_day(row.int("day")?, row.blob("quarters")?, &mut out)?;
    }
    Ok(out)
}

/// [`SessionStore::rebuild_energy_quarters`](crate::SessionStore::rebuild_energy_quarters): one
/// transaction per meter.
pub(super) async fn rebuild<B: SqlBackend>(store: &B, station: Option<&StationId>) -> Result<u64> {
    let stations: Vec<String> = match station {
        Some(s) => vec![s.as_str().to_string()],
        None => {
            let rows = store.reader().await?.fetch_all("SELECT id FROM stations ORDER BY id", &[]).await?;
            rows.iter().map(|r| r.text("id")).collect::<Result<_>>()?
        }
    };
    let mut written = 0;
    for id in stations {
        // The station's meters with register readings, one index probe each (a loose index scan of
        // meter_values_by_station_measurand).
        let connectors = store
            .reader()
            .await?
            .fetch_all(
                "WITH RECURSIVE c(id) AS (
                     SELECT MIN(connector_id) FROM meter_values
                     WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register'
                     UNION ALL
                     SELECT (SELECT MIN(connector_id) FROM meter_values
                             WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register'
                               AND connector_id > c.id)
                     FROM c WHERE c.id IS NOT NULL
                 )
                 SELECT id FROM c WHERE id IS NOT NULL",
                &[id.as_str().into()],
            )
            .await?;
        let sid = StationId::parse(&id).map_err(|e| StoreError::Corrupt(format!("station id {id}: {e}")))?;
        for c in connectors {
            let c = c.int("id")?;
            let c = u32::try_from(c).map_err(|_| StoreError::Corrupt(format!("connector {c}")))?;
            written += store
                .writer()
                .write(Lock::connector(&sid, rank::METER_VALUES, c), (sid.clone(), c), |tx, (station, connector)| {
                    Box::pin(rebuild_meter(tx, station, *connector))
                })
                .await?;
        }
    }
    Ok(written)
}

/// [`SessionStore::import_energy_quarters`](crate::SessionStore::import_energy_quarters).
pub(super) async fn import<B: SqlBackend>(
    store: &B,
    station: &StationId,
    connector: u32,
    summaries: &[QuarterSummary],
) -> Result<u64> {
    let mut sorted = summaries.to_vec();
    sorted.sort_by_key(|s| s.quarter());
    sorted.dedup_by_key(|s| s.quarter());
    let days = pack_days(&sorted);
    store
        .writer()
        .write(
            Lock::connector(station, rank::METER_VALUES, connector),
            (station.clone(), connector, days),
            |tx, (station, connector, days)| Box::pin(put_days(tx, station, *connector, days)),
        )
        .await
}

/// Builds the quarter summaries of the readings stored before migration 0016, once: the migration leaves a
/// row in `meter_quarter_backfill`, deleted when every meter is done (an interrupted backfill starts again
/// at the next open; it only rewrites what it wrote). A backend calls it when it opens, before the store
/// serves anyone.
pub async fn backfill<B: SqlBackend>(store: &B) -> Result<()> {
    let pending =
        store.reader().await?.fetch_optional("SELECT pending FROM meter_quarter_backfill LIMIT 1", &[]).await?;
    if pending.is_none() {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let days = rebuild(store, None).await?;
    store
        .writer()
        .write(Lock::global(rank::QUARTER_BACKFILL), (), |tx, ()| {
            Box::pin(async move { tx.execute("DELETE FROM meter_quarter_backfill", &[]).await.map(drop) })
        })
        .await?;
    if days > 0 {
        tracing::info!(
            days,
            seconds = started.elapsed().as_secs(),
            "built the quarter summaries of the stored meter values"
        );
    }
    Ok(())
}

/// Brings the quarter summaries of the meters `rows` name up to date with them, in the transaction that
/// inserted them. Called after every meter-value insert with the rows it inserted (not those it skipped
/// as stored already: what is stored under their key is what counts).
pub(super) async fn update(tx: &mut impl Exec, rows: &[MeterRow<'_>]) -> ExecResult<()> {
    let by_day = packing::readings_by_day(rows);
    if by_day.is_empty() {
        return Ok(());
    }
    let keys: Vec<&DayKey> = by_day.keys().collect();
    let mut changed: Vec<(&DayKey, Vec<u8>)> = Vec::new();
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        let days = lock_days(tx, chunk).await?;
        for (key, (stored, mut day)) in chunk.iter().zip(days) {
            let mut readings = by_day[*key].clone();
            // In order of time, so that most readings extend their quarter hour at its end.
            readings.sort_by_key(|r| r.at);
            let mut again = BTreeSet::new();
            for r in readings {
                if !day.add(r) {
                    again.insert(quarter_of(r.at));
                }
            }
            // A reading at or between the first and the last of its quarter hour (late, or repeated): the
            // quarter hour is summarised again from all its stored readings.
            for q in again {
                let since = quarter_start(q);
                let until = quarter_start(q + 1);
                let all = register_readings(tx, &key.station_id, key.connector_id, since, until).await?;
                day.set(q, summarize(&all).first().copied());
            }
            let bytes = day.encode();
            if bytes != stored {
                changed.push((*key, bytes));
            }
        }
    }
    for chunk in changed.chunks(KEYS_PER_STATEMENT) {
        let mut q =
            Query::rows("INSERT INTO meter_quarter_days (station_id, connector_id, day, quarters) ", chunk.len() * 4);
        q.values(chunk, |row, (key, bytes)| {
            row.bind(&key.station_id).bind(key.connector_id).bind(key.day).bind(&bytes[..]);
        });
        q.push(" ON CONFLICT (station_id, connector_id, day) DO UPDATE SET quarters = excluded.quarters");
        q.execute(tx).await?;
    }
    Ok(())
}

/// Computes the quarter summaries of one meter again from all its stored readings (the backfill of data
/// stored before the summaries existed); returns how many UTC days it wrote.
async fn rebuild_meter(tx: &mut impl Exec, station: &StationId, connector: u32) -> ExecResult<u64> {
    tx.execute(
        "DELETE FROM meter_quarter_days WHERE station_id = $1 AND connector_id = $2",
        &[station.into(), connector.into()],
    )
    .await?;
    let span = tx
        .fetch_one(
            "SELECT MIN(ts) AS lo, MAX(ts) AS hi FROM meter_values
             WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register' AND connector_id = $2",
            &[station.into(), connector.into()],
        )
        .await?;
    let (Some(lo), Some(hi)) = (span.opt_time("lo")?, span.opt_time("hi")?) else {
        return Ok(0);
    };
    let (mut day, last) = (packing::day_of(lo), packing::day_of(hi));
    let mut written = 0;
    // A month of readings at a time: memory stays bounded however long the history is.
    while day <= last {
        let next = (day + 31).min(last + 1);
        let readings =
            register_readings(tx, station, connector, packing::day_start(day), packing::day_start(next)).await?;
        written += put_days(tx, station, connector, &pack_days(&summarize(&readings))).await?;
        day = next;
    }
    Ok(written)
}

/// The register readings of one meter in `since..until` on the writer's connection, inside its transaction
/// (so with the rows it has just inserted): the same rule as `SessionStore::energy_readings`.
async fn register_readings(
    tx: &mut impl Exec,
    station: &StationId,
    connector: u32,
    since: Timestamp,
    until: Timestamp,
) -> ExecResult<Vec<Reading>> {
    let rows = tx
        .fetch_all(
            "SELECT ts, value, CAST(CASE WHEN context = 'Sample.Clock' THEN 1 ELSE 0 END AS BIGINT) AS clock_aligned
             FROM meter_values
             WHERE station_id = $1 AND measurand = 'Energy.Active.Import.Register' AND connector_id = $2
               AND ts >= $3 AND ts < $4 AND phase = '' AND location IN ('', 'Outlet') AND unit = 'Wh'
               AND value IS NOT NULL
             ORDER BY ts",
            &[station.into(), connector.into(), since.into(), until.into()],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(backend::energy_reading(r)?);
    }
    Ok(out)
}

/// The stored summary days of `keys` (sorted), as stored and decoded, in the order of `keys`, locked for
/// this transaction. A day not stored yet is inserted empty first, so that two PostgreSQL writers updating
/// the same new day wait for each other (the second then reads the first's day) instead of both starting
/// from nothing; rows are locked in key order, the same in every writer.
async fn lock_days<E: Exec>(tx: &mut E, keys: &[&DayKey]) -> ExecResult<Vec<(Vec<u8>, QuarterDay)>> {
    let empty: Vec<Vec<u8>> = keys.iter().map(|key| QuarterDay::empty(key.day).encode()).collect();
    let mut q =
        Query::rows("INSERT INTO meter_quarter_days (station_id, connector_id, day, quarters) ", keys.len() * 4);
    q.values(keys.iter().zip(&empty), |row, (key, empty)| {
        row.bind(&key.station_id).bind(key.connector_id).bind(key.day).bind(&empty[..]);
    });
    q.push(" ON CONFLICT (station_id, connector_id, day) DO NOTHING");
    q.execute(tx).await?;

    let mut q = Query::rows(
        "SELECT station_id, connector_id, day, quarters FROM meter_quarter_days
         WHERE (station_id, connector_id, day) IN (",
        keys.len() * 3,
    );
    q.values(keys, |row, key| {
        row.bind(&key.station_id).bind(key.connector_id).bind(key.day);
    });
    q.push(") ORDER BY station_id, connector_id, day").push(E::LOCK_ROWS);
    let rows = q.fetch_all(tx).await?;
    let mut found = BTreeMap::new();
    for row in &rows {
        let connector = u32::try_from(row.int("connector_id")?)
            .map_err(|_| StoreError::Corrupt("a quarter summary row's connector".into()))?;
        found.insert((row.text("station_id")?, connector, row.int("day")?), row.blob("quarters")?.to_vec());
    }
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let bytes =
            found.remove(&(key.station_id.as_str().to_string(), key.connector_id, key.day)).ok_or_else(|| {
                StoreError::Database(format!("the quarter summaries of {} day {} vanished", key.station_id, key.day))
            })?;
        let day = QuarterDay::decode(key.day, &bytes)?;
        out.push((bytes, day));
    }
    Ok(out)
}

/// Summaries (oldest first) packed by UTC day.
fn pack_days(summaries: &[QuarterSummary]) -> Vec<(i64, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = summaries;
    while let Some(first) = rest.first() {
        let day = packing::day_of_quarter(first.quarter());
        let n = rest.iter().take_while(|s| packing::day_of_quarter(s.quarter()) == day).count();
        out.push((day, QuarterDay::of(day, &rest[..n]).encode()));
        rest = &rest[n..];
    }
    out
}

/// Writes packed days of one meter, replacing what is stored for those days.
async fn put_days(tx: &mut impl Exec, station: &StationId, connector: u32, days: &[(i64, Vec<u8>)]) -> ExecResult<u64> {
    for chunk in days.chunks(KEYS_PER_STATEMENT) {
        let mut q =
            Query::rows("INSERT INTO meter_quarter_days (station_id, connector_id, day, quarters) ", chunk.len() * 4);
        q.values(chunk, |row, (day, bytes)| {
            row.bind(station).bind(connector).bind(*day).bind(&bytes[..]);
        });
        q.push(" ON CONFLICT (station_id, connector_id, day) DO UPDATE SET quarters = excluded.quarters");
        q.execute(tx).await?;
    }
    Ok(days.len() as u64)
}
