//! Remote operations: commands an operator sends to a station, validated before they go out, and
//! what Joule learns from their answers.
//!
//! Every CSMS-initiated call goes through [`Gateway::call_recorded`], whatever asked for it (the REST API,
//! the CLI through it, Joule itself), so the effects of an answer are kept the same way everywhere:
//!
//! - GetConfiguration.conf (OCPP 1.6 §5.8): the keys it reports are stored with their readonly flag and the
//!   time they were read;
//! - ChangeConfiguration.conf (§5.3) Accepted or RebootRequired: the stored value becomes the new one;
//! - RemoteStartTransaction.conf (§5.11) Accepted: the session the station then starts is linked to the
//!   command (see [`crate::remote_start`]).

use std::collections::HashSet;
use std::sync::Mutex;

use joule_core::{IdTag, OperatorId, StationId, TransactionId};
use joule_store::{ConfigKey, DefaultResult, StoreError};
use ocpp::v16::{self, CentralSystemRequest};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::Gateway;
use super::command::CommandError;

/// A command that was answered.
#[derive(Debug)]
pub struct CommandReport {
    /// Its entry in the station's command history (`None` only if the history could not be written).
    pub command_id: Option<i64>,
    pub action: String,
    /// The station's CALLRESULT payload.
    pub answer: Value,
    /// From asking to the answer, queueing included.
    pub latency_ms: u64,
    /// For an accepted RemoteStartTransaction: receives the transaction id once the station starts it.
    pub started: Option<oneshot::Receiver<TransactionId>>,
}

/// Why a command was not answered.
#[derive(Debug, thiserror::Error)]
pub enum CommandFailure {
    /// The action is not one Joule can send, or the payload does not fit it: nothing was sent.
    #[error("{message}")]
    Invalid {
        /// The property at fault, as a path into the payload (`chargingProfile.stackLevel`), when there is one.
        field: Option<String>,
        message: String,
    },
    /// Sent (or tried), but no CALLRESULT.
    #[error(transparent)]
    Command(#[from] CommandError),
}

/// Checks that `action` is a CSMS-initiated OCPP 1.6 action and `payload` a valid payload for it, as the
/// station would (OCPP-J §4.2.3), so an operator hears about a mistake before a station refuses it.
pub fn validate(action: &str, payload: &Value) -> Result<CentralSystemRequest, CommandFailure> {
    CentralSystemRequest::decode(action, payload).map_err(|e| {
        if !CentralSystemRequest::ACTIONS.contains(&action) {
            let message = if ocpp::v16::ChargePointRequest::ACTIONS.contains(&action) {
                format!("{action} is sent by stations, not to them")
            } else {
                format!("{action} is not an OCPP 1.6 action (names are case-sensitive)")
            };
            return CommandFailure::Invalid { field: Some("action".into()), message };
        }
        // The description starts with the property path, e.g. `connectorId: expected an integer`.
        let field = e
            .description
            .split_once(": ")
            .map(|(path, _)| path.to_string())
            .filter(|p| !p.contains(' ') && !p.is_empty())
            .map(|p| format!("payload.{p}"));
        CommandFailure::Invalid { field: field.or(Some("payload".into())), message: e.description }
    })
}

impl Gateway {
    /// Validates and sends a command on behalf of `requested_by`, and waits for its answer.
    pub async fn command(
        &self,
        requested_by: &str,
        station: &StationId,
        action: &str,
        payload: Value,
    ) -> Result<CommandReport, CommandFailure> {
        let request = validate(action, &payload)?;
        let started = tokio::time::Instant::now();
        let (command_id, watch, result) = self.call_recorded(requested_by, station, &request, payload).await;
        let answer = result?;
        Ok(CommandReport {
            command_id,
            action: action.to_string(),
            answer,
            latency_ms: started.elapsed().as_millis() as u64,
            started: watch,
        })
    }

    /// Before a call goes out: an accepted RemoteStartTransaction must find its session even if the
    /// station sends StartTransaction right after its answer, so the watch is set before the call is sent.
    pub(super) fn before_call(
        &self,
        station: &StationId,
        request: Option<&CentralSystemRequest>,
        command_id: Option<i64>,
    ) -> Option<oneshot::Receiver<TransactionId>> {
        let Some(CentralSystemRequest::RemoteStartTransaction(r)) = request else { return None };
        let tag = IdTag::parse(&r.id_tag).ok()?;
        let connector = r.connector_id.and_then(|c| u32::try_from(c).ok());
        Some(self.inner.services.remote_starts().watch(station, connector, tag, command_id))
    }

    /// After a call was answered: keeps what the answer tells about the station.
    pub(super) async fn after_answer(
        &self,
        station: &StationId,
        request: Option<&CentralSystemRequest>,
        command_id: Option<i64>,
        answer: &Value,
    ) -> Result<(), StoreError> {
        let store = self.inner.services.store();
        let now = chrono::Utc::now();
        match request {
            Some(CentralSystemRequest::GetConfiguration(_)) => {
                let Ok(conf) = v16::decode_response::<v16::GetConfigurationResponse>(answer) else {
                    tracing::warn!(station = %station, "GetConfiguration answer that does not fit OCPP 1.6: not stored");
                    return Ok(());
                };
                let keys: Vec<ConfigKey> = conf
                    .configuration_key
                    .unwrap_or_default()
                    .into_iter()
                    .map(|k| ConfigKey { key: k.key, value: k.value, readonly: k.readonly })
                    .collect();
                store.store_configuration(station, &keys, now).await?;
                // --- local authorization list sync ---
                // The keys may tell that the station supports local lists (or their sizes): look again.
                self.local_list_changed(station);
                Ok(())
            }
            Some(CentralSystemRequest::ChangeConfiguration(r)) => {
                let status = v16::decode_response::<v16::ChangeConfigurationResponse>(answer).map(|c| c.status);
                if let Ok(v16::ConfigurationStatus::Accepted | v16::ConfigurationStatus::RebootRequired) = status {
                    store.set_configuration_value(station, &r.key, &r.value, now).await?;
                }
                Ok(())
            }
            Some(CentralSystemRequest::RemoteStartTransaction(_)) => {
                let status = v16::decode_response::<v16::RemoteStartTransactionResponse>(answer).map(|c| c.status);
                if !matches!(status, Ok(v16::RemoteStartStopStatus::Accepted))
                    && let Some(command) = command_id
                {
                    self.inner.services.remote_starts().cancel(station, command);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Applies the operator's default configuration to a station: one ChangeConfiguration per key, in order,
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
            let payload = json!({ "key": key, "value": value });
            let result = match self.command(requested_by, station, "ChangeConfiguration", payload).await {
                Ok(report) => match v16::decode_response::<v16::ChangeConfigurationResponse>(&report.answer) {
                    Ok(conf) => conf.status.as_str().to_string(),
                    Err(_) => "invalid-answer".to_string(),
                },
                Err(CommandFailure::Invalid { message, .. }) => format!("invalid: {message}"),
                Err(CommandFailure::Command(e)) => outcome_name(&e).to_string(),
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

/// Whether a recorded default result is the station's own answer (OCPP 1.6 §7.8 ConfigurationStatus).
fn is_station_answer(result: &str) -> bool {
    matches!(result, "Accepted" | "Rejected" | "RebootRequired" | "NotSupported")
}

/// The history's name for how a command ended without a CALLRESULT.
pub fn outcome_name(e: &CommandError) -> &'static str {
    match e {
        CommandError::Offline => "offline",
        CommandError::QueueFull => "queue-full",
        CommandError::Timeout(_) => "timeout",
        CommandError::CallError { .. } => "call-error",
        CommandError::Disconnected => "disconnected",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(action: &str, payload: Value) -> (Option<String>, String) {
        match validate(action, &payload) {
            Err(CommandFailure::Invalid { field, message }) => (field, message),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn valid_commands_pass() {
        assert!(validate("Reset", &json!({"type": "Hard"})).is_ok());
        assert!(validate("GetConfiguration", &json!({})).is_ok());
        assert!(validate("RemoteStartTransaction", &json!({"idTag": "TAG", "connectorId": 1})).is_ok());
    }

    #[test]
    fn the_field_at_fault_is_named() {
        let (field, message) = invalid("Reset", json!({"type": "Medium"}));
        assert_eq!(field.as_deref(), Some("payload.type"), "{message}");
        let (field, _) = invalid("RemoteStartTransaction", json!({"idTag": "TAG", "connectorId": 0}));
        assert_eq!(field.as_deref(), Some("payload.connectorId"));
        let (field, _) = invalid("ChangeConfiguration", json!({"key": "K"}));
        assert_eq!(field.as_deref(), Some("payload.value"));
    }

    #[test]
    fn actions_that_are_not_commands_are_refused() {
        let (field, message) = invalid("BootNotification", json!({}));
        assert_eq!(field.as_deref(), Some("action"));
        assert!(message.contains("sent by stations"), "{message}");
        let (_, message) = invalid("reset", json!({"type": "Hard"}));
        assert!(message.contains("not an OCPP 1.6 action"), "{message}");
    }
}
