//! Idle months to the charity (PRODUCT.md money rule 6, as Flattr did): a reader who clicked
//! nothing in the month, and whose budget said `charity` before the month began (a change
//! applies from the next month) and is not paused, gives the budget, or their funds when
//! they hold less, to the charity the instance names. Without a charity nobody gives: a
//! choice left from a former configuration counts as `keep`.
//!
//! Written in the creators stage's last transaction, with the holds and the stage's end, so a
//! crash leaves all of it or none; one ledger movement keyed `settlement:<month>:donations`
//! (the self-check reads it with the month's other movements) and a `month_donations` row per
//! reader, whose primary key refuses a month given twice.

use chrono::{DateTime, Utc};

use super::{SettlementError, sum};
use crate::db::DbConnection;
use crate::domain::allocation::MonthTotals;
use crate::domain::budget::idle_gift;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::{Money, Month, UserId, Zone};
use crate::models::donations::{self, Donation};
use crate::models::{budgets, ledger_bulk};

/// The ledger key of the month's gifts.
pub fn key(month: Month) -> String {
    format!("settlement:{month}:donations")
}

/// Gives the idle month of every reader who chose so, in the caller's transaction; returns
/// what was given.
pub(super) fn give(
    conn: &mut DbConnection,
    month: Month,
    totals: &MonthTotals,
    charity: Option<&str>,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Money, SettlementError> {
    let Some(charity) = charity else {
        return Ok(Money::ZERO);
    };
    // `charges` is sorted by reader: the readers who clicked are not idle.
    let clicked = |reader: &UserId| {
        totals
            .charges
            .binary_search_by_key(reader, |(r, _)| *r)
            .is_ok()
    };
    let givers: Vec<(UserId, Money)> = budgets::charity_choices(conn)?
        .into_iter()
        .filter(|(reader, choice)| choice.gives(month, zone) && !clicked(reader))
        .map(|(reader, choice)| (reader, choice.budget))
        .collect();
    if givers.is_empty() {
        return Ok(Money::ZERO);
    }
    let ids: Vec<UserId> = givers.iter().map(|(reader, _)| *reader).collect();
    let funds = donations::lock_funds(conn, &ids)?;
    let gifts: Vec<Donation> = givers
        .iter()
        .filter_map(|(reader, budget)| {
            let held = funds
                .binary_search_by_key(reader, |(r, _)| *r)
                .ok()
                .and_then(|found| funds.get(found))
                .map_or(Money::ZERO, |(_, held)| *held);
            idle_gift(*budget, held).map(|amount| Donation {
                reader: *reader,
                budget: *budget,
                amount,
                charity: charity.to_owned(),
            })
        })
        .collect();
    let total = sum(gifts.iter().map(|gift| gift.amount))?;
    if total == Money::ZERO {
        return Ok(total);
    }
    let mut postings: Vec<(AccountRef, Money)> = gifts
        .iter()
        .map(|gift| {
            gift.amount
                .checked_neg()
                .map(|taken| (AccountRef::User(gift.reader, AccountKind::Funds), taken))
                .ok_or(SettlementError::Overflow)
        })
        .collect::<Result<_, _>>()?;
    postings.push((AccountRef::Platform(AccountKind::Charity), total));
    let transfer =
        Transfer::new(MovementKind::IdleDonation, postings).map_err(SettlementError::Transfer)?;
    ledger_bulk::post_many(conn, &transfer, &key(month), now)?;
    donations::insert(conn, month, &gifts)?;
    Ok(total)
}
