//! 15-minute interval energy exports ("Billing and exports"): which time zone a station's intervals
//! are labelled in, one station's intervals from its stored register readings, and the CSV of many stations
//! formatted on all cores in bounded memory and written in order.
//!
//! The computation is the domain's ([`joule_core::intervals`]); this module only feeds it from the store.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use chrono_tz::Tz;
use futures_util::stream::{self, Stream, StreamExt};
use joule_core::intervals::{self, Calendar, Interval, IntervalCsv, IntervalOptions};
use joule_core::{DomainError, StationId};
use joule_store::{Store, StoreError};

/// The longest date range one request may ask for: a year, also a leap year (bounded resources, DESIGN.md).
pub const MAX_DAYS: i64 = 366;

/// How many stations an export formats at once: their quarter summaries (under 1 MB for a year) and their
/// CSV text (some 3 MB a year) are held until written, in order.
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
    check_range(from, to)?;
    let calendar = Calendar::new(tz, from, to)?;
    let quarters = quarters(store, station, connector, &calendar).await?;
    let energies = intervals::energies_from_quarters(&quarters, &calendar, IntervalOptions::default())?;
    Ok(calendar.intervals(&energies))
}

/// The quarter summaries [`intervals::energies_from_quarters`] needs for a calendar's days: those of the
/// UTC days from the maximum gap before its first boundary to the maximum gap after its last, which the
/// first and last boundaries may be interpolated from. Summaries of one meter, not its readings: at most
/// two readings per quarter hour, 365 rows a year however often the meter is read.
async fn quarters(
    store: &dyn Store,
    station: &StationId,
    connector: Option<u32>,
    calendar: &Calendar,
) -> Result<Vec<intervals::QuarterSummary>, ExportError> {
    let margin = IntervalOptions::default().max_gap;
    let first_day = intervals::utc_day(calendar.start() - margin);
    let last_day = intervals::utc_day(calendar.end() + margin);
    Ok(store.energy_quarters(station, connector.unwrap_or(0), first_day, last_day).await?)
}

/// One meter to export.
#[derive(Debug, Clone)]
pub struct ExportJob {
    pub station: StationId,
    pub connector: Option<u32>,
    pub tz: Tz,
}

/// The calendars of an export by zone: built once per zone (a year's labels, some 2 MB) and shared by all
/// its meters, so that a meter costs only its energies and the copy of its lines.
#[derive(Default)]
struct Calendars(Mutex<HashMap<Tz, Arc<Calendar>>>);

impl Calendars {
    fn get(&self, tz: Tz, from: NaiveDate, to: NaiveDate) -> Result<Arc<Calendar>, ExportError> {
        let cached = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&tz).cloned();
        if let Some(c) = cached {
            return Ok(c);
        }
        // Built outside the lock: two meters of a new zone at once may both build it, which costs only time.
        let built = Arc::new(Calendar::new(tz, from, to)?);
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(tz, built.clone());
        Ok(built)
    }
}

/// The CSV lines (no header) of one meter's intervals. The computation and formatting run on a blocking
/// thread, so that an export uses every core while the server's tasks go on.
pub async fn station_csv(
    store: &dyn Store,
    job: ExportJob,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<u8>, ExportError> {
    check_range(from, to)?;
    meter_csv(store, job, from, to, Arc::new(Calendars::default())).await
}

async fn meter_csv(
    store: &dyn Store,
    job: ExportJob,
    from: NaiveDate,
    to: NaiveDate,
    calendars: Arc<Calendars>,
) -> Result<Vec<u8>, ExportError> {
    let calendar = {
        let calendars = calendars.clone();
        tokio::task::spawn_blocking(move || calendars.get(job.tz, from, to)).await.map_err(task_failed)??
    };
    let quarters = quarters(store, &job.station, job.connector, &calendar).await?;
    tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ExportError> {
        let energies = intervals::energies_from_quarters(&quarters, &calendar, IntervalOptions::default())?;
        drop(quarters);
        // About 90 bytes a line.
        let mut csv = IntervalCsv::continuing(Vec::with_capacity(energies.len() * 96));
        csv.write_energies(&job.station, job.connector, &calendar, &energies)?;
        Ok(csv.finish()?)
    })
    .await
    .map_err(task_failed)?
}

fn task_failed(e: tokio::task::JoinError) -> ExportError {
    ExportError::Io(io::Error::other(format!("the export task failed: {e}")))
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
    let calendars = Arc::new(Calendars::default());
    let checked = check_range(from, to);
    let lines = stream::iter(jobs)
        .map(move |job| {
            let store = store.clone();
            let calendars = calendars.clone();
            let checked = checked.as_ref().map_err(|e| ExportError::invalid("to", e.to_string())).copied();
            async move {
                checked?;
                meter_csv(&*store, job, from, to, calendars).await
            }
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
