//! 15-minute interval energy ("Billing and exports"): the energy a station (or one connector) delivered
//! in each quarter hour of a local day, from its `Energy.Active.Import.Register` readings, and a streaming CSV
//! writer for it.
//!
//! # Intervals
//!
//! Intervals are the quarter hours of UTC (instants whose Unix time is a multiple of 900 s). Every offset in
//! use in Europe is a whole number of hours, and the 30- and 45-minute offsets used elsewhere (India +05:30,
//! Nepal +05:45, Chatham +12:45, Newfoundland −03:30) are multiples of 15 minutes too, so UTC quarter hours are
//! the local quarter hours of every modern zone and an interval never straddles a local quarter hour. Only
//! historical local mean time offsets (e.g. Europe/Zurich before 1894, +00:34:08) are not multiples of
//! 15 minutes; a local day whose start is not a UTC quarter hour is refused with an error rather than labelled
//! with intervals that would not start at local quarter hours.
//!
//! A local day runs from its local midnight to the next one (or, where midnight falls into a daylight-saving
//! gap, from the first local time after it). So a day has 96 intervals, 92 on the spring daylight-saving day and
//! 100 on the autumn one in Europe/Zurich. Each interval is labelled with its start and end in UTC and in local
//! time with the offset in force at that instant: in Europe/Zurich on 2026-10-25 the repeated hour gives
//! `02:45:00+02:00 → 02:00:00+01:00` (the end is the first instant of winter time) and `02:00:00+01:00 →
//! 02:15:00+01:00`; on 2026-03-29 the interval `01:45:00+01:00 → 03:00:00+02:00` is 15 minutes long.
//!
//! # Boundary values and quality
//!
//! The register value at each boundary (a UTC quarter hour) is
//! - the reading at that very instant when there is one (a clock-aligned reading is preferred when a sampled
//!   one has the same instant), or
//! - linearly interpolated between the nearest reading before and the nearest after, when both exist, they are
//!   at most [`IntervalOptions::max_gap`] apart and the register did not go down between them; otherwise the
//!   boundary value is unknown.
//!
//! An interval is
//! - [`IntervalEnergy::Measured`] when both boundary values are clock-aligned readings (context
//!   `Sample.Clock`, OCPP 1.6 §7.31 ReadingContext; sent every ClockAlignedDataInterval = 900 s, §9.1.5) taken
//!   exactly at the boundary,
//! - [`IntervalEnergy::Interpolated`] when both boundary values are known but at least one is not such a
//!   reading,
//! - [`IntervalEnergy::Missing`] when a boundary value is unknown, or when a gap longer than `max_gap` or a
//!   register reset or rollover (the value goes down, e.g. after a meter replacement or a firmware reset) lies
//!   between the readings the two boundary values come from. A reset is never turned into negative energy, and
//!   the energy across it is not guessed.
//!
//! Readings are matched to boundaries to the exact instant (stations send clock-aligned values stamped with the
//! aligned time, OCPP 1.6 §9.1.5).
//!
//! # Rounding
//!
//! Energies are integer Wh. The *boundary values* are rounded to the nearest Wh (halves away from zero) and
//! an interval's energy is the difference of its rounded boundary values. So over any span of known intervals
//! the energies add up exactly to the difference of the rounded register values at the span's ends, and
//! rounding never makes energy negative (rounding is monotone and the register does not go down within an
//! interval that is not missing).
//!
//! # Cost
//!
//! [`intervals`] sorts the readings once and then walks readings and boundaries together: linear in readings
//! plus intervals after the sort. [`IntervalCsv`] writes line by line to any [`std::io::Write`], so an export
//! of many stations holds only one station's intervals at a time.

use std::io::{self, Write};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Offset, SecondsFormat, TimeZone};
use chrono_tz::Tz;

use crate::ids::StationId;
use crate::{DomainError, Timestamp};

/// Length of an interval in seconds (ClockAlignedDataInterval 900, OCPP 1.6 §9.1.5).
pub const INTERVAL_SECONDS: i64 = 900;

/// The longest date range [`intervals`] accepts in one call (about ten years): resources stay bounded
/// (DESIGN.md) and a caller wanting more asks per year.
pub const MAX_DAYS: i64 = 3700;

/// One reading of the energy register, in Wh (already normalised, see [`crate::meter::MeterSample`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub at: Timestamp,
    pub wh: f64,
    /// Whether the station sent it as a clock-aligned value (context `Sample.Clock`).
    pub clock_aligned: bool,
}

impl Reading {
    /// A reading from a meter sample, when the sample is an energy register value with a number.
    pub fn from_sample(sample: &crate::meter::MeterSample) -> Option<Reading> {
        if !sample.is_energy_register() {
            return None;
        }
        let wh = sample.value?;
        Some(Reading { at: sample.timestamp, wh, clock_aligned: sample.context == "Sample.Clock" })
    }
}

/// Tuning of the interval computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntervalOptions {
    /// Two consecutive readings further apart than this are a gap: no boundary value is interpolated across
    /// it, and the intervals in it are missing. The energy delivered in a long gap is known in total but not
    /// when it was delivered, which is what a 15-minute series is for.
    pub max_gap: Duration,
}

impl Default for IntervalOptions {
    fn default() -> IntervalOptions {
        IntervalOptions { max_gap: Duration::hours(6) }
    }
}

/// The energy of one interval and how it was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalEnergy {
    /// Both boundaries are clock-aligned readings at the boundary.
    Measured(u64),
    /// At least one boundary value is interpolated (or a sampled reading at the boundary).
    Interpolated(u64),
    /// Not known: no reading on one side, a gap longer than the maximum, or a register reset.
    Missing,
}

impl IntervalEnergy {
    pub fn wh(&self) -> Option<u64> {
        match self {
            IntervalEnergy::Measured(wh) | IntervalEnergy::Interpolated(wh) => Some(*wh),
            IntervalEnergy::Missing => None,
        }
    }

    /// The quality flag as written in exports: `measured`, `interpolated` or `missing`.
    pub fn quality(&self) -> &'static str {
        match self {
            IntervalEnergy::Measured(_) => "measured",
            IntervalEnergy::Interpolated(_) => "interpolated",
            IntervalEnergy::Missing => "missing",
        }
    }
}

/// One 15-minute interval, labelled in UTC and in the station's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start: Timestamp,
    pub end: Timestamp,
    /// `start` in the station's zone, with the offset in force at that instant.
    pub start_local: DateTime<FixedOffset>,
    /// `end` in the station's zone, with the offset in force at that instant.
    pub end_local: DateTime<FixedOffset>,
    pub energy: IntervalEnergy,
}

/// The first instant of a local day: local midnight, or the first local time after it when midnight falls
/// into a daylight-saving gap (some zones change at midnight).
pub fn day_start(tz: Tz, date: NaiveDate) -> Result<Timestamp, DomainError> {
    let mut local = date.and_time(NaiveTime::MIN);
    // Gaps are at most a few hours; probe minute by minute (bounded) for the first local time that exists.
    for _ in 0..(24 * 60) {
        if let Some(t) = tz.from_local_datetime(&local).earliest() {
            let utc = t.with_timezone(&chrono::Utc);
            if utc.timestamp().rem_euclid(INTERVAL_SECONDS) != 0 || utc.timestamp_subsec_nanos() != 0 {
                return Err(DomainError::invalid(
                    "time zone",
                    tz.name(),
                    format!(
                        "the local day {date} does not start on a UTC quarter hour (offset not a multiple of 15 minutes)"
                    ),
                ));
            }
            return Ok(utc);
        }
        local += Duration::minutes(1);
    }
    Err(DomainError::invalid("time zone", tz.name(), format!("the local day {date} has no start")))
}

/// A boundary's register value, rounded to Wh, with the segment of readings it came from.
#[derive(Debug, Clone, Copy)]
struct Boundary {
    wh: i64,
    segment: usize,
    /// A clock-aligned reading exactly at the boundary.
    aligned: bool,
}

/// The 15-minute intervals of the local days `from..=to` in `tz`, from the register readings of one station
/// or connector (in any order). See the module documentation for the rules.
pub fn intervals(
    readings: &[Reading],
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
    options: IntervalOptions,
) -> Result<Vec<Interval>, DomainError> {
    check_range(from, to)?;
    check_options(options)?;
    let calendar = Calendar::new(tz, from, to)?;
    let energies = energies(readings, &calendar, options)?;
    Ok(calendar.intervals(&energies))
}

fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), DomainError> {
    if to < from {
        return Err(DomainError::invalid("date range", &format!("{from}..{to}"), "the last day is before the first"));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(DomainError::invalid(
            "date range",
            &format!("{from}..{to}"),
            format!("at most {MAX_DAYS} days at a time"),
        ));
    }
    Ok(())
}

fn check_options(options: IntervalOptions) -> Result<(), DomainError> {
    if options.max_gap <= Duration::zero() {
        return Err(DomainError::invalid("max gap", &options.max_gap.to_string(), "must be positive"));
    }
    Ok(())
}

/// The energies of the intervals of `calendar`, in order, from the register readings of one meter (in any
/// order). [`intervals`] is this with the labels of the calendar.
pub fn energies(
    readings: &[Reading],
    calendar: &Calendar,
    options: IntervalOptions,
) -> Result<Vec<IntervalEnergy>, DomainError> {
    check_options(options)?;
    let readings = prepare(readings);
    Ok(walk(&readings, &[], calendar, options))
}

/// The walk over readings and boundaries behind [`energies`] and [`energies_from_quarters`]: `readings`
/// sorted, one per instant; `breaks` empty, or one flag per reading saying that a segment starts at it
/// whatever its neighbour (the register went down between readings a quarter summary stands for).
fn walk(readings: &[Reading], breaks: &[bool], calendar: &Calendar, options: IntervalOptions) -> Vec<IntervalEnergy> {
    // Segments: runs of readings with no gap longer than max_gap and no decrease between neighbours. A boundary
    // value is only interpolated within a segment, and an interval only has energy when both of its boundary
    // values come from the same segment, so no reset or long gap lies inside it.
    let mut segments = Vec::with_capacity(readings.len());
    let mut segment = 0usize;
    for (i, r) in readings.iter().enumerate() {
        if i > 0 {
            let p = &readings[i - 1];
            if r.wh < p.wh || r.at - p.at > options.max_gap || breaks.get(i).copied().unwrap_or(false) {
                segment += 1;
            }
        }
        segments.push(segment);
    }

    let step = Duration::seconds(INTERVAL_SECONDS);
    let (start, count) = (calendar.start, calendar.len());
    let mut out = Vec::with_capacity(count);
    let mut idx = 0usize; // first reading at or after the current boundary
    let boundary_value = |b: Timestamp, idx: &mut usize| -> Option<Boundary> {
        while *idx < readings.len() && readings[*idx].at < b {
            *idx += 1;
        }
        let i = *idx;
        if i < readings.len() && readings[i].at == b {
            let r = &readings[i];
            return Some(Boundary { wh: round_wh(r.wh), segment: segments[i], aligned: r.clock_aligned });
        }
        if i == 0 || i == readings.len() || segments[i - 1] != segments[i] {
            return None;
        }
        let (p, n) = (&readings[i - 1], &readings[i]);
        let span = (n.at - p.at).num_milliseconds() as f64;
        let part = (b - p.at).num_milliseconds() as f64;
        let wh = p.wh + (n.wh - p.wh) * (part / span);
        Some(Boundary { wh: round_wh(wh), segment: segments[i], aligned: false })
    };

    let mut left = boundary_value(start, &mut idx);
    let mut t = start;
    for _ in 0..count {
        let u = t + step;
        let right = boundary_value(u, &mut idx);
        let energy = match (left, right) {
            // Within one segment the register never goes down, so neither do the rounded boundary values;
            // `b.wh >= a.wh` only keeps a future change to the segment rule from producing negative energy.
            (Some(a), Some(b)) if a.segment == b.segment && b.wh >= a.wh => {
                let wh = (b.wh - a.wh) as u64;
                if a.aligned && b.aligned { IntervalEnergy::Measured(wh) } else { IntervalEnergy::Interpolated(wh) }
            }
            _ => IntervalEnergy::Missing,
        };
        out.push(energy);
        left = right;
        t = u;
    }
    out
}

/// The quarter hours of the local days `from..=to` in a zone, with their local labels: what every meter
/// exported for that zone and those days shares. An export of many meters builds it once (a year's 35,040
/// boundaries looked up in the zone and formatted once, not once per meter) and each meter adds only its
/// energies ([`energies`], [`energies_from_quarters`], [`IntervalCsv::write_energies`]).
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
    start: Timestamp,
    /// The boundaries in local time, one more than there are intervals.
    bounds: Vec<DateTime<FixedOffset>>,
    /// Each interval's CSV text `start,end,` one after the other, and where each starts: interval `i` is
    /// `text[at[i]..at[i + 1]]`. Formatted when first asked for (a single meter's intervals need none).
    labels: std::sync::OnceLock<(String, Vec<usize>)>,
}

impl Calendar {
    /// The calendar of the local days `from..=to` in `tz` (at most [`MAX_DAYS`] days).
    pub fn new(tz: Tz, from: NaiveDate, to: NaiveDate) -> Result<Calendar, DomainError> {
        check_range(from, to)?;
        let start = day_start(tz, from)?;
        let next = to.succ_opt().ok_or_else(|| DomainError::invalid("date range", &to.to_string(), "too late"))?;
        let end = day_start(tz, next)?;
        let count = ((end - start).num_seconds() / INTERVAL_SECONDS) as usize;
        let step = Duration::seconds(INTERVAL_SECONDS);
        let mut offsets = Offsets::new(tz);
        let mut bounds = Vec::with_capacity(count + 1);
        let mut t = start;
        for _ in 0..=count {
            bounds.push(t.with_timezone(&offsets.at(t)));
            t += step;
        }
        Ok(Calendar { tz, from, to, start, bounds, labels: std::sync::OnceLock::new() })
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The first and last local day.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        (self.from, self.to)
    }

    /// The number of intervals.
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first boundary (the start of the first local day), in UTC.
    pub fn start(&self) -> Timestamp {
        self.start
    }

    /// The last boundary (the start of the day after the last), in UTC.
    pub fn end(&self) -> Timestamp {
        self.start + Duration::seconds(INTERVAL_SECONDS * self.len() as i64)
    }

    /// The intervals with the given energies (one per interval, in order).
    pub fn intervals(&self, energies: &[IntervalEnergy]) -> Vec<Interval> {
        let step = Duration::seconds(INTERVAL_SECONDS);
        let mut t = self.start;
        self.bounds
            .windows(2)
            .zip(energies)
            .map(|(b, &energy)| {
                let i = Interval { start: t, end: t + step, start_local: b[0], end_local: b[1], energy };
                t += step;
                i
            })
            .collect()
    }

    /// Interval `i`'s CSV text `start,end,` (local RFC 3339 with offsets, as [`IntervalCsv`] writes them).
    #[cfg(test)]
    fn label(&self, i: usize) -> &str {
        let (text, at) = self.labels();
        &text[at[i]..at[i + 1]]
    }

    /// The CSV text of all intervals' labels, and where each interval's starts (one more than intervals).
    fn labels(&self) -> (&str, &[usize]) {
        let (text, at) = self.labels.get_or_init(|| {
            // About 52 bytes an interval.
            let mut text = String::with_capacity(self.len() * 52);
            let mut at = Vec::with_capacity(self.len() + 1);
            at.push(0);
            for pair in self.bounds.windows(2) {
                push_rfc3339(&mut text, &pair[0]);
                text.push(',');
                push_rfc3339(&mut text, &pair[1]);
                text.push(',');
                at.push(text.len());
            }
            (text, at)
        });
        (text, at)
    }
}

/// The UTC offset of a zone at quarter-hour boundaries, looked up in the zone database once a day (or a
/// few times around a change) instead of at every boundary: a year of one station has 35,040 boundaries and
/// the lookup (a search of the zone's transitions) was a third of the computation.
///
/// From a boundary `t` it looks up the offset at `t` and at `t + 24 h`. When they agree, the offset is taken
/// as constant in between: zones change their offset at most twice a year, months apart, so no change and
/// its reversal fall within one day (the tests compare with a lookup at every boundary over many years and
/// zones). When they differ, a binary search over the quarter hours between finds the first boundary with the
/// new offset (7 lookups for a day's 96 boundaries); the cached offset holds up to it.
struct Offsets {
    tz: Tz,
    /// The cached offset holds for boundaries in `from..until`.
    from: Timestamp,
    until: Timestamp,
    offset: FixedOffset,
}

impl Offsets {
    fn new(tz: Tz) -> Offsets {
        let epoch = DateTime::<chrono::Utc>::UNIX_EPOCH;
        Offsets { tz, from: epoch, until: epoch, offset: FixedOffset::east_opt(0).expect("zero offset") }
    }

    fn lookup(&self, t: Timestamp) -> FixedOffset {
        self.tz.offset_from_utc_datetime(&t.naive_utc()).fix()
    }

    /// The offset in force at `t`, a boundary (a UTC quarter hour).
    fn at(&mut self, t: Timestamp) -> FixedOffset {
        if t >= self.from && t < self.until {
            return self.offset;
        }
        let step = Duration::seconds(INTERVAL_SECONDS);
        let offset = self.lookup(t);
        let probe = t + Duration::days(1);
        let until = if self.lookup(probe) == offset {
            probe
        } else {
            // `lo` has `offset`, `hi` does not; both are boundaries.
            let (mut lo, mut hi) = (t, probe);
            while hi - lo > step {
                let quarters = (hi - lo).num_seconds() / INTERVAL_SECONDS;
                let mid = lo + step * (quarters / 2) as i32;
                if self.lookup(mid) == offset {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi
        };
        *self = Offsets { tz: self.tz, from: t, until, offset };
        offset
    }
}

/// Drops readings that are not a usable register value (not finite or negative), sorts by instant and keeps
/// one reading per instant, preferring a clock-aligned one (it is the value the station meant for that quarter
/// hour) and, among equals in that, the lowest value. The last rule makes the choice independent of the order
/// the readings come in (two contexts at one instant, e.g. `Transaction.End` and `Sample.Periodic`, may carry
/// different values), which the quarter summaries kept at ingestion rely on to give the same intervals.
fn prepare(readings: &[Reading]) -> Vec<Reading> {
    let mut rs: Vec<Reading> = readings.iter().copied().filter(usable).collect();
    rs.sort_by(preference);
    rs.dedup_by(|later, kept| later.at == kept.at);
    rs
}

/// Whether a reading is a usable register value: finite and not negative.
fn usable(r: &Reading) -> bool {
    r.wh.is_finite() && r.wh >= 0.0
}

/// By instant; at one instant the reading kept first (clock-aligned, then the lowest value).
fn preference(a: &Reading, b: &Reading) -> std::cmp::Ordering {
    a.at.cmp(&b.at).then(b.clock_aligned.cmp(&a.clock_aligned)).then(a.wh.total_cmp(&b.wh))
}

/// Rounds a register value to the nearest Wh, halves away from zero. Register values are at most some 10^15 Wh,
/// far inside the range where `f64` to `i64` is exact.
fn round_wh(wh: f64) -> i64 {
    wh.round() as i64
}

/// The CSV columns, in order, as written in the header line.
pub const CSV_HEADER: &str = "station_id,connector_id,interval_start,interval_end,energy_wh,quality";

/// Writes intervals as CSV, one line per interval, to any writer (wrap files and sockets in a
/// [`std::io::BufWriter`]).
///
/// Columns ([`CSV_HEADER`]):
/// - `station_id`: the station's id (its characters never need CSV quoting, see [`StationId`]);
/// - `connector_id`: the connector number, empty for the whole station;
/// - `interval_start`, `interval_end`: local time in the station's zone, RFC 3339 with the offset
///   (`2026-10-25T02:45:00+02:00`), which also identifies the UTC instant in the repeated autumn hour;
/// - `energy_wh`: integer Wh, empty when missing;
/// - `quality`: `measured`, `interpolated` or `missing`.
///
/// Lines end with `\n`. One writer can take many stations (one combined file) or one (a file per station).
///
/// Written by hand, not with the `csv` crate's writer (which writes Joule's other CSV): no field here ever
/// needs quoting, and a line is the copy of pre-formatted text (the station's prefix, the calendar's labels)
/// where the crate's writer takes six fields one by one. Measured with
/// `cargo run --release -p joule-core --example intervals_export -- 1000 2026` (35,040,000 lines), builds
/// alternated on the 2-core development machine: the CSV part of the export from quarter summaries took
/// 1.65 / 1.65 / 1.62 / 1.21 s with this writer, 6.98 / 6.93 s with `csv::Writer` (`QuoteStyle::Necessary`,
/// the same bytes) and 6.39 / 5.81 s with `QuoteStyle::Never` and a 64 KiB buffer: four times slower. From
/// the readings ([`IntervalCsv::write`]): 8.35 / 8.18 / 7.89 / 5.94 s against 12.90 / 12.82 / 12.24 / 11.42 s.
pub struct IntervalCsv<W: Write> {
    out: W,
    line: String,
}

impl<W: Write> IntervalCsv<W> {
    /// Starts the CSV with its header line.
    pub fn new(mut out: W) -> io::Result<IntervalCsv<W>> {
        out.write_all(CSV_HEADER.as_bytes())?;
        out.write_all(b"\n")?;
        Ok(IntervalCsv { out, line: String::with_capacity(128) })
    }

    /// Continues a CSV whose header is written already (e.g. one station's lines of a combined export,
    /// formatted apart and appended in order).
    pub fn continuing(out: W) -> IntervalCsv<W> {
        IntervalCsv { out, line: String::with_capacity(128) }
    }

    /// Appends the intervals of one station (or one of its connectors).
    pub fn write(&mut self, station: &StationId, connector: Option<u32>, intervals: &[Interval]) -> io::Result<()> {
        use std::fmt::Write as _;
        // The first two columns are the same on every line of this station.
        let mut prefix = format!("{station},");
        if let Some(c) = connector {
            let _ = write!(prefix, "{c}");
        }
        prefix.push(',');
        for i in intervals {
            self.line.clear();
            self.line.push_str(&prefix);
            push_rfc3339(&mut self.line, &i.start_local);
            self.line.push(',');
            push_rfc3339(&mut self.line, &i.end_local);
            self.line.push(',');
            if let Some(wh) = i.energy.wh() {
                // Writing to a String cannot fail.
                let _ = write!(self.line, "{wh}");
            }
            self.line.push(',');
            self.line.push_str(i.energy.quality());
            self.line.push('\n');
            self.out.write_all(self.line.as_bytes())?;
        }
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Appends `t` as RFC 3339 to the second with its offset (`2026-10-25T02:45:00+02:00`), the same text as
/// chrono's `to_rfc3339_opts(SecondsFormat::Secs, false)`. Written by hand because an export formats two
/// instants per line for millions of lines and chrono's formatter was most of the export's time; years outside
/// 0..=9999, offsets with seconds and leap seconds (none occur in interval labels) fall back to chrono.
fn push_rfc3339(out: &mut String, t: &DateTime<FixedOffset>) {
    use chrono::{Datelike, Timelike};
    let year = t.year();
    let offset = t.offset().local_minus_utc();
    if !(0..=9999).contains(&year) || offset % 60 != 0 || t.nanosecond() >= 1_000_000_000 {
        out.push_str(&t.to_rfc3339_opts(SecondsFormat::Secs, false));
        return;
    }
    fn two(out: &mut String, n: u32) {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    }
    let y = year as u32;
    two(out, y / 100);
    two(out, y % 100);
    out.push('-');
    two(out, t.month());
    out.push('-');
    two(out, t.day());
    out.push('T');
    two(out, t.hour());
    out.push(':');
    two(out, t.minute());
    out.push(':');
    two(out, t.second());
    out.push(if offset < 0 { '-' } else { '+' });
    let minutes = offset.unsigned_abs() / 60;
    two(out, minutes / 60);
    out.push(':');
    two(out, minutes % 60);
}

/// The number of a UTC quarter hour: the quarter hours since the Unix epoch (negative before it). The quarter
/// hour `q` is `[q × 900 s, (q + 1) × 900 s)`.
pub fn quarter_of(t: Timestamp) -> i64 {
    t.timestamp().div_euclid(INTERVAL_SECONDS)
}

/// The first instant of quarter hour `q` ([`quarter_of`]).
pub fn quarter_start(q: i64) -> Timestamp {
    DateTime::<chrono::Utc>::UNIX_EPOCH + Duration::seconds(q * INTERVAL_SECONDS)
}

/// The UTC day of an instant: days since the Unix epoch (negative before it), how quarter summaries are
/// stored and asked for.
pub fn utc_day(t: Timestamp) -> i64 {
    t.timestamp().div_euclid(86_400)
}

/// What the usable register readings of one UTC quarter hour contribute to the intervals: the first and the
/// last (one reading per instant, chosen as [`intervals`] chooses) and whether the register went down between
/// two consecutive ones in between.
///
/// The summaries of a meter's quarter hours give exactly the intervals its readings give
/// ([`energies_from_quarters`] against [`energies`]): a boundary value needs only the reading at the
/// boundary, or the last reading before it and the first after it, and those are the first of a quarter hour
/// and the last of the one before with readings; an interval is missing for a reset when the register goes
/// down between the readings from its start boundary's to its end boundary's, which are the readings of the
/// interval's own quarter hour (`falls`) and the step from its last to the next quarter hour's first. A gap
/// inside one quarter hour is shorter than 15 minutes, so the summaries stand for the readings whenever
/// `max_gap` is at least 15 minutes (the export uses 6 hours).
///
/// Summaries are kept at ingestion, so that an export reads two readings per quarter hour at most instead of
/// every reading (a reading every 5 minutes is three per quarter hour, every 10 seconds ninety).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuarterSummary {
    pub first: Reading,
    /// The same as `first` when the quarter hour has one reading.
    pub last: Reading,
    /// The register went down between two consecutive readings of the quarter hour.
    pub falls: bool,
}

impl QuarterSummary {
    /// The summary of one reading.
    pub fn new(r: Reading) -> QuarterSummary {
        QuarterSummary { first: r, last: r, falls: false }
    }

    /// Which quarter hour it summarises ([`quarter_of`]).
    pub fn quarter(&self) -> i64 {
        quarter_of(self.first.at)
    }

    /// Adds a reading of the same quarter hour that is later than the last or earlier than the first (the
    /// usual case: readings arrive in order) and says `true`; says `false` and changes nothing when the
    /// reading's instant is at or between the first and the last, where the summary cannot tell what it
    /// changes: the quarter hour's summary is then [`summarize`]d again from all its readings. An unusable
    /// reading (not finite, negative) changes nothing and says `true`.
    pub fn extend(&mut self, r: Reading) -> bool {
        if !usable(&r) {
            return true;
        }
        if r.at > self.last.at {
            self.falls |= r.wh < self.last.wh;
            self.last = r;
            true
        } else if r.at < self.first.at {
            self.falls |= self.first.wh < r.wh;
            self.first = r;
            true
        } else {
            false
        }
    }
}

/// The summaries of the quarter hours that hold usable readings, oldest first, from readings in any order.
pub fn summarize(readings: &[Reading]) -> Vec<QuarterSummary> {
    let mut out: Vec<QuarterSummary> = Vec::new();
    for r in prepare(readings) {
        match out.last_mut() {
            Some(s) if s.quarter() == quarter_of(r.at) => {
                s.falls |= r.wh < s.last.wh;
                s.last = r;
            }
            _ => out.push(QuarterSummary::new(r)),
        }
    }
    out
}

/// [`energies`] from a meter's quarter summaries (oldest first, one per quarter hour, as [`summarize`] gives
/// them) instead of its readings: the same energies, for a `max_gap` of at least 15 minutes. Summaries
/// outside the calendar's days are allowed (the whole UTC days around them, say) and change nothing.
pub fn energies_from_quarters(
    quarters: &[QuarterSummary],
    calendar: &Calendar,
    options: IntervalOptions,
) -> Result<Vec<IntervalEnergy>, DomainError> {
    check_options(options)?;
    if options.max_gap < Duration::seconds(INTERVAL_SECONDS) {
        return Err(DomainError::invalid(
            "max gap",
            &options.max_gap.to_string(),
            "at least 15 minutes when computed from quarter summaries",
        ));
    }
    let mut readings = Vec::with_capacity(quarters.len() * 2);
    let mut breaks = Vec::with_capacity(quarters.len() * 2);
    let mut previous: Option<i64> = None;
    for s in quarters {
        let q = s.quarter();
        if previous.is_some_and(|p| p >= q) || quarter_of(s.last.at) != q || s.last.at < s.first.at {
            return Err(DomainError::invalid(
                "quarter summaries",
                &s.first.at.to_string(),
                "not one summary per quarter hour, oldest first",
            ));
        }
        previous = Some(q);
        readings.push(s.first);
        breaks.push(false);
        if s.last.at != s.first.at {
            readings.push(s.last);
            breaks.push(s.falls);
        }
    }
    Ok(walk(&readings, &breaks, calendar, options))
}

impl<W: Write> IntervalCsv<W> {
    /// Appends the intervals of one station (or one of its connectors) given as the energies of a calendar's
    /// intervals (the same lines as [`IntervalCsv::write`] of [`Calendar::intervals`]). The labels come
    /// formatted from the calendar, so a line costs the copy of its text and the energy's digits.
    pub fn write_energies(
        &mut self,
        station: &StationId,
        connector: Option<u32>,
        calendar: &Calendar,
        energies: &[IntervalEnergy],
    ) -> io::Result<()> {
        let mut prefix = String::with_capacity(32);
        prefix.push_str(station.as_str());
        prefix.push(',');
        if let Some(c) = connector {
            push_u64(&mut prefix, u64::from(c));
        }
        prefix.push(',');
        let (labels, at) = calendar.labels();
        for (i, e) in energies.iter().enumerate().take(calendar.len()) {
            self.line.clear();
            self.line.push_str(&prefix);
            self.line.push_str(&labels[at[i]..at[i + 1]]);
            if let Some(wh) = e.wh() {
                push_u64(&mut self.line, wh);
            }
            self.line.push(',');
            self.line.push_str(e.quality());
            self.line.push('\n');
            self.out.write_all(self.line.as_bytes())?;
        }
        Ok(())
    }
}

/// Appends `n` in decimal (what `write!(out, "{n}")` writes, without the formatting machinery: an export
/// writes tens of millions of them).
fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
#[path = "intervals/tests.rs"]
mod tests;
