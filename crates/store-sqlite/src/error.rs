//! sqlx's errors in the store's terms. No sqlx type leaves this crate.

use joule_core::Timestamp;
use joule_store::backend::{Columns, ExecResult, Failure, from_millis};
use joule_store::{Result, StoreError};
use sqlx::Row;
use sqlx::error::ErrorKind;
use sqlx::sqlite::SqliteRow;

/// Primary result codes (the low byte of an extended code) that mean "another connection holds a lock":
/// SQLITE_BUSY and SQLITE_LOCKED. Running the batch again later may succeed.
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;

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

/// Like [`store_error`], and says whether the batch may succeed if run again.
pub(crate) fn failure(e: sqlx::Error) -> Failure {
    let transient = match &e {
        sqlx::Error::Database(db) => {
            let code = db.code().and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
            matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED)
        }
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

/// Reads columns of a SQLite row: instants are INTEGER milliseconds, flags INTEGER 0/1.
pub(crate) struct Cols<'r>(pub &'r SqliteRow);

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
        from_millis(self.int(col)?)
    }

    fn opt_time(&self, col: &str) -> Result<Option<Timestamp>> {
        self.opt_int(col)?.map(from_millis).transpose()
    }
}
