//! SQLite's side of the dialect.

use std::fmt::Write as _;

use diesel::RunQueryDsl as _;
use diesel::SqliteConnection;
use diesel::sql_types::{BigInt, Text};

use super::Dialect;
use super::rows::Rows;
use super::search::{Match, SearchSql, ThingsConditions};
use crate::db::sql::{Sql, Value};

/// SQLite: one writer at a time, FTS5, JSON arrays for bulk rows.
pub struct Sqlite;

impl Dialect for Sqlite {
    fn name(&self) -> &'static str {
        "SQLite"
    }

    // SQLite compares text byte by byte, so the range reads the column's index.
    fn text_range_sql(&self, column: &str) -> String {
        format!("{column} >= $1 AND {column} < $2")
    }

    fn concurrent_writers(&self) -> bool {
        false
    }

    fn snapshot_sql(&self) -> Option<&'static str> {
        None
    }

    fn live_token_locked_sql(&self) -> Option<&'static str> {
        None
    }

    fn skip_locked_sql(&self) -> &'static str {
        ""
    }
}

impl Sqlite {
    /// `thing_search MATCH …`: the words quoted, the facets as phrases of their own.
    fn match_condition(sql: &mut Sql, search: &Match<'_>) {
        let mut query = search.terms.fts5_query();
        for facet in &search.facets {
            let _ = write!(query, " AND \"{facet}\"");
        }
        sql.push("thing_search MATCH ").bind(Value::Text(query));
    }
}

impl SearchSql for Sqlite {
    fn key(&self) -> &'static str {
        "rowid"
    }

    // FTS5 tables have no upsert.
    fn write_replaces(&self) -> bool {
        false
    }

    fn write_entry_sql(&self) -> &'static str {
        "INSERT INTO thing_search (rowid, title, creator, description, language, category) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    }

    fn proves_before_counting(&self) -> bool {
        false
    }

    fn count_matches(
        &self,
        sql: &mut Sql,
        search: &Match<'_>,
        things: Option<ThingsConditions<'_>>,
        limit: i64,
    ) {
        sql.push("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM (SELECT 1 FROM ");
        sql.push(match things {
            None => "thing_search WHERE ",
            Some(_) => "thing_search JOIN things t ON t.id = thing_search.rowid WHERE ",
        });
        Sqlite::match_condition(sql, search);
        if let Some(things) = things {
            things(sql);
        }
        sql.push(&format!(" LIMIT {limit}) AS matches"));
    }

    fn matches_joined(&self, sql: &mut Sql, search: &Match<'_>) {
        sql.push(
            "SELECT t.id AS id FROM thing_search JOIN things t ON t.id = thing_search.rowid \
             WHERE ",
        );
        Sqlite::match_condition(sql, search);
        sql.push(" AND t.hidden = FALSE");
    }

    // The matches as a set, built once, that each thing is tested against.
    fn is_match(&self, sql: &mut Sql, search: &Match<'_>) {
        sql.push("t.id IN (SELECT rowid FROM thing_search WHERE ");
        Sqlite::match_condition(sql, search);
        sql.push(")");
    }
}

/// `INSERT INTO table (month, columns…)` from one JSON text (`json_each`).
pub(super) fn insert_month_rows(
    lite: &mut SqliteConnection,
    table: &str,
    names: &str,
    month: &str,
    rows: &Rows,
) -> diesel::QueryResult<usize> {
    let values: Vec<String> = (0..rows.width())
        .map(|n| format!("value ->> {n}"))
        .collect();
    diesel::sql_query(format!(
        // `WHERE true`: SQLite's grammar needs it before an upsert clause that follows a
        // SELECT.
        "INSERT INTO {table} (month, {names}) SELECT ?, {} FROM json_each(?) WHERE true \
         ON CONFLICT DO NOTHING",
        values.join(", ")
    ))
    .bind::<Text, _>(month)
    .bind::<Text, _>(rows.to_json())
    .execute(lite)
}

/// Two statements over the same JSON array of `[owner, delta]` pairs: SQLite's UPDATE cannot
/// feed an INSERT. Inside the caller's transaction nothing comes between them.
pub(super) fn move_balances(
    lite: &mut SqliteConnection,
    group_id: i64,
    kind: &str,
    moves: &[(i64, i64)],
) -> diesel::QueryResult<usize> {
    let mut rows = Rows::new(2);
    for (owner, delta) in moves {
        rows.push(&[*owner, *delta]);
    }
    let json = rows.to_json();
    const MOVES: &str =
        "(SELECT value ->> 0 AS owner, value ->> 1 AS delta FROM json_each(?)) AS moves";
    let updated = diesel::sql_query(format!(
        "UPDATE ledger_accounts SET balance_micros = balance_micros + moves.delta FROM {MOVES} \
         WHERE ledger_accounts.owner_id = moves.owner AND ledger_accounts.kind = ?"
    ))
    .bind::<Text, _>(&json)
    .bind::<Text, _>(kind)
    .execute(lite)?;
    if updated != moves.len() {
        return Ok(updated);
    }
    diesel::sql_query(format!(
        "INSERT INTO ledger_entries (group_id, account_id, amount_micros, balance_after_micros) \
         SELECT ?, a.id, moves.delta, a.balance_micros FROM {MOVES} \
         JOIN ledger_accounts a ON a.owner_id = moves.owner AND a.kind = ? ORDER BY a.id"
    ))
    .bind::<BigInt, _>(group_id)
    .bind::<Text, _>(&json)
    .bind::<Text, _>(kind)
    .execute(lite)
}
