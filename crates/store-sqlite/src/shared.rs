//! The queries, row decoding and error mapping both backends share, expanded for SQLite. Instants are
//! stored as INTEGER milliseconds since the epoch (UTC).

joule_store::sql_backend! {
    name: "sqlite",
    database: sqlx::Sqlite,
    store: crate::SqliteStore,
    writer: crate::writer::SqliteWriter,
    time_column: i64,
    to_column: joule_store::backend::millis,
    from_column: joule_store::backend::from_millis,
}
