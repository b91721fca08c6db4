//! The load generator: spreads the stations' connections over time, stops them at the end, gathers the report.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until};

use crate::station::{self, Shared};
use crate::stats::{Collector, Event};
use crate::{Config, Error, Report};

/// Runs the load generator as configured and returns its report. Bounded: stations stop at `config.duration`
/// (or, in storm mode, once all are accepted), get a short grace to stop their transactions and close, and are
/// then aborted.
pub async fn run(config: Config) -> Result<Report, Error> {
    config.validate()?;
    let start = Instant::now();
    let (stop_tx, stop_rx) = watch::channel(false);
    let stop_tx = Arc::new(stop_tx);
    let (collector, sink) =
        Collector::new(config.stations, config.mode, start, stop_tx.clone(), config.progress_interval);
    let collector = tokio::spawn(collector.run());

    let deadline = start + config.duration;
    let timer = {
        let stop_tx = stop_tx.clone();
        tokio::spawn(async move {
            sleep_until(deadline).await;
            let _ = stop_tx.send(true);
        })
    };

    let rate = config.effective_connect_rate();
    let stations = config.stations;
    let grace = station::wind_down_budget(&config) + Duration::from_secs(1);
    let shared = Arc::new(Shared { cfg: config, sink });
    let mut tasks = JoinSet::new();
    let mut stop = stop_rx.clone();
    for index in 0..stations {
        if rate > 0.0 {
            let due = start + Duration::from_secs_f64(f64::from(index) / rate);
            if due > Instant::now() {
                tokio::select! {
                    _ = sleep_until(due) => {}
                    _ = stop.wait_for(|s| *s) => {}
                }
            }
        }
        if *stop.borrow() {
            break;
        }
        tasks.spawn(station::run(index, shared.clone(), stop_rx.clone()));
    }

    let _ = stop.wait_for(|s| *s).await;
    shared.sink.emit(Event::Stopping).await;
    let wind_down_end = Instant::now() + grace;
    while let Ok(Some(_)) = tokio::time::timeout_at(wind_down_end, tasks.join_next()).await {}
    tasks.abort_all();
    while tasks.join_next().await.is_some() {}
    timer.abort();
    drop(shared);
    collector.await.map_err(|e| Error::Internal(format!("the collector task failed: {e}")))
}
