//! What the backends share, so that each backend crate holds only what is its own: the group-commit
//! [`Writer`] and the [`BatchExecutor`] a backend implements for it, the meter-value row plan, row decoding
//! through [`Columns`], the packing of the quarter summaries, and the millisecond time helpers. The SQL is
//! in [`crate::sql`].
//!
//! This module is for backend crates. Callers use the [`Store`](crate::Store) trait.

mod group_commit;
mod meter;
pub mod quarters;
mod rows;
mod time;

pub use group_commit::{BatchExecutor, ExecResult, Failure, GroupCommitOptions, Lock, Writer, rank};
pub use meter::{MeterPlan, MeterRow};
pub use rows::*;
pub use time::{from_millis, millis, now, truncate};
