//! Yearly statements (issue 23, item 4): a creator's and a reader's months of one calendar
//! year, each with the figures an accountant asks for, and the year's totals. The months are
//! those of the account only (from the first month its monthly pages list, as they do) up to
//! the current one; a month not settled yet has zeros but for the payouts sent in it.
//!
//! A reader's months are their monthly statements (`contributions`), added up, so that the
//! year and the months never disagree; a creator's are read for the whole year at once.

use rust_decimal::Decimal;

use super::{StatementError, contributions, creator_first_month, reader_first_month};
use crate::db::DbConnection;
use crate::domain::allocation::AllocationError;
use crate::domain::hold::{HoldState, ShareStatus};
use crate::domain::{Money, Month, UserId, Year, Zone};
use crate::models::statements as rows;
use crate::models::year_statements::{self as year_rows, HoldRow};

/// A sum that leaves an amount's range: a broken database, reported, never wrapped.
fn sum(amounts: impl IntoIterator<Item = Money>) -> Result<Money, StatementError> {
    Money::checked_sum(amounts).ok_or(StatementError::Allocation(AllocationError::Overflow))
}

/// What a creator's month (or year) came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EarningsFigures {
    pub clicks: i64,
    pub gross: Money,
    pub fee: Money,
    /// `gross − fee`: what settlement credited to the revenue.
    pub net: Money,
    /// Shares of the month's unclaimed things still held for the creator.
    pub held: Money,
    /// What the month's held shares paid the creator later, once they proved the pages
    /// (less the fee and their own clicks' share).
    pub released: Money,
    /// The month's held shares nobody proved in time: back with their readers.
    pub returned: Money,
    /// Payouts an operator marked sent in the month (by the day they were sent).
    pub paid_out: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarningsMonth {
    pub month: Month,
    pub settled: bool,
    /// The fee rate, in percent, the month's run kept (`None`: not settled, or not kept).
    pub fee_percent: Option<Decimal>,
    pub figures: EarningsFigures,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarningsYear {
    pub year: Year,
    /// The account's first month (the months before it are not listed).
    pub first: Month,
    pub months: Vec<EarningsMonth>,
    pub totals: EarningsFigures,
}

/// A creator's year; `current` is the month "now" is in (later months are not listed), on the
/// calendar of `zone`, the instance's.
pub fn earnings_year(
    conn: &mut DbConnection,
    creator: UserId,
    year: Year,
    current: Month,
    zone: Zone,
) -> Result<EarningsYear, StatementError> {
    let first = creator_first_month(conn, creator, zone)?;
    let months = year.months_between(first, current);
    let (Some(&from), Some(&to)) = (months.first(), months.last()) else {
        return Ok(EarningsYear {
            year,
            first,
            months: Vec::new(),
            totals: EarningsFigures::default(),
        });
    };
    let runs = year_rows::runs(conn, from, to)?;
    let totals = rows::creator_months(conn, creator, from, to)?;
    let holds = year_rows::creator_holds(conn, creator, from, to)?;
    let payouts = year_rows::sent_between(conn, creator, from.start(zone), to.end(zone))?;
    let months = months
        .into_iter()
        .map(|month| {
            let text = month.to_string();
            let run = runs.iter().find(|r| r.month == text && r.done);
            let settled = totals.iter().find(|(m, _)| *m == text).map(|(_, t)| *t);
            let settled_figures = settled.filter(|_| run.is_some()).unwrap_or_default();
            let of_month = holds.iter().filter(|h| h.month == text);
            let paid_out = payouts
                .iter()
                .filter(|(at, _)| Month::containing(at.and_utc(), zone) == month)
                .map(|(_, amount)| Money::from_micros(*amount));
            Ok(EarningsMonth {
                month,
                settled: run.is_some(),
                fee_percent: run.and_then(|r| r.fee_percent),
                figures: EarningsFigures {
                    clicks: settled_figures.clicks,
                    gross: settled_figures.gross,
                    fee: settled_figures.fee,
                    net: settled_figures.net(),
                    held: holds_in(of_month.clone(), creator, HoldState::Held)?,
                    released: released_in(of_month.clone(), creator)?,
                    returned: holds_in(of_month, creator, HoldState::Returned)?,
                    paid_out: sum(paid_out)?,
                },
            })
        })
        .collect::<Result<Vec<_>, StatementError>>()?;
    let totals = add_up_earnings(&months)?;
    Ok(EarningsYear {
        year,
        first,
        months,
        totals,
    })
}

/// Σ the shares of the creator's holds in `state`.
fn holds_in<'a>(
    holds: impl Iterator<Item = &'a HoldRow>,
    creator: UserId,
    state: HoldState,
) -> Result<Money, StatementError> {
    sum(holds
        .filter(|h| h.creator_id == creator.0 && h.state == state)
        .map(|h| Money::from_micros(h.amount_micros)))
}

/// What the holds released to the creator paid them: each share less its fee and their own.
fn released_in<'a>(
    holds: impl Iterator<Item = &'a HoldRow>,
    creator: UserId,
) -> Result<Money, StatementError> {
    let paid = holds
        .filter(|h| h.released_to == Some(creator.0) && h.state == HoldState::Released)
        .map(|h| {
            h.amount_micros
                .checked_sub(h.fee_micros.unwrap_or(0))
                .and_then(|rest| rest.checked_sub(h.own_micros))
                .map(Money::from_micros)
                .ok_or(StatementError::Allocation(AllocationError::Overflow))
        })
        .collect::<Result<Vec<_>, _>>()?;
    sum(paid)
}

fn add_up_earnings(months: &[EarningsMonth]) -> Result<EarningsFigures, StatementError> {
    let column = |pick: fn(&EarningsFigures) -> Money| sum(months.iter().map(|m| pick(&m.figures)));
    Ok(EarningsFigures {
        clicks: months
            .iter()
            .try_fold(0_i64, |all, m| all.checked_add(m.figures.clicks))
            .ok_or(StatementError::Allocation(AllocationError::Overflow))?,
        gross: column(|f| f.gross)?,
        fee: column(|f| f.fee)?,
        net: column(|f| f.net)?,
        held: column(|f| f.held)?,
        released: column(|f| f.released)?,
        returned: column(|f| f.returned)?,
        paid_out: column(|f| f.paid_out)?,
    })
}

/// What a reader's month (or year) came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContributionFigures {
    /// The budgets debited at settlement.
    pub debited: Money,
    /// Shares the creators have (at settlement, or when they proved the page later).
    pub paid: Money,
    /// Shares still held for creators who have not proven their page.
    pub held: Money,
    /// Held shares that came back to the reader: nobody proved the page in time.
    pub returned: Money,
    /// Given to the instance's charity, as the reader chose: returned shares, and the
    /// budget of a month without clicks (`idle_gift`, not part of `debited`).
    pub donated: Money,
    /// The part of `donated` that an idle month gave from the funds.
    pub idle_gift: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionsMonth {
    pub month: Month,
    pub settled: bool,
    pub figures: ContributionFigures,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionsYear {
    pub year: Year,
    pub first: Month,
    pub months: Vec<ContributionsMonth>,
    pub totals: ContributionFigures,
}

/// A reader's year, month by month from their monthly statements (`current` and `zone` as for
/// [`earnings_year`]).
pub fn contributions_year(
    conn: &mut DbConnection,
    reader: UserId,
    year: Year,
    current: Month,
    zone: Zone,
) -> Result<ContributionsYear, StatementError> {
    let first = reader_first_month(conn, reader, zone)?;
    let months = year
        .months_between(first, current)
        .into_iter()
        .map(|month| {
            let report = contributions(conn, reader, month)?;
            let status = |wanted: ShareStatus| {
                sum(report
                    .allocations
                    .iter()
                    .filter(|a| a.status == wanted)
                    .map(|a| a.amount))
            };
            let idle_gift = report.donated.as_ref().map_or(Money::ZERO, |(a, _)| *a);
            Ok(ContributionsMonth {
                month,
                settled: report.settled,
                figures: ContributionFigures {
                    debited: report.debited,
                    paid: status(ShareStatus::Paid)?,
                    held: status(ShareStatus::Held)?,
                    returned: status(ShareStatus::Returned)?,
                    donated: sum([status(ShareStatus::Donated)?, idle_gift])?,
                    idle_gift,
                },
            })
        })
        .collect::<Result<Vec<_>, StatementError>>()?;
    let column =
        |pick: fn(&ContributionFigures) -> Money| sum(months.iter().map(|m| pick(&m.figures)));
    let totals = ContributionFigures {
        debited: column(|f| f.debited)?,
        paid: column(|f| f.paid)?,
        held: column(|f| f.held)?,
        returned: column(|f| f.returned)?,
        donated: column(|f| f.donated)?,
        idle_gift: column(|f| f.idle_gift)?,
    };
    Ok(ContributionsYear {
        year,
        first,
        months,
        totals,
    })
}
