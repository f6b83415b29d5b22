//! The month-end settlement (docs/SETTLEMENT.md). Built so far: reading a closed month and
//! computing what it would pay (`dry_run`); writing it to the ledger is to come.

mod input;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::db::DbConnection;
use crate::domain::Month;
use crate::domain::allocation::{AllocationError, MonthAccumulator, MonthTotals};

#[derive(Debug, thiserror::Error)]
pub enum SettlementError {
    /// A month can be settled once it is over: its clicks and undos are then final.
    #[error("the month {month} is not over yet; it can be settled from {opens} (UTC)")]
    MonthOpen { month: Month, opens: String },
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Refuses a month that is not over at `now`.
pub fn check_closed(month: Month, now: DateTime<Utc>) -> Result<(), SettlementError> {
    if Month::containing(now) <= month {
        return Err(SettlementError::MonthOpen {
            month,
            opens: month.next().start().format("%Y-%m-%d %H:%M").to_string(),
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
) -> Result<MonthTotals, SettlementError> {
    check_closed(month, now)?;
    let mut totals = MonthAccumulator::new(month);
    input::for_each_reader(conn, month, |reader| {
        totals.add(&reader)?;
        Ok(())
    })?;
    Ok(totals.finish(fee_percent)?)
}
