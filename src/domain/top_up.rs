//! Card top-ups (PRODUCT.md core flow 2): whole cents, at least 5.00 (below that the card
//! fee eats the tip), at most 1,000.00 per payment.

use super::money::{AmountError, MICROS_PER_CENT, Money};

pub const MIN_TOP_UP: Money = Money::from_micros(5_000_000);
pub const MAX_TOP_UP: Money = Money::from_micros(1_000_000_000);
/// The amounts the funds page offers as one-click choices, in cents.
pub const PRESET_CENTS: [i64; 4] = [500, 1_000, 2_000, 5_000];

/// Each variant is an error code (`invalid_amount`, `top_up_below_minimum`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TopUpError {
    #[error("not an amount: {0}")]
    InvalidAmount(AmountError),
    #[error("below the smallest top-up")]
    BelowMinimum,
    #[error("above the largest top-up")]
    AboveMaximum,
}

/// A card payment's amount within the bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopUpAmount(Money);

impl TopUpAmount {
    pub fn parse(input: &str) -> Result<TopUpAmount, TopUpError> {
        let amount = Money::parse_user_amount(input).map_err(TopUpError::InvalidAmount)?;
        if !amount.is_whole_cents() {
            return Err(TopUpError::InvalidAmount(AmountError::FinerThanCents));
        }
        if amount < MIN_TOP_UP {
            return Err(TopUpError::BelowMinimum);
        }
        if amount > MAX_TOP_UP {
            return Err(TopUpError::AboveMaximum);
        }
        Ok(TopUpAmount(amount))
    }

    pub fn money(self) -> Money {
        self.0
    }

    /// The amount in the currency's smallest unit, as payment APIs count (EUR: cents).
    pub fn minor_units(self) -> i64 {
        self.0.micros() / MICROS_PER_CENT
    }
}

/// An amount a payment API reported in minor units, as money; `None` if it overflows.
pub fn from_minor_units(units: i64) -> Option<Money> {
    units.checked_mul(MICROS_PER_CENT).map(Money::from_micros)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_cents() {
        let parse = |s: &str| TopUpAmount::parse(s).map(TopUpAmount::minor_units);
        assert_eq!(parse("5.00"), Ok(500));
        assert_eq!(parse("12,34"), Ok(1_234));
        assert_eq!(parse("1000"), Ok(100_000));
        assert_eq!(parse("4.99"), Err(TopUpError::BelowMinimum));
        assert_eq!(parse("1000.01"), Err(TopUpError::AboveMaximum));
        assert!(matches!(parse("5.001"), Err(TopUpError::InvalidAmount(_))));
        assert!(matches!(parse("ten"), Err(TopUpError::InvalidAmount(_))));
        assert_eq!(
            from_minor_units(1_234),
            Some(Money::from_micros(12_340_000))
        );
        assert_eq!(from_minor_units(i64::MAX), None);
    }
}
