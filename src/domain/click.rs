//! What a click is worth: the month's budget split over the month's clicks. Settlement splits
//! it exactly with the largest-remainder method (each click gets ⌊budget ÷ n⌋ micro-units, and
//! the leftover units go one by one); the live value shown before settlement is that share,
//! rounded half-up to the micro-unit, and rounded again to the cent for display only.
//!
//! And when a click may be made: [`judge`] states the rules once, over the facts a backend read
//! (SQLite's statements one by one, PostgreSQL's batched statement all at once).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::ids::UserId;
use super::money::Money;

/// Budget ÷ clicks, rounded half-up to the micro-unit (`2.00 / 3 = 0.666667`). With no click
/// yet, the value a first click would have: the whole budget.
pub fn click_value(budget: Money, clicks: u64) -> Money {
    let clicks = clicks.max(1);
    let share = Decimal::from(budget.micros()) / Decimal::from(clicks);
    let micros = share
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(0);
    Money::from_micros(micros)
}

/// What a backend found about the thing a reader clicks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThingSeen {
    /// No such thing, or a hidden one.
    Missing,
    /// Nobody proved the page theirs yet: whoever added it may click it (the share is held).
    Unclaimed,
    /// Claimed by this user.
    ClaimedBy(UserId),
}

/// The facts that need no look at the thing, read before anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gate {
    /// The API token the click came with (if any) is still live.
    pub token_live: bool,
    /// The month's settlement has not begun.
    pub month_open: bool,
}

/// All a backend read about one click that was not recorded outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClickFacts {
    pub gate: Gate,
    pub thing: ThingSeen,
    /// The month's budget is reserved (its first click happened).
    pub reserved: bool,
    /// The reader already clicked this thing this month.
    pub clicked: bool,
}

/// Why a click is refused; a refused click writes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TokenRevoked,
    MonthClosed,
    ThingNotFound,
    OwnThing,
    AlreadyClicked,
}

/// What an allowed click takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The month is reserved: record the click and count it on the reservation.
    Record,
    /// The month's first click: reserve the budget first.
    ReserveFirst,
}

/// The rules that come before any look at the thing: a live token, an open month.
pub fn admit(gate: Gate) -> Result<(), Refusal> {
    if !gate.token_live {
        return Err(Refusal::TokenRevoked);
    }
    if !gate.month_open {
        return Err(Refusal::MonthClosed);
    }
    Ok(())
}

/// Whether `reader` may click, and what it takes: the gate, then a visible thing that is not
/// one they claimed, then one click per reader, thing and month.
pub fn judge(reader: UserId, facts: &ClickFacts) -> Result<Next, Refusal> {
    admit(facts.gate)?;
    match facts.thing {
        ThingSeen::Missing => return Err(Refusal::ThingNotFound),
        ThingSeen::ClaimedBy(owner) if owner == reader => return Err(Refusal::OwnThing),
        ThingSeen::ClaimedBy(_) | ThingSeen::Unclaimed => {}
    }
    if facts.clicked {
        return Err(Refusal::AlreadyClicked);
    }
    Ok(if facts.reserved {
        Next::Record
    } else {
        Next::ReserveFirst
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const READER: UserId = UserId(7);

    fn facts(thing: ThingSeen, reserved: bool, clicked: bool) -> ClickFacts {
        let gate = Gate {
            token_live: true,
            month_open: true,
        };
        ClickFacts {
            gate,
            thing,
            reserved,
            clicked,
        }
    }

    #[test]
    fn the_rules_in_their_order() {
        let open = facts(ThingSeen::ClaimedBy(UserId(8)), true, false);
        assert_eq!(judge(READER, &open), Ok(Next::Record));
        let first = facts(ThingSeen::Unclaimed, false, false);
        assert_eq!(judge(READER, &first), Ok(Next::ReserveFirst));
        let own = facts(ThingSeen::ClaimedBy(READER), true, true);
        assert_eq!(judge(READER, &own), Err(Refusal::OwnThing));
        let added_by_reader = facts(ThingSeen::Unclaimed, true, true);
        assert_eq!(
            judge(READER, &added_by_reader),
            Err(Refusal::AlreadyClicked)
        );
        let missing = facts(ThingSeen::Missing, true, false);
        assert_eq!(judge(READER, &missing), Err(Refusal::ThingNotFound));
        let mut closed = missing;
        closed.gate.month_open = false;
        assert_eq!(judge(READER, &closed), Err(Refusal::MonthClosed));
        closed.gate.token_live = false;
        assert_eq!(judge(READER, &closed), Err(Refusal::TokenRevoked));
    }

    #[test]
    fn examples() {
        let two = Money::from_micros(2_000_000);
        assert_eq!(click_value(two, 3).to_api_string(), "0.666667");
        assert_eq!(click_value(two, 0).to_api_string(), "2.00");
        assert_eq!(
            click_value(Money::from_micros(10_000_000), 4).to_api_string(),
            "2.50"
        );
        assert_eq!(click_value(two, 300).to_api_string(), "0.006667");
    }

    proptest! {
        #[test]
        fn the_value_is_within_half_a_micro_of_the_exact_share(budget in 2_000_000i64..100_000_000, clicks in 1u64..10_000) {
            let value = click_value(Money::from_micros(budget), clicks).micros();
            let exact = Decimal::from(budget) / Decimal::from(clicks);
            prop_assert!((Decimal::from(value) - exact).abs() <= Decimal::new(5, 1));
        }
    }
}
