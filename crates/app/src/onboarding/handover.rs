//! Handover to a third-party backend: re-provisioning a connected station with another
//! central system's URL, and confirming that it left.
//!
//! The sequence, for a handover the operator asked for (see [`joule_core::handover::HandoverState`]):
//!
//! 1. `recorded`: nothing is sent while the station is not connected. When it connects and boots (or is
//!    connected when the handover is asked for), provisioning starts. An operator may instead confirm by
//!    hand (the station was re-provisioned on site).
//! 2. `provisioning`: the operator's profile for the station's vendor (BootNotification chargePointVendor)
//!    says how: ChangeConfiguration of a vendor key with the URL (OCPP 1.6 §5.3) or a DataTransfer with the
//!    URL as data (§5.6), then a Reset if the profile asks for one or the station answered RebootRequired
//!    (§5.14). Every command goes through the gateway's one path out ([`crate::Stations::send`]), so it
//!    is in the command history too, and every answer is a step of the handover. A refusal, a CALLERROR or no answer ends it as `failed`.
//! 3. `waiting`: the station must leave (close its connection) and stay away for
//!    `ocpp.handover_confirm_secs`. If it connects to Joule again within that window it did not take the new
//!    URL: `failed`, saying so. Otherwise `handed-over`: the station's state becomes HandedOver, so its
//!    boots are Rejected and it can neither authorize nor start a transaction (billing must skip
//!    stations in state handed-over as well); it is kept for history.
//!
//! Every state change is a compare-and-set in the store, so the watcher, an operator's manual confirmation
//! and a cancellation cannot both win, and confirming twice changes nothing. A server that starts finds
//! handovers in `waiting` and watches them again (the window starts over: the station cannot be connected
//! to a server that is only starting); one in `provisioning` was cut off mid-sequence and is failed.

use std::time::Duration;

use crate::stations::CommandFailure;
use joule_core::StationId;
use joule_core::command::{CommandStatus, DataTransfer, Outcome, ResetType, SettingKey, StationCommand};
use joule_core::handover::{HandoverState, ResetKind};
use joule_core::station::Registration;
use joule_store::{Handover, HandoverChange, NewHandoverStep, StoreError};
use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::App;
use crate::events::{LiveEvent, LiveEventKind};

/// How often a waiting handover looks at the station's connection (events are the fast path; this catches
/// what a lagging event subscriber missed) and how often recorded handovers of connected stations are
/// looked for.
const TICK: Duration = Duration::from_millis(200);
const SWEEP: Duration = Duration::from_secs(5);

/// Why a handover could not be moved as asked.
#[derive(Debug, thiserror::Error)]
pub enum HandoverError {
    #[error("{0}")]
    NotFound(String),
    /// The handover is not in a state that allows it; the message says which state it is in.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for HandoverError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => HandoverError::NotFound(m),
            StoreError::Conflict(m) => HandoverError::Conflict(m),
            e => HandoverError::Store(e),
        }
    }
}

/// Runs for the server's life: re-checks what a restart interrupted, then starts the recorded handovers of
/// stations that boot (or are found connected).
pub async fn run(app: App) {
    let mut events = app.events().subscribe();
    let leads = |app: &App| app.leadership().leads(crate::ports::Job::Handovers);
    if leads(&app) {
        resume(&app).await;
    }
    let mut sweep = tokio::time::interval(SWEEP);
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) => {
                    // A Rejected boot cannot be configured; Accepted and Pending stations can (§4.2.1).
                    if let LiveEventKind::Booted { registration: Registration::Accepted | Registration::Pending } = event.kind
                        && leads(&app)
                    {
                        start_recorded(&app, &event.station_id).await;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = sweep.tick(), if leads(&app) => {
                match app.db().handovers_in_state(HandoverState::Recorded).await {
                    Ok(recorded) => {
                        for h in recorded.into_iter().filter(|h| app.stations().is_connected(&h.station_id)) {
                            spawn_provisioning(&app, h);
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "could not read the recorded handovers"),
                }
            }
        }
    }
}

/// At start-up: handovers cut off while provisioning are failed; waiting ones are watched again.
async fn resume(app: &App) {
    let store = app.db();
    match store.handovers_in_state(HandoverState::Provisioning).await {
        Ok(list) => {
            for h in list {
                let why = "the server stopped while the provisioning steps were being sent; the steps show what the \
                           station answered; ask for a new handover";
                if let Err(e) = finish(app, &h, HandoverState::Failed, why, "system").await {
                    tracing::warn!(handover = h.id, error = %e, "could not fail an interrupted handover");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not read the handovers being provisioned"),
    }
    match store.handovers_in_state(HandoverState::Waiting).await {
        Ok(list) => {
            for h in list {
                tracing::info!(handover = h.id, station = %h.station_id, "watching a handover again after a restart");
                let why = "the server restarted; the station is not connected, the confirmation window starts again";
                if let Err(e) = note(app, &h, "restarted", why).await {
                    tracing::warn!(handover = h.id, error = %e, "could not record a handover step");
                }
                let app2 = app.clone();
                let events = app.events().subscribe();
                tokio::spawn(async move { watch(&app2, h, events, Some(tokio::time::Instant::now())).await });
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not read the waiting handovers"),
    }
}

/// Starts the station's recorded handover, if it has one.
async fn start_recorded(app: &App, station: &StationId) {
    match app.db().handovers(station).await {
        Ok(list) => {
            if let Some(h) = list.into_iter().find(|h| h.state == HandoverState::Recorded) {
                spawn_provisioning(app, h);
            }
        }
        Err(e) => tracing::warn!(station = %station, error = %e, "could not read the station's handovers"),
    }
}

/// Starts provisioning a recorded handover if its station is connected here; otherwise it waits for the
/// station's next boot. For the REST API, right after it recorded the handover.
pub fn start(app: &App, handover: Handover) {
    if handover.state == HandoverState::Recorded && app.stations().is_connected(&handover.station_id) {
        spawn_provisioning(app, handover);
    }
}

fn spawn_provisioning(app: &App, handover: Handover) {
    let app = app.clone();
    tokio::spawn(async move {
        if let Err(e) = provision(&app, handover).await {
            tracing::warn!(error = %e, "a handover's provisioning could not be recorded");
        }
    });
}

async fn provision(app: &App, handover: Handover) -> Result<(), HandoverError> {
    let store = app.db();
    // Subscribed before anything is sent: the station may leave right after its Reset answer.
    let events = app.events().subscribe();
    let change = HandoverChange {
        id: handover.id,
        from: HandoverState::Recorded,
        to: HandoverState::Provisioning,
        detail: None,
        at: chrono::Utc::now(),
    };
    let handover = match store.set_handover_state(&change).await {
        Ok(h) => h,
        // Another task (a boot and a sweep at once) or the operator got there first.
        Err(StoreError::Conflict(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    audit(app, &handover, "system", "handover.provisioning", json!({"state": "provisioning"})).await;

    let station = store.station(&handover.station_id).await?;
    let vendor = station.as_ref().and_then(|s| s.boot.as_ref()).map(|b| b.vendor.clone()).unwrap_or_default();
    let profile = store.provisioning_profile(handover.operator_id, &joule_core::catalog::vendor_key(&vendor)).await?;
    let Some(profile) = profile else {
        let why = format!(
            "no provisioning profile matches the station's vendor {vendor:?}; add one (PUT \
             /api/v1/operators/{}/provisioning-profiles/{{vendor}}) and ask again",
            handover.operator_id
        );
        return finish(app, &handover, HandoverState::Failed, &why, "system").await.map(drop);
    };
    let url = handover.target_url.for_station(&handover.station_id, profile.append_station_id);
    let by = handover.requested_by.clone();

    // Step 1: the URL.
    let command = match &profile.method {
        joule_core::handover::ProvisioningMethod::ConfigurationKey { key } => {
            StationCommand::ChangeSetting { key: SettingKey::Configuration(key.clone()), value: url.to_string() }
        }
        joule_core::handover::ProvisioningMethod::DataTransfer { vendor_id, message_id } => {
            StationCommand::DataTransfer(DataTransfer {
                vendor_id: vendor_id.clone(),
                message_id: message_id.clone(),
                data: Some(url.to_string()),
            })
        }
    };
    let took = |status: &CommandStatus| match &command {
        // A setting that takes effect at the next restart is taken (the reset below sees to it).
        StationCommand::ChangeSetting { .. } => {
            matches!(status, CommandStatus::Accepted | CommandStatus::RebootRequired)
        }
        _ => *status == CommandStatus::Accepted,
    };
    let (action, status) = match step(app, &handover, &command, &by).await? {
        Ok(answered) => answered,
        Err(why) => return finish(app, &handover, HandoverState::Failed, &why, "system").await.map(drop),
    };
    if !status.as_ref().is_some_and(took) {
        let status = status.as_ref().map_or("invalid-answer", CommandStatus::name);
        let why = format!("the station answered {action} with {status}: it did not take the new URL");
        return finish(app, &handover, HandoverState::Failed, &why, "system").await.map(drop);
    }

    // Step 2: the reset. A station that says RebootRequired reads the URL only when it starts again, so it
    // is reset (soft) even if the profile did not ask for it.
    let reset = match (profile.reset, status) {
        (ResetKind::None, Some(CommandStatus::RebootRequired)) => Some(ResetType::Soft),
        (ResetKind::None, _) => None,
        (ResetKind::Soft, _) => Some(ResetType::Soft),
        (ResetKind::Hard, _) => Some(ResetType::Hard),
    };
    if let Some(kind) = reset {
        match step(app, &handover, &StationCommand::Reset(kind), &by).await? {
            Ok((_, Some(CommandStatus::Accepted))) => {}
            Ok((action, s)) => {
                let s = s.as_ref().map_or("invalid-answer", CommandStatus::name);
                let why = format!("the station answered {action} with {s}: it keeps the old URL until it restarts");
                return finish(app, &handover, HandoverState::Failed, &why, "system").await.map(drop);
            }
            Err(why) => return finish(app, &handover, HandoverState::Failed, &why, "system").await.map(drop),
        }
    }

    let change = HandoverChange {
        id: handover.id,
        from: HandoverState::Provisioning,
        to: HandoverState::Waiting,
        detail: Some(format!(
            "the station was given {url}; waiting for it to leave and stay away for {} s",
            app.settings().ocpp.handover_confirm_secs
        )),
        at: chrono::Utc::now(),
    };
    let handover = match store.set_handover_state(&change).await {
        Ok(h) => h,
        // Cancelled meanwhile: nothing more to do.
        Err(StoreError::Conflict(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    audit(app, &handover, "system", "handover.waiting", json!({"state": "waiting", "url": url})).await;
    // The station may have left already, right after its Reset answer.
    let away = if app.stations().is_connected(&handover.station_id) {
        None
    } else {
        note(app, &handover, "disconnected", "the station closed its connection").await?;
        Some(tokio::time::Instant::now())
    };
    watch(app, handover, events, away).await;
    Ok(())
}

/// Sends one command, records it as a step (named by the action it went out as, with its command id) and
/// audits it. `Ok(Ok((action, status)))` is the station's answer (`None`: an answer without a readable
/// status); `Ok(Err(why))` a command that was not answered (CALLERROR, timeout, offline...).
async fn step(
    app: &App,
    handover: &Handover,
    command: &StationCommand,
    by: &str,
) -> Result<Result<(String, Option<CommandStatus>), String>, HandoverError> {
    let gw = app.stations();
    let station = &handover.station_id;
    let (action, payload) = match gw.wire(station, command) {
        Ok(wire) => (wire.action, wire.payload),
        Err(_) => (format!("{:?}", command.kind()), Value::Null),
    };
    let (command_id, result) = gw.send_recorded(by, station, command.clone()).await;
    let (answer, detail, status) = match result {
        Ok(report) => {
            let status = report.outcome.as_ref().ok().and_then(Outcome::status).cloned();
            let outcome = status.as_ref().map_or("invalid-answer", CommandStatus::name).to_string();
            (outcome, Some(report.answer.to_string()), Ok((action.clone(), status)))
        }
        // The profile's values were validated when it was stored; said rather than sent all the same.
        Err(e @ CommandFailure::Invalid { .. }) => {
            let why = format!("{action} could not be sent: {e}");
            ("invalid".to_string(), Some(e.to_string()), Err(why))
        }
        Err(e) => {
            let name = e.outcome_name();
            let why = format!("{action} got no answer ({name}): {e}");
            (name.to_string(), Some(e.to_string()), Err(why))
        }
    };
    let new = NewHandoverStep {
        handover_id: handover.id,
        at: chrono::Utc::now(),
        step: action.clone(),
        outcome: answer.clone(),
        detail,
        command_id,
    };
    app.db().add_handover_step(&new).await?;
    audit(app, handover, "system", "handover.step", json!({"step": action, "payload": payload, "outcome": answer}))
        .await;
    Ok(status)
}

/// Watches a waiting handover until it is confirmed, failed, or moved by someone else. `away` is when the
/// station was last seen leaving (`None` while it is still connected).
async fn watch(
    app: &App,
    handover: Handover,
    mut events: broadcast::Receiver<std::sync::Arc<LiveEvent>>,
    mut away: Option<tokio::time::Instant>,
) {
    let window = Duration::from_secs(u64::from(app.settings().ocpp.handover_confirm_secs));
    let station = handover.station_id.clone();
    let mut tick = tokio::time::interval(TICK);
    let mut ticks: u32 = 0;
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) if event.station_id == station => match event.kind {
                    LiveEventKind::Disconnected if away.is_none() => {
                        away = Some(tokio::time::Instant::now());
                        let _ = note(app, &handover, "disconnected", "the station closed its connection").await;
                    }
                    // A new connection (a reconnect replaces the old socket without a Disconnected event).
                    LiveEventKind::Connected => {
                        came_back(app, &handover, away).await;
                        return;
                    }
                    _ => {}
                },
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = tick.tick() => {
                let connected = app.stations().is_connected(&station);
                match (connected, away) {
                    (false, None) => {
                        away = Some(tokio::time::Instant::now());
                        let _ = note(app, &handover, "disconnected", "the station closed its connection").await;
                    }
                    (true, Some(_)) => {
                        came_back(app, &handover, away).await;
                        return;
                    }
                    (false, Some(left)) if left.elapsed() >= window => {
                        let why = format!("the station left and stayed away for {} s", window.as_secs());
                        match finish(app, &handover, HandoverState::HandedOver, &why, "system").await {
                            Ok(_) | Err(HandoverError::Conflict(_)) => {}
                            Err(e) => tracing::warn!(handover = handover.id, error = %e, "could not confirm a handover"),
                        }
                        return;
                    }
                    _ => {}
                }
                // Now and then: stop if an operator confirmed or cancelled it meanwhile.
                ticks += 1;
                if ticks.is_multiple_of(5) {
                    match app.db().handover(handover.id).await {
                        Ok(Some(h)) if h.state == HandoverState::Waiting => {}
                        Ok(_) => return,
                        // The server stopped: a restarted one watches the handover again.
                        Err(StoreError::Closed) => return,
                        Err(e) => tracing::warn!(handover = handover.id, error = %e, "could not re-read a handover"),
                    }
                }
            }
        }
    }
}

async fn came_back(app: &App, handover: &Handover, away: Option<tokio::time::Instant>) {
    let why = match away {
        Some(left) => format!(
            "the station connected to Joule again {} s after it left, within the {} s window: it did not take the new URL",
            left.elapsed().as_secs(),
            app.settings().ocpp.handover_confirm_secs
        ),
        None => "the station connected to Joule again: it did not take the new URL".to_string(),
    };
    let _ = note(app, handover, "reconnected", "the station connected to Joule again").await;
    match finish(app, handover, HandoverState::Failed, &why, "system").await {
        Ok(_) | Err(HandoverError::Conflict(_)) => {}
        Err(e) => tracing::warn!(handover = handover.id, error = %e, "could not fail a handover"),
    }
}

/// A step that was no CALL (the station left, came back, the operator confirmed).
async fn note(app: &App, handover: &Handover, step: &str, detail: &str) -> Result<(), StoreError> {
    let new = NewHandoverStep {
        handover_id: handover.id,
        at: chrono::Utc::now(),
        step: step.to_string(),
        outcome: "observed".to_string(),
        detail: Some(detail.to_string()),
        command_id: None,
    };
    app.db().add_handover_step(&new).await.map(drop)
}

/// Moves the handover from the state it is in to `to` (compare-and-set), and for `handed-over` sets the
/// station's state. `Conflict` if it moved meanwhile.
async fn finish(
    app: &App,
    handover: &Handover,
    to: HandoverState,
    detail: &str,
    actor: &str,
) -> Result<Handover, HandoverError> {
    let store = app.db();
    let change = HandoverChange {
        id: handover.id,
        from: handover.state,
        to,
        detail: Some(detail.to_string()),
        at: chrono::Utc::now(),
    };
    // Moving to handed-over sets the station's state in the same write.
    let done = store.set_handover_state(&change).await?;
    let action = match to {
        HandoverState::HandedOver => "handover.confirm",
        HandoverState::Cancelled => "handover.cancel",
        _ => "handover.fail",
    };
    audit(app, &done, actor, action, json!({"state": to.as_str(), "detail": detail})).await;
    tracing::info!(handover = done.id, station = %done.station_id, state = %to, %detail, "handover finished");
    Ok(done)
}

/// The operator confirms by hand (the station was re-provisioned on site, or is known to be gone). Allowed
/// from `recorded` and `waiting`; confirming a handed-over handover again changes nothing and returns it.
pub async fn confirm(app: &App, id: i64, by: &str) -> Result<Handover, HandoverError> {
    let store = app.db();
    let h = store.handover(id).await?.ok_or_else(|| HandoverError::NotFound(format!("handover {id}")))?;
    if h.state == HandoverState::HandedOver {
        return Ok(h);
    }
    if !h.state.may_confirm() {
        return Err(HandoverError::Conflict(format!(
            "handover {id} is {}; only a recorded or waiting handover can be confirmed",
            h.state
        )));
    }
    note(app, &h, "confirmed", &format!("confirmed by hand by {by}")).await?;
    finish(app, &h, HandoverState::HandedOver, &format!("confirmed by hand by {by}"), by).await
}

/// The operator calls the handover off. Steps already sent may have taken effect on the station.
pub async fn cancel(app: &App, id: i64, by: &str) -> Result<Handover, HandoverError> {
    let store = app.db();
    let h = store.handover(id).await?.ok_or_else(|| HandoverError::NotFound(format!("handover {id}")))?;
    if !h.state.is_open() {
        return Err(HandoverError::Conflict(format!(
            "handover {id} is {} already; only an open one can be cancelled",
            h.state
        )));
    }
    let detail = if h.steps.is_empty() {
        format!("cancelled by {by}")
    } else {
        format!("cancelled by {by}; the steps already sent may have changed the station's URL")
    };
    finish(app, &h, HandoverState::Cancelled, &detail, by).await
}

async fn audit(app: &App, handover: &Handover, actor: &str, action: &str, after: Value) {
    let mut after = after;
    after["handover"] = json!(handover.id);
    let entry = crate::audit::Entry {
        action,
        subject: format!("station:{}", handover.station_id),
        before: None,
        after: Some(after),
    };
    crate::audit::record_as(&**app.db(), actor, Some(handover.operator_id), chrono::Utc::now(), entry).await
}
