//! The month-end settlement (docs/SETTLEMENT.md): `dry_run` computes what a closed month
//! pays; `run::settle` writes it, in resumable chunks, and checks it.

mod add_up;
pub mod auto;
mod check;
mod chunks;
pub mod command;
mod donations;
mod input;
pub mod lock;
mod outcome;
mod returns;
pub mod run;
mod tree;
mod tree_check;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use crate::db::DbConnection;
use crate::domain::allocation::{AllocationError, MonthTotals};
use crate::domain::{Money, Month, Zone};

#[derive(Debug, thiserror::Error)]
pub enum SettlementError {
    /// A month can be settled once it is over and its grace has passed.
    #[error(
        "the month {month} is not over yet, or its grace period after midnight is not; it can \
         be settled from {opens} (OBOLE_TIME_ZONE; OBOLE_SETTLE_GRACE_SECONDS sets the grace)"
    )]
    MonthOpen { month: Month, opens: String },
    #[error("the settlement of {0} is already running in another process")]
    AlreadyRunning(Month),
    #[error(
        "the settlement of {month} failed before and needs an operator: {reason} \
         (once the cause is fixed: obole settle --month {month} --retry)"
    )]
    PreviouslyFailed { month: Month, reason: String },
    #[error("the settlement of {month} FAILED its self-check, nothing is marked settled: {reason}")]
    CheckFailed { month: Month, reason: String },
    /// Fault injection for the crash tests (`OBOLE_SETTLE_STOP_AFTER_CHUNKS`).
    #[error("stopped on request after {0} chunk(s)")]
    Stopped(u64),
    #[error("the lock file {path}: {source}")]
    LockFile {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Ledger(#[from] crate::models::ledger::PostError),
    #[error(transparent)]
    Claim(#[from] crate::use_cases::claims::ClaimError),
    /// The month's data contradict each other (a bug or a hand edit): nothing is written.
    #[error("the month's data are inconsistent: {0}")]
    Inconsistent(String),
    #[error("an unbalanced settlement movement: {0:?}")]
    Transfer(crate::domain::ledger::TransferError),
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    /// A sum of the month's amounts does not fit in micro-units: nothing more is written.
    #[error("the month's amounts add up beyond what an amount can hold")]
    Overflow,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("no database connection: {0}")]
    Connection(#[from] diesel::r2d2::PoolError),
    /// One of the run's threads (reading the month, writing the statements) panicked.
    #[error("a thread of the settlement stopped unexpectedly")]
    ThreadFailed,
}

/// Σ `amounts`, checked: a sum beyond an amount's range stops the run, never wraps.
pub(crate) fn sum(amounts: impl IntoIterator<Item = Money>) -> Result<Money, SettlementError> {
    Money::checked_sum(amounts).ok_or(SettlementError::Overflow)
}

/// Refuses a month that is not over, grace included, at `now`: the month closes at local
/// midnight of the next month's first day in `zone` (the instance's `OBOLE_TIME_ZONE`).
pub fn check_closed(
    month: Month,
    now: DateTime<Utc>,
    grace: TimeDelta,
    zone: Zone,
) -> Result<(), SettlementError> {
    let opens = month.end(zone) + grace;
    if now < opens {
        return Err(SettlementError::MonthOpen {
            month,
            opens: format!("{} {zone}", zone.local_text(opens)),
        });
    }
    Ok(())
}

/// What settling `month` would pay, computed from the database without writing anything.
pub fn dry_run(
    conn: &mut DbConnection,
    month: Month,
    fee_percent: Decimal,
    now: DateTime<Utc>,
    grace: TimeDelta,
    zone: Zone,
) -> Result<MonthTotals, SettlementError> {
    check_closed(month, now, grace, zone)?;
    let size = run::RunOptions::default().readers_per_chunk;
    let input = input::MonthInput::load(conn, month)?;
    add_up::read_and_add_up(conn, input, fee_percent, size, &mut |_| {})
}
