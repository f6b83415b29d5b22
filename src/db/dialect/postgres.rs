//! PostgreSQL's side of the dialect.

pub mod click_batch;
pub mod month_copy;

use diesel::PgConnection;
use diesel::RunQueryDsl as _;
use diesel::sql_types::{Array, BigInt, Text};

use super::Dialect;
use super::rows::Rows;
use super::search::{Match, SearchSql, ThingsConditions};
use crate::db::sql::{Sql, Value};

/// PostgreSQL: row locks, full-text search over a `tsvector`, arrays for bulk rows.
pub struct Postgres;

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }

    // PostgreSQL compares by the database's collation, which may ignore punctuation, so the
    // range is compared in the "C" collation (a scan of the column there).
    fn text_range_sql(&self, column: &str) -> String {
        format!("({column} COLLATE \"C\") >= $1 AND ({column} COLLATE \"C\") < $2")
    }

    fn concurrent_writers(&self) -> bool {
        true
    }

    fn snapshot_sql(&self) -> Option<&'static str> {
        Some("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    }

    fn live_token_locked_sql(&self) -> Option<&'static str> {
        Some(
            "SELECT id FROM api_tokens WHERE token_hash = $1 AND user_id = $2 \
             AND revoked_at IS NULL FOR KEY SHARE",
        )
    }

    fn skip_locked_sql(&self) -> &'static str {
        " FOR UPDATE SKIP LOCKED"
    }
}

impl Postgres {
    /// `s.document @@ …`: the words joined with `&`, and the facets as lexemes as they are
    /// (quoted and cast, not words for the parser).
    fn match_condition(sql: &mut Sql, search: &Match<'_>) {
        sql.push("s.document @@ (to_tsquery('simple', ")
            .bind(Value::Text(search.terms.tsquery()));
        if search.facets.is_empty() {
            sql.push("))");
        } else {
            let lexemes: Vec<String> = search.facets.iter().map(|f| format!("'{f}'")).collect();
            sql.push(") && CAST(")
                .bind(Value::Text(lexemes.join(" & ")))
                .push(" AS tsquery))");
        }
    }
}

impl SearchSql for Postgres {
    fn key(&self) -> &'static str {
        "thing_id"
    }

    fn write_replaces(&self) -> bool {
        true
    }

    fn write_entry_sql(&self) -> &'static str {
        "INSERT INTO thing_search (thing_id, title, creator, description, language, category) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (thing_id) DO UPDATE SET title = excluded.title, \
         creator = excluded.creator, description = excluded.description, \
         language = excluded.language, category = excluded.category"
    }

    fn proves_before_counting(&self) -> bool {
        true
    }

    // The matches in a CTE, planned without the LIMIT: with it, PostgreSQL scanned the whole
    // table when it expected many matches (34 ms when there were none).
    fn count_matches(
        &self,
        sql: &mut Sql,
        search: &Match<'_>,
        things: Option<ThingsConditions<'_>>,
        limit: i64,
    ) {
        sql.push("WITH m AS MATERIALIZED (SELECT s.thing_id FROM thing_search s ");
        if things.is_some() {
            sql.push("JOIN things t ON t.id = s.thing_id ");
        }
        sql.push("WHERE ");
        Postgres::match_condition(sql, search);
        if let Some(things) = things {
            things(sql);
        }
        sql.push(&format!(
            ") SELECT CAST(COUNT(*) AS BIGINT) AS total FROM (SELECT 1 FROM m LIMIT {limit}) \
             AS matches"
        ));
    }

    // The matches first (a CTE), then their things: PostgreSQL's estimates of a search could
    // make it walk an order's index for a few matches instead.
    fn matches_joined(&self, sql: &mut Sql, search: &Match<'_>) {
        sql.push("WITH m AS MATERIALIZED (SELECT s.thing_id FROM thing_search s WHERE ");
        Postgres::match_condition(sql, search);
        sql.push(
            ") SELECT t.id AS id FROM m JOIN things t ON t.id = m.thing_id \
             WHERE t.hidden = FALSE",
        );
    }

    // A subquery in the condition: PostgreSQL runs it for each thing in turn.
    fn is_match(&self, sql: &mut Sql, search: &Match<'_>) {
        sql.push("(SELECT ");
        Postgres::match_condition(sql, search);
        sql.push(" FROM thing_search s WHERE s.thing_id = t.id)");
    }
}

diesel::define_sql_function!(fn pg_try_advisory_lock(key: BigInt) -> diesel::sql_types::Bool);

/// Takes the session's advisory lock `key`, if no other session holds it.
pub(super) fn try_advisory_lock(pg: &mut PgConnection, key: i64) -> diesel::QueryResult<bool> {
    diesel::select(pg_try_advisory_lock(key)).get_result(pg)
}

/// `INSERT INTO table (month, columns…)` from one array per column (`unnest`).
pub(super) fn insert_month_rows(
    pg: &mut PgConnection,
    table: &str,
    names: &str,
    month: &str,
    rows: &Rows,
) -> diesel::QueryResult<usize> {
    let arrays: Vec<String> = (0..rows.width())
        .map(|n| format!("${}::bigint[]", n + 2))
        .collect();
    let mut query = diesel::sql_query(format!(
        "INSERT INTO {table} (month, {names}) SELECT $1, {names} FROM unnest({}) AS t ({names}) \
         ON CONFLICT DO NOTHING",
        arrays.join(", ")
    ))
    .into_boxed::<diesel::pg::Pg>()
    .bind::<Text, _>(month.to_owned());
    for n in 0..rows.width() {
        query = query.bind::<Array<BigInt>, _>(rows.column(n));
    }
    query.execute(pg)
}

/// One statement: the balances move, and each moved account's entry records its new balance
/// (each account appears once in a movement). Entries are written in account order. The
/// `= ANY` condition makes the planner find the accounts through their index: joined with the
/// array alone, it hashes the whole accounts table once it has tens of thousands of rows.
pub(super) fn move_balances(
    pg: &mut PgConnection,
    group_id: i64,
    kind: &str,
    moves: &[(i64, i64)],
) -> diesel::QueryResult<usize> {
    let (owners, deltas): (Vec<i64>, Vec<i64>) = moves.iter().copied().unzip();
    diesel::sql_query(
        "WITH moves AS (SELECT * FROM unnest($2::bigint[], $3::bigint[]) AS m (owner, delta)), \
         moved AS (UPDATE ledger_accounts a SET balance_micros = a.balance_micros + moves.delta \
         FROM moves WHERE a.owner_id = moves.owner AND a.kind = $4 AND a.owner_id = ANY($2) \
         RETURNING a.id, moves.delta, a.balance_micros) \
         INSERT INTO ledger_entries (group_id, account_id, amount_micros, balance_after_micros) \
         SELECT $1, id, delta, balance_micros FROM moved ORDER BY id",
    )
    .bind::<BigInt, _>(group_id)
    .bind::<Array<BigInt>, _>(owners)
    .bind::<Array<BigInt>, _>(deltas)
    .bind::<Text, _>(kind)
    .execute(pg)
}
