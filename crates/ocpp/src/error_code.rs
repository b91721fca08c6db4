use std::fmt;

/// CALLERROR error codes, OCPP-J 1.6 §4.2.3 (table "Valid Error Codes").
///
/// The spelling `OccurenceConstraintViolation` (one "r") is the specification's own and is what stations
/// expect on the wire; 2.0.1 renamed it, so both spellings are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Requested action is not known by the receiver.
    NotImplemented,
    /// Requested action is recognised but not supported by the receiver.
    NotSupported,
    /// An internal error occurred and the receiver was not able to process the requested action.
    InternalError,
    /// Payload for the action is incomplete.
    ProtocolError,
    /// During the processing of the action a security issue occurred.
    SecurityError,
    /// Payload is syntactically incorrect or does not conform to the PDU structure of the action.
    FormationViolation,
    /// Payload is syntactically correct but at least one field contains an invalid value.
    PropertyConstraintViolation,
    /// Payload is syntactically correct but at least one field violates occurrence constraints.
    OccurenceConstraintViolation,
    /// Payload is syntactically correct but at least one field violates data type constraints.
    TypeConstraintViolation,
    /// Any other error not covered by the above.
    GenericError,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::NotImplemented,
        ErrorCode::NotSupported,
        ErrorCode::InternalError,
        ErrorCode::ProtocolError,
        ErrorCode::SecurityError,
        ErrorCode::FormationViolation,
        ErrorCode::PropertyConstraintViolation,
        ErrorCode::OccurenceConstraintViolation,
        ErrorCode::TypeConstraintViolation,
        ErrorCode::GenericError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotImplemented => "NotImplemented",
            ErrorCode::NotSupported => "NotSupported",
            ErrorCode::InternalError => "InternalError",
            ErrorCode::ProtocolError => "ProtocolError",
            ErrorCode::SecurityError => "SecurityError",
            ErrorCode::FormationViolation => "FormationViolation",
            ErrorCode::PropertyConstraintViolation => "PropertyConstraintViolation",
            ErrorCode::OccurenceConstraintViolation => "OccurenceConstraintViolation",
            ErrorCode::TypeConstraintViolation => "TypeConstraintViolation",
            ErrorCode::GenericError => "GenericError",
        }
    }

    /// Reads a code from the wire. Unknown codes (vendors invent some) become `GenericError`, and the
    /// 2.0.1 spellings (`FormatViolation`, `OccurrenceConstraintViolation`) are accepted.
    pub fn parse_lenient(s: &str) -> ErrorCode {
        match s {
            "FormatViolation" => ErrorCode::FormationViolation,
            "OccurrenceConstraintViolation" => ErrorCode::OccurenceConstraintViolation,
            _ => ErrorCode::ALL.into_iter().find(|c| c.as_str() == s).unwrap_or(ErrorCode::GenericError),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
