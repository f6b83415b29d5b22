//! Monthly budgets (PRODUCT.md core flow 3): at least 2.00, at most the instance's maximum,
//! whole cents. A month's budget is fixed by its first click; later changes apply from the
//! next month.

use super::money::{AmountError, Money};

/// The smallest monthly budget a reader may choose: 2.00 in the instance's currency.
pub const MIN_BUDGET: Money = Money::from_micros(2_000_000);

/// Each variant is an API error code (`invalid_amount`, `budget_below_minimum`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error("not an amount: {0}")]
    InvalidAmount(AmountError),
    #[error("below the minimum budget")]
    BelowMinimum,
    #[error("above the maximum budget")]
    AboveMaximum,
}

/// A budget amount within the instance's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetAmount(Money);

impl BudgetAmount {
    pub fn parse(input: &str, maximum: Money) -> Result<BudgetAmount, BudgetError> {
        let amount = Money::parse_user_amount(input).map_err(BudgetError::InvalidAmount)?;
        BudgetAmount::new(amount, maximum)
    }

    pub fn new(amount: Money, maximum: Money) -> Result<BudgetAmount, BudgetError> {
        if !amount.is_whole_cents() {
            return Err(BudgetError::InvalidAmount(AmountError::FinerThanCents));
        }
        if amount < MIN_BUDGET {
            return Err(BudgetError::BelowMinimum);
        }
        if amount > maximum {
            return Err(BudgetError::AboveMaximum);
        }
        Ok(BudgetAmount(amount))
    }

    pub fn money(self) -> Money {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: Money = Money::from_micros(100_000_000);

    #[test]
    fn the_acceptance_table() {
        let parse = |s: &str| BudgetAmount::parse(s, MAX).map(|b| b.money().to_api_string());
        assert_eq!(parse("1.99"), Err(BudgetError::BelowMinimum));
        assert!(matches!(parse("2.005"), Err(BudgetError::InvalidAmount(_))));
        for bad in ["abc", "-5", "1e3", ""] {
            assert!(
                matches!(parse(bad), Err(BudgetError::InvalidAmount(_))),
                "{bad:?}"
            );
        }
        assert_eq!(parse("2.00"), Ok("2.00".into()));
        assert_eq!(parse("2"), Ok("2.00".into()));
        assert_eq!(parse("100"), Ok("100.00".into()));
        assert_eq!(parse("100.01"), Err(BudgetError::AboveMaximum));
    }
}
