//! The settlement arithmetic's examples and properties (`allocation.rs`).

use super::*;
use proptest::prelude::*;

fn m(micros: i64) -> Money {
    Money::from_micros(micros)
}

/// The shares as micro-units, to reason about them as numbers.
fn micros(shares: &[Money]) -> Vec<i64> {
    shares.iter().map(|share| share.micros()).collect()
}

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
            budget: m(cents * 10_000),
            clicks: things.into_iter().map(ThingId).collect(),
        })
}

#[test]
fn examples() {
    let month = november();
    // 2.00 over 3 clicks: 666,666 each and two leftover units.
    let shares = split(m(2_000_000), &things(&[1, 2, 3]), UserId(7), month).expect("split");
    let mut sorted = micros(&shares);
    sorted.sort_unstable();
    assert_eq!(sorted, [666_666, 666_667, 666_667]);
    assert_eq!(split(m(2_000_000), &[], UserId(7), month), Ok(vec![]));
    assert_eq!(
        split(m(-1), &things(&[1]), UserId(7), month),
        Err(AllocationError::Negative)
    );
    assert_eq!(fee(m(1_000_000), Decimal::from(10)), Ok(m(100_000)));
    // 10 % of 0.000019 is 0.0000019: rounded down, the creator keeps the fraction.
    assert_eq!(fee(m(19), Decimal::from(10)), Ok(m(1)));
    assert_eq!(fee(m(19), Decimal::ZERO), Ok(Money::ZERO));
    assert_eq!(
        fee(m(19), Decimal::from(101)),
        Err(AllocationError::FeePercent)
    );
}

#[test]
fn the_odd_unit_rotates_from_month_to_month() {
    // 1 micro-unit over 3 things: who gets it must not be the same thing every month.
    let winners: std::collections::BTreeSet<usize> = (1..=12)
        .map(|number| {
            let month = Month::new(2026, number).expect("month");
            let shares = split(m(1), &things(&[1, 2, 3]), UserId(7), month).expect("split");
            shares.iter().position(|s| *s == m(1)).expect("one winner")
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
        let shares = micros(&split(m(budget), &things, UserId(reader), month).expect("split"));
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
        let again = micros(&split(m(budget), &reordered, UserId(reader), month).expect("split"));
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
        let fee = fee(m(gross), percent).expect("fee").micros();
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
        let (debited, fees, held) = (totals.debited.micros(), totals.fees.micros(), totals.held.micros());
        let credited: i64 = totals.creators.values().map(|e| e.net.micros()).sum();
        prop_assert_eq!(debited, credited + fees + held);
        let gross: i64 = totals.creators.values().map(|e| e.gross.micros()).sum();
        prop_assert_eq!(gross + held, debited);
        let by_thing: i64 = totals.things.values().map(|t| t.amount.micros()).sum();
        prop_assert_eq!(by_thing, debited);
        let unclaimed: i64 = totals.things.values().filter(|t| !t.claimed).map(|t| t.amount.micros()).sum();
        prop_assert_eq!(unclaimed, held);
        let creator_clicks: u64 = totals.creators.values().map(|e| e.clicks).sum();
        let held_clicks: u64 = totals.things.values().filter(|t| !t.claimed).map(|t| t.clicks).sum();
        let thing_clicks: u64 = totals.things.values().map(|t| t.clicks).sum();
        prop_assert_eq!((creator_clicks + held_clicks, thing_clicks), (totals.clicks, totals.clicks));
        let charged: i64 = readers.iter().filter(|r| !r.clicks.is_empty()).map(|r| r.budget.micros()).sum();
        prop_assert_eq!(debited, charged, "readers without clicks are not charged");
        for earnings in totals.creators.values() {
            prop_assert!(!earnings.gross.is_negative() && !earnings.fee.is_negative() && !earnings.net.is_negative());
        }
        for reader in &readers {
            let shares = micros(&split(reader.budget, &reader.clicks, reader.reader, month).expect("split"));
            let budget = reader.budget.micros();
            if let Ok(n) = i64::try_from(shares.len()) && n > 0 {
                prop_assert_eq!(shares.iter().sum::<i64>(), budget);
                prop_assert!(shares.iter().all(|s| *s == budget / n || *s == budget / n + 1));
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
        let (debited, held) = (totals.debited.micros(), totals.held.micros());
        let gross: i64 = totals.creators.values().map(|e| e.gross.micros()).sum();
        prop_assert_eq!(gross + held, debited);
        // Which unclaimed things get claimed before their hold ends.
        let released_now = |thing: ThingId| (claimed_later >> (thing.0 % 64)) & 1 == 1;
        let holds: Vec<(ThingId, i64)> = totals.things.iter()
            .filter(|(_, t)| !t.claimed)
            .map(|(id, t)| (*id, t.amount.micros()))
            .collect();
        let released: i64 = holds.iter().filter(|(id, _)| released_now(*id)).map(|(_, a)| a).sum();
        let ended: Vec<(ThingId, i64)> = holds.iter().copied().filter(|(id, _)| !released_now(*id)).collect();
        let ended_total: i64 = ended.iter().map(|(_, a)| a).sum();
        let mut returned_per_thing: std::collections::BTreeMap<ThingId, i64> = Default::default();
        let mut returned = 0_i64;
        for reader in &readers {
            let unclaimed_ended = |t: ThingId| owner_of(t).is_some_and(|o| !o.claimed) && !released_now(t);
            for (thing, share) in shares_for(reader, month, unclaimed_ended).expect("shares") {
                let share = share.micros();
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
        let still_held = held - released - returned;
        prop_assert_eq!(still_held, 0);
        prop_assert_eq!(paid + still_held + returned, debited);
    }
}

#[test]
fn a_month_too_large_to_add_up_is_refused_never_wrapped() {
    let reader = |id: i64| ReaderMonth {
        reader: UserId(id),
        budget: Money::from_micros(i64::MAX / 2 + 1),
        clicks: things(&[1]),
    };
    assert_eq!(
        settle_month(november(), &[reader(1), reader(2)], Decimal::ZERO, owner_of),
        Err(AllocationError::Overflow)
    );
}
