//! Calls Joule sends to a station (CSMS-initiated CALLs) and how each one ends.

use ocpp::ErrorCode;
use serde_json::Value;
use tokio::sync::oneshot;

/// A CALL waiting in a connection's queue.
pub(crate) struct Outbound {
    pub action: String,
    pub payload: Value,
    pub reply: oneshot::Sender<Result<Value, CommandError>>,
}

/// How a command that did not get a CALLRESULT ended. Exactly one of these, or the station's answer, ends
/// every command.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CommandError {
    #[error("the station is not connected")]
    Offline,
    #[error("too many commands are waiting for this station")]
    QueueFull,
    #[error("the station did not answer within {0} s")]
    Timeout(u64),
    #[error("the station answered with CALLERROR {code}: {description}")]
    CallError { code: ErrorCode, description: String },
    #[error("the station disconnected before answering")]
    Disconnected,
}
