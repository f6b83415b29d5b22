//! A statement written piece by piece with its values: the SQL of listings, whose conditions
//! depend on the request. Text and values are written together because SQLite numbers `$n`
//! in the order they first appear in the text, so each value is bound where it is written.
//! Written by hand: diesel's boxed DSL cannot express the full-text searches and the
//! materialised CTEs, and a query-builder crate would be a second SQL layer beside diesel.

use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Text};

use super::DbConnection;

type Backend = <DbConnection as diesel::Connection>::Backend;

/// A value bound in an [`Sql`] statement.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
}

/// A statement and its values, bound in the order they appear.
#[derive(Debug, Default)]
pub struct Sql {
    sql: String,
    values: Vec<Value>,
}

impl Sql {
    /// Appends SQL text, which must come from the program, never from input.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends the placeholder of `value`.
    pub fn bind(&mut self, value: Value) -> &mut Self {
        self.values.push(value);
        let n = self.values.len();
        self.sql.push_str(&format!("${n}"));
        self
    }

    /// The statement, ready to load.
    pub fn query(self) -> BoxedSqlQuery<'static, Backend, SqlQuery> {
        let mut query = diesel::sql_query(self.sql).into_boxed();
        for value in self.values {
            query = match value {
                Value::Int(value) => query.bind::<BigInt, _>(value),
                Value::Text(value) => query.bind::<Text, _>(value),
            };
        }
        query
    }

    /// Runs a statement that selects a column `id`.
    pub fn ids(self, conn: &mut DbConnection) -> QueryResult<Vec<i64>> {
        let rows: Vec<Id> = self.query().load(conn)?;
        Ok(rows.into_iter().map(|row| row.id).collect())
    }

    /// Runs a statement that selects one row with a column `total` (0 without a row).
    pub fn count(self, conn: &mut DbConnection) -> QueryResult<i64> {
        let rows: Vec<Count> = self.query().load(conn)?;
        Ok(rows.first().map_or(0, |row| row.total))
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_where_they_are_written() {
        let mut sql = Sql::default();
        sql.push("SELECT ")
            .bind(Value::Int(1))
            .push(" WHERE a = ")
            .bind(Value::Text("x".into()));
        assert_eq!(sql.sql, "SELECT $1 WHERE a = $2");
        assert_eq!(sql.values.len(), 2);
    }
}
