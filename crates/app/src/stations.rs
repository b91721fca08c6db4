//! The `Stations` port: how use cases ask something of a station, and hear its answer, without knowing the
//! OCPP version it speaks or where it is connected.
//!
//! A use case sends a typed [`StationCommand`] and gets a [`CommandReport`] with the typed [`Outcome`], or
//! exactly one [`CommandFailure`]. Every command, whoever asked for it, goes to the station's command
//! history with who asked, and the effects of its answer are kept the same way everywhere (settings read
//! are stored, an accepted setting change updates the stored value, an accepted remote start waits for its
//! session).
//!
//! The expert pass-through ([`Stations::send_raw`]) is the one path that takes an action name and a
//! payload: in the station's own version, validated by that version as a station would, through the same
//! history and effects (a pass-through the adapter understands is typed, so it has the same effects as
//! the typed command).

use async_trait::async_trait;
use joule_core::command::CallErrorCode;
use joule_core::command::{ChargingProfile, CommandKind, KnownSetting, OcppVersion, Outcome, StationCommand};
use joule_core::{SessionId, StationId};
use serde_json::Value;
use tokio::sync::oneshot;

/// A command the station answered.
#[derive(Debug)]
pub struct CommandReport {
    /// Its entry in the station's command history (`None` only if the history could not be written).
    pub command_id: Option<i64>,
    /// The action it went out as, in the station's version (the history's and the API's name for it).
    pub action: String,
    /// The station's answer as it came (the CALLRESULT payload).
    pub answer: Value,
    /// From asking to the answer, queueing included.
    pub latency_ms: u64,
    /// The answer read in the vocabulary's terms; an answer that does not fit the station's version (or a
    /// pass-through the adapter does not understand) is [`UnreadableAnswer`].
    pub outcome: Result<Outcome, UnreadableAnswer>,
    /// For an accepted request to start a session: receives the transaction id once the station starts it.
    pub started: Option<oneshot::Receiver<SessionId>>,
}

/// An answer that could not be read as an [`Outcome`]: why, for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnreadableAnswer(pub String);

/// Why a command was not answered. The API maps each to its own status (400, 409, 429, 504, 502, 502).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandFailure {
    /// The command cannot be sent to this station (an action its version does not have, a payload that
    /// does not fit it, a value its version cannot carry): nothing was sent and nothing recorded.
    #[error("{message}")]
    Invalid {
        /// The property at fault: a path into the payload (`payload.chargingProfile.stackLevel`) for a
        /// pass-through, the command's own property (`transaction_id`, `key`) for a typed command.
        field: Option<String>,
        message: String,
    },
    #[error("the station is not connected")]
    Offline,
    #[error("too many commands are waiting for this station")]
    QueueFull,
    #[error("the station did not answer within {secs} s")]
    Timeout { secs: u64 },
    /// The station answered with a CALLERROR.
    #[error("the station answered with CALLERROR {code}: {description}")]
    CallError { code: CallErrorCode, description: String },
    #[error("the station disconnected before answering")]
    Disconnected,
}

impl CommandFailure {
    /// The command history's name for how a command ended without an answer.
    pub fn outcome_name(&self) -> &'static str {
        match self {
            CommandFailure::Invalid { .. } => "invalid",
            CommandFailure::Offline => "offline",
            CommandFailure::QueueFull => "queue-full",
            CommandFailure::Timeout { .. } => "timeout",
            CommandFailure::CallError { .. } => "call-error",
            CommandFailure::Disconnected => "disconnected",
        }
    }

    /// Whether the station says it has no such feature (a CALLERROR NotSupported or NotImplemented).
    pub fn refuses_feature(&self) -> bool {
        matches!(self, CommandFailure::CallError { code, .. } if code.refuses_feature())
    }

    /// Whether the command never left (the station was not connected or its queue was full): the station
    /// holds what it held.
    pub fn not_sent(&self) -> bool {
        matches!(self, CommandFailure::Invalid { .. } | CommandFailure::Offline | CommandFailure::QueueFull)
    }
}

/// A command as it goes on the wire to a station: its action and payload in the station's version.
#[derive(Debug, Clone, PartialEq)]
pub struct WireCall {
    pub action: String,
    pub payload: Value,
}

/// A command read back from the command history (which keeps the wire form).
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub command: StationCommand,
    /// `None`: not answered (yet, or ever).
    pub outcome: Option<Result<Outcome, UnreadableAnswer>>,
}

/// A station's connection to this node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection {
    pub version: OcppVersion,
    /// Commands waiting for the one outstanding to end.
    pub queued_commands: usize,
}

/// What offline detection knows of a station's connection to this node (kept in memory by the
/// connection: any frame is traffic, and a database row per frame would cost more than the frame).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traffic {
    /// When the station was last heard from.
    pub last_heard: joule_core::Timestamp,
    /// Whether offline detection marked it silent and no frame came since.
    pub marked_silent: bool,
}

/// The one way to talk to any station.
///
/// It is also the one view of the connection registry, which stays in the gateway: which station is
/// connected to this node ([`Stations::connection`], [`Stations::connected`]) and its traffic.
#[async_trait]
pub trait Stations: Send + Sync {
    /// Sends `command` to the station on behalf of `requested_by` (`account:<e-mail>`, `token:<name>`,
    /// `system`, ...) and waits for its answer. Commands to one station go out one at a time, in order; the
    /// command and how it ended are in the station's history.
    async fn send(
        &self,
        requested_by: &str,
        station: &StationId,
        command: StationCommand,
    ) -> Result<CommandReport, CommandFailure> {
        self.send_recorded(requested_by, station, command).await.1
    }

    /// [`Stations::send`], with the command's entry in the history also when it was not answered (for a
    /// record that links to it; `None` when nothing was recorded, e.g. an invalid command).
    async fn send_recorded(
        &self,
        requested_by: &str,
        station: &StationId,
        command: StationCommand,
    ) -> (Option<i64>, Result<CommandReport, CommandFailure>);

    /// The expert pass-through: `action` and `payload` in the station's own version, validated as the
    /// station would validate them (an [`CommandFailure::Invalid`] names the property), then sent as
    /// [`Stations::send`] sends.
    async fn send_raw(
        &self,
        requested_by: &str,
        station: &StationId,
        action: &str,
        payload: Value,
    ) -> Result<CommandReport, CommandFailure>;

    /// What a pass-through stands for, without sending it: the same validation as [`Stations::send_raw`],
    /// and the typed command when the adapter understands it (so a use case can apply its own rules to it,
    /// e.g. the access rules to a request to start).
    fn interpret(
        &self,
        station: &StationId,
        action: &str,
        payload: &Value,
    ) -> Result<Option<StationCommand>, CommandFailure>;

    /// How `command` would go on the wire to the station (for records that name the action), or
    /// [`CommandFailure::Invalid`] if the station's version cannot carry it.
    fn wire(&self, station: &StationId, command: &StationCommand) -> Result<WireCall, CommandFailure>;

    /// Reads a charging profile written in the station's own version (an API that takes one as its
    /// version defines it). `Invalid` names the property path inside the profile, or none for the
    /// profile as a whole.
    fn read_charging_profile(&self, station: &StationId, profile: &Value) -> Result<ChargingProfile, CommandFailure>;

    /// The value of a known setting in the station's settings as last read from it and stored (`stored`:
    /// each setting's name, as the station gave it, and value), in the terms of [`KnownSetting`].
    fn known_setting(
        &self,
        station: &StationId,
        setting: KnownSetting,
        stored: &[(&str, Option<&str>)],
    ) -> Option<String>;

    /// The kind of command a recorded action is, as the station's adapter names actions.
    fn classify(&self, station: &StationId, action: &str) -> Option<CommandKind>;

    /// A command of the history read back: what was asked and, with its answer, what the station said.
    /// `None` for a record the adapter cannot read.
    fn recorded(&self, station: &StationId, action: &str, payload: &Value, answer: Option<&Value>) -> Option<Recorded>;

    /// The station's connection to this node, if it has one.
    fn connection(&self, station: &StationId) -> Option<Connection>;

    /// Whether the station is connected to this node.
    fn is_connected(&self, station: &StationId) -> bool {
        self.connection(station).is_some()
    }

    /// The stations connected to this node.
    fn connected(&self) -> Vec<StationId>;

    /// The traffic of the station's connection to this node, if it has one.
    fn traffic(&self, station: &StationId) -> Option<Traffic>;

    /// Offline detection marked the station (silent since `quiet_since`) out of service: its connection
    /// here, if any, tells [`Stations::heard_again`] at its next frame. A frame that came after
    /// `quiet_since` already clears the mark at once.
    fn mark_silent(&self, station: &StationId, quiet_since: joule_core::Timestamp);

    /// Resolves when a station marked silent is heard from again (or at once, if that happened since the
    /// last call).
    async fn heard_again(&self);

    /// How many commands wait for the station's outstanding one, or `None` if it is not connected here.
    fn queued_commands(&self, station: &StationId) -> Option<usize> {
        self.connection(station).map(|c| c.queued_commands)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_have_the_history_names_and_the_api_texts() {
        let all = [
            (CommandFailure::Offline, "offline", "the station is not connected"),
            (CommandFailure::QueueFull, "queue-full", "too many commands are waiting for this station"),
            (CommandFailure::Timeout { secs: 30 }, "timeout", "the station did not answer within 30 s"),
            (CommandFailure::Disconnected, "disconnected", "the station disconnected before answering"),
            (
                CommandFailure::CallError { code: CallErrorCode::NotSupported, description: "no".into() },
                "call-error",
                "the station answered with CALLERROR NotSupported: no",
            ),
        ];
        for (failure, name, text) in all {
            assert_eq!((failure.outcome_name(), failure.to_string().as_str()), (name, text));
        }
        let refused = CommandFailure::CallError { code: CallErrorCode::NotImplemented, description: String::new() };
        assert!(refused.refuses_feature());
        assert!(!CommandFailure::Timeout { secs: 1 }.refuses_feature());
        assert!(CommandFailure::QueueFull.not_sent() && !CommandFailure::Disconnected.not_sent());
    }
}
