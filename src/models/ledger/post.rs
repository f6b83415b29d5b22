//! Recording a movement: the group, one entry per posting, the cached balances, each
//! account moved by one statement prepared once per connection.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::PostError;
use crate::db::DbConnection;
use crate::db::backend::{is_check_violation, is_unique_violation};
use crate::db::schema::{ledger_accounts, ledger_entries, ledger_groups};
use crate::domain::Money;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};

/// Records a balanced movement: the group, one entry per posting, and the cached balances.
/// The accounts' CHECK constraints refuse an overdraft, so two concurrent movements can never
/// both spend the same money.
pub fn post(
    conn: &mut DbConnection,
    transfer: &Transfer,
    unique_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, PostError> {
    let group_id = insert_group(conn, transfer.kind(), unique_key, now)?;
    // Postings come sorted by account, so concurrent movements lock rows in one order.
    for (account, amount) in transfer.postings() {
        post_one(conn, group_id, *account, *amount)?;
    }
    Ok(group_id)
}

/// The group row of a movement; `AlreadyRecorded` when its unique key was used before.
pub(crate) fn insert_group(
    conn: &mut DbConnection,
    kind: MovementKind,
    unique_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, PostError> {
    let inserted = diesel::insert_into(ledger_groups::table)
        .values((
            ledger_groups::kind.eq(kind.code()),
            ledger_groups::unique_key.eq(unique_key),
            ledger_groups::created_at.eq(now.naive_utc()),
        ))
        .returning(ledger_groups::id)
        .get_result::<i64>(conn);
    match inserted {
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e) => Err(PostError::AlreadyRecorded),
        Err(e) => Err(e.into()),
    }
}

/// One posting of a group: the account's cached balance, then its entry.
pub(crate) fn post_one(
    conn: &mut DbConnection,
    group_id: i64,
    account: AccountRef,
    amount: Money,
) -> Result<(), PostError> {
    let moved = match account {
        AccountRef::User(user, kind) => MoveUserBalance {
            owner: user.0,
            kind: kind.code().to_owned(),
            delta: amount.micros(),
        }
        .get_result::<Moved>(conn),
        AccountRef::Platform(kind) | AccountRef::Shard(kind, _) => MovePlatformBalance {
            kind: kind.code().to_owned(),
            shard: account.shard(),
            delta: amount.micros(),
        }
        .get_result::<Moved>(conn),
    };
    let moved = match moved {
        Ok(moved) => moved,
        Err(e) if is_check_violation(&e) => return Err(PostError::Overdraft(account.kind())),
        Err(e) => return Err(e.into()),
    };
    diesel::insert_into(ledger_entries::table)
        .values((
            ledger_entries::group_id.eq(group_id),
            ledger_entries::account_id.eq(moved.id),
            ledger_entries::amount_micros.eq(amount.micros()),
            ledger_entries::balance_after_micros.eq(moved.balance_micros),
        ))
        .execute(conn)?;
    Ok(())
}

/// An account's id and balance after a posting.
#[derive(Debug, QueryableByName)]
struct Moved {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    balance_micros: i64,
}

crate::statement! {
    /// A platform account found and moved in one statement, prepared once per connection
    /// (every first click of a month moves a shard of the reserved budgets).
    struct MovePlatformBalance {
        kind: String,
        shard: i32,
        delta: i64,
    }
    "UPDATE ledger_accounts SET balance_micros = balance_micros + ", {delta},
    " WHERE owner_id IS NULL AND kind = ", {kind}, " AND shard = ", {shard},
    " RETURNING id, balance_micros"
}

crate::statement! {
    /// A person's account found and moved in one statement, prepared once per connection:
    /// diesel never caches an `UPDATE` built with its DSL, and every first click of a month
    /// posts two.
    struct MoveUserBalance {
        owner: i64,
        kind: String,
        delta: i64,
    }
    "UPDATE ledger_accounts SET balance_micros = balance_micros + ", {delta},
    " WHERE owner_id = ", {owner}, " AND kind = ", {kind}, " RETURNING id, balance_micros"
}

/// Takes a platform account's row lock until the transaction ends (a no-op update locks on
/// both backends), to serialise the writers of what that account mirrors.
pub fn lock_platform_account(conn: &mut DbConnection, kind: AccountKind) -> QueryResult<()> {
    diesel::update(
        ledger_accounts::table
            .filter(ledger_accounts::kind.eq(kind.code()))
            .filter(ledger_accounts::owner_id.is_null()),
    )
    .set(ledger_accounts::balance_micros.eq(ledger_accounts::balance_micros))
    .execute(conn)?;
    Ok(())
}
