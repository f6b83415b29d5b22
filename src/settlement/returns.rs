//! Holds that end unclaimed (PRODUCT.md, "Claims"): the run of month M gives back what the
//! months up to M − `OBOLE_CLAIM_HOLD_MONTHS` still hold, each share to the reader whose
//! budget paid it, in full, or to the charity the instance names when the reader's budget
//! says `charity` (`held_returns.donated`). A share is recomputed with settlement's own split from the held
//! month's clicks (as statements do), so nothing per click was stored; the shares of each
//! thing must add up to what its hold recorded, or nothing is returned.
//!
//! What is read is prepared before the write transaction; the write then moves every hold of
//! a month from `held` to `returned` by one conditional update that must touch exactly the
//! holds prepared (a hold released meanwhile makes the run stop and retry later), with one
//! ledger movement keyed `held_return:<month>` and the readers' `held_returns` rows.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::{SettlementError, sum};
use crate::db::DbConnection;
use crate::db::bulk::{self, Rows};
use crate::db::schema::{clicks, held_returns, holds, month_budgets};
use crate::domain::allocation::{ReaderMonth, shares_for};
use crate::domain::hold::HoldState;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::{budgets, ledger_bulk};

/// A held month whose hold has ended: what goes back to whom.
#[derive(Debug, Clone)]
pub struct Expired {
    month: Month,
    holds: usize,
    total: Money,
    to_readers: Vec<(UserId, Money)>,
}

/// The last month whose holds end with the run of `month`.
pub fn last_expired(month: Month, hold_months: u32) -> Month {
    (0..hold_months).fold(month, |m, _| m.previous())
}

/// Reads what the months up to `month` − `hold_months` still hold and whose share it is.
pub fn prepare(
    conn: &mut DbConnection,
    month: Month,
    hold_months: u32,
) -> Result<Vec<Expired>, SettlementError> {
    let last = last_expired(month, hold_months).to_string();
    let months: Vec<String> = holds::table
        .filter(holds::state.eq(HoldState::Held.as_str()))
        .filter(holds::month.le(&last))
        .select(holds::month)
        .distinct()
        .order(holds::month.asc())
        .load(conn)?;
    months
        .iter()
        .map(|text| {
            let held = Month::parse(text)
                .map_err(|_| SettlementError::Inconsistent(format!("a hold in month {text:?}")))?;
            prepare_month(conn, held)
        })
        .collect()
}

fn prepare_month(conn: &mut DbConnection, month: Month) -> Result<Expired, SettlementError> {
    let text = month.to_string();
    let held: BTreeMap<i64, Money> = holds::table
        .filter(holds::month.eq(&text))
        .filter(holds::state.eq(HoldState::Held.as_str()))
        .select((holds::thing_id, holds::amount_micros))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .map(|(thing, micros)| (thing, Money::from_micros(micros)))
        .collect();
    let held_things = holds::table
        .filter(holds::month.eq(text.clone()))
        .filter(holds::state.eq(HoldState::Held.as_str()))
        .select(holds::thing_id);
    let readers: Vec<i64> = clicks::table
        .filter(clicks::month.eq(text.clone()))
        .filter(clicks::thing_id.eq_any(held_things))
        .select(clicks::reader_id)
        .distinct()
        .order(clicks::reader_id.asc())
        .load(conn)?;
    let mut budgets: BTreeMap<i64, Money> = BTreeMap::new();
    let mut by_reader: BTreeMap<i64, Vec<ThingId>> = BTreeMap::new();
    // In chunks of readers: a bound list stays well under either database's limit.
    for chunk in readers.chunks(10_000) {
        let clicked: Vec<(i64, i64)> = clicks::table
            .filter(clicks::month.eq(&text))
            .filter(clicks::reader_id.eq_any(chunk))
            .order((clicks::reader_id.asc(), clicks::thing_id.asc()))
            .select((clicks::reader_id, clicks::thing_id))
            .load(conn)?;
        for (reader, thing) in clicked {
            by_reader.entry(reader).or_default().push(ThingId(thing));
        }
        let rows: Vec<(i64, i64)> = month_budgets::table
            .filter(month_budgets::month.eq(&text))
            .filter(month_budgets::reader_id.eq_any(chunk))
            .select((month_budgets::reader_id, month_budgets::amount_micros))
            .load(conn)?;
        budgets.extend(
            rows.into_iter()
                .map(|(reader, micros)| (reader, Money::from_micros(micros))),
        );
    }
    let mut per_thing: BTreeMap<i64, Money> = BTreeMap::new();
    let mut to_readers = Vec::with_capacity(by_reader.len());
    for (reader, things) in &by_reader {
        let budget = budgets.get(reader).copied().ok_or_else(|| {
            SettlementError::Inconsistent(format!(
                "reader {reader} clicked in {month} without a reserved budget"
            ))
        })?;
        let reader_month = ReaderMonth {
            reader: UserId(*reader),
            budget,
            clicks: things.clone(),
        };
        let mut back = Money::ZERO;
        for (thing, share) in shares_for(&reader_month, month, |t| held.contains_key(&t.0))? {
            back = sum([back, share])?;
            let of_thing = per_thing.entry(thing.0).or_default();
            *of_thing = sum([*of_thing, share])?;
        }
        if back > Money::ZERO {
            to_readers.push((UserId(*reader), back));
        }
    }
    // The recomputed shares must be exactly what settlement held, thing by thing.
    let recomputed: BTreeMap<i64, Money> = per_thing
        .into_iter()
        .filter(|(_, v)| *v > Money::ZERO)
        .collect();
    if recomputed != held {
        return Err(SettlementError::Inconsistent(format!(
            "the held shares of {month} recomputed from its clicks differ from its holds"
        )));
    }
    Ok(Expired {
        month,
        holds: held.len(),
        total: sum(held.values().copied())?,
        to_readers,
    })
}

/// Returns the prepared months, in the caller's transaction: to each reader's funds, or to
/// `charity` for the readers who chose to give.
pub fn write(
    conn: &mut DbConnection,
    expired: &[Expired],
    charity: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    for month in expired {
        let text = month.month.to_string();
        let moved = diesel::update(
            holds::table
                .filter(holds::month.eq(&text))
                .filter(holds::state.eq(HoldState::Held.as_str())),
        )
        .set((
            holds::state.eq(HoldState::Returned.as_str()),
            holds::resolved_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if moved != month.holds {
            return Err(SettlementError::Inconsistent(format!(
                "holds of {} changed while they were being returned; run the settlement again",
                month.month
            )));
        }
        if month.total == Money::ZERO {
            continue;
        }
        // The choice as it stands when the hold ends: the share was given long ago, and
        // where the reader wants their money now is what they asked for. Without a charity
        // named, everything goes back to the readers' funds.
        let givers: Vec<UserId> = match charity {
            Some(_) => {
                let readers: Vec<UserId> = month.to_readers.iter().map(|(r, _)| *r).collect();
                budgets::chose_charity(conn, &readers)?
            }
            None => Vec::new(),
        };
        let mut rows = Rows::new(2);
        let mut postings: Vec<(AccountRef, Money)> = Vec::with_capacity(month.to_readers.len() + 2);
        let mut given = Money::ZERO;
        for (reader, amount) in &month.to_readers {
            rows.push(&[reader.0, amount.micros()]);
            if givers.binary_search(reader).is_ok() {
                given = sum([given, *amount])?;
            } else {
                postings.push((AccountRef::User(*reader, AccountKind::Funds), *amount));
            }
        }
        if given > Money::ZERO {
            postings.push((AccountRef::Platform(AccountKind::Charity), given));
        }
        postings.push((
            AccountRef::Platform(AccountKind::Held),
            month.total.checked_neg().ok_or(SettlementError::Overflow)?,
        ));
        bulk::insert_month_rows(
            conn,
            "held_returns",
            &["reader_id", "amount_micros"],
            &text,
            &rows,
        )?;
        for chunk in givers.chunks(10_000) {
            let ids: Vec<i64> = chunk.iter().map(|r| r.0).collect();
            diesel::update(
                held_returns::table
                    .filter(held_returns::month.eq(&text))
                    .filter(held_returns::reader_id.eq_any(ids)),
            )
            .set(held_returns::donated.eq(true))
            .execute(conn)?;
        }
        let transfer =
            Transfer::new(MovementKind::HeldReturn, postings).map_err(SettlementError::Transfer)?;
        ledger_bulk::post_many(conn, &transfer, &format!("held_return:{text}"), now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_of_a_month_ends_the_holds_of_six_months_before() {
        let october = Month::new(2026, 10).expect("month");
        assert_eq!(
            last_expired(october, 6),
            Month::new(2026, 4).expect("month")
        );
        assert_eq!(last_expired(october, 0), october);
        let february = Month::new(2027, 2).expect("month");
        assert_eq!(
            last_expired(february, 3),
            Month::new(2026, 11).expect("month")
        );
    }
}
