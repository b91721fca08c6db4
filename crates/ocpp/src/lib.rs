//! The OCPP-J wire: RPC frames (OCPP-J 1.6 §4), error codes, and typed OCPP 1.6 messages.
//!
//! This crate does no I/O: it turns text into frames and frames into typed messages and back, and says
//! precisely what is wrong with a frame that cannot be used (as the CALLERROR code OCPP-J prescribes).

pub mod error_code;
pub mod frame;
pub mod v16;

pub use error_code::ErrorCode;
pub use frame::{Call, CallError, CallResult, Frame, FrameError, MessageId};
