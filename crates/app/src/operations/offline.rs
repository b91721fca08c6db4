//! Offline detection: "a station without traffic for N minutes (operator setting, default 15) is
//! marked out of service and the owner and operator are notified once; coming back notifies once."
//!
//! Only activated stations (active, verified) are watched: a pending station was never promised to work.
//! Traffic is any frame from the station (an OCPP message, a WebSocket ping or pong). For a station connected
//! here the instant is kept in memory by its connection (see [`crate::Stations::traffic`]); for one that is
//! not, the database's last connection instants stand for it (its disconnection, or its last boot,
//! heartbeat or connection). A station that never connected is not watched: it was never in service.
//!
//! A sweep runs every `ocpp.offline_check_secs` ([`run`]); [`sweep`] takes the instant to judge at, so that
//! tests need not wait 15 minutes. Marking and clearing are compare-and-sets in the store, so that two sweeps
//! (or two nodes) racing tell people once. A station marked out of service that is heard from again — it
//! connects, or its open connection carries a frame — wakes the sweeper at once, which clears the mark and
//! tells people it is back; the periodic sweep catches whatever a wake missed.
//!
//! Each change is told to the station's owner and to the operator's staff (portal inbox and e-mail), sent as
//! a live event, and written to the audit log as `system`, with the station as subject.

use std::collections::HashMap;

use joule_core::account::{Account, AccountRole};
use joule_core::operator::{OperatorSettings, human_duration, watched};
use joule_core::station::{Station, StationState};
use joule_core::{OperatorId, StationId, Timestamp};
use joule_store::{AccountFilter, StationFilter, StoreError};
use serde_json::json;

use crate::App;
use crate::events::{LiveEvent, LiveEventKind};

/// Stations read per page.
const PAGE: u32 = 500;
/// Staff accounts told per operator, at most.
const STAFF_MAX: u32 = 1000;

/// What one sweep changed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SweepReport {
    /// Stations this sweep marked out of service.
    pub marked: Vec<StationId>,
    /// Stations this sweep found back in service.
    pub back: Vec<StationId>,
    /// Watched stations (active or verified, not marked) whose silence this sweep judged.
    pub checked: usize,
}

/// Runs offline detection until the task is dropped: a sweep every `ocpp.offline_check_secs`, and one as
/// soon as a station marked out of service is heard from again.
pub async fn run(app: App) {
    let every = app.settings().ocpp.offline_check();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = app.stations().heard_again() => {}
        }
        if !app.leadership().leads(crate::ports::Job::OfflineSweep) {
            continue;
        }
        let started = std::time::Instant::now();
        match sweep(&app, chrono::Utc::now()).await {
            // Its cost grows with the stations watched; `bench/run.sh sqlite sweep` reads this line.
            Ok(r) => tracing::debug!(
                checked = r.checked,
                marked = r.marked.len(),
                back = r.back.len(),
                ms = started.elapsed().as_secs_f64() * 1000.0,
                "offline sweep done"
            ),
            Err(e) => tracing::warn!(error = %e, "offline detection could not finish its sweep"),
        }
    }
}

/// One round of offline detection, judging at `now`: clears the mark of stations heard from since they were
/// marked, then marks the watched stations silent for longer than their operator's threshold. People are
/// told of each change once.
pub async fn sweep(app: &App, now: Timestamp) -> Result<SweepReport, StoreError> {
    let mut report = SweepReport::default();
    for station in stations(app, StationFilter { out_of_service: Some(true), ..Default::default() }).await? {
        // Connected here with no mark on the connection: it connected after the mark, or a frame came.
        let heard = app.stations().traffic(&station.id).is_some_and(|t| !t.marked_silent);
        if heard && back_in_service(app, &station, now).await? {
            report.back.push(station.id.clone());
        }
    }
    let mut settings: HashMap<OperatorId, OperatorSettings> = HashMap::new();
    for state in [StationState::Active, StationState::Verified] {
        debug_assert!(watched(state));
        for station in stations(app, StationFilter { state: Some(state), ..Default::default() }).await? {
            if station.out_of_service_since.is_some() {
                continue;
            }
            let Some(quiet_since) = last_traffic(app, &station) else { continue };
            report.checked += 1;
            let threshold = match settings.get(&station.operator_id) {
                Some(s) => *s,
                None => {
                    let s = app.db().operator_settings(station.operator_id).await?;
                    *settings.entry(station.operator_id).or_insert(s)
                }
            };
            if threshold.silent_too_long(quiet_since, now)
                && out_of_service(app, &station, quiet_since, threshold, now).await?
            {
                report.marked.push(station.id.clone());
            }
        }
    }
    Ok(report)
}

/// Every station matching `filter`, page by page.
async fn stations(app: &App, filter: StationFilter) -> Result<Vec<Station>, StoreError> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = StationFilter { after: after.clone(), limit: Some(PAGE), ..filter.clone() };
        let stations = app.db().list_stations(&page).await?;
        let full = stations.len() == PAGE as usize;
        after = stations.last().map(|s| s.id.clone());
        all.extend(stations);
        if !full {
            return Ok(all);
        }
    }
}

/// When the station was last heard from; `None` for a station that never connected.
fn last_traffic(app: &App, station: &Station) -> Option<Timestamp> {
    if let Some(traffic) = app.stations().traffic(&station.id) {
        return Some(traffic.last_heard);
    }
    station.connected_at?;
    [station.connected_at, station.disconnected_at, station.last_heartbeat_at, station.last_boot_at]
        .into_iter()
        .flatten()
        .max()
}

/// Marks the station (compare-and-set) and, if this call marked it, tells everyone. Returns whether it did.
async fn out_of_service(
    app: &App,
    station: &Station,
    quiet_since: Timestamp,
    threshold: OperatorSettings,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let store = app.db();
    if !store.mark_out_of_service(&station.id, quiet_since, now).await? {
        return Ok(false);
    }
    app.stations().mark_silent(&station.id, quiet_since);
    let minutes = threshold.offline_after_minutes();
    tracing::warn!(station = %station.id, %quiet_since, minutes, "station out of service: no traffic");
    audit(
        app,
        station,
        "station.out-of-service",
        json!({ "out_of_service_since": null }),
        json!({ "out_of_service_since": now, "silent_since": quiet_since, "offline_after_minutes": minutes }),
        now,
    )
    .await;
    publish(app, station, now, LiveEventKind::OutOfService { silent_since: quiet_since });
    let subject = format!("Charging station {} is out of service", station.id);
    let text = format!(
        "Charging station {} has not been heard from since {} UTC (more than {minutes} min) and is marked out of \
         service. You will be told when it is back.",
        station.id,
        quiet_since.format("%Y-%m-%d %H:%M"),
    );
    tell_everyone(app, station, "station.out-of-service", &subject, &text, now).await;
    Ok(true)
}

/// Clears the station's mark (compare-and-set) and, if this call cleared it, tells everyone. Returns whether
/// it did.
async fn back_in_service(app: &App, station: &Station, now: Timestamp) -> Result<bool, StoreError> {
    let Some(since) = app.db().clear_out_of_service(&station.id).await? else {
        return Ok(false);
    };
    let after = human_duration(now - since);
    tracing::info!(station = %station.id, %since, %after, "station back in service");
    audit(
        app,
        station,
        "station.back-in-service",
        json!({ "out_of_service_since": since }),
        json!({ "out_of_service_since": null }),
        now,
    )
    .await;
    publish(app, station, now, LiveEventKind::BackInService { out_of_service_since: since });
    let subject = format!("Charging station {} is back in service", station.id);
    let text = format!("Charging station {} is back in service after {after}.", station.id);
    tell_everyone(app, station, "station.back-in-service", &subject, &text, now).await;
    Ok(true)
}

/// The owner (if the station has one) and the operator's staff, enabled accounts only, each once.
async fn recipients(app: &App, station: &Station) -> Vec<Account> {
    let store = app.db();
    let mut people = Vec::new();
    if let Some(owner) = station.owner_id {
        match store.account(owner).await {
            Ok(Some(account)) => people.push(account),
            Ok(None) => tracing::warn!(station = %station.id, %owner, "the station's owner account is gone"),
            Err(e) => tracing::error!(station = %station.id, error = %e, "could not read the station's owner"),
        }
    }
    let staff = AccountFilter {
        operator_id: Some(station.operator_id),
        role: Some(AccountRole::OperatorStaff),
        limit: Some(STAFF_MAX),
        ..Default::default()
    };
    match store.list_accounts(&staff).await {
        Ok(accounts) => people.extend(accounts),
        Err(e) => tracing::error!(station = %station.id, error = %e, "could not read the operator's staff"),
    }
    people.retain(|a| a.is_active());
    let mut seen = std::collections::HashSet::new();
    people.retain(|a| seen.insert(a.id));
    people
}

async fn tell_everyone(app: &App, station: &Station, kind: &str, subject: &str, text: &str, now: Timestamp) {
    for person in recipients(app, station).await {
        crate::notify::tell(app, &person, kind, subject, text, now).await;
    }
}

async fn audit(
    app: &App,
    station: &Station,
    action: &str,
    before: serde_json::Value,
    after: serde_json::Value,
    at: Timestamp,
) {
    let entry = crate::audit::Entry {
        action,
        subject: format!("station:{}", station.id),
        before: Some(before),
        after: Some(after),
    };
    crate::audit::record_as(&**app.db(), "system", Some(station.operator_id), at, entry).await
}

fn publish(app: &App, station: &Station, at: Timestamp, kind: LiveEventKind) {
    app.events().publish(|| LiveEvent { operator_id: station.operator_id, station_id: station.id.clone(), at, kind });
}
