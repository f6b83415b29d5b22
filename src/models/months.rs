//! The `months` table: whether clicks may still land in a month. Settlement closes a month
//! before it reads it; every click and undo holds its month open in the transaction that
//! writes, so that no click commits into a month whose settlement has begun.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use crate::db::schema::months;
use crate::db::{DbConnection, dialect};
use crate::domain::Month;

/// Whether `month` is still open, holding it so for the rest of the caller's transaction.
///
/// On PostgreSQL the month's row is share-locked: settlement's `close` waits for every
/// transaction holding it, and a lock taken after `close` committed reads the closed row
/// (under read committed, a locking read follows a concurrent update), so the answer stays
/// true until the caller commits. SQLite has one writer at a time: reading the row inside the
/// write transaction is enough. A month nobody clicked in yet gets its row here.
pub fn hold_open(conn: &mut DbConnection, month: Month) -> QueryResult<bool> {
    let key = month.to_string();
    if let Some(closed_at) = read_held(conn, &key)? {
        return Ok(closed_at.is_none());
    }
    // A concurrent first click of the month inserting the same row makes this wait for it,
    // then do nothing; the read after it sees that row, or a close that came first.
    diesel::sql_query("INSERT INTO months (month) VALUES ($1) ON CONFLICT (month) DO NOTHING")
        .bind::<Text, _>(&key)
        .execute(conn)?;
    Ok(read_held(conn, &key)?.is_some_and(|closed_at| closed_at.is_none()))
}

/// The month's `closed_at`, if it has a row; held for the caller's transaction.
fn read_held(conn: &mut DbConnection, key: &str) -> QueryResult<Option<Option<NaiveDateTime>>> {
    dialect::month_closed_at_held(conn, key)
}

/// Closes `month` to clicks and undos, for good; a month closed before keeps its first
/// closing time. On PostgreSQL this waits until the clicks holding the month open commit.
///
/// It also records the last change of owners and claims then (`claims_seq`): settlement reads
/// the things as they were at that point (see `settlement::input`), whenever it runs.
/// Says whether this call closed it (false: it was closed before).
pub fn close(conn: &mut DbConnection, month: Month, now: DateTime<Utc>) -> QueryResult<bool> {
    let closed_before = is_closed(conn, month)?;
    diesel::sql_query(
        "INSERT INTO months (month, closed_at, claims_seq) \
         VALUES ($1, $2, (SELECT COALESCE(MAX(id), 0) FROM claim_changes)) ON CONFLICT (month) \
         DO UPDATE SET closed_at = COALESCE(months.closed_at, excluded.closed_at), \
         claims_seq = COALESCE(months.claims_seq, excluded.claims_seq)",
    )
    .bind::<Text, _>(month.to_string())
    .bind::<Timestamp, _>(now.naive_utc())
    .execute(conn)?;
    Ok(!closed_before)
}

/// Whether `month`'s settlement has begun (a plain read, for the thing page, which says so
/// before anyone clicks; the writes decide with `hold_open`).
pub fn is_closed(conn: &mut DbConnection, month: Month) -> QueryResult<bool> {
    let closed_at: Option<Option<NaiveDateTime>> = months::table
        .find(month.to_string())
        .select(months::closed_at)
        .get_result(conn)
        .optional()?;
    Ok(closed_at.flatten().is_some())
}

/// The last change of owners and claims when `month` closed; `None` while it is open (a dry
/// run reads the things as they are).
pub fn claims_seq(conn: &mut DbConnection, month: Month) -> QueryResult<Option<i64>> {
    let row: Option<(Option<NaiveDateTime>, Option<i64>)> = months::table
        .find(month.to_string())
        .select((months::closed_at, months::claims_seq))
        .get_result(conn)
        .optional()?;
    Ok(match row {
        Some((Some(_), seq)) => Some(seq.unwrap_or(0)),
        _ => None,
    })
}
