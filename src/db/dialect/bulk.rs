//! Writing thousands of rows in one statement, for the month-end settlement: PostgreSQL
//! reads them from one array per column (`unnest`), SQLite from one JSON text (`json_each`).
//! Row by row, a million readers cost a million round trips on PostgreSQL and a million
//! statements on SQLite; here a chunk costs one.

use super::{postgres, sqlite};
use crate::db::DbConnection;

/// Rows of whole numbers, stored flat: `width` values per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    width: usize,
    values: Vec<i64>,
}

impl Rows {
    pub fn new(width: usize) -> Rows {
        Rows {
            width: width.max(1),
            values: Vec::new(),
        }
    }

    /// Adds a row; `row` has the width the rows were made with.
    pub fn push(&mut self, row: &[i64]) {
        debug_assert_eq!(row.len(), self.width);
        self.values.extend_from_slice(row);
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.width
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Values per row.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Column `n`, for PostgreSQL's arrays.
    pub(super) fn column(&self, n: usize) -> Vec<i64> {
        self.values
            .chunks_exact(self.width)
            .filter_map(|row| row.get(n).copied())
            .collect()
    }

    /// `[[a,b],[c,d]]`, for SQLite's `json_each`.
    pub fn to_json(&self) -> String {
        use std::fmt::Write as _;
        let mut json = String::with_capacity(self.values.len() * 12 + 2);
        json.push('[');
        for (n, row) in self.values.chunks_exact(self.width).enumerate() {
            json.push_str(if n == 0 { "[" } else { ",[" });
            for (m, value) in row.iter().enumerate() {
                let comma = if m == 0 { "" } else { "," };
                let _ = write!(json, "{comma}{value}");
            }
            json.push(']');
        }
        json.push(']');
        json
    }
}

/// `INSERT INTO table (month, columns…)` one row per entry of `rows` (whose width is the
/// number of `columns`, all BIGINT), every row with the same `month`; a row whose key is
/// already there is left as it is.
pub fn insert_month_rows(
    conn: &mut DbConnection,
    table: &str,
    columns: &[&str],
    month: &str,
    rows: &Rows,
) -> diesel::QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    debug_assert_eq!(columns.len(), rows.width());
    let names = columns.join(", ");
    match conn {
        DbConnection::Postgres(pg) => postgres::insert_month_rows(pg, table, &names, month, rows),
        DbConnection::Sqlite(lite) => sqlite::insert_month_rows(lite, table, &names, month, rows),
    }
}

/// Moves the balances of the `kind` accounts of the `(owner, delta)` pairs (each owner once)
/// and writes each moved account's entry in group `group_id`, with its balance after, in
/// account order. Returns the accounts moved: fewer than the pairs when an owner has no such
/// account (the caller then rolls back). Call it inside a write transaction.
pub fn move_balances(
    conn: &mut DbConnection,
    group_id: i64,
    kind: &str,
    moves: &[(i64, i64)],
) -> diesel::QueryResult<usize> {
    match conn {
        DbConnection::Postgres(pg) => postgres::move_balances(pg, group_id, kind, moves),
        DbConnection::Sqlite(lite) => sqlite::move_balances(lite, group_id, kind, moves),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_as_json_and_as_columns() {
        let mut rows = Rows::new(2);
        rows.push(&[1, -20]);
        rows.push(&[3, 40]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.to_json(), "[[1,-20],[3,40]]");
        assert_eq!(rows.column(1), [-20, 40]);
        assert_eq!(Rows::new(3).to_json(), "[]");
    }
}
