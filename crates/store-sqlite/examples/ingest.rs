//! Meter-value ingestion into the SQLite store: many stations sending MeterValues at once, each waiting for
//! its committed answer before sending the next (as a station waits for its CALLRESULT).
//!
//! ```text
//! cargo run --release -p joule-store-sqlite --example ingest -- [stations] [seconds] [samples] [rate]
//! ```
//!
//! Defaults: 1000 stations, 10 seconds, 4 samples per message, rate 0. With rate 0 every station sends its
//! next message as soon as the last is answered (closed loop: the store's capacity; latency is then mostly
//! queueing, stations / throughput). With a rate, the stations together send that many messages per second
//! on a fixed schedule (open loop), and latency counts from each message's scheduled time, so a store that
//! falls behind shows it. Prints messages/s, samples/s and latency percentiles. The database goes to a
//! fresh directory under the system temp dir and is removed afterwards.
//!
//! Last figures (2 cores shared with other work, ext4, WAL, synchronous=FULL, 4 samples per message):
//!
//! ```text
//! open loop 10,000 messages/s, 1000 stations:  p50 2.1 ms, p99 25.5 ms, max 36 ms, WAL 22 MB
//! open loop 15,000 messages/s, 1000 stations:  p50 3.7 ms, p99 46 ms, max 67 ms
//! closed loop, 100 stations:                    17,100 messages/s (68,500 samples/s), p99 14 ms
//! closed loop, 1000 stations:                   18,800 messages/s, p99 85 ms (queueing: 1000 in flight)
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use joule_core::meter::{MeterSample, RawSample};
use joule_core::station::StationState;
use joule_core::{OperatorKey, SessionId, StationId};
use joule_store::prelude::*;
use joule_store::{MeterBatch, NewStation, Store};
use joule_store_sqlite::{SqliteOptions, SqliteStore};

fn arg(n: usize, default: u64) -> u64 {
    std::env::args().nth(n).and_then(|a| a.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let stations = arg(1, 1000);
    let seconds = arg(2, 10);
    let samples = arg(3, 4) as usize;
    let rate = arg(4, 0);
    let dir = std::env::temp_dir().join(format!("joule-ingest-{}", std::process::id()));
    let store = Arc::new(SqliteStore::open(&dir.join("joule.db"), SqliteOptions::default()).await.expect("open"));
    let op = store.create_operator("Bench", &OperatorKey::parse("bench").expect("key")).await.expect("operator");
    for i in 0..stations {
        let new = NewStation {
            id: StationId::parse(&format!("BENCH-{i}")).expect("id"),
            operator_id: op.id,
            state: StationState::Active,
            free_vend: false,
            password_hash: None,
            created_at: Utc::now(),
        };
        store.register_station(new).await.expect("station");
    }

    let measurands = ["Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "Voltage", "SoC"];
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..stations)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let id = StationId::parse(&format!("BENCH-{i}")).expect("id");
                let mut latencies = hdrhistogram::Histogram::<u64>::new(3).expect("histogram");
                let mut n: i64 = 0;
                // Open loop: message n of this station is due at start + offset + n * period.
                let period = (rate > 0).then(|| Duration::from_secs_f64(stations as f64 / rate as f64));
                let offset = period.map(|p| p.mul_f64(i as f64 / stations as f64));
                while Instant::now() < deadline {
                    let due = match (period, offset) {
                        (Some(p), Some(o)) => {
                            let due = started + o + p * n as u32;
                            tokio::time::sleep_until(due.into()).await;
                            due
                        }
                        _ => Instant::now(),
                    };
                    let at = Utc::now() + chrono::Duration::milliseconds(n);
                    let batch = MeterBatch {
                        station_id: id.clone(),
                        connector_id: 1,
                        transaction_id: Some(SessionId(i as i64)),
                        samples: (0..samples)
                            .map(|k| {
                                let value = (n * 10 + k as i64).to_string();
                                let measurand = Some(measurands[k % measurands.len()]);
                                MeterSample::from_raw(at, RawSample { value: &value, measurand, ..Default::default() })
                            })
                            .collect(),
                    };
                    store.add_meter_values(&batch).await.expect("meter values");
                    latencies.record(due.elapsed().as_micros() as u64).expect("record");
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    let mut all = hdrhistogram::Histogram::<u64>::new(3).expect("histogram");
    for task in tasks {
        all.add(task.await.expect("task")).expect("merge");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let messages = all.len() as f64;
    let mode = if rate > 0 { format!("open loop at {rate}/s") } else { "closed loop".to_string() };
    println!("stations {stations}, {samples} samples per message, {mode}, {elapsed:.1} s");
    println!(
        "{:.0} messages/s, {:.0} samples/s (committed before answered)",
        messages / elapsed,
        messages * samples as f64 / elapsed
    );
    for q in [0.5, 0.9, 0.99, 0.999] {
        println!("p{:<5} {:>8.2} ms", q * 100.0, all.value_at_quantile(q) as f64 / 1000.0);
    }
    println!("max    {:>8.2} ms", all.max() as f64 / 1000.0);
    let wal = std::fs::metadata(dir.join("joule.db-wal")).map(|m| m.len()).unwrap_or(0);
    let db = std::fs::metadata(dir.join("joule.db")).map(|m| m.len()).unwrap_or(0);
    // The WAL must stay bounded under sustained load (the checkpoints keep up).
    println!("WAL {:.1} MB, database {:.1} MB", wal as f64 / 1e6, db as f64 / 1e6);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
