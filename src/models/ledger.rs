//! The ledger in the database: accounts with a cached balance, balanced groups of immutable
//! entries. Call [`post`] inside a write transaction (`db::backend::write_transaction`): the
//! group, its entries and the balance updates commit together or not at all.

mod check;
mod post;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

pub use check::{LedgerReport, check, reservation_mismatches};
pub(crate) use post::{insert_group, post_one};
pub use post::{lock_platform_account, post};

use crate::db::DbConnection;
use crate::db::schema::{ledger_accounts, ledger_entries, ledger_groups};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind};
use crate::domain::{Money, UserId};

#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// A group with this unique key was recorded before: nothing was written now.
    #[error("this movement was already recorded")]
    AlreadyRecorded,
    /// The movement would make a holding account negative: nothing was written.
    #[error("the {} account would go negative", .0.code())]
    Overdraft(AccountKind),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Opens the per-user accounts of a new account holder.
pub fn open_user_accounts(conn: &mut DbConnection, user: UserId) -> QueryResult<()> {
    // One statement per account: diesel's batch insert does not go through MultiConnection.
    // Budgets are reserved in the platform's pooled accounts now: no `reserved` account.
    for kind in AccountKind::ALL
        .into_iter()
        .filter(|kind| kind.is_per_user() && *kind != AccountKind::Reserved)
    {
        diesel::insert_into(ledger_accounts::table)
            .values((
                ledger_accounts::kind.eq(kind.code()),
                ledger_accounts::owner_id.eq(Some(user.0)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The row id of an account.
pub fn account_id(conn: &mut DbConnection, account: AccountRef) -> QueryResult<i64> {
    let query = ledger_accounts::table
        .select(ledger_accounts::id)
        .into_boxed();
    let query = match account {
        AccountRef::User(user, kind) => query
            .filter(ledger_accounts::owner_id.eq(user.0))
            .filter(ledger_accounts::kind.eq(kind.code())),
        AccountRef::Platform(kind) | AccountRef::Shard(kind, _) => query
            .filter(ledger_accounts::owner_id.is_null())
            .filter(ledger_accounts::kind.eq(kind.code()))
            .filter(ledger_accounts::shard.eq(account.shard())),
    };
    query.get_result(conn)
}

pub fn balance(conn: &mut DbConnection, account: AccountRef) -> QueryResult<Money> {
    let id = account_id(conn, account)?;
    let micros = ledger_accounts::table
        .find(id)
        .select(ledger_accounts::balance_micros)
        .get_result(conn)?;
    Ok(Money::from_micros(micros))
}

/// A person's balances, read in one query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserBalances {
    pub funds: Money,
    pub reserved: Money,
    pub revenue: Money,
}

/// A person's balances. What is reserved is held in the platform's pooled accounts: it is
/// the person's budgets for the months whose settlement has not charged them yet.
pub fn user_balances(conn: &mut DbConnection, user: UserId) -> QueryResult<UserBalances> {
    let rows: Vec<KindBalance> = UserBalancesQuery { user: user.0 }.load(conn)?;
    let mut balances = UserBalances::default();
    for row in rows {
        let money = Money::from_micros(row.balance_micros);
        match AccountKind::parse(&row.kind) {
            Some(AccountKind::Funds) => balances.funds = money,
            Some(AccountKind::Revenue) => balances.revenue = money,
            Some(AccountKind::ReservedBudgets) => balances.reserved = money,
            _ => {}
        }
    }
    Ok(balances)
}

/// Whether the `month_budgets` row `b` is not yet charged: its month's settlement has not
/// left the readers' stage (the stage that charges a month's budgets). The reserved figure
/// and the reserved budgets' check must agree on it.
const NOT_YET_CHARGED: &str = "NOT EXISTS (SELECT 1 FROM settlement_runs r \
     WHERE r.month = b.month AND r.stage <> 'readers')";

#[derive(QueryableByName)]
struct KindBalance {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    balance_micros: i64,
}

crate::statement! {
    /// A person's accounts and their budgets not yet charged, in one statement prepared once
    /// per connection: `GET /api/v1/me` and every page read it, and a second round trip cost
    /// the PostgreSQL `me` endpoint a third of its throughput.
    struct UserBalancesQuery {
        user: i64,
    }
    "SELECT kind, balance_micros FROM ledger_accounts WHERE owner_id = ", {user},
    " UNION ALL SELECT 'reserved_budgets', \
     CAST(COALESCE(SUM(b.amount_micros), 0) AS BIGINT) FROM month_budgets b \
     WHERE b.reader_id = ", {user},
    " AND ", NOT_YET_CHARGED
}

/// One line of an account's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub entry_id: i64,
    pub at: NaiveDateTime,
    pub kind: Option<MovementKind>,
    pub amount: Money,
    pub balance_after: Money,
}

/// An account's movements, newest first; `limit` bounds the page.
pub fn movements(
    conn: &mut DbConnection,
    account: AccountRef,
    limit: Option<i64>,
) -> QueryResult<Vec<Movement>> {
    let id = account_id(conn, account)?;
    let mut query = ledger_entries::table
        .inner_join(ledger_groups::table)
        .filter(ledger_entries::account_id.eq(id))
        .order(ledger_entries::id.desc())
        .select((
            ledger_entries::id,
            ledger_groups::created_at,
            ledger_groups::kind,
            ledger_entries::amount_micros,
            ledger_entries::balance_after_micros,
        ))
        .into_boxed();
    if let Some(limit) = limit {
        query = query.limit(limit);
    }
    let rows: Vec<(i64, NaiveDateTime, String, i64, i64)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(entry_id, at, kind, amount, after)| Movement {
            entry_id,
            at,
            kind: MovementKind::parse(&kind),
            amount: Money::from_micros(amount),
            balance_after: Money::from_micros(after),
        })
        .collect())
}
