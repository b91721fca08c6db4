//! What the backends share, so that each backend crate holds only its SQL: the group-commit [`Writer`]
//! and the [`BatchExecutor`] a backend implements for it, the meter-value row plan, row decoding through
//! [`Columns`], and the millisecond time helpers.
//!
//! This module is for backend crates. Callers use the [`Store`](crate::Store) trait.

mod group_commit;
mod meter;
mod rows;
mod time;

pub use group_commit::{BatchExecutor, ExecResult, Failure, GroupCommitOptions, Writer};
pub use meter::{MeterPlan, MeterRow};
pub use rows::*;
pub use time::{from_millis, millis, now, truncate};
