//! What Joule learns from a station's answers, whatever asked for the command (the REST API, the CLI
//! through it, Joule itself), read in the vocabulary's terms so that every version's adapter gets the same
//! effects:
//!
//! - settings read (1.6 GetConfiguration, §5.8): the keys reported are stored with their readonly flag and
//!   the time they were read;
//! - a setting changed, Accepted or RebootRequired (1.6 ChangeConfiguration, §5.3): the stored value
//!   becomes the new one;
//! - a request to start, Accepted (1.6 RemoteStartTransaction, §5.11): the session the station then starts
//!   is linked to the command (see [`crate::remote_start`]); the watch is set before the call goes out.
//!
//! And the operator's default configuration, applied one setting at a time.

use std::collections::HashSet;
use std::sync::Mutex;

use joule_app::{CommandFailure, Stations, UnreadableAnswer};
use joule_core::command::{CommandStatus, Outcome, SettingKey, StationCommand};
use joule_core::{OperatorId, SessionId, StationId};
use joule_store::{ConfigKey, DefaultResult, StoreError};
use tokio::sync::oneshot;

use super::Gateway;

impl Gateway {
    /// Before a call goes out: an accepted request to start must find its session even if the station
    /// starts it right after its answer, so the watch is set before the call is sent.
    pub(super) fn before_call(
        &self,
        station: &StationId,
        command: Option<&StationCommand>,
        command_id: Option<i64>,
    ) -> Option<oneshot::Receiver<SessionId>> {
        let Some(StationCommand::RequestStart(r)) = command else { return None };
        let connector = r.evse.map(|e| e.id());
        Some(self.inner.services.remote_starts().watch(station, connector, r.id_token.clone(), command_id))
    }

    /// After a call was answered: keeps what the answer tells about the station.
    pub(super) async fn after_answer(
        &self,
        station: &StationId,
        command: Option<&StationCommand>,
        command_id: Option<i64>,
        outcome: &Result<Outcome, UnreadableAnswer>,
    ) -> Result<(), StoreError> {
        let store = self.inner.services.store();
        let now = chrono::Utc::now();
        let status = outcome.as_ref().ok().and_then(Outcome::status);
        match command {
            Some(StationCommand::ReadSettings { .. }) => {
                let Ok(Outcome::Settings(read)) = outcome else {
                    tracing::warn!(station = %station, "settings answer that does not fit the station's version: not stored");
                    return Ok(());
                };
                let keys: Vec<ConfigKey> = read
                    .values
                    .iter()
                    .map(|v| ConfigKey { key: v.key.to_string(), value: v.value.clone(), readonly: v.readonly })
                    .collect();
                store.store_configuration(station, &keys, now).await?;
                // --- local authorization list sync ---
                // The keys may tell that the station supports local lists (or their sizes): look again.
                self.local_list_changed(station);
                Ok(())
            }
            Some(StationCommand::ChangeSetting { key, value }) => {
                if let Some(CommandStatus::Accepted | CommandStatus::RebootRequired) = status {
                    store.set_configuration_value(station, &key.to_string(), value, now).await?;
                }
                Ok(())
            }
            Some(StationCommand::RequestStart(_)) => {
                if status != Some(&CommandStatus::Accepted)
                    && let Some(command) = command_id
                {
                    self.inner.services.remote_starts().cancel(station, command);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Applies the operator's default configuration to a station: one setting change per key, in order,
    /// each result recorded. With `only_missing`, keys the station already answered for with the same value
    /// are skipped (a key that timed out or found the station offline is tried again).
    pub async fn apply_defaults(
        &self,
        station: &StationId,
        operator: OperatorId,
        requested_by: &str,
        only_missing: bool,
    ) -> Result<Vec<DefaultResult>, StoreError> {
        let store = self.inner.services.store();
        let defaults = store.operator_defaults(operator).await?;
        if defaults.is_empty() {
            return Ok(Vec::new());
        }
        let done: Vec<DefaultResult> = if only_missing { store.default_results(station).await? } else { Vec::new() };
        let mut results = Vec::new();
        for (key, value) in defaults {
            let answered = done.iter().any(|d| d.key == key && d.value == value && is_station_answer(&d.result));
            if answered {
                continue;
            }
            let change =
                StationCommand::ChangeSetting { key: SettingKey::Configuration(key.clone()), value: value.clone() };
            let result = match self.send(requested_by, station, change).await {
                Ok(report) => match report.outcome.as_ref().ok().and_then(Outcome::status) {
                    Some(status) => status.name().to_string(),
                    None => "invalid-answer".to_string(),
                },
                Err(CommandFailure::Invalid { message, .. }) => format!("invalid: {message}"),
                Err(e) => e.outcome_name().to_string(),
            };
            let at = chrono::Utc::now();
            store.record_default_result(station, &key, &value, &result, at).await?;
            let offline = result == "offline";
            results.push(DefaultResult { key, value, result, at });
            if offline {
                // The rest would find it offline too; they are applied at its next boot.
                break;
            }
        }
        Ok(results)
    }

    /// [`Gateway::apply_defaults`] on its own task, at most one at a time per station.
    pub(crate) fn apply_defaults_in_background(&self, station: StationId, operator: OperatorId, only_missing: bool) {
        let gw = self.clone();
        tokio::spawn(async move {
            if !gw.inner.applying.lock().unwrap_or_else(|e| e.into_inner()).insert(station.clone()) {
                return;
            }
            match gw.apply_defaults(&station, operator, "system", only_missing).await {
                Ok(results) if !results.is_empty() => {
                    let summary: Vec<String> = results.iter().map(|r| format!("{}={}", r.key, r.result)).collect();
                    tracing::info!(station = %station, results = %summary.join(", "), "default configuration applied");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(station = %station, error = %e, "could not apply the default configuration"),
            }
            gw.inner.applying.lock().unwrap_or_else(|e| e.into_inner()).remove(&station);
        });
    }
}

/// Stations whose default configuration is being applied.
pub(crate) type Applying = Mutex<HashSet<StationId>>;

/// Whether a recorded default result is the station's own answer to a setting change (OCPP 1.6 §7.22
/// ConfigurationStatus; the same in 2.0.1's SetVariableStatusEnumType).
fn is_station_answer(result: &str) -> bool {
    matches!(
        CommandStatus::from_name(result),
        CommandStatus::Accepted | CommandStatus::Rejected | CommandStatus::RebootRequired | CommandStatus::NotSupported
    )
}
