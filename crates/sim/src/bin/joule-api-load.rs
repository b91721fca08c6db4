//! Command round-trip load on a CSMS's REST API: `--requests` commands sent through Joule's
//! `POST /api/v1/stations/{id}/…` to stations chosen at random among `SIM-00001…` (connected by joule-sim),
//! `--concurrency` at a time; reports the latency from the API call to its answer, which includes the trip
//! to the station and back. Bounded: it stops after `--requests` or `--max-duration`.
//!
//!   joule-api-load --api http://127.0.0.1:8180 --token joule_… --stations 10000 --requests 5000 --concurrency 16

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, ValueEnum};
use hdrhistogram::Histogram;
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Command {
    /// POST …/trigger {"message": "Heartbeat"}: the station answers Accepted, then sends a Heartbeat.
    Trigger,
    /// POST …/configuration/refresh: GetConfiguration; the answer's keys are stored before the API answers.
    GetConfiguration,
    /// PUT …/configuration/HeartbeatInterval: ChangeConfiguration; the new value is stored on Accepted.
    ChangeConfiguration,
}

/// Sends commands through a CSMS's REST API and measures their round trip.
#[derive(Debug, Parser)]
#[command(name = "joule-api-load", version)]
struct Args {
    /// The server's HTTP base URL.
    #[arg(long, default_value = "http://127.0.0.1:8180")]
    api: String,
    /// An API token of role operator or admin.
    #[arg(long, env = "JOULE_TOKEN", hide_env_values = true)]
    token: String,
    /// Stations are PREFIX00001 … PREFIX{stations}, as joule-sim names them.
    #[arg(long, default_value_t = 10_000)]
    stations: u32,
    #[arg(long, default_value = "SIM-")]
    id_prefix: String,
    /// Commands to send in all.
    #[arg(long, default_value_t = 5000)]
    requests: u64,
    /// Commands in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: u32,
    #[arg(long, value_enum, default_value_t = Command::Trigger)]
    command: Command,
    /// Hard cap on the run, in seconds.
    #[arg(long, default_value_t = 600)]
    max_duration: u64,
    /// Also write the report as JSON to this file.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
}

struct Tally {
    latency_us: std::sync::Mutex<Histogram<u64>>,
    ok: AtomicU64,
    failed: AtomicU64,
    next: AtomicU64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.stations > 0 && args.concurrency > 0, "--stations and --concurrency must be positive");
    anyhow::ensure!(args.api.starts_with("http://"), "--api must be an http:// URL (got {})", args.api);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let args = Arc::new(args);
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency as usize).build()?;
    let tally = Arc::new(Tally {
        latency_us: std::sync::Mutex::new(Histogram::new_with_bounds(1, 600_000_000, 3)?),
        ok: AtomicU64::new(0),
        failed: AtomicU64::new(0),
        next: AtomicU64::new(0),
    });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(args.max_duration);
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..args.concurrency {
        let (args, client, tally) = (args.clone(), client.clone(), tally.clone());
        workers.spawn(async move {
            // A cheap generator per worker (xorshift), so workers do not contend on a shared RNG.
            let mut seed = 0x9E37_79B9_7F4A_7C15_u64 ^ (u64::from(worker) + 1).wrapping_mul(0xA076_1D64_78BD_642F);
            let mut first_error: Option<String> = None;
            while tally.next.fetch_add(1, Ordering::Relaxed) < args.requests {
                if tokio::time::Instant::now() >= deadline {
                    break;
                }
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let station = format!("{}{:05}", args.id_prefix, 1 + seed % u64::from(args.stations));
                let (method, path, body) = request(args.command, &station);
                let url = format!("{}{path}", args.api.trim_end_matches('/'));
                let sent = Instant::now();
                let result = client.request(method, url).bearer_auth(&args.token).json(&body).send().await;
                let outcome = match result {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        Ok(())
                    }
                    Ok(r) => {
                        let status = r.status();
                        Err(format!("{status}: {}", r.text().await.unwrap_or_default()))
                    }
                    Err(e) => Err(e.to_string()),
                };
                match outcome {
                    Ok(()) => {
                        let us = sent.elapsed().as_micros().max(1) as u64;
                        let _ = tally.latency_us.lock().unwrap_or_else(|e| e.into_inner()).record(us);
                        tally.ok.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                        first_error.get_or_insert(e);
                    }
                }
            }
            first_error
        });
    }
    let mut errors = Vec::new();
    while let Some(done) = workers.join_next().await {
        if let Some(e) = done? {
            errors.push(e);
        }
    }
    let elapsed = started.elapsed();
    let h = tally.latency_us.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    let ok = tally.ok.load(Ordering::Relaxed);
    let failed = tally.failed.load(Ordering::Relaxed);
    let report = json!({
        "command": format!("{:?}", args.command),
        "stations": args.stations,
        "concurrency": args.concurrency,
        "ok": ok,
        "failed": failed,
        "seconds": elapsed.as_secs_f64(),
        "per_second": ok as f64 / elapsed.as_secs_f64().max(1e-9),
        "latency_ms": { "p50": ms(0.5), "p90": ms(0.9), "p99": ms(0.99), "max": h.max() as f64 / 1000.0 },
        "first_errors": errors.iter().take(3).collect::<Vec<_>>(),
    });
    println!(
        "{ok} commands answered, {failed} failed, in {:.1} s ({:.0}/s); round trip p50 {:.1} ms, p90 {:.1} ms, \
         p99 {:.1} ms, max {:.1} ms",
        elapsed.as_secs_f64(),
        report["per_second"].as_f64().unwrap_or(0.0),
        ms(0.5),
        ms(0.9),
        ms(0.99),
        h.max() as f64 / 1000.0
    );
    for e in errors.iter().take(3) {
        eprintln!("error: {e}");
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    anyhow::ensure!(ok > 0, "no command was answered");
    Ok(())
}

fn request(command: Command, station: &str) -> (reqwest::Method, String, Value) {
    match command {
        Command::Trigger => {
            (reqwest::Method::POST, format!("/api/v1/stations/{station}/trigger"), json!({ "message": "Heartbeat" }))
        }
        Command::GetConfiguration => (
            reqwest::Method::POST,
            format!("/api/v1/stations/{station}/configuration/refresh"),
            json!({ "keys": ["HeartbeatInterval"] }),
        ),
        Command::ChangeConfiguration => (
            reqwest::Method::PUT,
            format!("/api/v1/stations/{station}/configuration/HeartbeatInterval"),
            json!({ "value": "300" }),
        ),
    }
}
