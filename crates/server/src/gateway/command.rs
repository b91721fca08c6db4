//! Calls Joule sends to a station (CSMS-initiated CALLs) and how each one ends.

use joule_app::CommandFailure;
use joule_core::command::CallErrorCode;
use ocpp::ErrorCode;
use serde_json::Value;
use tokio::sync::oneshot;

/// A CALL waiting in a connection's queue. Exactly one of the station's answer or a [`CommandFailure`]
/// ends it.
pub(crate) struct Outbound {
    pub action: String,
    pub payload: Value,
    pub reply: oneshot::Sender<Result<Value, CommandFailure>>,
}

/// A station's CALLERROR code, as the vocabulary has it (OCPP-J 1.6 §4.2.3).
pub(crate) fn call_error_code(code: ErrorCode) -> CallErrorCode {
    match code {
        ErrorCode::NotImplemented => CallErrorCode::NotImplemented,
        ErrorCode::NotSupported => CallErrorCode::NotSupported,
        ErrorCode::InternalError => CallErrorCode::InternalError,
        ErrorCode::ProtocolError => CallErrorCode::ProtocolError,
        ErrorCode::SecurityError => CallErrorCode::SecurityError,
        ErrorCode::FormationViolation => CallErrorCode::FormationViolation,
        ErrorCode::PropertyConstraintViolation => CallErrorCode::PropertyConstraintViolation,
        ErrorCode::OccurenceConstraintViolation => CallErrorCode::OccurrenceConstraintViolation,
        ErrorCode::TypeConstraintViolation => CallErrorCode::TypeConstraintViolation,
        ErrorCode::GenericError => CallErrorCode::GenericError,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_wire_names() {
        for code in ErrorCode::ALL {
            assert_eq!(call_error_code(code).as_str(), code.as_str());
        }
    }
}
