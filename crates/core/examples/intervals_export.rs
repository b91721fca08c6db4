//! The 15-minute export of one year for many stations ("the 15-minute export of one year for 1,000
//! stations (generated data); target under 10 s"), timed without the database: generated register readings
//! every 5 minutes (sampled, so every boundary is interpolated) with a few gaps, one local year in
//! Europe/Zurich (both daylight-saving days included), intervals computed and written as CSV to a sink (or to
//! a file, to look at it).
//!
//! Two ways, timed apart: from the readings (what a single station's export in the API did before the
//! quarter summaries: sort, walk, a calendar per station, CSV labels formatted per line) and from the quarter
//! summaries ingestion keeps (what the export does now: two readings per quarter hour at most, one calendar
//! with its labels formatted once for all stations). Both must write the same bytes; the example checks it.
//!
//! cargo run --release -p joule-core --example intervals_export -- [STATIONS] [YEAR] [OUT.csv]

use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use joule_core::StationId;
use joule_core::intervals::{
    Calendar, IntervalCsv, IntervalOptions, Reading, energies_from_quarters, intervals, summarize,
};

/// Counts bytes and drops them.
struct Sink(u64);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A station's readings for the year: every 5 minutes, a power that depends on the station and the hour, and a
/// 8-hour outage every 40 days (longer than the 6-hour max_gap: its intervals are missing).
fn readings(station: u32, year: i32) -> Vec<Reading> {
    let start = Utc.with_ymd_and_hms(year - 1, 12, 31, 0, 0, 0).single().expect("start");
    let end = Utc.with_ymd_and_hms(year + 1, 1, 1, 12, 0, 0).single().expect("end");
    let mut out = Vec::with_capacity(((end - start).num_minutes() / 5) as usize);
    let (mut at, mut wh) = (start, 1_000_000.0 * f64::from(station % 7));
    let mut n: u64 = 0;
    while at < end {
        n += 1;
        let hour = (n / 12) % 24;
        let watts = if (8..20).contains(&hour) { 3_700.0 + f64::from(station % 11) * 100.0 } else { 400.0 };
        wh += watts / 12.0;
        let outage = (n / 288).is_multiple_of(40) && (n % 288) < 96;
        if !outage {
            out.push(Reading { at, wh, clock_aligned: false });
        }
        at += chrono::Duration::minutes(5);
    }
    out
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let stations: u32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let year: i32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2026);
    let out: Box<dyn Write> = match args.get(3) {
        Some(path) => Box::new(BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(Sink(0)),
    };
    let tz = chrono_tz::Europe::Zurich;
    let (from, to) =
        (NaiveDate::from_ymd_opt(year, 1, 1).expect("from"), NaiveDate::from_ymd_opt(year, 12, 31).expect("to"));
    let mut csv = IntervalCsv::new(out)?;
    let (mut generate, mut compute, mut write) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut summarise, mut q_compute, mut q_write) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut rows, mut missing, mut differ) = (0u64, 0u64, 0u64);
    let total = Instant::now();
    let t = Instant::now();
    let calendar = Calendar::new(tz, from, to).map_err(|e| std::io::Error::other(e.to_string()))?;
    let calendar_time = t.elapsed();
    let (mut old_bytes, mut new_bytes) = (Vec::new(), Vec::new());
    for s in 0..stations {
        let t = Instant::now();
        let readings = readings(s, year);
        generate += t.elapsed();
        let id = StationId::parse(&format!("GEN-{s:05}")).map_err(|e| std::io::Error::other(e.to_string()))?;

        // From the readings.
        let t = Instant::now();
        let series = intervals(&readings, tz, from, to, IntervalOptions::default())
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        compute += t.elapsed();
        rows += series.len() as u64;
        missing += series.iter().filter(|i| i.energy.wh().is_none()).count() as u64;
        let t = Instant::now();
        old_bytes.clear();
        let mut old = IntervalCsv::continuing(&mut old_bytes);
        old.write(&id, None, &series)?;
        old.finish()?;
        write += t.elapsed();

        // From the quarter summaries (made at ingestion; timed apart).
        let t = Instant::now();
        let quarters = summarize(&readings);
        summarise += t.elapsed();
        let t = Instant::now();
        let energies = energies_from_quarters(&quarters, &calendar, IntervalOptions::default())
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        q_compute += t.elapsed();
        let t = Instant::now();
        new_bytes.clear();
        let mut new = IntervalCsv::continuing(&mut new_bytes);
        new.write_energies(&id, None, &calendar, &energies)?;
        new.finish()?;
        q_write += t.elapsed();
        if new_bytes != old_bytes {
            differ += 1;
        }
        csv.write(&id, None, &series)?;
    }
    csv.finish()?;
    let export = compute + write;
    println!(
        "{stations} stations x {year} (Europe/Zurich): {rows} intervals ({missing} missing); generating the readings \
         {:.2} s, wall {:.2} s",
        generate.as_secs_f64(),
        total.elapsed().as_secs_f64()
    );
    println!(
        "  from the readings: {:.2} s (intervals {:.2} s, CSV {:.2} s)",
        export.as_secs_f64(),
        compute.as_secs_f64(),
        write.as_secs_f64(),
    );
    println!(
        "  from the quarter summaries: {:.2} s (calendar {:.3} s, intervals {:.2} s, CSV {:.2} s); making the summaries \
         (ingestion's work) {:.2} s; stations whose CSV differs: {differ}",
        (calendar_time + q_compute + q_write).as_secs_f64(),
        calendar_time.as_secs_f64(),
        q_compute.as_secs_f64(),
        q_write.as_secs_f64(),
        summarise.as_secs_f64(),
    );
    if differ > 0 {
        return Err(std::io::Error::other("the two ways differ"));
    }
    Ok(())
}
