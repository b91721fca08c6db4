//! A station's configuration keys (OCPP 1.6 §5.8 GetConfiguration, §5.3 ChangeConfiguration), the
//! operator's default configuration, applying it to a station now, and the operator's settings.

use joule_core::command::{Outcome, SettingKey, StationCommand};
use joule_core::operator::OperatorSettings;
use joule_core::{OperatorId, StationId};
use joule_store::{DefaultResult, StoredConfigKey};

use super::Operations;
use crate::audit::{self, Entry};
use crate::{Actor, AppError, AppResult, CommandReport, Permission};

/// What reading the configuration from a station gave.
#[derive(Debug, Clone)]
pub struct ConfigurationRead {
    /// Every stored key after the read, by key.
    pub configuration: Vec<StoredConfigKey>,
    /// Keys asked for that the station does not know.
    pub unknown_keys: Vec<String>,
    pub command_id: Option<i64>,
}

/// The station's answer to a change of one key.
#[derive(Debug, Clone)]
pub struct ConfigurationChange {
    /// Accepted, Rejected, RebootRequired or NotSupported (empty if the answer carried none).
    pub status: String,
    pub command_id: Option<i64>,
}

impl Operations<'_> {
    /// Sends a command to the actor's station (found with [`Operations::station`]) as the actor, and
    /// answers with the station's report; a command that did not get an answer is [`AppError::Command`].
    pub async fn send(&self, actor: &Actor, station: &StationId, command: StationCommand) -> AppResult<CommandReport> {
        actor.require(Permission::Operate)?;
        Ok(self.app.stations().send(actor.name(), station, command).await?)
    }

    /// Sends an OCPP action given by name with its payload in the station's version (validated by the
    /// station's version adapter first), as the actor.
    pub async fn send_raw(
        &self,
        actor: &Actor,
        station: &StationId,
        action: &str,
        payload: serde_json::Value,
    ) -> AppResult<CommandReport> {
        actor.require(Permission::Operate)?;
        Ok(self.app.stations().send_raw(actor.name(), station, action, payload).await?)
    }

    /// The configuration keys of the actor's station as last read from it, by key.
    pub async fn configuration(&self, actor: &Actor, station: &str) -> AppResult<Vec<StoredConfigKey>> {
        let (id, _) = self.station(actor, station).await?;
        Ok(self.app.db().configuration(&id).await?)
    }

    /// Reads `keys` (all when empty) from the station and stores them. A failure of the command is
    /// [`AppError::Command`].
    pub async fn refresh_configuration(
        &self,
        actor: &Actor,
        station: &str,
        keys: Vec<String>,
    ) -> AppResult<ConfigurationRead> {
        actor.require(Permission::Operate)?;
        let (id, _) = self.station(actor, station).await?;
        let read = StationCommand::ReadSettings { keys: keys.into_iter().map(SettingKey::Configuration).collect() };
        let report = self.app.stations().send(actor.name(), &id, read).await?;
        let unknown_keys = match &report.outcome {
            Ok(Outcome::Settings(read)) => read.unknown.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        };
        let configuration = self.app.db().configuration(&id).await?;
        Ok(ConfigurationRead { configuration, unknown_keys, command_id: report.command_id })
    }

    /// Changes one key on the station; the stored value follows on Accepted and RebootRequired.
    pub async fn change_configuration(
        &self,
        actor: &Actor,
        station: &str,
        key: &str,
        value: &str,
    ) -> AppResult<ConfigurationChange> {
        actor.require(Permission::Operate)?;
        let (id, _) = self.station(actor, station).await?;
        let change =
            StationCommand::ChangeSetting { key: SettingKey::Configuration(key.to_string()), value: value.to_string() };
        let report = self.app.stations().send(actor.name(), &id, change).await?;
        let status =
            report.outcome.as_ref().ok().and_then(Outcome::status).map(|s| s.name().to_string()).unwrap_or_default();
        Ok(ConfigurationChange { status, command_id: report.command_id })
    }

    /// What applying the operator's default configuration to the station gave, by key.
    pub async fn default_results(&self, actor: &Actor, station: &str) -> AppResult<Vec<DefaultResult>> {
        let (id, _) = self.station(actor, station).await?;
        Ok(self.app.db().default_results(&id).await?)
    }

    /// Applies the operator's default configuration to the station now, every key (see
    /// [`super::defaults::apply`]).
    pub async fn apply_defaults(&self, actor: &Actor, station: &str) -> AppResult<Vec<DefaultResult>> {
        actor.require(Permission::ApplyDefaults)?;
        let (id, station) = self.station(actor, station).await?;
        let stations = self.app.stations();
        Ok(super::defaults::apply(&**self.app.db(), &**stations, &id, station.operator_id, actor.name(), false).await?)
    }

    /// The operator's default configuration, in the order it is applied.
    pub async fn defaults(&self, actor: &Actor, operator: OperatorId) -> AppResult<Vec<(String, String)>> {
        actor.require(Permission::Read)?;
        Ok(self.app.db().operator_defaults(operator).await?)
    }

    /// Replaces the operator's default configuration (an empty list clears it). Each key has 1 to 50
    /// characters and each value at most 500 (OCPP 1.6 §6.9 ChangeConfiguration.req: key CiString50, value
    /// CiString500), and no key is given twice; the field at fault is `[i].key` or `[i].value`.
    pub async fn set_defaults(&self, actor: &Actor, operator: OperatorId, keys: &[(String, String)]) -> AppResult<()> {
        actor.require(Permission::Administer)?;
        for (i, (key, value)) in keys.iter().enumerate() {
            if key.is_empty() || key.len() > 50 {
                return Err(AppError::invalid(format!("[{i}].key"), "a configuration key has 1 to 50 characters"));
            }
            if value.len() > 500 {
                return Err(AppError::invalid(format!("[{i}].value"), "a value has at most 500 characters"));
            }
            if keys[..i].iter().any(|(other, _)| other == key) {
                return Err(AppError::invalid(format!("[{i}].key"), format!("{key} is given twice")));
            }
        }
        Ok(self.app.db().set_operator_defaults(operator, keys).await?)
    }

    /// The operator's settings (the defaults until an admin changes them).
    pub async fn settings(&self, actor: &Actor, operator: OperatorId) -> AppResult<OperatorSettings> {
        actor.require(Permission::Read)?;
        Ok(self.app.db().operator_settings(operator).await?)
    }

    /// Changes the operator's settings: a setting left out (`None`) keeps its value; one out of range is
    /// `Invalid` naming it. Audited (`operator.settings`) with the settings before and after.
    pub async fn set_settings(
        &self,
        actor: &Actor,
        operator: OperatorId,
        service_level_days: Option<i64>,
        offline_after_minutes: Option<i64>,
    ) -> AppResult<OperatorSettings> {
        actor.require(Permission::Administer)?;
        let db = self.app.db();
        let before = db.operator_settings(operator).await?;
        let days = match service_level_days {
            Some(d) => number("service_level_days", d)?,
            None => before.service_level_days(),
        };
        let minutes = match offline_after_minutes {
            Some(m) => number("offline_after_minutes", m)?,
            None => before.offline_after_minutes(),
        };
        let wanted = OperatorSettings::new(days, minutes).map_err(|e| AppError::invalid(e.field, e.message))?;
        let after = db.set_operator_settings(operator, &wanted, chrono::Utc::now()).await?;
        let entry = Entry {
            action: "operator.settings",
            subject: format!("operator:{operator}"),
            before: Some(snapshot(before)),
            after: Some(snapshot(after)),
        };
        // For the operator changed (the actor's own, or any for the command line).
        audit::record_as(&**db, actor.name(), Some(operator), chrono::Utc::now(), entry).await;
        Ok(after)
    }
}

/// The settings as the audit log shows them (the API's view of them).
fn snapshot(s: OperatorSettings) -> serde_json::Value {
    serde_json::json!({
        "service_level_days": s.service_level_days(),
        "offline_after_minutes": s.offline_after_minutes(),
    })
}

/// A number of the request as `u32`, or `Invalid` naming the field (the range itself is the core's to check).
fn number(field: &str, value: i64) -> AppResult<u32> {
    u32::try_from(value).map_err(|_| AppError::invalid(field, format!("{value} is not a valid number of {field}")))
}
