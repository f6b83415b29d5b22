//! Writing thousands of rows in one statement, for the month-end settlement: PostgreSQL
//! reads them from one array per column (`unnest`), SQLite from one JSON text (`json_each`).
//! Row by row, a million readers cost a million round trips on PostgreSQL and a million
//! statements on SQLite; here a chunk costs one.

pub use super::rows::Rows;
use super::{postgres, sqlite};
use crate::db::DbConnection;

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
