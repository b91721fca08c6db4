//! The OCPP-J wire: RPC frames (OCPP-J 1.6 §4), error codes, and typed OCPP 1.6 messages.
//!
//! This crate does no I/O: it turns text into frames and frames into typed messages and back, and says
//! precisely what is wrong with a frame that cannot be used (as the CALLERROR code OCPP-J prescribes).
//!
//! - [`Frame::parse`] reads a WebSocket text message; a broken frame is a [`FrameError`] (FormationViolation,
//!   with the message id when it can be read, so a CALL can still be answered).
//! - [`v16`] holds every OCPP 1.6J message, with the security extension, and decodes a CALL's payload into
//!   one (`v16::ChargePointRequest::decode`). A payload that is not acceptable is a [`v16::DecodeError`]
//!   carrying the CALLERROR code: unknown action NotImplemented; an action of the other direction
//!   NotSupported; an undefined property FormationViolation; a missing required property or too few array
//!   items OccurenceConstraintViolation; a wrong JSON type or unreadable dateTime TypeConstraintViolation; a
//!   string too long, a number out of range or a value outside a strict enum PropertyConstraintViolation.
//!   The [`v16`] module documentation has the full table and the leniencies (enums with `Other`, dateTimes).

pub mod error_code;
pub mod frame;
pub mod v16;

pub use error_code::ErrorCode;
pub use frame::{Call, CallError, CallResult, Frame, FrameError, MessageId};
