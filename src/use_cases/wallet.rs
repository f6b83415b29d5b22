//! Wallet use cases: vouchers in, budgets chosen, balances and movements out. Each runs in its
//! own write transaction (nesting as a savepoint inside a caller's).

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::budget::{BudgetAmount, BudgetError, Unspent};
use crate::domain::journey::Readiness;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer, TransferError};
use crate::domain::voucher::VoucherCode;
use crate::domain::{Money, Month, UserId, Zone};
use crate::models::budgets::{self, Budget};
use crate::models::ledger::{self, PostError, UserBalances};
use crate::models::vouchers::{self, Claim};

/// The largest batch one command or form may issue.
pub const MAX_VOUCHERS_PER_BATCH: u32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    #[error("no such voucher")]
    VoucherNotFound,
    #[error("this voucher was already redeemed")]
    VoucherUsed,
    #[error(transparent)]
    Budget(#[from] BudgetError),
    #[error("a voucher batch holds 1 to {MAX_VOUCHERS_PER_BATCH} vouchers of at least 0.01")]
    InvalidBatch,
    /// The reader asked to give idle months to a charity, and the instance names none.
    #[error("this instance names no charity")]
    NoCharity,
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error(transparent)]
    Ledger(#[from] PostError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Issues `count` vouchers worth `amount` each and records their value as outstanding:
/// voucher sales (the outside world) → vouchers outstanding. Returns the codes, which exist
/// nowhere else in clear.
pub fn issue_vouchers(
    conn: &mut DbConnection,
    amount: Money,
    count: u32,
    created_by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Vec<VoucherCode>, WalletError> {
    if count == 0
        || count > MAX_VOUCHERS_PER_BATCH
        || amount <= Money::ZERO
        || !amount.is_whole_cents()
    {
        return Err(WalletError::InvalidBatch);
    }
    let total = Money::from_micros(
        amount
            .micros()
            .checked_mul(i64::from(count))
            .ok_or(WalletError::InvalidBatch)?,
    );
    let mut rng = rand::rngs::OsRng;
    let codes: Vec<VoucherCode> = (0..count)
        .map(|_| VoucherCode::generate(&mut rng))
        .collect();
    write_transaction(conn, |conn| {
        let batch = vouchers::insert_batch(conn, amount, &codes, created_by, now)?;
        let transfer = Transfer::between(
            MovementKind::VoucherIssue,
            AccountRef::Platform(AccountKind::VoucherSales),
            AccountRef::Platform(AccountKind::VouchersOutstanding),
            total,
        )?;
        ledger::post(
            conn,
            &transfer,
            Some(&format!("voucher_batch:{batch}")),
            now,
        )?;
        Ok(codes)
    })
}

/// What a redemption did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redemption {
    /// The voucher's value, now in the reader's funds.
    pub credited: Money,
    /// The reader's funds after it.
    pub funds: Money,
}

/// Redeems a code into the reader's funds: vouchers outstanding → funds. A code is good once,
/// whatever the concurrency.
pub fn redeem_voucher(
    conn: &mut DbConnection,
    user: UserId,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Redemption, WalletError> {
    let code = VoucherCode::parse(typed).ok_or(WalletError::VoucherNotFound)?;
    write_transaction(conn, |conn| {
        match vouchers::claim(conn, &code, user, now)? {
            Claim::NotFound => Err(WalletError::VoucherNotFound),
            Claim::AlreadyUsed => Err(WalletError::VoucherUsed),
            Claim::Claimed { voucher_id, amount } => {
                let transfer = Transfer::between(
                    MovementKind::VoucherRedemption,
                    AccountRef::Platform(AccountKind::VouchersOutstanding),
                    AccountRef::User(user, AccountKind::Funds),
                    amount,
                )?;
                ledger::post(conn, &transfer, Some(&format!("voucher:{voucher_id}")), now)?;
                let funds = ledger::balance(conn, AccountRef::User(user, AccountKind::Funds))?;
                Ok(Redemption {
                    credited: amount,
                    funds,
                })
            }
        }
    })
}

/// Sets the reader's monthly budget. `paused: None` keeps the current pause state. The month
/// already started keeps the budget its first click reserved; this choice applies from the
/// next reservation. What idle months do with the budget stays as it was.
pub fn set_budget(
    conn: &mut DbConnection,
    user: UserId,
    amount: BudgetAmount,
    paused: Option<bool>,
    now: DateTime<Utc>,
) -> Result<Budget, WalletError> {
    set_budget_choice(conn, user, amount, paused, None, false, now)
}

/// Like [`set_budget`], and `unspent: Some(..)` also chooses what a month without clicks does
/// with the budget (money rule 6; `None` keeps the current choice). Choosing the charity is
/// refused (`NoCharity`) unless `charity_named`: the instance names one.
pub fn set_budget_choice(
    conn: &mut DbConnection,
    user: UserId,
    amount: BudgetAmount,
    paused: Option<bool>,
    unspent: Option<Unspent>,
    charity_named: bool,
    now: DateTime<Utc>,
) -> Result<Budget, WalletError> {
    if unspent == Some(Unspent::Charity) && !charity_named {
        return Err(WalletError::NoCharity);
    }
    write_transaction(conn, |conn| {
        let current = budgets::find(conn, user)?;
        let budget = Budget {
            amount: amount.money(),
            paused: paused.unwrap_or_else(|| current.is_some_and(|b| b.paused)),
            unspent: unspent.unwrap_or_else(|| current.map_or(Unspent::Keep, |b| b.unspent)),
        };
        budgets::save(conn, user, budget, now)?;
        Ok(budget)
    })
}

/// What a reader's wallet page and `GET /me` show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalletSummary {
    pub balances: UserBalances,
    pub budget: Option<Budget>,
}

pub fn summary(conn: &mut DbConnection, user: UserId) -> Result<WalletSummary, WalletError> {
    Ok(WalletSummary {
        balances: ledger::user_balances(conn, user)?,
        budget: budgets::find(conn, user)?,
    })
}

/// How far a signed-in reader is from being able to tip this month (see
/// [`crate::domain::journey`]); this month is the one of `now` in `zone`, the instance's.
pub fn readiness(
    conn: &mut DbConnection,
    user: UserId,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Readiness, WalletError> {
    let month = Month::containing(now, zone);
    Ok(Readiness {
        signed_in: true,
        funds: ledger::user_balances(conn, user)?.funds,
        budget: budgets::find(conn, user)?
            .filter(|b| !b.paused)
            .map(|b| b.amount),
        reserved: crate::models::clicks::reservation(conn, user, month)?.is_some(),
    })
}
