//! Monthly statements: what a settled month paid a creator (per thing), and where a reader's
//! budget went. The pages, the CSV exports, the JSON API and the statement mails all read
//! them from here, so they agree to the micro-unit.
//!
//! A creator's figures are the totals settlement wrote (and its self-check proved). A reader's
//! allocation is recomputed from the month's clicks with the same split settlement used
//! (`domain::allocation::split`): the split depends on nothing but the budget, the things
//! clicked and the month, so the recomputation gives the very amounts that were paid, without
//! storing one row per click.

mod contributions;
mod year;

pub use contributions::{Allocation, Contributions, contributions, contributions_of};
pub use year::{
    ContributionFigures, ContributionsMonth, ContributionsYear, EarningsFigures, EarningsMonth,
    EarningsYear, contributions_year, earnings_year,
};

use diesel::QueryResult;
use rust_decimal::Decimal;

use crate::db::DbConnection;
use crate::domain::allocation::AllocationError;
use crate::domain::apportion::apportion;
use crate::domain::hold::HoldState;
use crate::domain::{Money, Month, UserId, Zone};
use crate::models::statements::{self as rows, CreatorMonth};
use crate::models::{things, users};

#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// One thing's line in a creator's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThingLine {
    pub thing_id: i64,
    pub title: String,
    pub clicks: i64,
    /// The thing's share of the month (zero until the month is settled).
    pub amount: Money,
    /// Whether a verified site of the creator covered the thing: its share was paid. An
    /// unsettled month tells whether it is claimed today.
    pub claimed: bool,
    /// For an unclaimed thing of a settled month, where its held share stands.
    pub hold: Option<HoldState>,
    /// The thing's part of the month's fee and what it paid the creator, for a claimed thing
    /// of a settled month: the fee apportioned over the claimed things (`domain::apportion`),
    /// so that the parts add up to the month's fee and net exactly.
    pub fee: Option<Money>,
    pub net: Option<Money>,
}

/// A creator's month. Until the month is settled, only the live click counts are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earnings {
    pub month: Month,
    pub settled: bool,
    pub clicks: i64,
    pub gross: Money,
    pub fee: Money,
    pub net: Money,
    /// The shares of the creator's unclaimed things that are still held for them: not
    /// payable until they prove the pages are theirs.
    pub held: Money,
    /// What the month's held shares paid the creator later, when they proved the pages (less
    /// the fee and their own clicks' share).
    pub released: Money,
    /// The fee rate settlement used, in percent, when it recorded it.
    pub fee_percent: Option<Decimal>,
    pub things: Vec<ThingLine>,
}

pub fn earnings(conn: &mut DbConnection, creator: UserId, month: Month) -> QueryResult<Earnings> {
    let settled = rows::is_settled(conn, month)?;
    if !settled {
        let things: Vec<ThingLine> = things::by_owner(conn, creator, month)?
            .into_iter()
            .filter(|(_, clicks)| *clicks > 0)
            .map(|(thing, clicks)| ThingLine {
                thing_id: thing.id,
                claimed: thing.site_id.is_some(),
                title: thing.title,
                clicks,
                amount: Money::ZERO,
                hold: None,
                fee: None,
                net: None,
            })
            .collect();
        return Ok(Earnings {
            month,
            settled,
            clicks: things.iter().map(|t| t.clicks).sum(),
            gross: Money::ZERO,
            fee: Money::ZERO,
            net: Money::ZERO,
            held: Money::ZERO,
            released: Money::ZERO,
            fee_percent: None,
            things,
        });
    }
    let totals = rows::creator_month(conn, creator, month)?.unwrap_or_default();
    let mut things: Vec<ThingLine> = rows::thing_months(conn, creator, month)?
        .into_iter()
        .map(|line| ThingLine {
            thing_id: line.thing_id,
            title: line.title,
            clicks: line.clicks,
            amount: line.amount,
            claimed: line.hold.is_none(),
            hold: line.hold,
            fee: None,
            net: None,
        })
        .collect();
    share_out_fee(month, creator, &mut things, totals);
    Ok(Earnings {
        month,
        settled,
        clicks: totals.clicks,
        gross: totals.gross,
        fee: totals.fee,
        net: totals.net(),
        held: Money::from_micros(rows::held_for(conn, creator, month)?),
        released: Money::from_micros(rows::released_to(conn, creator, month)?),
        fee_percent: rows::fee_rate(conn, month)?,
        things,
    })
}

/// Gives each claimed thing its part of the month's fee, in proportion to its amount. The
/// claimed things' amounts are the creator's gross (settlement's self-check proved it); if
/// they were not, the per-thing figures would not add up, so none are shown.
fn share_out_fee(month: Month, creator: UserId, things: &mut [ThingLine], totals: CreatorMonth) {
    let amounts: Vec<i64> = things
        .iter()
        .filter(|t| t.claimed)
        .map(|t| t.amount.micros())
        .collect();
    if Money::checked_sum(amounts.iter().copied().map(Money::from_micros)) != Some(totals.gross) {
        tracing::error!(%month, creator = creator.0, "the things' amounts differ from the gross");
        return;
    }
    let parts = match apportion(totals.fee.micros(), &amounts) {
        Ok(parts) => parts,
        Err(e) => {
            tracing::error!(%month, creator = creator.0, "the fee cannot be shared out: {e}");
            return;
        }
    };
    for (thing, part) in things.iter_mut().filter(|t| t.claimed).zip(parts) {
        thing.fee = Some(Money::from_micros(part));
        thing.net = Some(Money::from_micros(thing.amount.micros() - part));
    }
}

/// The first month a creator's pages list: the month their account was opened, or an earlier
/// one their statements hold something for (held money of months before the account, released
/// to them when they proved the page). Months before it are not theirs to look at. `zone` is
/// the instance's, on whose calendar the account was opened.
pub fn creator_first_month(
    conn: &mut DbConnection,
    creator: UserId,
    zone: Zone,
) -> QueryResult<Month> {
    let earliest = rows::first_creator_month(conn, creator)?;
    first_month(conn, creator, earliest, zone)
}

/// The first month a reader's pages list: the month their account was opened (or an earlier
/// one they reserved a budget in, which only a clock set back can make).
pub fn reader_first_month(
    conn: &mut DbConnection,
    reader: UserId,
    zone: Zone,
) -> QueryResult<Month> {
    let earliest = rows::first_reader_month(conn, reader)?;
    first_month(conn, reader, earliest, zone)
}

fn first_month(
    conn: &mut DbConnection,
    user: UserId,
    earliest: Option<String>,
    zone: Zone,
) -> QueryResult<Month> {
    let opened = users::find(conn, user)?
        .map(|row| Month::containing(row.created_at.and_utc(), zone))
        .ok_or(diesel::result::Error::NotFound)?;
    Ok(earliest
        .and_then(|text| Month::parse(&text).ok())
        .map_or(opened, |month| month.min(opened)))
}

/// One month's bar of the earnings chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthNet {
    pub month: Month,
    pub net: Money,
}

/// The months from `first` to `last`, at most the last `count` of them, oldest first, with
/// what each paid the creator (zero for a month without earnings). None when `first` is after
/// `last`.
pub fn history(
    conn: &mut DbConnection,
    creator: UserId,
    first: Month,
    last: Month,
    count: usize,
) -> QueryResult<Vec<MonthNet>> {
    if first > last {
        return Ok(Vec::new());
    }
    let mut months = vec![last];
    while months.len() < count {
        let earliest = months.last().copied().unwrap_or(last);
        if earliest <= first {
            break;
        }
        months.push(earliest.previous());
    }
    months.reverse();
    let first = months.first().copied().unwrap_or(last);
    let rows = rows::creator_months(conn, creator, first, last)?;
    Ok(months
        .into_iter()
        .map(|month| {
            let text = month.to_string();
            let net = rows
                .iter()
                .find(|(m, _)| *m == text)
                .map_or(Money::ZERO, |(_, totals)| totals.net());
            MonthNet { month, net }
        })
        .collect())
}
