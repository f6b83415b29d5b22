//! Monthly budgets (PRODUCT.md core flow 3).

use super::money::Money;

/// The smallest monthly budget a reader may choose: 2.00 in the instance's currency.
pub const MIN_BUDGET: Money = Money::from_micros(2_000_000);
