//! Settlement arithmetic, in integer micro-units: a reader's budget split over the month's
//! clicks, and the platform's fee on a creator's monthly gross. Pure, so that it can be
//! proved alone (property tests below); the settlement job only feeds it and records it.
//!
//! **The split** (PRODUCT.md, money rule 3: the largest-remainder method). Every click of a
//! reader's month is worth the same, `budget ÷ n`, so every share has the same fractional part:
//! each click gets `⌊budget ÷ n⌋` micro-units and the `budget mod n` leftover units go one each
//! to the clicks that come first in the tie order. That order is a stable pseudo-random key of
//! (month, reader, thing), so it differs from month to month and from reader to reader: no
//! thing always gets, or always misses, the odd micro-unit, and the result depends on nothing
//! but the month's clicks, never on the order rows are read in.
//!
//! **The fee** (money rule 4): `gross × percent ÷ 100`, rounded down to the micro-unit, once per
//! creator and month; the creator keeps any fraction of a micro-unit.
//!
//! Amounts are [`Money`] and every sum is checked: a month whose totals would not fit in an
//! `i64` of micro-units stops with [`AllocationError::Overflow`] before anything is written,
//! never wraps. Checked adds cost what plain ones do in the per-click loop.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Money, Month, ThingId, UserId};

mod month_totals;
pub use month_totals::{
    Earnings, MonthAccumulator, MonthTotals, ReaderMonth, ThingEarnings, ThingOwner, settle_month,
    shares_for,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("a budget or gross amount cannot be negative")]
    Negative,
    #[error("a fee percentage must lie between 0 and 100")]
    FeePercent,
    /// A reader's shares do not add up to their budget: a bug, caught before anything is paid.
    #[error("the shares of reader {0} do not add up to their budget")]
    Inexact(i64),
    /// A click on a thing nobody owns: the database is inconsistent.
    #[error("a click on thing {0}, which does not exist")]
    UnknownThing(i64),
    /// A sum of the month's amounts does not fit in micro-units: nothing is settled.
    #[error("the month's amounts add up beyond what an amount can hold")]
    Overflow,
}

/// Adds two amounts of the month, or stops the settlement: never a wrapped or saturated sum.
fn add(a: Money, b: Money) -> Result<Money, AllocationError> {
    a.checked_add(b).ok_or(AllocationError::Overflow)
}

/// Splits `budget` (micro-units) over `things`, the distinct things a reader clicked in `month`.
/// The shares come in the order of `things` and sum to `budget` exactly; each is `⌊budget ÷ n⌋`
/// or one more. No click, no share (and no charge: the caller debits nothing).
pub fn split(
    budget: Money,
    things: &[ThingId],
    reader: UserId,
    month: Month,
) -> Result<Vec<Money>, AllocationError> {
    if budget.is_negative() {
        return Err(AllocationError::Negative);
    }
    let budget = budget.micros();
    let Ok(n) = i64::try_from(things.len()) else {
        return Err(AllocationError::Negative);
    };
    if n == 0 {
        return Ok(Vec::new());
    }
    let base = budget / n;
    let leftover = usize::try_from(budget % n).unwrap_or(0);
    let mut shares = vec![Money::from_micros(base); things.len()];
    if leftover > 0 {
        let month_key = mix(month_index(month));
        let reader_key = mix(month_key ^ reader.0.cast_unsigned());
        let mut order: Vec<(u64, i64, usize)> = things
            .iter()
            .enumerate()
            .map(|(at, thing)| (mix(reader_key ^ thing.0.cast_unsigned()), thing.0, at))
            .collect();
        // The key, then the thing id: a total order that the input order cannot change.
        order.sort_unstable();
        for &(_, _, at) in order.iter().take(leftover) {
            if let Some(share) = shares.get_mut(at) {
                *share = add(*share, Money::from_micros(1))?;
            }
        }
    }
    Ok(shares)
}

/// The platform's fee on a creator's monthly `gross`: `gross × percent ÷ 100`, rounded down to
/// the micro-unit.
pub fn fee(gross: Money, percent: Decimal) -> Result<Money, AllocationError> {
    if gross.is_negative() {
        return Err(AllocationError::Negative);
    }
    if percent < Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
        return Err(AllocationError::FeePercent);
    }
    (Decimal::from(gross.micros()) * percent / Decimal::ONE_HUNDRED)
        .floor()
        .to_i64()
        .map(Money::from_micros)
        .ok_or(AllocationError::Overflow)
}

/// SplitMix64's finalizer: a cheap, well-spread 64-bit mix. Written here because the tie order
/// needs only this, and it must never change with a dependency's version: a settled month
/// must settle the same way when it is recomputed. Not cryptographic; nobody gains by
/// predicting who gets a micro-unit.
fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn month_index(month: Month) -> u64 {
    let months = i64::from(month.year()) * 12 + i64::from(month.month());
    months.cast_unsigned()
}

#[cfg(test)]
#[path = "allocation_tests.rs"]
mod tests;
