//! sqlx's errors in the store's terms, and which of SQLite's errors are passing. No sqlx type leaves the
//! backend crate.

use joule_store::StoreError;
use joule_store::backend::{ExecResult, Failure};

/// Primary result codes (the low byte of an extended code) that mean "another connection holds a lock":
/// SQLITE_BUSY and SQLITE_LOCKED. Running the batch again later may succeed.
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;

/// Whether a batch that failed with `e` may succeed if run again.
pub(crate) fn transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
            matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED)
        }
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
