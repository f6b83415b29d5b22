//! Monthly budgets (PRODUCT.md core flow 3): at least 2.00, at most the instance's maximum,
//! whole cents. A month's budget is fixed by its first click; later changes apply from the
//! next month.

use chrono::{DateTime, Utc};

use super::money::{AmountError, Money};
use super::states::stored_enum;
use super::{Month, Zone};

stored_enum! {
    /// What becomes of a month in which the reader clicked nothing (money rule 6;
    /// `budgets.unspent`, the API's `unspent`).
    Unspent("unspent choice") {
        /// The budget stays in the reader's funds.
        Keep => "keep",
        /// The budget goes to the charity the instance names, if it names one.
        Charity => "charity",
    }
}

/// The choice that settles an idle month: the budget as it stood when the month was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleChoice {
    pub budget: Money,
    pub paused: bool,
    pub unspent: Unspent,
    /// When the reader last changed their budget (amount, pause or choice).
    pub changed_at: DateTime<Utc>,
}

impl IdleChoice {
    /// Whether an idle `month` gives the budget to the charity. A budget change applies from
    /// the next month (core flow 3), so a choice made during `month` waits for the next one;
    /// a paused budget gives nothing. `zone` is the instance's, where `month` begins.
    pub fn gives(&self, month: Month, zone: Zone) -> bool {
        self.unspent == Unspent::Charity && !self.paused && self.changed_at < month.start(zone)
    }
}

/// What an idle month gives: the budget, or the funds when they hold less (never more than
/// the reader chose, never below zero); nothing from empty funds.
pub fn idle_gift(budget: Money, funds: Money) -> Option<Money> {
    let gift = budget.min(funds);
    (gift > Money::ZERO).then_some(gift)
}

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
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn an_idle_gift_is_never_more_than_the_budget_nor_the_funds(
            budget in 0_i64..1_000_000_000_000,
            funds in -1_000_000_i64..1_000_000_000_000,
        ) {
            let (budget, funds) = (Money::from_micros(budget), Money::from_micros(funds));
            match idle_gift(budget, funds) {
                Some(gift) => {
                    prop_assert!(gift > Money::ZERO);
                    prop_assert!(gift <= budget && gift <= funds);
                    prop_assert!(gift == budget || gift == funds);
                }
                None => prop_assert!(budget <= Money::ZERO || funds <= Money::ZERO),
            }
        }
    }

    #[test]
    fn a_choice_gives_from_the_month_after_it_was_made_and_never_while_paused() {
        let october = Month::new(2026, 10).expect("month");
        let choice = |unspent, paused, at: &str| IdleChoice {
            budget: MIN_BUDGET,
            paused,
            unspent,
            changed_at: at.parse().expect("instant"),
        };
        assert!(choice(Unspent::Charity, false, "2026-09-30T23:59:59Z").gives(october, Zone::UTC));
        assert!(!choice(Unspent::Charity, false, "2026-10-01T00:00:00Z").gives(october, Zone::UTC));
        assert!(!choice(Unspent::Charity, true, "2026-09-01T00:00:00Z").gives(october, Zone::UTC));
        assert!(!choice(Unspent::Keep, false, "2026-09-01T00:00:00Z").gives(october, Zone::UTC));
    }

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
