//! The gateway as the [`Stations`] port: each command goes through the adapter of the version the station
//! speaks, then through the one path out ([`Gateway::dispatch`]).

use async_trait::async_trait;
use joule_app::{CommandFailure, CommandReport, Connection, Recorded, Stations, Traffic, WireCall};
use joule_core::StationId;
use joule_core::command::{ChargingProfile, CommandKind, KnownSetting, StationCommand};
use serde_json::Value;

use super::Gateway;
use super::adapter::{self, Adapter, Outgoing};

impl Gateway {
    /// The adapter of the version the station speaks: its connection's; a station not connected here is taken
    /// to speak the fallback version (a command to it ends as Offline anyway, after validation).
    fn adapter_of(&self, station: &StationId) -> &'static dyn Adapter {
        self.inner.registry.get(station).map(|e| e.protocol).unwrap_or_else(adapter::fallback).adapter
    }

    fn prepare(&self, station: &StationId, command: &StationCommand) -> Result<Outgoing, CommandFailure> {
        self.adapter_of(station).prepare(command)
    }

    fn prepare_raw(&self, station: &StationId, action: &str, payload: Value) -> Result<Outgoing, CommandFailure> {
        self.adapter_of(station).interpret(action, payload)
    }
}

#[async_trait]
impl Stations for Gateway {
    async fn send_recorded(
        &self,
        requested_by: &str,
        station: &StationId,
        command: StationCommand,
    ) -> (Option<i64>, Result<CommandReport, CommandFailure>) {
        match self.prepare(station, &command) {
            Ok(outgoing) => self.dispatch(requested_by, station, outgoing).await,
            Err(e) => (None, Err(e)),
        }
    }

    async fn send_raw(
        &self,
        requested_by: &str,
        station: &StationId,
        action: &str,
        payload: Value,
    ) -> Result<CommandReport, CommandFailure> {
        let outgoing = self.prepare_raw(station, action, payload)?;
        self.dispatch(requested_by, station, outgoing).await.1
    }

    fn interpret(
        &self,
        station: &StationId,
        action: &str,
        payload: &Value,
    ) -> Result<Option<StationCommand>, CommandFailure> {
        self.prepare_raw(station, action, payload.clone()).map(|o| o.command)
    }

    fn wire(&self, station: &StationId, command: &StationCommand) -> Result<WireCall, CommandFailure> {
        let outgoing = self.prepare(station, command)?;
        Ok(WireCall { action: outgoing.action().to_string(), payload: outgoing.payload })
    }

    fn read_charging_profile(&self, station: &StationId, profile: &Value) -> Result<ChargingProfile, CommandFailure> {
        self.adapter_of(station).charging_profile(profile)
    }

    fn known_setting(
        &self,
        station: &StationId,
        setting: KnownSetting,
        stored: &[(&str, Option<&str>)],
    ) -> Option<String> {
        self.adapter_of(station).known_setting(setting, stored)
    }

    fn classify(&self, station: &StationId, action: &str) -> Option<CommandKind> {
        self.adapter_of(station).classify(action)
    }

    fn recorded(&self, station: &StationId, action: &str, payload: &Value, answer: Option<&Value>) -> Option<Recorded> {
        self.adapter_of(station).recorded(action, payload, answer)
    }

    fn connection(&self, station: &StationId) -> Option<Connection> {
        self.inner.registry.get(station).map(|e| Connection {
            version: e.protocol.version,
            queued_commands: e.commands.max_capacity() - e.commands.capacity(),
        })
    }

    fn connected(&self) -> Vec<StationId> {
        self.inner.registry.ids()
    }

    fn traffic(&self, station: &StationId) -> Option<Traffic> {
        self.inner
            .registry
            .traffic(station)
            .map(|t| Traffic { last_heard: t.last_heard(), marked_silent: t.is_marked() })
    }

    fn mark_silent(&self, station: &StationId, quiet_since: joule_core::Timestamp) {
        if let Some(traffic) = self.inner.registry.traffic(station) {
            traffic.set_marked(true);
            // A frame that came between the decision and the flag would find no flag to clear: look again.
            if traffic.last_heard() > quiet_since {
                traffic.set_marked(false);
                self.inner.offline_wake.notify_one();
            }
        }
    }

    async fn heard_again(&self) {
        self.inner.offline_wake.notified().await
    }
}
