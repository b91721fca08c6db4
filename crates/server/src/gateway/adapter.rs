//! The OCPP versions Joule speaks, each with the adapter that alone knows its wire.
//!
//! OCPP-J §3.1 (subprotocol negotiation): a station names the versions it speaks in `Sec-WebSocket-Protocol`
//! and the server picks one; the connection then runs that version's [`Adapter`] for the station's CALLs and
//! for the answers to Joule's own. A version joins by a row in [`PROTOCOLS`] and an adapter module beside
//! `v16/`; neither the handshake, the connection nor the [`joule_app::Stations`] port changes.

use async_trait::async_trait;
use joule_app::charging::Charging;
use joule_app::{CommandFailure, Recorded, UnreadableAnswer};
use joule_core::command::{ChargingProfile, CommandKind, KnownSetting, OcppVersion, Outcome, StationCommand};
use joule_core::{OperatorId, StationId};
use ocpp::{Call, Frame};
use serde_json::Value;

use super::{Gateway, v16};
use crate::events::{LiveEvent, LiveEventKind};

/// A version Joule speaks: the subprotocol that names it and the adapter that speaks it.
pub(crate) struct Protocol {
    pub version: OcppVersion,
    /// The subprotocol as the version's OCPP-J specification names it (OCPP-J 1.6 §3.1.2: `ocpp1.6`).
    pub subprotocol: &'static str,
    /// Other names stations are known to offer for it, accepted and echoed back as offered so the station's
    /// client accepts the answer (`ocpp1.6j`).
    pub aliases: &'static [&'static str],
    pub adapter: &'static dyn Adapter,
}

impl Protocol {
    /// Whether a subprotocol a station offered names this version (case-insensitively: stations vary).
    pub fn answers_to(&self, offered: &str) -> bool {
        offered.eq_ignore_ascii_case(self.subprotocol) || self.aliases.iter().any(|a| offered.eq_ignore_ascii_case(a))
    }
}

/// Every version Joule speaks. Only the versions listed here are offered at the handshake: OCPP 2.0.1
/// (`ocpp2.0.1`) is refused until its adapter is registered.
pub(crate) static PROTOCOLS: &[Protocol] =
    &[Protocol { version: OcppVersion::V16, subprotocol: "ocpp1.6", aliases: &["ocpp1.6j"], adapter: &v16::Adapter }];

/// The version a station is served in when it names none (tolerated unless subprotocols are required) and
/// taken to speak when it is not connected here: OCPP 1.6, the version stations spoke before OCPP-J required
/// the header.
pub(crate) fn fallback() -> &'static Protocol {
    of(OcppVersion::V16)
}

/// The registered protocol of `version`.
pub(crate) fn of(version: OcppVersion) -> &'static Protocol {
    PROTOCOLS
        .iter()
        .find(|p| p.version == version)
        // Every `OcppVersion` is one Joule speaks; a version without an adapter has no variant.
        .unwrap_or(&PROTOCOLS[0])
}

/// The first subprotocol in the station's list that names a version Joule speaks: RFC 6455 §4.1 has the
/// client list them in its order of preference, and OCPP-J §3.1 leaves the choice to the server.
pub(crate) fn select<'a>(offered: &[&'a str]) -> Option<(&'a str, &'static Protocol)> {
    offered.iter().find_map(|o| PROTOCOLS.iter().find(|p| p.answers_to(o)).map(|p| (*o, p)))
}

/// The subprotocols Joule speaks, as a refusal names them (`ocpp1.6`).
pub(crate) fn spoken() -> String {
    PROTOCOLS.iter().map(|p| p.subprotocol).collect::<Vec<_>>().join(", ")
}

/// What a connection knows of its station, for the adapter to serve its CALLs with.
pub(crate) struct Context<'a> {
    pub services: &'a Charging,
    pub gateway: &'a Gateway,
    pub station_id: StationId,
    pub operator_id: OperatorId,
}

impl Context<'_> {
    /// Publishes a live event about this station (built only if someone listens).
    pub fn publish(&self, kind: impl FnOnce() -> LiveEventKind) {
        self.services.events().publish(|| LiveEvent {
            operator_id: self.operator_id,
            station_id: self.station_id.clone(),
            at: chrono::Utc::now(),
            kind: kind(),
        });
    }
}

/// One OCPP version's translation between the wire and Joule: what the connection and the
/// [`joule_app::Stations`] port ask of it. It translates and holds no business rules.
#[async_trait]
pub(crate) trait Adapter: Send + Sync {
    /// Answers a station's CALL with a CALLRESULT or CALLERROR.
    async fn handle(&self, ctx: &Context<'_>, call: Call) -> Frame;

    /// A typed command as this version's CALL.
    fn prepare(&self, command: &StationCommand) -> Result<Outgoing, CommandFailure>;

    /// An expert's pass-through, validated as a station of this version would, with the command it stands for.
    fn interpret(&self, action: &str, payload: Value) -> Result<Outgoing, CommandFailure>;

    /// A charging profile written in this version's words.
    fn charging_profile(&self, profile: &Value) -> Result<ChargingProfile, CommandFailure>;

    /// What the station's stored configuration (key and value) says of a known setting.
    fn known_setting(&self, setting: KnownSetting, stored: &[(&str, Option<&str>)]) -> Option<String>;

    /// The kind of command an action of this version is.
    fn classify(&self, action: &str) -> Option<CommandKind>;

    /// A recorded command of this version read back, with its answer when there is one.
    fn recorded(&self, action: &str, payload: &Value, answer: Option<&Value>) -> Option<Recorded>;
}

/// A CALL prepared by an adapter: it knows its action and how to read the station's answer to it.
pub(crate) trait PreparedCall: Send + Sync {
    fn action(&self) -> &'static str;
    fn outcome(&self, answer: &Value) -> Result<Outcome, UnreadableAnswer>;
}

/// A command on its way to a station, in the station's version.
pub(crate) struct Outgoing {
    /// The payload as it goes on the wire.
    pub payload: Value,
    /// What it stands for (settings named as the version names them), when the adapter understands it.
    pub command: Option<StationCommand>,
    call: Box<dyn PreparedCall>,
}

impl Outgoing {
    pub fn new(payload: Value, command: Option<StationCommand>, call: Box<dyn PreparedCall>) -> Outgoing {
        Outgoing { payload, command, call }
    }

    /// The action it goes out as.
    pub fn action(&self) -> &'static str {
        self.call.action()
    }

    /// The station's answer, read.
    pub fn outcome(&self, answer: &Value) -> Result<Outcome, UnreadableAnswer> {
        self.call.outcome(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_is_served_in_the_first_version_it_offers_that_joule_speaks() {
        let (name, p) = select(&["ocpp2.0.1", "OCPP1.6J", "ocpp1.6"]).expect("1.6 offered");
        assert_eq!((name, p.version), ("OCPP1.6J", OcppVersion::V16), "echoed as offered");
        assert!(select(&["ocpp2.0.1"]).is_none(), "2.0.1 has no adapter yet");
        assert!(select(&["ocpp1.5", "ocpp1.6x"]).is_none());
        assert_eq!(spoken(), "ocpp1.6");
    }

    #[test]
    fn every_version_has_its_row() {
        assert_eq!(of(OcppVersion::V16).subprotocol, "ocpp1.6");
        assert_eq!(fallback().version, OcppVersion::V16);
    }
}
