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

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Month, ThingId, UserId};

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
}

/// Splits `budget` (micro-units) over `things`, the distinct things a reader clicked in `month`.
/// The shares come in the order of `things` and sum to `budget` exactly; each is `⌊budget ÷ n⌋`
/// or one more. No click, no share (and no charge: the caller debits nothing).
pub fn split(
    budget: i64,
    things: &[ThingId],
    reader: UserId,
    month: Month,
) -> Result<Vec<i64>, AllocationError> {
    if budget < 0 {
        return Err(AllocationError::Negative);
    }
    let Ok(n) = i64::try_from(things.len()) else {
        return Err(AllocationError::Negative);
    };
    if n == 0 {
        return Ok(Vec::new());
    }
    let base = budget / n;
    let leftover = usize::try_from(budget % n).unwrap_or(0);
    let mut shares = vec![base; things.len()];
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
                *share += 1;
            }
        }
    }
    Ok(shares)
}

/// The platform's fee on a creator's monthly `gross`: `gross × percent ÷ 100`, rounded down to
/// the micro-unit.
pub fn fee(gross: i64, percent: Decimal) -> Result<i64, AllocationError> {
    if gross < 0 {
        return Err(AllocationError::Negative);
    }
    if percent < Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
        return Err(AllocationError::FeePercent);
    }
    (Decimal::from(gross) * percent / Decimal::ONE_HUNDRED)
        .floor()
        .to_i64()
        .ok_or(AllocationError::Negative)
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

/// One reader's month, as settlement reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderMonth {
    pub reader: UserId,
    /// The reserved budget, in micro-units.
    pub budget: i64,
    /// The distinct things clicked.
    pub clicks: Vec<ThingId>,
}

/// What a creator earned in a month, in micro-units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Earnings {
    pub clicks: u64,
    pub gross: i64,
    pub fee: i64,
    pub net: i64,
}

/// What one thing earned in a month: its owner's gross from it, or, for a thing nobody has
/// claimed yet, money held for whoever proves the page is theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThingEarnings {
    pub owner: UserId,
    pub clicks: u64,
    pub amount: i64,
    pub claimed: bool,
}

/// Who a thing belongs to when its month is settled: its owner, and whether a verified site
/// of the owner covers it (PRODUCT.md, "Claims").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThingOwner {
    pub owner: UserId,
    pub claimed: bool,
}

/// A whole month's settlement, computed in memory: what the job writes and what its
/// self-check compares the database with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthTotals {
    /// Σ budgets of the readers who clicked (those who did not are not charged).
    pub debited: i64,
    pub readers: u64,
    pub clicks: u64,
    /// Per creator: clicks, gross, fee and net.
    pub creators: BTreeMap<UserId, Earnings>,
    /// Per thing: its owner, clicks and amount.
    pub things: BTreeMap<ThingId, ThingEarnings>,
    pub fees: i64,
    /// Σ amounts of the unclaimed things, held: Σ debited = Σ creators' gross + held.
    pub held: i64,
    /// Each reader who clicked and what they are charged (their budget), by reader.
    pub charges: Vec<(UserId, i64)>,
}

/// Adds up a month reader by reader, so that a month of millions of clicks streams through
/// it: only per-thing totals and each reader's charge stay in memory. The totals are a hash
/// map while the month streams (tens of millions of updates; a B-tree costs several times
/// more per update; Fx hashing because ids are not chosen by an attacker who could flood one
/// bucket, and SipHash cost a fifth of the settlement's arithmetic), sorted once at the end.
/// Creators are added up from their things at the end: looking up each click's owner and
/// creator while streaming cost two cache misses per click, most of the time of a month.
#[derive(Debug, Clone)]
pub struct MonthAccumulator {
    month: Month,
    debited: i64,
    readers: u64,
    clicks: u64,
    /// Per thing: clicks and amount.
    things: FxHashMap<ThingId, (u64, i64)>,
    charges: Vec<(UserId, i64)>,
}

impl MonthAccumulator {
    pub fn new(month: Month) -> MonthAccumulator {
        MonthAccumulator {
            month,
            debited: 0,
            readers: 0,
            clicks: 0,
            things: FxHashMap::default(),
            charges: Vec::new(),
        }
    }

    /// Splits one reader's budget and counts it; returns the shares, in the order of the
    /// reader's clicks (none for a reader without clicks, who is not charged).
    pub fn add(&mut self, reader: &ReaderMonth) -> Result<Vec<i64>, AllocationError> {
        let shares = split(reader.budget, &reader.clicks, reader.reader, self.month)?;
        if shares.is_empty() {
            return Ok(shares);
        }
        // Each reader's allocation equals their budget, checked on every reader of every run.
        if shares.iter().sum::<i64>() != reader.budget {
            return Err(AllocationError::Inexact(reader.reader.0));
        }
        self.debited += reader.budget;
        self.readers += 1;
        self.charges.push((reader.reader, reader.budget));
        for (thing, share) in reader.clicks.iter().zip(&shares) {
            self.clicks += 1;
            let earned = self.things.entry(*thing).or_default();
            earned.0 += 1;
            earned.1 += share;
        }
        Ok(shares)
    }

    /// Credits each claimed thing's earnings to its owner (`owner_of`), holds the unclaimed
    /// ones', takes each creator's fee on their gross and returns the month's totals.
    pub fn finish(
        self,
        fee_percent: Decimal,
        owner_of: impl Fn(ThingId) -> Option<ThingOwner>,
    ) -> Result<MonthTotals, AllocationError> {
        let mut charges = self.charges;
        charges.sort_unstable();
        let mut totals = MonthTotals {
            charges,
            debited: self.debited,
            readers: self.readers,
            clicks: self.clicks,
            ..MonthTotals::default()
        };
        let mut creators: FxHashMap<UserId, (u64, i64)> = FxHashMap::default();
        for (thing, (clicks, amount)) in self.things {
            let ThingOwner { owner, claimed } =
                owner_of(thing).ok_or(AllocationError::UnknownThing(thing.0))?;
            if claimed {
                let creator = creators.entry(owner).or_default();
                creator.0 += clicks;
                creator.1 += amount;
            } else {
                totals.held += amount;
            }
            totals.things.insert(
                thing,
                ThingEarnings {
                    owner,
                    clicks,
                    amount,
                    claimed,
                },
            );
        }
        for (creator, (clicks, gross)) in creators {
            let fee = fee(gross, fee_percent)?;
            totals.fees += fee;
            totals.creators.insert(
                creator,
                Earnings {
                    clicks,
                    gross,
                    fee,
                    net: gross - fee,
                },
            );
        }
        Ok(totals)
    }
}

/// What one reader's month gave to the things `chosen` picks: (thing, share) for each click
/// on one of them, with settlement's own split (so the shares are the ones that were paid or
/// held). This is how the end of a hold finds what goes back to each reader.
pub fn shares_for(
    reader: &ReaderMonth,
    month: Month,
    chosen: impl Fn(ThingId) -> bool,
) -> Result<Vec<(ThingId, i64)>, AllocationError> {
    let shares = split(reader.budget, &reader.clicks, reader.reader, month)?;
    Ok(reader
        .clicks
        .iter()
        .zip(shares)
        .filter(|(thing, _)| chosen(**thing))
        .map(|(thing, share)| (*thing, share))
        .collect())
}

/// Settles `readers` for `month` in memory.
pub fn settle_month(
    month: Month,
    readers: &[ReaderMonth],
    fee_percent: Decimal,
    owner_of: impl Fn(ThingId) -> Option<ThingOwner>,
) -> Result<MonthTotals, AllocationError> {
    let mut month_totals = MonthAccumulator::new(month);
    for reader in readers {
        month_totals.add(reader)?;
    }
    month_totals.finish(fee_percent, owner_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn november() -> Month {
        Month::new(2026, 11).expect("month")
    }

    fn things(ids: &[i64]) -> Vec<ThingId> {
        ids.iter().copied().map(ThingId).collect()
    }

    /// Each thing's owner in the generated months: thing ids 1–2,000 are owned by creators 1–300
    /// (`thing mod 300 + 1`), who are readers too; one thing in ten (ids ending in 7) is not
    /// claimed yet.
    fn owner_of(thing: ThingId) -> Option<ThingOwner> {
        Some(ThingOwner {
            owner: UserId(thing.0 % 300 + 1),
            claimed: thing.0 % 10 != 7,
        })
    }

    /// A reader (numbered by the month; creators are readers 1–300) with a budget of whole cents
    /// from 2.00 to 100.00 and up to `max_clicks` distinct things (ids 1–2,000, see `owner_of`).
    fn a_reader(max_clicks: usize) -> impl Strategy<Value = ReaderMonth> {
        (
            Just(0_i64),
            200_i64..=10_000,
            proptest::collection::btree_set(1_i64..=2_000, 0..=max_clicks),
        )
            .prop_map(|(reader, cents, things)| ReaderMonth {
                reader: UserId(reader),
                budget: cents * 10_000,
                clicks: things.into_iter().map(ThingId).collect(),
            })
    }

    #[test]
    fn examples() {
        let month = november();
        // 2.00 over 3 clicks: 666,666 each and two leftover units.
        let shares = split(2_000_000, &things(&[1, 2, 3]), UserId(7), month).expect("split");
        let mut sorted = shares.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [666_666, 666_667, 666_667]);
        assert_eq!(split(2_000_000, &[], UserId(7), month), Ok(vec![]));
        assert_eq!(
            split(-1, &things(&[1]), UserId(7), month),
            Err(AllocationError::Negative)
        );
        assert_eq!(fee(1_000_000, Decimal::from(10)), Ok(100_000));
        // 10 % of 0.000019 is 0.0000019: rounded down, the creator keeps the fraction.
        assert_eq!(fee(19, Decimal::from(10)), Ok(1));
        assert_eq!(fee(19, Decimal::ZERO), Ok(0));
        assert_eq!(
            fee(19, Decimal::from(101)),
            Err(AllocationError::FeePercent)
        );
    }

    #[test]
    fn the_odd_unit_rotates_from_month_to_month() {
        // 1 micro-unit over 3 things: who gets it must not be the same thing every month.
        let winners: std::collections::BTreeSet<usize> = (1..=12)
            .map(|m| {
                let month = Month::new(2026, m).expect("month");
                let shares = split(1, &things(&[1, 2, 3]), UserId(7), month).expect("split");
                shares.iter().position(|s| *s == 1).expect("one winner")
            })
            .collect();
        assert_eq!(winners.len(), 3, "every thing wins some month");
    }

    proptest! {
        #[test]
        fn a_split_is_exact_fair_and_independent_of_row_order(
            budget in 2_000_000_i64..=100_000_000,
            ids in proptest::collection::btree_set(1_i64..1_000_000, 0..500),
            reader in 1_i64..1_000_000,
            month in 1_u32..=12,
            rotation in any::<usize>(),
        ) {
            let month = Month::new(2026, month).expect("month");
            let things: Vec<ThingId> = ids.into_iter().map(ThingId).collect();
            let shares = split(budget, &things, UserId(reader), month).expect("split");
            prop_assert_eq!(shares.len(), things.len());
            if !things.is_empty() {
                let n = i64::try_from(things.len()).expect("n");
                prop_assert_eq!(shares.iter().sum::<i64>(), budget);
                for share in &shares {
                    // Within one micro-unit of budget ÷ n.
                    prop_assert!(*share == budget / n || *share == budget / n + 1);
                    prop_assert!(*share >= 0);
                }
            }
            // The same clicks in another order: each thing gets the same share.
            let mut rotated: Vec<(ThingId, i64)> = things.iter().copied().zip(shares).collect();
            if !rotated.is_empty() {
                let by = rotation % rotated.len();
                rotated.rotate_left(by);
            }
            let reordered: Vec<ThingId> = rotated.iter().map(|(t, _)| *t).collect();
            let again = split(budget, &reordered, UserId(reader), month).expect("split");
            let expected: Vec<i64> = rotated.iter().map(|(_, s)| *s).collect();
            prop_assert_eq!(again, expected);
        }

        #[test]
        fn a_fee_is_rounded_down_and_never_more_than_the_gross(
            gross in 0_i64..1_000_000_000_000,
            percent in 0_u32..=100,
            tenths in 0_u32..10,
        ) {
            let percent = (Decimal::from(percent) + Decimal::new(i64::from(tenths), 1))
                .min(Decimal::ONE_HUNDRED);
            let fee = fee(gross, percent).expect("fee");
            prop_assert!(fee >= 0 && fee <= gross);
            let exact = Decimal::from(gross) * percent / Decimal::ONE_HUNDRED;
            prop_assert!(Decimal::from(fee) <= exact && exact < Decimal::from(fee + 1));
        }
    }

    proptest! {
        // PRODUCT.md's money rules over whole months. Sizes are skewed small, with one month in
        // a hundred as large as the bound (up to 5,000 readers; one reader in twenty with
        // up to 500 clicks), so that 10,000 months run in a test run; creators are readers.
        #![proptest_config(ProptestConfig::with_cases(10_000))]
        #[test]
        fn a_month_settles_exactly_in_any_row_order(
            month in 1_u32..=12,
            fee_percent in 0_u32..=30,
            readers in prop_oneof![
                99 => proptest::collection::vec(a_reader(20), 0..=30),
                1 => proptest::collection::vec(
                    prop_oneof![19 => a_reader(20), 1 => a_reader(500)],
                    0..=5000,
                ),
            ].prop_map(|mut readers| {
                // One entry per reader, as the month's clicks are grouped.
                for (n, reader) in readers.iter_mut().enumerate() {
                    reader.reader = UserId(i64::try_from(n).unwrap_or(0) + 1);
                }
                readers
            }),
            seed in any::<u64>(),
        ) {
            let month = Month::new(2026, month).expect("month");
            let fee_percent = Decimal::from(fee_percent);
            let totals = settle_month(month, &readers, fee_percent, owner_of).expect("settle");
            let credited: i64 = totals.creators.values().map(|e| e.net).sum();
            prop_assert_eq!(totals.debited, credited + totals.fees + totals.held);
            let gross: i64 = totals.creators.values().map(|e| e.gross).sum();
            prop_assert_eq!(gross + totals.held, totals.debited);
            let by_thing: i64 = totals.things.values().map(|t| t.amount).sum();
            prop_assert_eq!(by_thing, totals.debited);
            let unclaimed: i64 = totals.things.values().filter(|t| !t.claimed).map(|t| t.amount).sum();
            prop_assert_eq!(unclaimed, totals.held);
            let creator_clicks: u64 = totals.creators.values().map(|e| e.clicks).sum();
            let held_clicks: u64 = totals.things.values().filter(|t| !t.claimed).map(|t| t.clicks).sum();
            let thing_clicks: u64 = totals.things.values().map(|t| t.clicks).sum();
            prop_assert_eq!((creator_clicks + held_clicks, thing_clicks), (totals.clicks, totals.clicks));
            let charged: i64 = readers.iter().filter(|r| !r.clicks.is_empty()).map(|r| r.budget).sum();
            prop_assert_eq!(totals.debited, charged, "readers without clicks are not charged");
            for earnings in totals.creators.values() {
                prop_assert!(earnings.gross >= 0 && earnings.fee >= 0 && earnings.net >= 0);
            }
            for reader in &readers {
                let shares = split(reader.budget, &reader.clicks, reader.reader, month).expect("split");
                if let Ok(n) = i64::try_from(shares.len()) && n > 0 {
                    prop_assert_eq!(shares.iter().sum::<i64>(), reader.budget);
                    prop_assert!(shares.iter().all(|s| *s == reader.budget / n || *s == reader.budget / n + 1));
                }
            }
            // The same month read in another order: readers and each reader's clicks shuffled.
            let shuffle_key = |i: usize| mix(seed ^ u64::try_from(i).unwrap_or(0));
            let mut shuffled: Vec<(u64, ReaderMonth)> = readers
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut clicks: Vec<(u64, ThingId)> = r.clicks.iter().enumerate()
                        .map(|(j, c)| (shuffle_key(i * 1_000 + j), *c)).collect();
                    clicks.sort_unstable_by_key(|(k, _)| *k);
                    let clicks = clicks.into_iter().map(|(_, c)| c).collect();
                    (shuffle_key(i), ReaderMonth { clicks, ..r.clone() })
                })
                .collect();
            shuffled.sort_unstable_by_key(|(k, _)| *k);
            let shuffled: Vec<ReaderMonth> = shuffled.into_iter().map(|(_, r)| r).collect();
            prop_assert_eq!(settle_month(month, &shuffled, fee_percent, owner_of).expect("settle"), totals);
        }

        /// Held money's whole life (PRODUCT.md, "Claims"): a month is settled with one thing
        /// in ten unclaimed; later some of those are claimed (their holds released to the
        /// owner) and the others' holds end (each reader's shares of them returned). At every
        /// point paid + held + returned = debited, to the micro-unit, and what goes back to
        /// the readers is exactly what each ended hold recorded.
        #[test]
        fn held_paid_and_returned_always_add_up_to_what_was_debited(
            month in 1_u32..=12,
            fee_percent in 0_u32..=30,
            readers in proptest::collection::vec(a_reader(40), 0..=60).prop_map(|mut readers| {
                for (n, reader) in readers.iter_mut().enumerate() {
                    reader.reader = UserId(i64::try_from(n).unwrap_or(0) + 1);
                }
                readers
            }),
            claimed_later in any::<u64>(),
        ) {
            let month = Month::new(2026, month).expect("month");
            let totals = settle_month(month, &readers, Decimal::from(fee_percent), owner_of)
                .expect("settle");
            let gross: i64 = totals.creators.values().map(|e| e.gross).sum();
            prop_assert_eq!(gross + totals.held, totals.debited);
            // Which unclaimed things get claimed before their hold ends.
            let released_now = |thing: ThingId| (claimed_later >> (thing.0 % 64)) & 1 == 1;
            let holds: Vec<(ThingId, i64)> = totals.things.iter()
                .filter(|(_, t)| !t.claimed)
                .map(|(id, t)| (*id, t.amount))
                .collect();
            let released: i64 = holds.iter().filter(|(id, _)| released_now(*id)).map(|(_, a)| a).sum();
            let ended: Vec<(ThingId, i64)> = holds.iter().copied().filter(|(id, _)| !released_now(*id)).collect();
            let ended_total: i64 = ended.iter().map(|(_, a)| a).sum();
            let mut returned_per_thing: std::collections::BTreeMap<ThingId, i64> = Default::default();
            let mut returned = 0_i64;
            for reader in &readers {
                let unclaimed_ended = |t: ThingId| owner_of(t).is_some_and(|o| !o.claimed) && !released_now(t);
                for (thing, share) in shares_for(reader, month, unclaimed_ended).expect("shares") {
                    prop_assert!(share >= 0);
                    returned += share;
                    *returned_per_thing.entry(thing).or_default() += share;
                }
            }
            let expected_per_thing: std::collections::BTreeMap<ThingId, i64> =
                ended.iter().copied().filter(|(_, a)| *a > 0).collect();
            returned_per_thing.retain(|_, a| *a > 0);
            prop_assert_eq!(returned_per_thing, expected_per_thing);
            prop_assert_eq!(returned, ended_total);
            let paid = gross + released;
            let still_held = totals.held - released - returned;
            prop_assert_eq!(still_held, 0);
            prop_assert_eq!(paid + still_held + returned, totals.debited);
        }
    }
}
