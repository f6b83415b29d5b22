//! Where a reader's budget went in a settled month, recomputed with settlement's own split.

use super::StatementError;
use crate::db::DbConnection;
use crate::domain::allocation;
use crate::domain::hold::{HoldState, ShareStatus};
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::statements as rows;
use crate::models::{clicks, donations};

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

pub fn contributions(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> Result<Contributions, StatementError> {
    let settled = rows::is_settled(conn, month)?;
    let budget = if settled {
        clicks::reservation(conn, reader, month)?
    } else {
        None
    };
    let thing_ids = match budget {
        Some(_) => rows::reader_month_things(conn, reader, month)?,
        None => Vec::new(),
    };
    let Some(budget) = budget.filter(|_| !thing_ids.is_empty()) else {
        let donated = match settled {
            true => donations::of_reader(conn, reader, month)?.map(|d| (d.amount, d.charity)),
            false => None,
        };
        return Ok(Contributions {
            month,
            settled,
            debited: Money::ZERO,
            allocations: Vec::new(),
            donated,
        });
    };
    let ids: Vec<ThingId> = thing_ids.iter().copied().map(ThingId).collect();
    let shares = allocation::split(budget, &ids, reader, month)?;
    let described = rows::things_with_owners(conn, &thing_ids)?;
    let holds = rows::hold_states(conn, month, &thing_ids)?;
    let donated = holds
        .iter()
        .any(|(_, state, _)| *state == HoldState::Returned)
        && rows::return_donated(conn, reader, month)?;
    let allocations = thing_ids
        .iter()
        .zip(shares)
        .map(|(id, share)| {
            let found = described.iter().find(|row| row.id == *id);
            Allocation {
                thing_id: *id,
                title: found.map(|r| r.title.clone()).unwrap_or_default(),
                url: found.map(|r| r.url.clone()).unwrap_or_default(),
                creator_id: found.map_or(0, |r| r.owner_id),
                creator_name: found.map(|r| r.owner_name.clone()).unwrap_or_default(),
                amount: share,
                status: match holds.iter().find(|(thing, _, _)| thing == id) {
                    // Released to this very reader, who proved the page since: their own
                    // share went back to their funds.
                    Some((_, HoldState::Released, Some(to))) if *to == reader.0 => {
                        ShareStatus::Returned
                    }
                    found => ShareStatus::of(found.map(|(_, state, _)| *state), donated),
                },
            }
        })
        .collect();
    Ok(Contributions {
        month,
        settled,
        debited: budget,
        allocations,
        donated: None,
    })
}
