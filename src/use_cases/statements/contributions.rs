//! Where a reader's budget went in a settled month, recomputed with settlement's own split.

use std::collections::{HashMap, HashSet};

use super::StatementError;
use crate::db::DbConnection;
use crate::domain::allocation;
use crate::domain::hold::{HoldState, ShareStatus};
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::clicks;
use crate::models::donations::{self, Donation};
use crate::models::statements as rows;

/// Where one share of a reader's budget went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub thing_id: i64,
    pub title: String,
    pub url: String,
    pub creator_id: i64,
    pub creator_name: String,
    pub amount: Money,
    /// Paid to the creator, held for them, or back with the reader (or their charity).
    pub status: ShareStatus,
}

/// A reader's month: nothing until it is settled, then the budget debited and its split, or,
/// for a month without clicks, what it gave to the charity as the reader chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributions {
    pub month: Month,
    pub settled: bool,
    pub debited: Money,
    pub allocations: Vec<Allocation>,
    /// The idle month's gift to the charity, and the charity's name (money rule 6).
    pub donated: Option<(Money, String)>,
}

/// One reader's month (see `contributions_of`).
pub fn contributions(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> Result<Contributions, StatementError> {
    contributions_of(conn, &[reader], month)?
        .pop()
        .ok_or(StatementError::Database(diesel::result::Error::NotFound))
}

/// Several readers' months, in `readers`' order, read with a few set queries for all of them
/// rather than several each: the statement mails compose a run of readers at a time. Keep
/// `readers` to a few hundred (each is a bound parameter on SQLite).
pub fn contributions_of(
    conn: &mut DbConnection,
    readers: &[UserId],
    month: Month,
) -> Result<Vec<Contributions>, StatementError> {
    let unsettled = Contributions {
        month,
        settled: false,
        debited: Money::ZERO,
        allocations: Vec::new(),
        donated: None,
    };
    if !rows::is_settled(conn, month)? {
        return Ok(readers.iter().map(|_| unsettled.clone()).collect());
    }
    let ids: Vec<i64> = readers.iter().map(|reader| reader.0).collect();
    let budgets: HashMap<i64, Money> = clicks::reservations(conn, &ids, month)?
        .into_iter()
        .collect();
    let reserved: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| budgets.contains_key(id))
        .collect();
    let mut lines: HashMap<i64, Vec<rows::ReaderLine>> = HashMap::new();
    if !reserved.is_empty() {
        for line in rows::reader_lines(conn, &reserved, month)? {
            lines.entry(line.reader_id).or_default().push(line);
        }
    }
    // A month with no budget or no clicks split nothing; it may have gone to the charity.
    let idle: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !lines.contains_key(id))
        .collect();
    let gifts: HashMap<i64, Donation> = match idle.is_empty() {
        true => HashMap::new(),
        false => donations::of_readers(conn, &idle, month)?
            .into_iter()
            .map(|gift| (gift.reader.0, gift))
            .collect(),
    };
    let returning: Vec<i64> = lines
        .iter()
        .filter(|(_, things)| {
            things
                .iter()
                .any(|line| matches!(line.hold, Some((HoldState::Returned, _))))
        })
        .map(|(reader, _)| *reader)
        .collect();
    let donated_returns: HashSet<i64> = match returning.is_empty() {
        true => HashSet::new(),
        false => rows::returns_donated(conn, &returning, month)?
            .into_iter()
            .collect(),
    };
    readers
        .iter()
        .map(
            |reader| match (budgets.get(&reader.0), lines.get(&reader.0)) {
                (Some(budget), Some(things)) => {
                    let donated = donated_returns.contains(&reader.0);
                    split(*reader, month, *budget, things, donated)
                }
                _ => Ok(Contributions {
                    settled: true,
                    donated: gifts
                        .get(&reader.0)
                        .map(|gift| (gift.amount, gift.charity.clone())),
                    ..unsettled.clone()
                }),
            },
        )
        .collect()
}

/// A reader's budget split over the things they clicked, with settlement's own split, and
/// where each share stands. `donated`: their share of returned holds went to the charity.
fn split(
    reader: UserId,
    month: Month,
    budget: Money,
    things: &[rows::ReaderLine],
    donated: bool,
) -> Result<Contributions, StatementError> {
    let ids: Vec<ThingId> = things.iter().map(|line| ThingId(line.thing_id)).collect();
    let shares = allocation::split(budget, &ids, reader, month)?;
    let allocations = things
        .iter()
        .zip(shares)
        .map(|(line, share)| Allocation {
            status: match line.hold {
                // Released to this very reader, who proved the page since: their own share
                // went back to their funds.
                Some((HoldState::Released, Some(to))) if to == reader.0 => ShareStatus::Returned,
                hold => ShareStatus::of(hold.map(|(state, _)| state), donated),
            },
            thing_id: line.thing_id,
            title: line.title.clone(),
            url: line.url.clone(),
            creator_id: line.owner_id,
            creator_name: line.owner_name.clone(),
            amount: share,
        })
        .collect();
    Ok(Contributions {
        month,
        settled: true,
        debited: budget,
        allocations,
        donated: None,
    })
}
