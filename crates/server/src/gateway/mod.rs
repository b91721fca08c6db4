//! The OCPP gateway: accepts station connections at `/ocpp/{operator-key}/{station-id}` (and, if allowed,
//! `/ocpp/{station-id}`), runs one task per connection, and routes commands to connected stations: it
//! implements [`joule_app::Stations`], with one adapter per OCPP version ([`v16`]) that alone knows the wire,
//! chosen by the subprotocol negotiated at the handshake ([`adapter`]).

mod adapter;
mod command;
mod connection;
mod handshake;
mod message_log;
mod registry;
mod remote;
mod stations;
mod v16;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use std::ops::Not;

use joule_app::{CommandFailure, CommandReport, UnreadableAnswer};
use joule_core::StationId;
use joule_store::{CommandOutcome, CommandOutcomeKind, NewCommand, StoreError};
use serde_json::Value;
use tokio::sync::oneshot;

use adapter::Outgoing;
use command::Outbound;
use joule_app::charging::Charging;
use joule_app::settings::Settings;
use registry::{RefusalLimit, Registry};

/// The gateway's shared state. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// The station-facing rules, with the store and the ports.
    pub services: Charging,
    pub settings: Arc<Settings>,
    pub registry: Registry,
    pub refusals: RefusalLimit,
    pub passwords: joule_app::accounts::password::StationVerifier,
    pub log: message_log::MessageLog,
    /// Becomes `true` when the server stops: every connection closes and records its station offline.
    pub shutdown: tokio::sync::watch::Sender<bool>,
    next_conn_id: AtomicU64,
    // --- offline detection ---
    /// Wakes offline detection early: a station it marked out of service is heard from again.
    pub offline_wake: tokio::sync::Notify,
}

impl Gateway {
    pub fn new(services: Charging, settings: Arc<Settings>) -> Gateway {
        let log = message_log::MessageLog::start(services.store().clone(), settings.ocpp.message_log_days);
        Gateway {
            inner: Arc::new(Inner {
                services,
                settings,
                registry: Registry::default(),
                refusals: RefusalLimit::default(),
                passwords: Default::default(),
                log,
                shutdown: tokio::sync::watch::Sender::new(false),
                next_conn_id: AtomicU64::new(1),
                offline_wake: tokio::sync::Notify::new(),
            }),
        }
    }

    /// The OCPP routes, to be merged into the server's router.
    pub fn routes(&self) -> Router {
        Router::new()
            .route("/ocpp/{key}/{station}", get(handshake::keyed))
            .route("/ocpp/{station}", get(handshake::unkeyed))
            .with_state(self.clone())
    }

    /// Closes every station connection and waits (up to `within`) until each has recorded its station
    /// offline. Stations reconnect by themselves once a server is back.
    pub async fn close_all(&self, within: Duration) {
        self.inner.shutdown.send_replace(true);
        let deadline = tokio::time::Instant::now() + within;
        while self.inner.registry.len() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Whether the station has a connection to this node.
    pub fn is_connected(&self, id: &StationId) -> bool {
        self.inner.registry.get(id).is_some()
    }

    /// How many commands wait for the station's outstanding CALL to end, or `None` if it is not connected.
    pub fn queued_commands(&self, id: &StationId) -> Option<usize> {
        self.inner.registry.get(id).map(|e| e.commands.max_capacity() - e.commands.capacity())
    }

    /// Sends a command to a connected station and waits for its answer, whatever asked for it (the REST API,
    /// the CLI through it, Joule itself): the one path out, so the history and the effects of an answer are
    /// kept the same way everywhere. Commands to one station are sent one at a time, in order (OCPP-J 1.6
    /// §4.1.1: one outstanding CALL per direction); others wait in a bounded queue. Ends with the station's
    /// answer or exactly one [`CommandFailure`]. The command and its outcome go to the station's command
    /// history, with `requested_by` (a user, a token, or `system`); its id is returned whatever the end.
    pub(crate) async fn dispatch(
        &self,
        requested_by: &str,
        id: &StationId,
        outgoing: Outgoing,
    ) -> (Option<i64>, Result<CommandReport, CommandFailure>) {
        let store = self.inner.services.store();
        let started = tokio::time::Instant::now();
        let action = outgoing.action();
        let Outgoing { payload, command, .. } = &outgoing;
        let new = NewCommand {
            station_id: id.clone(),
            action: action.to_string(),
            payload_json: payload.to_string(),
            requested_by: requested_by.to_string(),
            requested_at: chrono::Utc::now(),
        };
        // The history is written before the call goes out, so a command is on record even if Joule stops
        // while it is outstanding. An unknown station has no history; its command still ends as Offline.
        let record = match store.record_command(&new).await {
            Ok(record) => Some(record),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => {
                tracing::warn!(station = %id, %action, error = %e, "could not record a command");
                None
            }
        };
        let watch = self.before_call(id, command.as_ref(), record);
        let result = self.deliver(id, action, payload.clone()).await;
        let outcome = result.as_ref().ok().map(|answer| outgoing.outcome(answer));
        match &outcome {
            Some(outcome) => {
                if let Err(e) = self.after_answer(id, command.as_ref(), record, outcome).await {
                    tracing::warn!(station = %id, %action, error = %e, "could not keep what an answer said");
                }
            }
            None => {
                if let Some(command) = record {
                    self.inner.services.remote_starts().cancel(id, command);
                }
            }
        }
        if let Some(record) = record {
            let latency = started.elapsed().as_millis() as i64;
            let outcome = match &result {
                Ok(answer) => CommandOutcome {
                    kind: CommandOutcomeKind::Answered,
                    answer_json: Some(answer.to_string()),
                    error: None,
                    finished_at: chrono::Utc::now(),
                    latency_ms: Some(latency),
                },
                Err(e) => CommandOutcome {
                    kind: match e {
                        // Invalid ends before anything is recorded.
                        CommandFailure::Offline | CommandFailure::Invalid { .. } => CommandOutcomeKind::Offline,
                        CommandFailure::QueueFull => CommandOutcomeKind::QueueFull,
                        CommandFailure::Timeout { .. } => CommandOutcomeKind::Timeout,
                        CommandFailure::CallError { .. } => CommandOutcomeKind::CallError,
                        CommandFailure::Disconnected => CommandOutcomeKind::Disconnected,
                    },
                    answer_json: None,
                    error: Some(e.to_string()),
                    finished_at: chrono::Utc::now(),
                    latency_ms: e.not_sent().not().then_some(latency),
                },
            };
            if let Err(e) = store.finish_command(record, &outcome).await {
                tracing::warn!(station = %id, %action, error = %e, "could not record a command's outcome");
            }
        }
        let report = result.map(|answer| CommandReport {
            command_id: record,
            action: action.to_string(),
            answer,
            latency_ms: started.elapsed().as_millis() as u64,
            outcome: outcome.unwrap_or_else(|| Err(UnreadableAnswer("no answer".into()))),
            started: watch,
        });
        (record, report)
    }

    /// Queues the CALL on the station's connection and waits for its answer.
    async fn deliver(&self, id: &StationId, action: &str, payload: Value) -> Result<Value, CommandFailure> {
        let entry = self.inner.registry.get(id).ok_or(CommandFailure::Offline)?;
        let (reply, answer) = oneshot::channel();
        let outbound = Outbound { action: action.to_string(), payload, reply };
        entry.commands.try_send(outbound).map_err(|e| match e {
            tokio::sync::mpsc::error::TrySendError::Full(_) => CommandFailure::QueueFull,
            tokio::sync::mpsc::error::TrySendError::Closed(_) => CommandFailure::Offline,
        })?;
        // The connection enforces the call timeout once the call is sent; this bound also covers the time
        // spent waiting in the queue behind other commands.
        let queue_wait = self.inner.settings.ocpp.call_timeout() * (self.inner.settings.ocpp.command_queue as u32 + 1);
        match tokio::time::timeout(queue_wait + Duration::from_secs(1), answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(CommandFailure::Disconnected),
            Err(_) => Err(CommandFailure::Timeout { secs: queue_wait.as_secs() }),
        }
    }

    /// When the station was last heard from on its connection here; `None` if it is not connected here.
    pub fn last_heard(&self, id: &StationId) -> Option<joule_core::Timestamp> {
        self.inner.registry.traffic(id).map(|t| t.last_heard())
    }

    fn next_conn_id(&self) -> u64 {
        self.inner.next_conn_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The local lists, reached through this gateway.
    fn local_lists(&self) -> joule_app::access::local_list::LocalLists {
        joule_app::access::local_list::LocalLists::new(&self.inner.services, Arc::new(self.clone()))
    }

    // --- local authorization list sync ---
    /// Marks the station for a local list sync: what it told about itself changed.
    pub(crate) fn local_list_changed(&self, station: &StationId) {
        self.inner.services.local_list_marks().mark_station(station);
    }

    /// After an accepted BootNotification: a station known to support local lists is brought in step.
    pub(crate) fn local_list_after_boot(&self, station: StationId) {
        self.local_lists().after_boot(station);
    }

    /// After an accepted BootNotification: the operator's default configuration, on its own task.
    pub(crate) fn apply_defaults_in_background(
        &self,
        station: StationId,
        operator: joule_core::OperatorId,
        only_missing: bool,
    ) {
        let stations = Arc::new(self.clone());
        joule_app::operations::defaults::apply_in_background(
            &self.inner.services,
            stations,
            station,
            operator,
            only_missing,
        );
    }
}
