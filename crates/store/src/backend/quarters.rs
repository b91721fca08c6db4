//! The quarter summaries of a meter as the backends keep them (the export through the database):
//! one row per meter and UTC day, `meter_quarter_days (station_id, connector_id, day, quarters)`, whose
//! `quarters` packs the day's [`QuarterSummary`]s (see [`joule_core::intervals::QuarterSummary`] for what
//! they are and why they give the same intervals as the readings).
//!
//! Why a packed day rather than a row per quarter hour: an export of a year reads 365 rows per meter instead
//! of 35,040 (or the 104,000 readings of 5-minute data), and decoding rows one at a time was what made the
//! export slow (BENCHMARKS.md). A day is at most 96 × 25 bytes whatever the sampling rate, so a row stays
//! inline in a page in both databases.
//!
//! The packing, version 1, little-endian:
//! - byte 0: the version, 1;
//! - bytes 1..13: a bitmap of the 96 quarter hours that have a summary (bit `q % 8` of byte `1 + q / 8`);
//! - then for each such quarter hour, in order: a flags byte (bit 0: the first reading is clock-aligned,
//!   bit 1: the last is, bit 2: the register fell inside the quarter hour, bit 3: only one reading), the
//!   first reading's milliseconds into the quarter hour (u32) and its Wh (f64), then, unless there is only
//!   one reading, the last reading's milliseconds and Wh.

use std::collections::BTreeMap;

use joule_core::intervals::{QuarterSummary, Reading, quarter_of, quarter_start};
use joule_core::{StationId, Timestamp};

use super::meter::MeterRow;
use super::time::{from_millis, millis};
use crate::{Result, StoreError};

/// Quarter hours in a UTC day.
pub const QUARTERS_PER_DAY: usize = 96;

const VERSION: u8 = 1;
const BITMAP: usize = QUARTERS_PER_DAY / 8;
const QUARTER_MS: i64 = 900_000;

/// The UTC day (days since the Unix epoch) of a quarter hour ([`quarter_of`]).
pub fn day_of_quarter(q: i64) -> i64 {
    q.div_euclid(QUARTERS_PER_DAY as i64)
}

/// The UTC day (days since the Unix epoch) of an instant.
pub fn day_of(t: Timestamp) -> i64 {
    day_of_quarter(quarter_of(t))
}

/// The first instant of a UTC day.
pub fn day_start(day: i64) -> Timestamp {
    quarter_start(day * QUARTERS_PER_DAY as i64)
}

/// The summaries of one meter's UTC day, quarter hour by quarter hour.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterDay {
    pub day: i64,
    pub quarters: [Option<QuarterSummary>; QUARTERS_PER_DAY],
}

impl QuarterDay {
    pub fn empty(day: i64) -> QuarterDay {
        QuarterDay { day, quarters: [None; QUARTERS_PER_DAY] }
    }

    /// The day from summaries (all of this day).
    pub fn of(day: i64, summaries: &[QuarterSummary]) -> QuarterDay {
        let mut out = QuarterDay::empty(day);
        for s in summaries {
            out.quarters[out.index(s.quarter())] = Some(*s);
        }
        out
    }

    fn index(&self, q: i64) -> usize {
        (q - self.day * QUARTERS_PER_DAY as i64) as usize
    }

    /// Takes in a new reading of this day; `false` when its quarter hour has to be summarised again from
    /// all its readings ([`QuarterSummary::extend`]).
    pub fn add(&mut self, r: Reading) -> bool {
        let i = self.index(quarter_of(r.at));
        match &mut self.quarters[i] {
            Some(s) => s.extend(r),
            slot @ None => {
                if r.wh.is_finite() && r.wh >= 0.0 {
                    *slot = Some(QuarterSummary::new(r));
                }
                true
            }
        }
    }

    /// Replaces the summary of quarter hour `q` (of this day).
    pub fn set(&mut self, q: i64, summary: Option<QuarterSummary>) {
        let i = self.index(q);
        self.quarters[i] = summary;
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![0u8; 1 + BITMAP];
        out[0] = VERSION;
        let base = self.day * QUARTERS_PER_DAY as i64;
        for (i, s) in self.quarters.iter().enumerate() {
            let Some(s) = s else { continue };
            out[1 + i / 8] |= 1 << (i % 8);
            let single = s.first.at == s.last.at;
            let flags = u8::from(s.first.clock_aligned)
                | u8::from(s.last.clock_aligned) << 1
                | u8::from(s.falls) << 2
                | u8::from(single) << 3;
            out.push(flags);
            let start = (base + i as i64) * QUARTER_MS;
            let mut reading = |r: &Reading| {
                // Within the quarter hour: 0..900,000 ms.
                out.extend_from_slice(&((millis(r.at) - start) as u32).to_le_bytes());
                out.extend_from_slice(&r.wh.to_le_bytes());
            };
            reading(&s.first);
            if !single {
                reading(&s.last);
            }
        }
        out
    }

    pub fn decode(day: i64, bytes: &[u8]) -> Result<QuarterDay> {
        let mut out = QuarterDay::empty(day);
        decode_into(day, bytes, |i, s| {
            out.quarters[i] = Some(s);
        })?;
        Ok(out)
    }
}

/// Appends the summaries packed in a day's `bytes` to `out`, oldest first (the export's read: no
/// [`QuarterDay`] in between).
pub fn decode_day(day: i64, bytes: &[u8], out: &mut Vec<QuarterSummary>) -> Result<()> {
    decode_into(day, bytes, |_, s| out.push(s))
}

fn decode_into(day: i64, bytes: &[u8], mut put: impl FnMut(usize, QuarterSummary)) -> Result<()> {
    let corrupt = |why: &str| StoreError::corrupt(format!("quarter summaries of day {day}: {why}"));
    if bytes.len() < 1 + BITMAP || bytes[0] != VERSION {
        return Err(corrupt("not version 1"));
    }
    let base = day * QUARTERS_PER_DAY as i64;
    let mut pos = 1 + BITMAP;
    let mut take = |n: usize| -> Result<&[u8]> {
        let s = bytes.get(pos..pos + n).ok_or_else(|| corrupt("too short"))?;
        pos += n;
        Ok(s)
    };
    for i in 0..QUARTERS_PER_DAY {
        if bytes[1 + i / 8] & (1 << (i % 8)) == 0 {
            continue;
        }
        let flags = take(1)?[0];
        let start = (base + i as i64) * QUARTER_MS;
        let mut reading = |aligned: bool| -> Result<Reading> {
            let b = take(12)?;
            let ms = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            if i64::from(ms) >= QUARTER_MS {
                return Err(corrupt("an instant outside its quarter hour"));
            }
            let wh = f64::from_le_bytes([b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]]);
            Ok(Reading { at: from_millis(start + i64::from(ms))?, wh, clock_aligned: aligned })
        };
        let first = reading(flags & 1 != 0)?;
        let last =
            if flags & 8 != 0 { Reading { clock_aligned: flags & 2 != 0, ..first } } else { reading(flags & 2 != 0)? };
        put(i, QuarterSummary { first, last, falls: flags & 4 != 0 });
    }
    if pos != bytes.len() {
        return Err(corrupt("trailing bytes"));
    }
    Ok(())
}

/// The meter and UTC day a summary row is for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayKey {
    pub station_id: StationId,
    pub connector_id: u32,
    pub day: i64,
}

/// The register reading a meter-value row is, if it is one: the same rule as `SessionStore::energy_readings`
/// (measurand `Energy.Active.Import.Register`, no phase, location `Outlet` or none, unit Wh, a number).
pub fn register_reading(row: &MeterRow<'_>) -> Option<Reading> {
    let s = row.sample;
    let counts = s.measurand == "Energy.Active.Import.Register"
        && row.phase().is_empty()
        && matches!(row.location(), "" | "Outlet")
        && s.unit.as_deref() == Some("Wh");
    let wh = s.value?;
    counts.then(|| Reading { at: row.timestamp(), wh, clock_aligned: s.context == "Sample.Clock" })
}

/// The register readings among `rows`, by meter and UTC day (each day's readings in no particular order).
pub fn readings_by_day(rows: &[MeterRow<'_>]) -> BTreeMap<DayKey, Vec<Reading>> {
    let mut out: BTreeMap<DayKey, Vec<Reading>> = BTreeMap::new();
    for row in rows {
        if let Some(r) = register_reading(row) {
            let key = DayKey { station_id: row.station_id.clone(), connector_id: row.connector_id, day: day_of(r.at) };
            out.entry(key).or_default().push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use joule_core::intervals::summarize;

    #[test]
    fn a_day_packs_and_unpacks() {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 29, 0, 0, 0).unwrap();
        let day = day_of(t0);
        assert_eq!(day_start(day), t0);
        let mut rs = Vec::new();
        for k in 0..300i64 {
            let at = t0 + Duration::milliseconds(k * 287_001);
            rs.push(Reading {
                at,
                wh: 1_000.5 + (k as f64) * 3.3 - if k % 17 == 0 { 50.0 } else { 0.0 },
                clock_aligned: k % 3 == 0,
            });
        }
        let summaries = summarize(&rs);
        let d = QuarterDay::of(day, &summaries);
        let bytes = d.encode();
        assert!(bytes.len() <= 1 + BITMAP + 96 * 25);
        assert_eq!(QuarterDay::decode(day, &bytes).unwrap(), d);
        let mut flat = Vec::new();
        decode_day(day, &bytes, &mut flat).unwrap();
        assert_eq!(flat, summaries);
        assert_eq!(QuarterDay::decode(day, &QuarterDay::empty(day).encode()).unwrap(), QuarterDay::empty(day));
        assert!(QuarterDay::decode(day, &bytes[..bytes.len() - 1]).is_err(), "cut short");
        assert!(QuarterDay::decode(day, &[2]).is_err(), "another version");
    }
}
