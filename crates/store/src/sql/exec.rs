//! What the SQL of this crate is written against: one connection that runs a statement with typed
//! arguments ([`Exec`]), and the statement's text ([`Sql`]). A backend crate implements [`Exec`] for its
//! writer connection and its read connections, binding each [`Arg`] its own way.

use std::future::Future;

use joule_core::access::{DriverId, GroupId};
use joule_core::account::AccountId;
use joule_core::{IdTag, OperatorId, SessionId, StationId, Timestamp};

use crate::StoreError;
use crate::backend::{Columns, ExecResult};

/// A statement's text.
#[derive(Debug, Clone)]
pub enum Sql {
    /// Written in the source: prepared once per connection and kept in its statement cache, so a statement
    /// run often (every write of the ingestion path) is parsed and planned once.
    Static(&'static str),
    /// Built at run time, from this crate's own fragments only (never from a caller's text): a filter with
    /// optional conditions, a multi-row insert. `persistent` says whether to cache it: a filter takes one of
    /// a few shapes, but a multi-row insert of N rows is a statement per N, which would only churn the cache.
    Built { text: String, persistent: bool },
}

/// A statement's argument (`$1`, `$2`… in the text, in both dialects). Typed, NULLs included, because
/// PostgreSQL needs to know the type of every parameter; each backend binds them its own way (an instant is
/// INTEGER milliseconds in SQLite and `timestamptz` in PostgreSQL, both cut to the millisecond).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
    Real(Option<f64>),
    Bool(bool),
    Time(Option<Timestamp>),
    Bytes(Option<&'a [u8]>),
}

/// One database connection (or a pool's), as the SQL of this crate uses it.
///
/// The futures are `Send` so that the stores' futures are: callers hold them across threads. A backend
/// implements the three `*_sql` methods; the SQL of this crate calls the others, with a statement written
/// in the source (a `&'static str`, which is what keeps it in the statement cache), or runs a [`Query`]
/// it built.
///
/// [`Query`]: super::Query
pub trait Exec: Send {
    /// A row of a result, read by column name.
    type Row: Columns + Send;

    /// Appended to a `SELECT` that must lock the rows it reads until the transaction ends: PostgreSQL's
    /// `FOR UPDATE`, where several writers run at once. Empty for SQLite, whose one writer holds the whole
    /// database (and which has neither row locks nor the syntax).
    const LOCK_ROWS: &'static str;

    /// Runs the statement and returns how many rows it changed.
    fn execute_sql(&mut self, sql: Sql, args: &[Arg<'_>]) -> impl Future<Output = ExecResult<u64>> + Send;

    fn fetch_all_sql(&mut self, sql: Sql, args: &[Arg<'_>]) -> impl Future<Output = ExecResult<Vec<Self::Row>>> + Send;

    /// The first row, if there is one.
    fn fetch_optional_sql(
        &mut self,
        sql: Sql,
        args: &[Arg<'_>],
    ) -> impl Future<Output = ExecResult<Option<Self::Row>>> + Send;

    /// Runs the statement and returns how many rows it changed.
    fn execute(&mut self, sql: &'static str, args: &[Arg<'_>]) -> impl Future<Output = ExecResult<u64>> + Send {
        self.execute_sql(Sql::Static(sql), args)
    }

    fn fetch_all(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = ExecResult<Vec<Self::Row>>> + Send {
        self.fetch_all_sql(Sql::Static(sql), args)
    }

    /// The first row, if there is one.
    fn fetch_optional(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = ExecResult<Option<Self::Row>>> + Send {
        self.fetch_optional_sql(Sql::Static(sql), args)
    }

    /// The first row; `NotFound` if there is none (as sqlx's `fetch_one` says it).
    fn fetch_one(&mut self, sql: &'static str, args: &[Arg<'_>]) -> impl Future<Output = ExecResult<Self::Row>> + Send {
        let row = self.fetch_optional_sql(Sql::Static(sql), args);
        async move { row.await?.ok_or_else(|| StoreError::NotFound("no such row".into()).into()) }
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Arg<'a> {
        Arg::Text(Some(v))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Arg<'a> {
        Arg::Text(v)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Arg<'a> {
        Arg::Text(Some(v))
    }
}

impl<'a> From<&'a StationId> for Arg<'a> {
    fn from(v: &'a StationId) -> Arg<'a> {
        Arg::Text(Some(v.as_str()))
    }
}

impl<'a> From<&'a IdTag> for Arg<'a> {
    fn from(v: &'a IdTag) -> Arg<'a> {
        Arg::Text(Some(v.as_str()))
    }
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}

/// Connector ids, limits and other counts: every integer column is a BIGINT.
impl From<u32> for Arg<'_> {
    fn from(v: u32) -> Self {
        Arg::Int(Some(i64::from(v)))
    }
}

impl From<OperatorId> for Arg<'_> {
    fn from(v: OperatorId) -> Self {
        Arg::Int(Some(v.0))
    }
}

impl From<AccountId> for Arg<'_> {
    fn from(v: AccountId) -> Self {
        Arg::Int(Some(v.0))
    }
}

impl From<SessionId> for Arg<'_> {
    fn from(v: SessionId) -> Self {
        Arg::Int(Some(v.0))
    }
}

impl From<DriverId> for Arg<'_> {
    fn from(v: DriverId) -> Self {
        Arg::Int(Some(v.0))
    }
}

impl From<GroupId> for Arg<'_> {
    fn from(v: GroupId) -> Self {
        Arg::Int(Some(v.0))
    }
}

impl From<f64> for Arg<'_> {
    fn from(v: f64) -> Self {
        Arg::Real(Some(v))
    }
}

impl From<Option<f64>> for Arg<'_> {
    fn from(v: Option<f64>) -> Self {
        Arg::Real(v)
    }
}

impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}

impl From<Timestamp> for Arg<'_> {
    fn from(v: Timestamp) -> Self {
        Arg::Time(Some(v))
    }
}

impl From<Option<Timestamp>> for Arg<'_> {
    fn from(v: Option<Timestamp>) -> Self {
        Arg::Time(v)
    }
}

impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(v: &'a [u8]) -> Arg<'a> {
        Arg::Bytes(Some(v))
    }
}
