//! The ledger in the database: accounts with a cached balance, balanced groups of immutable
//! entries. Call [`post`] inside a write transaction (`db::backend::write_transaction`): the
//! group, its entries and the balance updates commit together or not at all.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::DbConnection;
use crate::db::backend::{is_check_violation, is_unique_violation};
use crate::db::schema::{ledger_accounts, ledger_entries, ledger_groups};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, RESERVATION_SHARDS, Transfer};
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

/// What [`check`] found wrong; empty lists mean the ledger is sound.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LedgerReport {
    /// Groups whose entries do not sum to zero.
    pub unbalanced_groups: Vec<i64>,
    /// Accounts whose cached balance differs from the sum of their entries.
    pub cache_mismatches: Vec<i64>,
    /// Holding accounts below zero (the CHECK constraint should make this impossible).
    pub negative_holdings: Vec<i64>,
    /// Shards of the reserved budgets whose balance differs from the budgets reserved in
    /// `month_budgets` for the months not yet charged.
    pub reservation_mismatches: Vec<i64>,
    /// The pending payouts account, if it differs from the payout requests waiting.
    pub pending_payout_mismatches: Vec<i64>,
    /// The card payments account, if it differs from the card payments credited less the
    /// refunds debited.
    pub card_payment_mismatches: Vec<i64>,
    /// The held account, if it differs from the holds still `held`.
    pub held_mismatches: Vec<i64>,
}

impl LedgerReport {
    pub fn is_sound(&self) -> bool {
        self.unbalanced_groups.is_empty()
            && self.cache_mismatches.is_empty()
            && self.negative_holdings.is_empty()
            && self.reservation_mismatches.is_empty()
            && self.pending_payout_mismatches.is_empty()
            && self.card_payment_mismatches.is_empty()
            && self.held_mismatches.is_empty()
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Proves money rule 5 on the whole ledger: every group sums to zero, every cached balance
/// equals the sum of its entries, and no holding account is negative. Sums are computed by
/// the database as BIGINT (`CAST`), never through floating point.
pub fn check(conn: &mut DbConnection) -> QueryResult<LedgerReport> {
    let ids = |conn: &mut DbConnection, sql: &str| -> QueryResult<Vec<i64>> {
        Ok(diesel::sql_query(sql)
            .load::<Id>(conn)?
            .into_iter()
            .map(|row| row.id)
            .collect())
    };
    Ok(LedgerReport {
        unbalanced_groups: ids(
            conn,
            "SELECT group_id AS id FROM ledger_entries GROUP BY group_id \
             HAVING CAST(SUM(amount_micros) AS BIGINT) <> 0 ORDER BY group_id",
        )?,
        cache_mismatches: ids(
            conn,
            "SELECT a.id AS id FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id \
             GROUP BY a.id, a.balance_micros \
             HAVING a.balance_micros <> CAST(COALESCE(SUM(e.amount_micros), 0) AS BIGINT) ORDER BY a.id",
        )?,
        negative_holdings: ids(
            conn,
            "SELECT id FROM ledger_accounts WHERE balance_micros < 0 \
             AND kind NOT IN ('voucher_sales', 'card_payments') ORDER BY id",
        )?,
        reservation_mismatches: reservation_mismatches(conn)?,
        pending_payout_mismatches: ids(
            conn,
            "SELECT a.id AS id FROM ledger_accounts a \
             WHERE a.kind = 'pending_payouts' AND a.owner_id IS NULL AND a.balance_micros <> \
             (SELECT CAST(COALESCE(SUM(p.amount_micros), 0) AS BIGINT) FROM payouts p \
              WHERE p.state = 'pending')",
        )?,
        card_payment_mismatches: ids(
            conn,
            "SELECT a.id AS id FROM ledger_accounts a \
             WHERE a.kind = 'card_payments' AND a.owner_id IS NULL AND a.balance_micros <> \
             (SELECT CAST(COALESCE(SUM(c.refunded_micros - c.refund_shortfall_micros \
              - c.amount_micros), 0) AS BIGINT) FROM card_payments c \
              WHERE c.state = 'succeeded')",
        )?,
        held_mismatches: ids(
            conn,
            "SELECT a.id AS id FROM ledger_accounts a \
             WHERE a.kind = 'held' AND a.owner_id IS NULL AND a.balance_micros <> \
             (SELECT CAST(COALESCE(SUM(h.amount_micros), 0) AS BIGINT) FROM holds h \
              WHERE h.state = 'held')",
        )?,
    })
}

/// The shards of the reserved budgets that do not hold exactly the budgets reserved for the
/// months not yet charged. One statement, so one snapshot: a click that reserves meanwhile
/// is seen in both tables or in neither.
pub fn reservation_mismatches(conn: &mut DbConnection) -> QueryResult<Vec<i64>> {
    let sql = format!(
        "SELECT a.id AS id FROM ledger_accounts a LEFT JOIN \
         (SELECT b.reader_id % {shards} AS shard, SUM(b.amount_micros) AS reserved \
          FROM month_budgets b WHERE {NOT_YET_CHARGED} GROUP BY b.reader_id % {shards}) o \
         ON o.shard = a.shard \
         WHERE a.kind = 'reserved_budgets' AND a.owner_id IS NULL \
         AND a.balance_micros <> CAST(COALESCE(o.reserved, 0) AS BIGINT) ORDER BY a.id",
        shards = RESERVATION_SHARDS
    );
    Ok(diesel::sql_query(sql)
        .load::<Id>(conn)?
        .into_iter()
        .map(|row| row.id)
        .collect())
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
