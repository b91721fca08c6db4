//! OCPP-J RPC framing, OCPP-J 1.6 §4: `[2, id, action, payload]` (CALL), `[3, id, payload]` (CALLRESULT),
//! `[4, id, code, description, details]` (CALLERROR).

use serde_json::{Map, Value};

use crate::ErrorCode;

/// Maximum length of a message id, OCPP-J 1.6 §4.1.4 ("maximum of 36 characters").
pub const MAX_MESSAGE_ID_LEN: usize = 36;

/// The unique id of a CALL, echoed by its CALLRESULT or CALLERROR.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageId(String);

impl MessageId {
    pub fn new(id: impl Into<String>) -> MessageId {
        MessageId(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MessageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub id: MessageId,
    pub action: String,
    pub payload: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallResult {
    pub id: MessageId,
    pub payload: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    pub id: MessageId,
    pub code: ErrorCode,
    pub description: String,
    pub details: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    Call(Call),
    CallResult(CallResult),
    CallError(CallError),
}

/// Why a text is not a usable frame. `id` is the message id when it could be read: only then can the
/// receiver answer with a CALLERROR (OCPP-J 1.6 §4.2.3); otherwise the frame can only be logged and dropped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct FrameError {
    pub id: Option<MessageId>,
    /// Whether the broken frame was a CALL (only a CALL may be answered with a CALLERROR).
    pub was_call: bool,
    pub code: ErrorCode,
    pub description: String,
}

impl FrameError {
    fn new(id: Option<MessageId>, was_call: bool, code: ErrorCode, description: impl Into<String>) -> Self {
        FrameError { id, was_call, code, description: description.into() }
    }
}

impl Frame {
    /// Parses one WebSocket text message.
    pub fn parse(text: &str) -> Result<Frame, FrameError> {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                // The text is not JSON; a CALL's id may still be readable from its start, so the station
                // can be told what is wrong instead of waiting for its own timeout.
                let (was_call, id) = salvage_call_id(text);
                return Err(FrameError::new(id, was_call, ErrorCode::FormationViolation, format!("invalid JSON: {e}")));
            }
        };
        Frame::from_value(value)
    }

    pub fn from_value(value: Value) -> Result<Frame, FrameError> {
        let Value::Array(items) = value else {
            return Err(FrameError::new(None, false, ErrorCode::FormationViolation, "a frame must be a JSON array"));
        };
        let type_id = items.first().and_then(Value::as_u64);
        let was_call = type_id == Some(2);
        let id = match items.get(1) {
            Some(Value::String(s)) => Some(MessageId(s.clone())),
            _ => None,
        };
        let Some(type_id) = type_id else {
            return Err(FrameError::new(
                id,
                false,
                ErrorCode::FormationViolation,
                "the first element of a frame must be the message type number 2, 3 or 4",
            ));
        };
        let Some(id) = id else {
            return Err(FrameError::new(
                None,
                was_call,
                ErrorCode::FormationViolation,
                "the second element of a frame must be the message id, a string",
            ));
        };
        if id.0.is_empty() || id.0.chars().count() > MAX_MESSAGE_ID_LEN {
            return Err(FrameError::new(
                Some(id),
                was_call,
                ErrorCode::FormationViolation,
                format!("message id must be 1 to {MAX_MESSAGE_ID_LEN} characters"),
            ));
        }
        let mut items = items.into_iter().skip(2);
        match type_id {
            2 => {
                let (Some(action), Some(payload), None) = (items.next(), items.next(), items.next()) else {
                    return Err(FrameError::new(
                        Some(id),
                        true,
                        ErrorCode::FormationViolation,
                        "a CALL has exactly 4 elements: [2, id, action, payload]",
                    ));
                };
                let Value::String(action) = action else {
                    return Err(FrameError::new(
                        Some(id),
                        true,
                        ErrorCode::FormationViolation,
                        "the action of a CALL must be a string",
                    ));
                };
                if !payload.is_object() {
                    return Err(FrameError::new(
                        Some(id),
                        true,
                        ErrorCode::FormationViolation,
                        "the payload of a CALL must be a JSON object",
                    ));
                }
                Ok(Frame::Call(Call { id, action, payload }))
            }
            3 => {
                let (Some(payload), None) = (items.next(), items.next()) else {
                    return Err(FrameError::new(
                        Some(id),
                        false,
                        ErrorCode::FormationViolation,
                        "a CALLRESULT has exactly 3 elements: [3, id, payload]",
                    ));
                };
                if !payload.is_object() {
                    return Err(FrameError::new(
                        Some(id),
                        false,
                        ErrorCode::FormationViolation,
                        "the payload of a CALLRESULT must be a JSON object",
                    ));
                }
                Ok(Frame::CallResult(CallResult { id, payload }))
            }
            4 => {
                // Lenient: some firmware omits the details object; it defaults to {}.
                let code = items.next();
                let description = items.next();
                let details = items.next().unwrap_or_else(|| Value::Object(Map::new()));
                let (Some(Value::String(code)), Some(Value::String(description)), None) =
                    (code, description, items.next())
                else {
                    return Err(FrameError::new(
                        Some(id),
                        false,
                        ErrorCode::FormationViolation,
                        "a CALLERROR has 5 elements: [4, id, errorCode, errorDescription, errorDetails]",
                    ));
                };
                Ok(Frame::CallError(CallError { id, code: ErrorCode::parse_lenient(&code), description, details }))
            }
            other => Err(FrameError::new(
                Some(id),
                false,
                ErrorCode::FormationViolation,
                format!("unknown message type number {other}; expected 2 (CALL), 3 (CALLRESULT) or 4 (CALLERROR)"),
            )),
        }
    }

    pub fn id(&self) -> &MessageId {
        match self {
            Frame::Call(c) => &c.id,
            Frame::CallResult(r) => &r.id,
            Frame::CallError(e) => &e.id,
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Frame::Call(c) => {
                Value::Array(vec![2.into(), c.id.0.clone().into(), c.action.clone().into(), c.payload.clone()])
            }
            Frame::CallResult(r) => Value::Array(vec![3.into(), r.id.0.clone().into(), r.payload.clone()]),
            Frame::CallError(e) => Value::Array(vec![
                4.into(),
                e.id.0.clone().into(),
                e.code.as_str().into(),
                e.description.clone().into(),
                e.details.clone(),
            ]),
        }
    }

    /// The frame as WebSocket text.
    pub fn to_text(&self) -> String {
        self.to_value().to_string()
    }
}

impl CallError {
    pub fn new(id: MessageId, code: ErrorCode, description: impl Into<String>) -> CallError {
        CallError { id, code, description: description.into(), details: Value::Object(Map::new()) }
    }
}

/// Best effort: reads `[2, "id"` from the start of a text that is not valid JSON.
fn salvage_call_id(text: &str) -> (bool, Option<MessageId>) {
    let rest = text.trim_start();
    let Some(rest) = rest.strip_prefix('[') else { return (false, None) };
    let rest = rest.trim_start();
    let Some(rest) = rest.strip_prefix('2') else { return (false, None) };
    let rest = rest.trim_start();
    let Some(rest) = rest.strip_prefix(',') else { return (true, None) };
    let rest = rest.trim_start();
    let Some(rest) = rest.strip_prefix('"') else { return (true, None) };
    match rest.find('"') {
        Some(end) if end > 0 && !rest[..end].contains('\\') && rest[..end].chars().count() <= MAX_MESSAGE_ID_LEN => {
            (true, Some(MessageId(rest[..end].to_string())))
        }
        _ => (true, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_kinds() {
        let call = Frame::parse(r#"[2,"a1","Heartbeat",{}]"#).unwrap();
        assert!(matches!(&call, Frame::Call(c) if c.action == "Heartbeat" && c.id.as_str() == "a1"));
        let res = Frame::parse(r#"[3,"a1",{"currentTime":"2026-01-01T00:00:00Z"}]"#).unwrap();
        assert!(matches!(res, Frame::CallResult(_)));
        let err = Frame::parse(r#"[4,"a1","NotImplemented","no",{}]"#).unwrap();
        assert!(matches!(err, Frame::CallError(e) if e.code == ErrorCode::NotImplemented));
    }

    #[test]
    fn round_trips() {
        for text in [r#"[2,"x","Authorize",{"idTag":"A"}]"#, r#"[3,"x",{}]"#, r#"[4,"x","GenericError","d",{}]"#] {
            assert_eq!(Frame::parse(text).unwrap().to_text(), text);
        }
    }

    #[test]
    fn salvages_the_id_of_broken_json() {
        let e = Frame::parse(r#"[2, "id-7", "Heartbeat", {"#).unwrap_err();
        assert_eq!(e.id, Some(MessageId::new("id-7")));
        assert!(e.was_call);
        assert_eq!(e.code, ErrorCode::FormationViolation);
        let e = Frame::parse("garbage").unwrap_err();
        assert_eq!(e.id, None);
    }

    #[test]
    fn rejects_bad_shapes_with_the_id_when_readable() {
        let e = Frame::parse(r#"[2,"m","Heartbeat"]"#).unwrap_err();
        assert_eq!((e.id.unwrap().as_str(), e.code), ("m", ErrorCode::FormationViolation));
        let e = Frame::parse(r#"[9,"m",{}]"#).unwrap_err();
        assert_eq!(e.id.unwrap().as_str(), "m");
        let e = Frame::parse(r#"[2,"m","Heartbeat",[]]"#).unwrap_err();
        assert!(e.was_call);
        let long = "x".repeat(37);
        let e = Frame::parse(&format!(r#"[2,"{long}","Heartbeat",{{}}]"#)).unwrap_err();
        assert_eq!(e.code, ErrorCode::FormationViolation);
        assert!(Frame::parse(r#"{"a":1}"#).unwrap_err().id.is_none());
    }

    #[test]
    fn callerror_without_details_is_accepted() {
        assert!(matches!(Frame::parse(r#"[4,"a","InternalError","x"]"#), Ok(Frame::CallError(_))));
    }
}
