//! sqlx's errors in the store's terms, and which of PostgreSQL's errors are passing. No sqlx type leaves
//! the backend crate.

use joule_store::StoreError;
use joule_store::backend::{ExecResult, Failure};

/// Whether a batch that failed with `e` may succeed if run again: a deadlock or serialization failure
/// between parallel writers, a connection that broke or a server shutting down (the next attempt gets a
/// fresh connection), no connection free in time.
pub(crate) fn transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 40001 serialization_failure, 40P01 deadlock_detected, class 08 connection exceptions,
            // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
            matches!(&*code, "40001" | "40P01" | "57P01" | "57P02" | "57P03") || code.starts_with("08")
        }),
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Protocol(_) => true,
        _ => false,
    }
}

pub(crate) fn store_error(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound("no such row".into()),
        sqlx::Error::PoolClosed => StoreError::Closed,
        sqlx::Error::Database(db) => match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => StoreError::Conflict(db.message().to_string()),
            // The row a write refers to (a station, an operator) does not exist.
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                StoreError::NotFound(format!("a referenced row is missing ({})", db.message()))
            }
            _ => StoreError::Database(db.to_string()),
        },
        e @ (sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) | sqlx::Error::ColumnNotFound(_)) => {
            StoreError::Corrupt(e.to_string())
        }
        e => StoreError::Database(e.to_string()),
    }
}

pub(crate) trait ResultExt<T> {
    /// The error as a [`Failure`], saying whether the batch it happened in may succeed if run again.
    fn exec(self) -> ExecResult<T>;
}

impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn exec(self) -> ExecResult<T> {
        self.map_err(|e| {
            let transient = transient(&e);
            Failure { error: store_error(e), transient }
        })
    }
}
