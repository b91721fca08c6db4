//! The plan for inserting the meter values of many MeterValues messages in one statement, and for telling
//! each message afterwards how many of its samples were new.
//!
//! The rows are sorted by their natural key, in the order of the unique index (time first), and duplicates
//! removed before the database sees them. Sorting makes concurrent transactions take their index locks in
//! the same order (no deadlocks between parallel PostgreSQL writers) and inserts index entries in order;
//! removing duplicates means every row sent belongs to exactly one message, so the rows a backend reports
//! as inserted can be counted per message.

use std::cmp::Ordering;

use joule_core::meter::MeterSample;
use joule_core::{SessionId, StationId, Timestamp};

use super::time::truncate;
use crate::{MeterBatch, Result, StoreError};

/// One sample to insert, with what it shares with its message.
#[derive(Debug, Clone, Copy)]
pub struct MeterRow<'a> {
    pub station_id: &'a StationId,
    pub connector_id: u32,
    pub transaction_id: Option<SessionId>,
    pub sample: &'a MeterSample,
    /// Which message (position in the plan's batches) the row came from.
    batch: usize,
}

impl<'a> MeterRow<'a> {
    /// The sample's time as stored (to the millisecond): two samples within one millisecond are the same.
    pub fn timestamp(&self) -> Timestamp {
        truncate(self.sample.timestamp)
    }

    /// The phase as stored: `''` when absent, so that it can be part of the unique key.
    pub fn phase(&self) -> &'a str {
        self.sample.phase.as_deref().unwrap_or("")
    }

    /// The location as stored: `''` when absent.
    pub fn location(&self) -> &'a str {
        self.sample.location.as_deref().unwrap_or("")
    }

    /// The order of the `meter_values_natural_key` index: time, station, connector, measurand, phase,
    /// location, context.
    fn key_cmp(&self, other: &MeterRow<'_>) -> Ordering {
        (self.timestamp(), self.station_id, self.connector_id, &self.sample.measurand, self.phase(), self.location())
            .cmp(&(
                other.timestamp(),
                other.station_id,
                other.connector_id,
                &other.sample.measurand,
                other.phase(),
                other.location(),
            ))
            .then_with(|| self.sample.context.cmp(&other.sample.context))
    }
}

/// The rows of some batches, sorted by natural key and without duplicates (the first batch that names a
/// sample gets it; a later one counts it as already stored, exactly as if it had come in a later
/// transaction).
#[derive(Debug)]
pub struct MeterPlan<'a> {
    pub rows: Vec<MeterRow<'a>>,
    batches: usize,
}

impl<'a> MeterPlan<'a> {
    pub fn new(batches: &[&'a MeterBatch]) -> MeterPlan<'a> {
        let rows: Vec<MeterRow<'a>> = batches
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                b.samples.iter().map(move |sample| MeterRow {
                    station_id: &b.station_id,
                    connector_id: b.connector_id,
                    transaction_id: b.transaction_id,
                    sample,
                    batch: i,
                })
            })
            .collect();
        MeterPlan::sorted(rows, batches.len())
    }

    /// The plan for the samples of one stop (they are all of one connector and transaction).
    pub fn for_samples(
        station_id: &'a StationId,
        connector_id: u32,
        transaction_id: Option<SessionId>,
        samples: &'a [MeterSample],
    ) -> MeterPlan<'a> {
        let rows = samples.iter().map(|sample| MeterRow { station_id, connector_id, transaction_id, sample, batch: 0 });
        MeterPlan::sorted(rows.collect(), 1)
    }

    fn sorted(mut rows: Vec<MeterRow<'a>>, batches: usize) -> MeterPlan<'a> {
        // Stable, so among equal keys the earliest batch comes first and is the one kept.
        rows.sort_by(|a, b| a.key_cmp(b));
        rows.dedup_by(|later, earlier| later.key_cmp(earlier) == Ordering::Equal);
        MeterPlan { rows, batches }
    }

    /// The rows at the positions the database inserted (quarter summaries); positions out of range
    /// are left out (`counts` reports them).
    pub fn inserted_rows(&self, inserted: &[usize]) -> Vec<MeterRow<'a>> {
        inserted.iter().filter_map(|&i| self.rows.get(i).copied()).collect()
    }

    /// How many rows of each batch were new, given the positions in `rows` that the database inserted.
    pub fn counts(&self, inserted: &[usize]) -> Result<Vec<u64>> {
        let mut counts = vec![0u64; self.batches];
        for &pos in inserted {
            let row = self.rows.get(pos).ok_or_else(|| {
                StoreError::Database(format!("the database reported inserting row {pos} of {}", self.rows.len()))
            })?;
            counts[row.batch] += 1;
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use joule_core::meter::RawSample;

    fn sample(ms: i64, measurand: &str, phase: Option<&str>) -> MeterSample {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::milliseconds(ms);
        MeterSample::from_raw(t, RawSample { value: "1", measurand: Some(measurand), phase, ..Default::default() })
    }

    fn batch(station: &str, samples: Vec<MeterSample>) -> MeterBatch {
        MeterBatch { station_id: StationId::parse(station).unwrap(), connector_id: 1, transaction_id: None, samples }
    }

    #[test]
    fn duplicates_go_to_the_first_batch() {
        let a = batch("A", vec![sample(2, "Power", None), sample(1, "Energy", None), sample(1, "Energy", None)]);
        let b = batch("A", vec![sample(1, "Energy", None), sample(1, "Energy", Some("L1"))]);
        let c = batch("B", vec![sample(1, "Energy", None)]);
        let plan = MeterPlan::new(&[&a, &b, &c]);
        assert_eq!(plan.rows.len(), 4);
        let batches: Vec<usize> = plan.rows.iter().map(|r| r.batch).collect();
        // Sorted by time, then station, measurand and phase.
        assert_eq!(batches, vec![0, 1, 2, 0]);
        assert_eq!(plan.counts(&[0, 1, 2, 3]).unwrap(), vec![2, 1, 1]);
        assert_eq!(plan.counts(&[2]).unwrap(), vec![0, 0, 1]);
        assert!(plan.counts(&[4]).is_err());
    }

    #[test]
    fn sub_millisecond_differences_are_the_same_sample() {
        let mut s2 = sample(5, "Energy", None);
        s2.timestamp += Duration::microseconds(300);
        let a = batch("A", vec![sample(5, "Energy", None), s2]);
        assert_eq!(MeterPlan::new(&[&a]).rows.len(), 1);
    }
}
