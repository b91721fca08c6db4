//! Which of SQLite's errors are passing. The rest of the mapping of sqlx's errors is shared
//! ([`crate::shared`]).

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
