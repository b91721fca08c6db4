//! The background jobs, each a loop that runs until its task is dropped and asks
//! [`crate::ports::Leadership`] before each round. The server only spawns them ([`spawn_all`]).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use joule_core::command::{StationCommand, TriggerKind};
use joule_store::OutboxKind;
use tokio::task::JoinHandle;

use crate::App;
use crate::ports::Job;
use crate::stations::CommandFailure;

/// How often the outbox is read for work queued by other processes (e.g. `joule station activate`).
const OUTBOX_POLL: Duration = Duration::from_secs(1);

/// Spawns every background job; the server aborts the handles when it stops.
pub fn spawn_all(app: &App) -> Vec<JoinHandle<()>> {
    vec![
        tokio::spawn(outbox(app.clone())),
        // --- offline detection ---
        tokio::spawn(crate::operations::offline::run(app.clone())),
        // Handovers: re-checks what a restart interrupted, starts recorded ones on boot.
        tokio::spawn(crate::onboarding::handover::run(app.clone())),
        // --- tariffs and billing: prices sessions that stopped while no server was running ---
        tokio::spawn(crate::billing::run(app.clone())),
        // --- local authorization list sync: syncs the stations whose lists may be out of step ---
        tokio::spawn(crate::access::local_list::run(app.local_lists(), app.leadership().clone())),
    ]
}

/// Delivers work queued in the database to the stations connected here. Open items are re-read on every
/// poll rather than after a cursor: with several writers, ids may become visible out of order, and an item
/// stays open only until it is handled, so the open set stays small.
pub async fn outbox(app: App) {
    let store = app.db().clone();
    let in_flight: Arc<Mutex<HashSet<i64>>> = Arc::default();
    loop {
        tokio::time::sleep(OUTBOX_POLL).await;
        if !app.leadership().leads(Job::Outbox) {
            continue;
        }
        let items = match store.open_outbox(0, 100).await {
            Ok(items) => items,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the outbox");
                continue;
            }
        };
        for item in items {
            if !in_flight.lock().unwrap_or_else(|e| e.into_inner()).insert(item.id) {
                continue;
            }
            let (app, store, in_flight) = (app.clone(), store.clone(), in_flight.clone());
            // Each item on its own task: a station that is slow to answer must not hold up the others.
            tokio::spawn(async move {
                let outcome = match item.kind {
                    OutboxKind::TriggerBoot => {
                        // OCPP 1.6 §5.17 TriggerMessage: the station sends BootNotification now and is
                        // accepted, instead of waiting out its pending interval.
                        let trigger = StationCommand::Trigger { message: TriggerKind::BootNotification, target: None };
                        let stations = app.stations();
                        let action = stations.wire(&item.station_id, &trigger).map(|w| w.action).unwrap_or_default();
                        match stations.send("system", &item.station_id, trigger).await {
                            Ok(report) => format!("{} answered {}", report.action, report.answer),
                            Err(CommandFailure::Offline) => "station offline; it is accepted at its next boot".into(),
                            Err(e) => format!("{action} failed: {e}"),
                        }
                    }
                };
                tracing::info!(station = %item.station_id, kind = item.kind.as_str(), %outcome, "outbox item done");
                if let Err(e) = store.close_outbox(item.id, &outcome, chrono::Utc::now()).await {
                    tracing::warn!(error = %e, "could not close an outbox item");
                }
                in_flight.lock().unwrap_or_else(|e| e.into_inner()).remove(&item.id);
            });
        }
    }
}
