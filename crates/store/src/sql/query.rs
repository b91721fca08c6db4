//! Statements built at run time: a read with optional conditions (a filter), or an insert of many rows.
//! Only this crate's own fragments go into the text; every value is an argument.

use std::fmt::Write as _;

use super::exec::{Arg, Exec, Sql};
use crate::backend::ExecResult;

/// Text with `$n` placeholders (both dialects take them) and the arguments they stand for.
#[derive(Debug)]
pub struct Query<'a> {
    text: String,
    args: Vec<Arg<'a>>,
    persistent: bool,
}

impl<'a> Query<'a> {
    /// A filter: cached like a written statement, since it takes one of a few shapes.
    pub fn new(head: &str) -> Query<'a> {
        Query { text: head.to_string(), args: Vec::new(), persistent: true }
    }

    /// A statement of many rows: not cached, since each number of rows is another statement.
    pub fn rows(head: &str, capacity: usize) -> Query<'a> {
        Query { text: head.to_string(), args: Vec::with_capacity(capacity), persistent: false }
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    /// Adds the argument and its placeholder.
    pub fn bind(&mut self, arg: impl Into<Arg<'a>>) -> &mut Self {
        self.args.push(arg.into());
        // Writing to a String cannot fail.
        let _ = write!(self.text, "${}", self.args.len());
        self
    }

    /// ` VALUES (…), (…)`, one group of placeholders per row: `row` binds a row's values in column order.
    pub fn values<T>(&mut self, rows: impl IntoIterator<Item = T>, mut row: impl FnMut(&mut Values<'_, 'a>, T)) {
        self.text.push_str("VALUES ");
        for (i, item) in rows.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.text.push('(');
            row(&mut Values { query: self, first: true }, item);
            self.text.push(')');
        }
    }

    fn into_parts(self) -> (Sql, Vec<Arg<'a>>) {
        (Sql::Built { text: self.text, persistent: self.persistent }, self.args)
    }

    pub async fn execute<E: Exec>(self, db: &mut E) -> ExecResult<u64> {
        let (sql, args) = self.into_parts();
        db.execute_sql(sql, &args).await
    }

    pub async fn fetch_all<E: Exec>(self, db: &mut E) -> ExecResult<Vec<E::Row>> {
        let (sql, args) = self.into_parts();
        db.fetch_all_sql(sql, &args).await
    }
}

/// One row of [`Query::values`].
pub struct Values<'q, 'a> {
    query: &'q mut Query<'a>,
    first: bool,
}

impl<'a> Values<'_, 'a> {
    pub fn bind(&mut self, arg: impl Into<Arg<'a>>) -> &mut Self {
        if !self.first {
            self.query.text.push_str(", ");
        }
        self.first = false;
        self.query.bind(arg);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut q = Query::new("SELECT * FROM t WHERE 1 = 1");
        q.push(" AND a = ").bind(1_i64).push(" AND b = ").bind("x");
        q.push(" LIMIT ").bind(5_u32);
        let (sql, args) = q.into_parts();
        let Sql::Built { text, persistent } = sql else { panic!("built") };
        assert_eq!(text, "SELECT * FROM t WHERE 1 = 1 AND a = $1 AND b = $2 LIMIT $3");
        assert!(persistent);
        assert_eq!(args, [Arg::Int(Some(1)), Arg::Text(Some("x")), Arg::Int(Some(5))]);
    }

    #[test]
    fn rows_of_values() {
        let mut q = Query::rows("INSERT INTO t (a, b) ", 4);
        q.values([(1_i64, "x"), (2, "y")], |row, (a, b)| {
            row.bind(a).bind(b);
        });
        q.push(" ON CONFLICT DO NOTHING");
        let (sql, args) = q.into_parts();
        let Sql::Built { text, persistent } = sql else { panic!("built") };
        assert_eq!(text, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING");
        assert!(!persistent);
        assert_eq!(args.len(), 4);
    }
}
