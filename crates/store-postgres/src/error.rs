//! Which of PostgreSQL's errors are passing. The rest of the mapping of sqlx's errors is shared
//! ([`crate::shared`]).

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
