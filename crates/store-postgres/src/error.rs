//! sqlx's errors in the store's terms. No sqlx type leaves this crate.

use joule_core::Timestamp;
use joule_store::backend::{Columns, ExecResult, Failure};
use joule_store::{Result, StoreError};
use sqlx::Row;
use sqlx::error::ErrorKind;
use sqlx::postgres::PgRow;

pub(crate) fn store_error(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound("no such row".into()),
        sqlx::Error::PoolClosed => StoreError::Closed,
        sqlx::Error::Database(db) => match db.kind() {
            ErrorKind::UniqueViolation => StoreError::Conflict(db.message().to_string()),
            // The row a write refers to (a station, an operator) does not exist.
            ErrorKind::ForeignKeyViolation => {
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

/// Like [`store_error`], and says whether the batch may succeed if run again: a deadlock or serialization
/// failure between parallel writers, a connection that broke or a server shutting down (the next attempt
/// gets a fresh connection), no connection free in time.
pub(crate) fn failure(e: sqlx::Error) -> Failure {
    let transient = match &e {
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 40001 serialization_failure, 40P01 deadlock_detected, class 08 connection exceptions,
            // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
            matches!(&*code, "40001" | "40P01" | "57P01" | "57P02" | "57P03") || code.starts_with("08")
        }),
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Protocol(_) => true,
        _ => false,
    };
    Failure { error: store_error(e), transient }
}

pub(crate) trait ResultExt<T> {
    /// For reads: the error as a [`StoreError`].
    fn store(self) -> Result<T>;
    /// For writes inside a batch: the error as a [`Failure`].
    fn exec(self) -> ExecResult<T>;
}

impl<T> ResultExt<T> for std::result::Result<T, sqlx::Error> {
    fn store(self) -> Result<T> {
        self.map_err(store_error)
    }

    fn exec(self) -> ExecResult<T> {
        self.map_err(failure)
    }
}

/// Reads columns of a PostgreSQL row (integers are all bigint).
pub(crate) struct Cols<'r>(pub &'r PgRow);

fn decode(col: &str, e: sqlx::Error) -> StoreError {
    StoreError::Corrupt(format!("column {col}: {e}"))
}

impl Columns for Cols<'_> {
    fn text(&self, col: &str) -> Result<String> {
        self.0.try_get(col).map_err(|e| decode(col, e))
    }

    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        self.0.try_get(col).map_err(|e| decode(col, e))
    }

    fn int(&self, col: &str) -> Result<i64> {
        self.0.try_get(col).map_err(|e| decode(col, e))
    }

    fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        self.0.try_get(col).map_err(|e| decode(col, e))
    }

    fn opt_real(&self, col: &str) -> Result<Option<f64>> {
        self.0.try_get(col).map_err(|e| decode(col, e))
    }

    fn flag(&self, col: &str) -> Result<bool> {
        self.0.try_get(col).map_err(|e| decode(col, e))
    }

    fn time(&self, col: &str) -> Result<Timestamp> {
        self.0.try_get(col).map_err(|e| decode(col, e))
    }

    fn opt_time(&self, col: &str) -> Result<Option<Timestamp>> {
        self.0.try_get(col).map_err(|e| decode(col, e))
    }
}
