//! What the backends share, so that each backend crate holds only what is its own: the group-commit
//! [`Writer`] and the [`BatchExecutor`] a backend implements for it, the meter-value row plan, row decoding
//! through [`Columns`], the millisecond time helpers, and (in [`sql`], expanded by
//! [`sql_backend!`](crate::sql_backend)) the queries and error mapping of the sqlx backends.
//!
//! This module is for backend crates. Callers use the [`Store`](crate::Store) trait.

mod group_commit;
mod meter;
pub mod quarters;
mod rows;
#[doc(hidden)]
pub mod sql;
mod time;

pub use group_commit::{BatchExecutor, ExecResult, Failure, GroupCommitOptions, Lock, WriteOps, Writer, rank};
pub use meter::{MeterPlan, MeterRow};
pub use rows::*;
pub use time::{from_millis, millis, now, truncate};
