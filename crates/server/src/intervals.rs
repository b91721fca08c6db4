//! 15-minute interval energy exports (issue 5, "Billing and exports"): which time zone a station's intervals
//! are labelled in, one station's intervals from its stored register readings, and the CSV of many stations
//! formatted on all cores in bounded memory and written in order.
//!
//! The computation is the domain's ([`joule_core::intervals`]); this module only feeds it from the store.

use std::io;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use futures_util::stream::{self, Stream, StreamExt};
use joule_core::intervals::{self, Interval, IntervalCsv, IntervalOptions};
use joule_core::{DomainError, StationId};
use joule_store::{EnergyQuery, Store, StoreError};

/// The longest date range one request may ask for: a year, also a leap year (bounded resources, DESIGN.md).
pub const MAX_DAYS: i64 = 366;

/// The most register readings read for one meter in one request: a reading every 10 seconds for a year is
/// 3.2 million; a range holding more is refused (asking for a shorter range is the fix) rather than read.
pub const MAX_READINGS: u32 = 4_000_000;

/// How many stations an export formats at once: their readings (some 3 MB for a year of 5-minute readings)
/// and their CSV text are held until written, in order.
pub const PARALLEL: usize = 4;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The request cannot be answered as asked: `field` says what to change.
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl ExportError {
    fn invalid(field: &'static str, message: impl Into<String>) -> ExportError {
        ExportError::Invalid { field, message: message.into() }
    }
}

impl From<DomainError> for ExportError {
    fn from(e: DomainError) -> ExportError {
        ExportError::invalid("time_zone", e.to_string())
    }
}

/// Checks a date range: `to` not before `from`, at most [`MAX_DAYS`] days.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), ExportError> {
    if to < from {
        return Err(ExportError::invalid("to", format!("the last day {to} is before the first {from}")));
    }
    let days = (to - from).num_days() + 1;
    if days > MAX_DAYS {
        return Err(ExportError::invalid(
            "to",
            format!("{days} days asked; at most {MAX_DAYS} at a time (ask per year)"),
        ));
    }
    Ok(())
}

/// The intervals of the local days `from..=to` of one meter: `connector` `None` (or 0) is the station's
/// main meter, a number its connector's meter (OCPP 1.6 §7.18: connectorId 0 is the main meter).
pub async fn station_intervals(
    store: &dyn Store,
    station: &StationId,
    connector: Option<u32>,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Interval>, ExportError> {
    let readings = readings(store, station, connector, tz, from, to).await?;
    Ok(intervals::intervals(&readings, tz, from, to, IntervalOptions::default())?)
}

/// The readings [`intervals::intervals`] needs for the days: those of the days, and those up to the
/// maximum gap before and after, which the first and last boundaries are interpolated from.
async fn readings(
    store: &dyn Store,
    station: &StationId,
    connector: Option<u32>,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<intervals::Reading>, ExportError> {
    check_range(from, to)?;
    let start = intervals::day_start(tz, from)?;
    let next = to.succ_opt().ok_or_else(|| ExportError::invalid("to", "too late a date"))?;
    let end = intervals::day_start(tz, next)?;
    let margin = IntervalOptions::default().max_gap;
    let query = EnergyQuery {
        station_id: station.clone(),
        connector_id: connector.unwrap_or(0),
        since: start - margin,
        // A reading exactly `max_gap` after the last boundary still counts for it.
        until: end + margin + Duration::milliseconds(1),
        limit: MAX_READINGS,
    };
    let readings = store.energy_readings(&query).await?;
    if readings.len() >= MAX_READINGS as usize {
        return Err(ExportError::invalid(
            "to",
            format!(
                "station {station} has more than {MAX_READINGS} register readings in {from}..{to}; ask for fewer days"
            ),
        ));
    }
    Ok(readings)
}

/// One meter to export.
#[derive(Debug, Clone)]
pub struct ExportJob {
    pub station: StationId,
    pub connector: Option<u32>,
    pub tz: Tz,
}

/// The CSV lines (no header) of one meter's intervals. The computation and formatting run on a blocking
/// thread, so that an export uses every core while the server's tasks go on.
pub async fn station_csv(
    store: &dyn Store,
    job: ExportJob,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<u8>, ExportError> {
    let readings = readings(store, &job.station, job.connector, job.tz, from, to).await?;
    tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ExportError> {
        let series = intervals::intervals(&readings, job.tz, from, to, IntervalOptions::default())?;
        drop(readings);
        // About 90 bytes a line.
        let mut csv = IntervalCsv::continuing(Vec::with_capacity(series.len() * 96));
        csv.write(&job.station, job.connector, &series)?;
        Ok(csv.finish()?)
    })
    .await
    .map_err(|e| ExportError::Io(io::Error::other(format!("the export task failed: {e}"))))?
}

/// The CSV of many meters, in the order given: the header, then each meter's lines. At most `parallel`
/// meters are read and formatted at once (at least one), so memory stays bounded however many there are; the
/// stream yields each meter's lines as soon as they and all before them are done.
pub fn export_csv(
    store: Arc<dyn Store>,
    jobs: Vec<ExportJob>,
    from: NaiveDate,
    to: NaiveDate,
    parallel: usize,
) -> impl Stream<Item = Result<Vec<u8>, ExportError>> + Send + 'static {
    let header = format!("{}\n", intervals::CSV_HEADER).into_bytes();
    let lines = stream::iter(jobs)
        .map(move |job| {
            let store = store.clone();
            async move { station_csv(&*store, job, from, to).await }
        })
        .buffered(parallel.max(1));
    stream::once(async move { Ok::<_, ExportError>(header) }).chain(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(check_range(d("2026-01-01"), d("2026-12-31")).is_ok());
        assert!(check_range(d("2028-01-01"), d("2028-12-31")).is_ok(), "a leap year is 366 days");
        assert!(check_range(d("2026-01-01"), d("2027-01-02")).is_err(), "367 days");
        assert!(check_range(d("2026-01-02"), d("2026-01-01")).is_err());
        assert!(check_range(d("2026-01-01"), d("2026-01-01")).is_ok(), "one day");
    }
}
