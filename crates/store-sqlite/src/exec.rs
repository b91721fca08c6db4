//! How SQLite runs the shared SQL ([`joule_store::sql`]): arguments bound the way this database stores
//! them (an instant as INTEGER milliseconds since the epoch), rows read by column name, and sqlx's errors
//! in the store's terms.

use std::future::Future;

use joule_core::Timestamp;
use joule_store::backend::{Columns, ExecResult, from_millis, millis};
use joule_store::sql::{Arg, Exec, Sql};
use joule_store::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteConnection, SqliteRow};
use sqlx::{AssertSqlSafe, Row as _, Sqlite};

use crate::error::ResultExt;

/// A row of a result.
pub struct Row(SqliteRow);

impl Row {
    fn get<'r, T>(&'r self, col: &str) -> Result<T>
    where
        T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
    {
        self.0.try_get(col).map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
    }
}

impl Columns for Row {
    fn text(&self, col: &str) -> Result<String> {
        self.get(col)
    }

    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        self.get(col)
    }

    fn int(&self, col: &str) -> Result<i64> {
        self.get(col)
    }

    fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        self.get(col)
    }

    fn opt_real(&self, col: &str) -> Result<Option<f64>> {
        self.get(col)
    }

    fn flag(&self, col: &str) -> Result<bool> {
        self.get(col)
    }

    fn time(&self, col: &str) -> Result<Timestamp> {
        from_millis(self.get(col)?)
    }

    fn opt_time(&self, col: &str) -> Result<Option<Timestamp>> {
        self.get::<Option<i64>>(col)?.map(from_millis).transpose()
    }

    fn blob(&self, col: &str) -> Result<&[u8]> {
        self.get(col)
    }

    fn opt_blob(&self, col: &str) -> Result<Option<&[u8]>> {
        self.get(col)
    }
}

/// The statement with its arguments bound, ready to run on a connection. Built before the future that
/// runs it, so the future holds no reference to the arguments.
fn query(sql: Sql, args: &[Arg<'_>]) -> Query<'static, Sqlite, SqliteArguments> {
    let mut q = match sql {
        Sql::Static(text) => sqlx::query(text),
        // Only the store's own fragments (see `joule_store::sql::Query`).
        Sql::Built { text, persistent } => sqlx::query(AssertSqlSafe(text)).persistent(persistent),
    };
    for arg in args {
        q = match *arg {
            Arg::Text(v) => q.bind(v),
            Arg::Int(v) => q.bind(v),
            Arg::Real(v) => q.bind(v),
            Arg::Bool(v) => q.bind(v),
            Arg::Time(v) => q.bind(v.map(millis)),
            Arg::Bytes(v) => q.bind(v),
        };
    }
    q
}

pub(crate) async fn execute(
    conn: &mut SqliteConnection,
    q: Query<'static, Sqlite, SqliteArguments>,
) -> ExecResult<u64> {
    Ok(q.execute(conn).await.exec()?.rows_affected())
}

pub(crate) async fn fetch_all(
    conn: &mut SqliteConnection,
    q: Query<'static, Sqlite, SqliteArguments>,
) -> ExecResult<Vec<Row>> {
    Ok(q.fetch_all(conn).await.exec()?.into_iter().map(Row).collect())
}

pub(crate) async fn fetch_optional(
    conn: &mut SqliteConnection,
    q: Query<'static, Sqlite, SqliteArguments>,
) -> ExecResult<Option<Row>> {
    Ok(q.fetch_optional(conn).await.exec()?.map(Row))
}

/// A connection of a read pool, given back when dropped.
pub struct Reader(pub(crate) PoolConnection<Sqlite>);

impl Exec for Reader {
    type Row = Row;
    const LOCK_ROWS: &'static str = "";

    fn execute_sql(&mut self, sql: Sql, args: &[Arg<'_>]) -> impl Future<Output = ExecResult<u64>> + Send {
        execute(&mut self.0, query(sql, args))
    }

    fn fetch_all_sql(&mut self, sql: Sql, args: &[Arg<'_>]) -> impl Future<Output = ExecResult<Vec<Row>>> + Send {
        fetch_all(&mut self.0, query(sql, args))
    }

    fn fetch_optional_sql(
        &mut self,
        sql: Sql,
        args: &[Arg<'_>],
    ) -> impl Future<Output = ExecResult<Option<Row>>> + Send {
        fetch_optional(&mut self.0, query(sql, args))
    }
}

/// The writer's connection (see [`crate::writer`]).
impl Exec for crate::writer::SqliteWriter {
    type Row = Row;
    /// One writer holds the whole database: nothing to lock row by row (nor the syntax to say it).
    const LOCK_ROWS: &'static str = "";

    fn execute_sql(&mut self, sql: Sql, args: &[Arg<'_>]) -> impl Future<Output = ExecResult<u64>> + Send {
        let q = query(sql, args);
        async move { execute(self.conn()?, q).await }
    }

    fn fetch_all_sql(&mut self, sql: Sql, args: &[Arg<'_>]) -> impl Future<Output = ExecResult<Vec<Row>>> + Send {
        let q = query(sql, args);
        async move { fetch_all(self.conn()?, q).await }
    }

    fn fetch_optional_sql(
        &mut self,
        sql: Sql,
        args: &[Arg<'_>],
    ) -> impl Future<Output = ExecResult<Option<Row>>> + Send {
        let q = query(sql, args);
        async move { fetch_optional(self.conn()?, q).await }
    }
}
