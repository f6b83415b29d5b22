//! Recording a movement of thousands of postings (a chunk of the month-end settlement) in a
//! few statements. [`ledger::post`] spends two statements per posting, which is right for a
//! click and far too slow for a million readers: here the per-user postings of each account
//! kind move their balances and write their entries in one set-based step, PostgreSQL reading
//! them from arrays and SQLite from one JSON text. Same rows as `post` writes: the group, one
//! entry per posting with the balance after it, the cached balances.

use chrono::{DateTime, Utc};

use super::ledger::{PostError, insert_group, post_one};
use crate::db::DbConnection;
use crate::db::backend::is_check_violation;
use crate::db::bulk;
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
        let moved = bulk::move_balances(conn, group_id, kind.code(), &moves);
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
