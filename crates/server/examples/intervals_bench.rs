//! The 15-minute export of one year for many stations through the database (issue 5: "the 15-minute export of
//! one year for 1,000 stations (generated data); target under 10 s"): loads a year of 5-minute register
//! readings per station into the store (the same generated readings as joule-core's `intervals_export`
//! example), then times the export the API runs — reading each station's readings from the store, computing
//! its intervals and formatting its CSV, a few stations at a time on every core, written in order to a sink.
//!
//! cargo run --release -p joule-server --example intervals_bench -- sqlite STATIONS PATH [export]
//! cargo run --release -p joule-server --example intervals_bench -- postgres STATIONS URL [export]
//!
//! With `export` the data already loaded (by an earlier run with the same STATIONS) is exported again
//! without loading it.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use futures_util::StreamExt;
use joule_core::StationId;
use joule_core::meter::{MeterSample, RawSample};
use joule_core::station::StationState;
use joule_core::{OperatorKey, Timestamp};
use joule_server::intervals::{ExportJob, PARALLEL, export_csv};
use joule_store::{MeterBatch, NewStation, Store};

/// Counts bytes and lines, and drops them.
#[derive(Default)]
struct Sink {
    bytes: u64,
    lines: u64,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        self.lines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
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

fn station_id(s: u32) -> StationId {
    StationId::parse(&format!("GEN-{s:05}")).expect("station id")
}

async fn load(store: Arc<dyn Store>, stations: u32, year: i32) -> anyhow::Result<u64> {
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
    // A day of readings per message (as a station's offline queue would send them), many stations at once
    // so that the group-commit writer fills its batches.
    let rows = futures_util::stream::iter(0..stations)
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
                            let v = format!("{wh:.1}");
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
        .await?;
    Ok(rows)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    let stations: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let target = args.get(3).cloned().unwrap_or_else(|| "/tmp/joule-intervals-bench.db".into());
    let export_only = args.get(4).map(String::as_str) == Some("export");
    let year = 2026;

    let store: Arc<dyn Store> = match backend {
        "sqlite" => {
            let path = std::path::PathBuf::from(&target);
            Arc::new(joule_store_sqlite::SqliteStore::open(&path, Default::default()).await?)
        }
        "postgres" => Arc::new(joule_store_postgres::PgStore::connect(&target, Default::default()).await?),
        other => anyhow::bail!("backend {other:?}: give sqlite or postgres"),
    };

    if !export_only {
        let t = Instant::now();
        let rows = load(store.clone(), stations, year).await?;
        let secs = t.elapsed().as_secs_f64();
        println!("loaded {rows} readings of {stations} stations in {secs:.1} s ({:.0} readings/s)", rows as f64 / secs);
    }

    let tz = chrono_tz::Europe::Zurich;
    let (from, to) =
        (NaiveDate::from_ymd_opt(year, 1, 1).expect("from"), NaiveDate::from_ymd_opt(year, 12, 31).expect("to"));
    let jobs: Vec<ExportJob> =
        (0..stations).map(|s| ExportJob { station: station_id(s), connector: None, tz }).collect();
    let mut sink = Sink::default();
    let t = Instant::now();
    let mut chunks = std::pin::pin!(export_csv(store.clone(), jobs, from, to, PARALLEL));
    while let Some(chunk) = chunks.next().await {
        sink.write_all(&chunk?)?;
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
    store.close().await;
    Ok(())
}
