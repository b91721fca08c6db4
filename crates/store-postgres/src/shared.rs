//! The queries, row decoding and error mapping both backends share, expanded for PostgreSQL. Instants are
//! `timestamptz`, cut to the millisecond before they are stored, as the SQLite backend does.

joule_store::sql_backend! {
    name: "postgres",
    database: sqlx::Postgres,
    store: crate::PgStore,
    writer: crate::writer::PgWriter,
    time_column: joule_core::Timestamp,
    to_column: joule_store::backend::truncate,
    from_column: Ok,
}
