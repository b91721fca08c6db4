//! What Joule learns from a station's answers, whatever asked for the command (the REST API, the CLI
//! through it, Joule itself), read in the vocabulary's terms so that every version's adapter gets the same
//! effects:
//!
//! - settings read (1.6 GetConfiguration, §5.8): the keys reported are stored with their readonly flag and
//!   the time they were read;
//! - a setting changed, Accepted or RebootRequired (1.6 ChangeConfiguration, §5.3): the stored value
//!   becomes the new one;
//! - a request to start, Accepted (1.6 RemoteStartTransaction, §5.11): the session the station then starts
//!   is linked to the command (see [`joule_app::charging::remote_start`]); the watch is set before the call
//!   goes out.

use joule_app::UnreadableAnswer;
use joule_core::command::{CommandStatus, Outcome, StationCommand};
use joule_core::{SessionId, StationId};
use joule_store::{ConfigKey, StoreError};
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
}
