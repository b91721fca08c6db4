//! The operator's default configuration, applied to a station one setting at a time (OCPP 1.6 §5.3
//! ChangeConfiguration; its answers §7.22 ConfigurationStatus), each result recorded.

use std::sync::Arc;

use joule_core::command::{CommandStatus, Outcome, SettingKey, StationCommand};
use joule_core::{OperatorId, StationId};
use joule_store::{DefaultResult, Store, StoreError};

use crate::charging::Charging;
use crate::stations::{CommandFailure, Stations};

/// Applies the operator's default configuration to a station: one setting change per key, in order,
/// each result recorded. With `only_missing`, keys the station already answered for with the same value
/// are skipped (a key that timed out or found the station offline is tried again).
pub async fn apply(
    store: &dyn Store,
    stations: &dyn Stations,
    station: &StationId,
    operator: OperatorId,
    requested_by: &str,
    only_missing: bool,
) -> Result<Vec<DefaultResult>, StoreError> {
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
        let result = match stations.send(requested_by, station, change).await {
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

/// [`apply`] on its own task, by Joule, at most one at a time per station (a [`crate::ports::Claims`]
/// claim): after a station's accepted boot.
pub fn apply_in_background(
    charging: &Charging,
    stations: Arc<dyn Stations>,
    station: StationId,
    operator: OperatorId,
    only_missing: bool,
) {
    let (store, claims) = (charging.store().clone(), charging.claims().clone());
    tokio::spawn(async move {
        let Some(_claim) = claims.claim(&format!("defaults:{station}")) else { return };
        match apply(&*store, &*stations, &station, operator, "system", only_missing).await {
            Ok(results) if !results.is_empty() => {
                let summary: Vec<String> = results.iter().map(|r| format!("{}={}", r.key, r.result)).collect();
                tracing::info!(station = %station, results = %summary.join(", "), "default configuration applied");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(station = %station, error = %e, "could not apply the default configuration"),
        }
    });
}

/// Whether a recorded default result is the station's own answer to a setting change (OCPP 1.6 §7.22
/// ConfigurationStatus; the same in 2.0.1's SetVariableStatusEnumType).
fn is_station_answer(result: &str) -> bool {
    matches!(
        CommandStatus::from_name(result),
        CommandStatus::Accepted | CommandStatus::Rejected | CommandStatus::RebootRequired | CommandStatus::NotSupported
    )
}
