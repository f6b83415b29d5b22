//! Recording a movement of thousands of postings (a chunk of the month-end settlement) in a
//! few statements. [`ledger::post`] spends two statements per posting, which is right for a
//! click and far too slow for a million readers: here the per-user postings of each account
//! kind move their balances and write their entries in one set-based step, PostgreSQL reading
//! them from arrays and SQLite from one JSON text. Same rows as `post` writes: the group, one
//! entry per posting with the balance after it, the cached balances.

use chrono::{DateTime, Utc};
use diesel::RunQueryDsl as _;
use diesel::sql_types::{Array, BigInt, Text};

use super::ledger::{PostError, insert_group, post_one};
use crate::db::DbConnection;
use crate::db::backend::is_check_violation;
use crate::db::bulk::Rows;
use crate::domain::ledger::{AccountKind, AccountRef, Transfer};

/// Records `transfer` like [`super::ledger::post`] (call it inside a write transaction).
pub fn post_many(
    conn: &mut DbConnection,
    transfer: &Transfer,
    unique_key: &str,
    now: DateTime<Utc>,
) -> Result<i64, PostError> {
    let group_id = insert_group(conn, transfer.kind(), Some(unique_key), now)?;
    // Postings are sorted by account: user accounts first, by user and kind.
    let mut by_kind: Vec<(AccountKind, Vec<(i64, i64)>)> = Vec::new();
    for (account, amount) in transfer.postings() {
        match account {
            AccountRef::User(user, kind) => match by_kind.iter_mut().find(|(k, _)| k == kind) {
                Some((_, moves)) => moves.push((user.0, amount.micros())),
                None => by_kind.push((*kind, vec![(user.0, amount.micros())])),
            },
            AccountRef::Platform(_) | AccountRef::Shard(..) => {
                post_one(conn, group_id, *account, *amount)?
            }
        }
    }
    for (kind, moves) in by_kind {
        let moved = match conn {
            DbConnection::Postgres(pg) => move_postgres(pg, group_id, kind, &moves),
            DbConnection::Sqlite(lite) => move_sqlite(lite, group_id, kind, &moves),
        };
        match moved {
            Ok(count) if count == moves.len() => {}
            // An owner without an account of this kind: nothing of the movement may stand.
            Ok(_) => return Err(diesel::result::Error::NotFound.into()),
            Err(e) if is_check_violation(&e) => return Err(PostError::Overdraft(kind)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(group_id)
}

/// One statement: the balances move, and each moved account's entry records its new balance
/// (each account appears once in a movement). Entries are written in account order. The
/// `= ANY` condition makes the planner find the accounts through their index: joined with the
/// array alone, it hashes the whole accounts table once it has tens of thousands of rows.
fn move_postgres(
    pg: &mut diesel::PgConnection,
    group_id: i64,
    kind: AccountKind,
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
    .bind::<Text, _>(kind.code())
    .execute(pg)
}

/// Two statements over the same JSON array of `[owner, delta]` pairs: SQLite's UPDATE cannot
/// feed an INSERT. Inside the caller's transaction nothing comes between them.
fn move_sqlite(
    lite: &mut diesel::SqliteConnection,
    group_id: i64,
    kind: AccountKind,
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
    .bind::<Text, _>(kind.code())
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
    .bind::<Text, _>(kind.code())
    .execute(lite)
}
