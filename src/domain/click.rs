//! What a click is worth: the month's budget split over the month's clicks. Settlement splits
//! it exactly with the largest-remainder method (each click gets ⌊budget ÷ n⌋ micro-units, and
//! the leftover units go one by one); the live value shown before settlement is that share,
//! rounded half-up to the micro-unit, and rounded again to the cent for display only.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
