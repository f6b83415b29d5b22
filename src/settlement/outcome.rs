//! What a run reports: a settled month's totals, read from its run row, and whether this
//! call settled it.

use super::SettlementError;
use crate::db::DbConnection;
use crate::domain::{Money, Month};
use crate::models::settlement::{self as rows, RunRow};

/// A settled month's totals, from its run row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub month: Month,
    pub readers: i64,
    pub clicks: i64,
    pub creators: usize,
    pub debited: Money,
    pub fees: Money,
    /// The shares of unclaimed things, held when the month was settled.
    pub held: Money,
    /// The idle months given to the charity (money rule 6), from readers' funds.
    pub donated: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This call settled the month (or finished a run that a crash interrupted).
    Settled(Settled),
    /// The month was settled before: nothing changed.
    AlreadySettled(Settled),
}

/// The settled month's totals, as its run row and its statements recorded them.
pub(super) fn summary(
    conn: &mut DbConnection,
    month: Month,
    run: &RunRow,
) -> Result<Settled, SettlementError> {
    Ok(Settled {
        month,
        readers: run.readers,
        clicks: run.clicks,
        creators: rows::count_creators(conn, month)?,
        debited: Money::from_micros(run.debited_micros),
        fees: Money::from_micros(run.fees_micros),
        held: super::sum(
            rows::month_holds(conn, month)?
                .iter()
                .map(|share| share.amount),
        )?,
        donated: super::sum(
            crate::models::donations::of_month(conn, month)?
                .iter()
                .map(|gift| gift.amount),
        )?,
    })
}
