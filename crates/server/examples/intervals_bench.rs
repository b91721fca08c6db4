//! The 15-minute export of one year for many stations through the database ("the 15-minute export of
//! one year for 1,000 stations (generated data); target under 10 s"): loads a year of 5-minute register
//! readings per station into the store (the same generated readings as joule-core's `intervals_export`
//! example), then times the export the API runs — reading each station's quarter summaries from the store,
//! computing its intervals and formatting its CSV, a few stations at a time on every core, written in order
//! to a sink.
//!
//! cargo run --release -p joule-server --example intervals_bench -- sqlite STATIONS PATH [LOAD] [verify]
//! cargo run --release -p joule-server --example intervals_bench -- postgres STATIONS URL [LOAD] [verify]
//!
//! LOAD says how the data gets into the store:
//! - `ingest` (the default): every reading through `Store::add_meter_values`, a day per message, 64 stations
//!   at once, as stations would send them; the quarter summaries are kept by ingestion. 40,000 to 80,000
//!   readings/s on this machine (SQLite): 1,000 station-years (104 million readings) would take 22 to 45
//!   minutes.
//! - `import`: no readings; each station's quarter summaries, computed from the same generated readings by
//!   `joule_core::intervals::summarize` (what ingestion keeps), written with `Store::import_energy_quarters`.
//!   The export reads only the summaries, so it does the same work as after `ingest`.
//! - `export`: nothing; the data loaded by an earlier run with the same STATIONS is exported again.
//!
//! With `verify` the export is also made the way it was before the summaries (every register reading
//! read with `Store::energy_readings`, intervals computed from them), timed, and compared byte for byte with
//! the export from the summaries (it needs the readings: data loaded with `ingest`).

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use futures_util::StreamExt;
use joule_app::billing::intervals::{ExportJob, PARALLEL, export_csv};
use joule_core::StationId;
use joule_core::intervals::{
    Calendar, IntervalCsv, IntervalOptions, Reading, energies, quarter_start, summarize, utc_day,
};
use joule_core::meter::{MeterSample, RawSample};
use joule_core::station::StationState;
use joule_core::{OperatorKey, Timestamp};
use joule_store::{EnergyQuery, MeterBatch, NewStation, Store};

/// Counts bytes and lines, and drops them.
#[derive(Default)]
struct Sink {
    bytes: u64,
    lines: u64,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        // In blocks with a narrow counter, which the compiler turns into vector instructions: the export is
        // gigabytes, and the sink is on the clock.
        for block in buf.chunks(1 << 16) {
            self.lines += u64::from(block.iter().map(|&b| u32::from(b == b'\n')).sum::<u32>());
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A station's register readings for the year (as in joule-core's `intervals_export`): every 5 minutes, a
/// power that depends on the station and the hour, an 8-hour outage every 40 days.
fn readings(station: u32, year: i32) -> Vec<(Timestamp, f64)> {
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
            out.push((at, wh));
        }
        at += chrono::Duration::minutes(5);
    }
    out
}

/// The value as a station sends it (one decimal) and the store keeps it.
fn sent(wh: f64) -> String {
    format!("{wh:.1}")
}

fn station_id(s: u32) -> StationId {
    StationId::parse(&format!("GEN-{s:05}")).expect("station id")
}

async fn register(store: &Arc<dyn Store>, stations: u32) -> anyhow::Result<()> {
    let key = OperatorKey::parse("bench-intervals")?;
    let op = store.create_operator("Bench Intervals", &key).await?;
    for s in 0..stations {
        let new = NewStation {
            id: station_id(s),
            operator_id: op.id,
            state: StationState::Active,
            free_vend: false,
            password_hash: None,
            created_at: Utc::now(),
        };
        store.register_station(new).await?;
    }
    Ok(())
}

async fn ingest(store: Arc<dyn Store>, stations: u32, year: i32) -> anyhow::Result<u64> {
    // A day of readings per message (as a station's offline queue would send them), many stations at once
    // so that the group-commit writer fills its batches.
    futures_util::stream::iter(0..stations)
        .map(|s| {
            let store = store.clone();
            async move {
                let id = station_id(s);
                let all = readings(s, year);
                let n = all.len() as u64;
                let mut batches = Vec::new();
                for day in all.chunks(288) {
                    let samples = day
                        .iter()
                        .map(|(at, wh)| {
                            let v = sent(*wh);
                            MeterSample::from_raw(*at, RawSample { value: &v, ..Default::default() })
                        })
                        .collect();
                    batches.push(MeterBatch { station_id: id.clone(), connector_id: 0, transaction_id: None, samples });
                }
                for batch in batches {
                    store.add_meter_values(&batch).await?;
                }
                anyhow::Ok(n)
            }
        })
        .buffer_unordered(64)
        .fold(Ok::<u64, anyhow::Error>(0), |acc, r: anyhow::Result<u64>| async move { Ok(acc? + r?) })
        .await
}

async fn import(store: Arc<dyn Store>, stations: u32, year: i32) -> anyhow::Result<u64> {
    futures_util::stream::iter(0..stations)
        .map(|s| {
            let store = store.clone();
            async move {
                let rs: Vec<Reading> = readings(s, year)
                    .into_iter()
                    .map(|(at, wh)| Reading { at, wh: sent(wh).parse().expect("number"), clock_aligned: false })
                    .collect();
                let n = rs.len() as u64;
                let summaries = tokio::task::spawn_blocking(move || summarize(&rs)).await?;
                store.import_energy_quarters(&station_id(s), 0, &summaries).await?;
                anyhow::Ok(n)
            }
        })
        .buffer_unordered(8)
        .fold(Ok::<u64, anyhow::Error>(0), |acc, r: anyhow::Result<u64>| async move { Ok(acc? + r?) })
        .await
}

/// The export as it was before the summaries: every register reading of the days (and the maximum gap
/// around them) read, intervals computed from them; station by station, `PARALLEL` at once, in order.
async fn readings_export(
    store: Arc<dyn Store>,
    stations: u32,
    calendar: Arc<Calendar>,
) -> anyhow::Result<Vec<Vec<u8>>> {
    let o = IntervalOptions::default();
    futures_util::stream::iter(0..stations)
        .map(|s| {
            let store = store.clone();
            let calendar = calendar.clone();
            async move {
                let query = EnergyQuery {
                    station_id: station_id(s),
                    connector_id: 0,
                    since: calendar.start() - o.max_gap,
                    until: calendar.end() + o.max_gap + chrono::Duration::milliseconds(1),
                    limit: 4_000_000,
                };
                let rs = store.energy_readings(&query).await?;
                tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<u8>> {
                    let series = calendar.intervals(&energies(&rs, &calendar, o)?);
                    let mut csv = IntervalCsv::continuing(Vec::with_capacity(series.len() * 96));
                    csv.write(&station_id(s), None, &series)?;
                    Ok(csv.finish()?)
                })
                .await?
            }
        })
        .buffered(PARALLEL)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    let stations: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let target = args.get(3).cloned().unwrap_or_else(|| "/tmp/joule-intervals-bench.db".into());
    let load = args.get(4).map(String::as_str).unwrap_or("ingest");
    let verify = args.get(5).map(String::as_str) == Some("verify");
    let year = 2026;

    let t = Instant::now();
    let store: Arc<dyn Store> = match backend {
        "sqlite" => {
            let path = std::path::PathBuf::from(&target);
            Arc::new(joule_store_sqlite::SqliteStore::open(&path, Default::default()).await?)
        }
        "postgres" => Arc::new(joule_store_postgres::PgStore::connect(&target, Default::default()).await?),
        other => anyhow::bail!("backend {other:?}: give sqlite or postgres"),
    };
    println!("opened the store in {:.1} s", t.elapsed().as_secs_f64());

    if load != "export" {
        register(&store, stations).await?;
        let t = Instant::now();
        let (rows, what) = match load {
            "ingest" => (ingest(store.clone(), stations, year).await?, "readings through add_meter_values"),
            "import" => (import(store.clone(), stations, year).await?, "readings' quarter summaries imported"),
            other => anyhow::bail!("load {other:?}: give ingest, import or export"),
        };
        let secs = t.elapsed().as_secs_f64();
        println!("loaded {rows} {what} of {stations} stations in {secs:.1} s ({:.0} readings/s)", rows as f64 / secs);
    }

    let tz = chrono_tz::Europe::Zurich;
    let (from, to) =
        (NaiveDate::from_ymd_opt(year, 1, 1).expect("from"), NaiveDate::from_ymd_opt(year, 12, 31).expect("to"));
    let jobs: Vec<ExportJob> =
        (0..stations).map(|s| ExportJob { station: station_id(s), connector: None, tz }).collect();
    let mut sink = Sink::default();
    let mut kept: Vec<u8> = Vec::new();
    let t = Instant::now();
    let mut chunks = std::pin::pin!(export_csv(store.clone(), jobs, from, to, PARALLEL));
    let mut first = true;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        sink.write_all(&chunk)?;
        if verify && !first {
            kept.extend_from_slice(&chunk);
        }
        first = false;
    }
    let export = t.elapsed();
    println!(
        "{backend}: exported {stations} stations x {year} (Europe/Zurich): {} lines, {:.0} MB of CSV in {:.2} s \
         ({:.2} ms a station)",
        sink.lines - 1,
        sink.bytes as f64 / 1e6,
        export.as_secs_f64(),
        export.as_secs_f64() * 1000.0 / f64::from(stations.max(1))
    );

    if verify {
        let calendar = Arc::new(Calendar::new(tz, from, to)?);
        let t = Instant::now();
        let old = readings_export(store.clone(), stations, calendar.clone()).await?;
        let secs = t.elapsed().as_secs_f64();
        let old: Vec<u8> = old.concat();
        println!(
            "{backend}: the same export from every reading (the path before the summaries): {:.0} MB in {secs:.2} s \
             ({:.2} ms a station); {}",
            old.len() as f64 / 1e6,
            secs * 1000.0 / f64::from(stations.max(1)),
            if old == kept { "byte-identical".to_string() } else { "DIFFERENT".to_string() }
        );
        // What the summaries hold, for the record: how many quarter hours in the year's UTC days.
        let q = store.energy_quarters(&station_id(0), 0, utc_day(calendar.start()), utc_day(calendar.end())).await?;
        println!(
            "station 0: {} quarter summaries from {} to {}",
            q.len(),
            quarter_start(q.first().map(|s| s.quarter()).unwrap_or(0)),
            quarter_start(q.last().map(|s| s.quarter()).unwrap_or(0))
        );
        anyhow::ensure!(old == kept, "the exports differ");
    }
    store.close().await;
    Ok(())
}
