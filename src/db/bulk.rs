//! Writing thousands of rows in one statement, for the month-end settlement: PostgreSQL
//! reads them from one array per column (`unnest`), SQLite from one JSON text (`json_each`).
//! Row by row, a million readers cost a million round trips on PostgreSQL and a million
//! statements on SQLite; here a chunk costs one.

use diesel::RunQueryDsl as _;
use diesel::sql_types::{Array, BigInt, Text};

use super::DbConnection;

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

    /// Column `n`, for PostgreSQL's arrays.
    fn column(&self, n: usize) -> Vec<i64> {
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
    let names = columns.join(", ");
    match conn {
        DbConnection::Postgres(pg) => {
            let arrays: Vec<String> = (0..columns.len())
                .map(|n| format!("${}::bigint[]", n + 2))
                .collect();
            let mut query = diesel::sql_query(format!(
                "INSERT INTO {table} (month, {names}) SELECT $1, {names} FROM unnest({}) AS t ({names}) \
                 ON CONFLICT DO NOTHING",
                arrays.join(", ")
            ))
            .into_boxed::<diesel::pg::Pg>()
            .bind::<Text, _>(month.to_owned());
            for n in 0..columns.len() {
                query = query.bind::<Array<BigInt>, _>(rows.column(n));
            }
            query.execute(pg)
        }
        DbConnection::Sqlite(lite) => {
            let values: Vec<String> = (0..columns.len())
                .map(|n| format!("value ->> {n}"))
                .collect();
            diesel::sql_query(format!(
                // `WHERE true`: SQLite's grammar needs it before an upsert clause that follows
                // a SELECT.
                "INSERT INTO {table} (month, {names}) SELECT ?, {} FROM json_each(?) WHERE true \
                 ON CONFLICT DO NOTHING",
                values.join(", ")
            ))
            .bind::<Text, _>(month)
            .bind::<Text, _>(rows.to_json())
            .execute(lite)
        }
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
