//! The OCPP 1.6J adapter: the one place that knows 1.6's actions and payloads.
//!
//! - [`inbound`]: a station's CALLs (BootNotification, StartTransaction, ...) into the [`crate::Services`].
//! - [`outbound`]: Joule's commands ([`joule_core::command::StationCommand`]) into 1.6 CALLs, a station's
//!   answers into [`joule_core::command::Outcome`]s, and the expert pass-through validated as a 1.6 station
//!   would.
//!
//! [`Adapter`] is what the connection and the `Stations` port call, registered for the `ocpp1.6`
//! subprotocol (OCPP-J 1.6 §3.1.2) in [`super::adapter::PROTOCOLS`].

pub(crate) mod inbound;
pub(crate) mod outbound;

use async_trait::async_trait;
use joule_app::{CommandFailure, Recorded, UnreadableAnswer};
use joule_core::auth::AuthorizationStatus;
use joule_core::command::{ChargingProfile, CommandKind, KnownSetting, Outcome, StationCommand};
use joule_core::station::{ChargingState, ConnectorState, ConnectorStatus};
use ocpp::v16;
use ocpp::{Call, Frame};
use serde_json::Value;

use super::adapter::{self, Context, Outgoing, PreparedCall};

/// The OCPP 1.6J adapter.
pub(crate) struct Adapter;

impl Adapter {
    fn outgoing(prepared: outbound::Prepared) -> Outgoing {
        Outgoing::new(prepared.payload, prepared.command, Box::new(prepared.request))
    }
}

#[async_trait]
impl adapter::Adapter for Adapter {
    async fn handle(&self, ctx: &Context<'_>, call: Call) -> Frame {
        inbound::handle(ctx, call).await
    }

    fn prepare(&self, command: &StationCommand) -> Result<Outgoing, CommandFailure> {
        outbound::prepare(command).map(Self::outgoing)
    }

    fn interpret(&self, action: &str, payload: Value) -> Result<Outgoing, CommandFailure> {
        outbound::interpret(action, payload).map(Self::outgoing)
    }

    fn charging_profile(&self, profile: &Value) -> Result<ChargingProfile, CommandFailure> {
        outbound::charging_profile(profile)
    }

    fn known_setting(&self, setting: KnownSetting, stored: &[(&str, Option<&str>)]) -> Option<String> {
        outbound::known_setting(setting, stored)
    }

    fn classify(&self, action: &str) -> Option<CommandKind> {
        outbound::classify(action)
    }

    fn recorded(&self, action: &str, payload: &Value, answer: Option<&Value>) -> Option<Recorded> {
        outbound::recorded(action, payload, answer)
    }
}

/// A 1.6 CALL of Joule's, read back against its own request.
impl PreparedCall for v16::CentralSystemRequest {
    fn action(&self) -> &'static str {
        v16::CentralSystemRequest::action(self)
    }

    fn outcome(&self, answer: &Value) -> Result<Outcome, UnreadableAnswer> {
        outbound::outcome(self, answer)
    }
}

/// OCPP 1.6 §7.2, both ways (the values are the domain's).
pub(crate) fn authorization_status(status: AuthorizationStatus) -> v16::AuthorizationStatus {
    match status {
        AuthorizationStatus::Accepted => v16::AuthorizationStatus::Accepted,
        AuthorizationStatus::Blocked => v16::AuthorizationStatus::Blocked,
        AuthorizationStatus::Expired => v16::AuthorizationStatus::Expired,
        AuthorizationStatus::Invalid => v16::AuthorizationStatus::Invalid,
        AuthorizationStatus::ConcurrentTx => v16::AuthorizationStatus::ConcurrentTx,
    }
}

pub(crate) fn authorization_from(status: &v16::AuthorizationStatus) -> AuthorizationStatus {
    match status {
        v16::AuthorizationStatus::Accepted => AuthorizationStatus::Accepted,
        v16::AuthorizationStatus::Blocked => AuthorizationStatus::Blocked,
        v16::AuthorizationStatus::Expired => AuthorizationStatus::Expired,
        v16::AuthorizationStatus::Invalid => AuthorizationStatus::Invalid,
        v16::AuthorizationStatus::ConcurrentTx => AuthorizationStatus::ConcurrentTx,
    }
}

/// A 1.6 connector's place in the device model both versions share (OCPP 2.0.1 Part 1 §2): 1.6 has no EVSEs,
/// each connector N ≥ 1 being a charging point of its own, so connector N is EVSE N with its connector 1,
/// and connector 0 (the whole station, 1.6 §4.9) is EVSE 0. Joule keys a connector's status by the 1.6
/// connector id, so this gives the EVSE id to store beside it.
pub(crate) fn evse_of_connector(connector_id: u32) -> u32 {
    connector_id
}

/// A 1.6 status (§7.7 ChargePointStatus) in the words both versions share (2.0.1 ConnectorStatusEnumType and,
/// for a connector in use, ChargingStateEnumType), keeping the 1.6 name as reported. The mapping is the one
/// of the OCPP 2.0.1 specification's migration notes: Preparing, Charging, SuspendedEV, SuspendedEVSE and
/// Finishing are all Occupied; what a 1.6 station tells beyond that is the charging state. A value 1.6 does
/// not define is kept as reported and counts as Unavailable: Joule does not offer what it cannot read.
pub(crate) fn connector_status(status: &v16::ChargePointStatus) -> ConnectorStatus {
    use v16::ChargePointStatus as S;
    let (state, charging) = match status {
        S::Available => (ConnectorState::Available, None),
        // A tag was presented or a cable plugged in, no energy yet (§7.7).
        S::Preparing => (ConnectorState::Occupied, Some(ChargingState::EvConnected)),
        S::Charging => (ConnectorState::Occupied, Some(ChargingState::Charging)),
        S::SuspendedEV => (ConnectorState::Occupied, Some(ChargingState::SuspendedEv)),
        S::SuspendedEVSE => (ConnectorState::Occupied, Some(ChargingState::SuspendedEvse)),
        // The transaction ended, the cable is still in (§7.7).
        S::Finishing => (ConnectorState::Occupied, Some(ChargingState::EvConnected)),
        S::Reserved => (ConnectorState::Reserved, None),
        S::Unavailable => (ConnectorState::Unavailable, None),
        S::Faulted => (ConnectorState::Faulted, None),
        S::Other(_) => (ConnectorState::Unavailable, None),
    };
    ConnectorStatus::reported(state, charging, status.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_into_the_2_0_1_states_keeping_the_1_6_name() {
        let read = |s: &str| connector_status(&serde_json::from_value(serde_json::json!(s)).unwrap());
        let charging = read("Charging");
        assert_eq!((charging.state, charging.as_str()), (ConnectorState::Occupied, "Charging"));
        assert!(charging.is_charging());
        for s in ["Preparing", "SuspendedEV", "SuspendedEVSE", "Finishing"] {
            let st = read(s);
            assert_eq!(st.state, ConnectorState::Occupied, "{s}");
            assert!(!st.is_charging(), "{s}");
            assert_eq!(st.as_str(), s);
        }
        assert!(read("Available").is_available());
        assert_eq!(read("Reserved").state, ConnectorState::Reserved);
        assert_eq!(read("Faulted").state, ConnectorState::Faulted);
        let odd = read("Occupied");
        assert_eq!((odd.state, odd.as_str()), (ConnectorState::Unavailable, "Occupied"), "not a 1.6 value");
    }

    #[test]
    fn a_connector_is_an_evse_of_its_own() {
        assert_eq!(evse_of_connector(0), 0, "the station as a whole");
        assert_eq!(evse_of_connector(3), 3);
    }
}
