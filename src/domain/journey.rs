//! The reader's first tip as one straight path: which step comes next. Pure, so the thing
//! page, the funds and budget pages and `/continue` all agree on it.

use serde::Serialize;

use super::Money;

/// The steps of the path, in the order a new reader meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Account,
    Funds,
    Budget,
    Confirm,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Account, Step::Funds, Step::Budget, Step::Confirm];

    /// The stable name, also the end of its translation keys (`journey-step-funds`).
    pub fn code(self) -> &'static str {
        match self {
            Step::Account => "account",
            Step::Funds => "funds",
            Step::Budget => "budget",
            Step::Confirm => "confirm",
        }
    }
}

/// What the path needs to know about a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    pub signed_in: bool,
    /// Available funds (this month's reservation excluded).
    pub funds: Money,
    /// The active budget; `None` when there is none or it is paused.
    pub budget: Option<Money>,
    /// This month's budget is already reserved: clicks cost nothing more.
    pub reserved: bool,
}

/// The first step not yet done. A reader with no money at all adds funds first (the
/// budget page then suggests what they can afford); one who has funds but no budget sets
/// it; a budget larger than the funds sends them back to add the difference.
pub fn next_step(r: Readiness) -> Step {
    if !r.signed_in {
        return Step::Account;
    }
    if r.reserved {
        return Step::Confirm;
    }
    match r.budget {
        None if r.funds <= Money::ZERO => Step::Funds,
        None => Step::Budget,
        Some(budget) if r.funds < budget => Step::Funds,
        Some(_) => Step::Confirm,
    }
}

/// How much is missing before the budget can be reserved, when funds are the next step.
pub fn shortfall(r: Readiness) -> Option<Money> {
    match (next_step(r), r.budget) {
        (Step::Funds, Some(budget)) => budget.checked_sub(r.funds),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(text: &str) -> Money {
        Money::parse_user_amount(text).expect("amount")
    }

    fn reader(funds: &str, budget: Option<&str>) -> Readiness {
        Readiness {
            signed_in: true,
            funds: eur(funds),
            budget: budget.map(eur),
            reserved: false,
        }
    }

    #[test]
    fn a_new_reader_goes_account_funds_budget_confirm() {
        let mut r = reader("0", None);
        r.signed_in = false;
        assert_eq!(next_step(r), Step::Account);
        assert_eq!(next_step(reader("0", None)), Step::Funds);
        assert_eq!(next_step(reader("10", None)), Step::Budget);
        assert_eq!(next_step(reader("10", Some("5"))), Step::Confirm);
    }

    #[test]
    fn a_budget_above_the_funds_asks_for_the_difference() {
        let r = reader("1.50", Some("5"));
        assert_eq!(next_step(r), Step::Funds);
        assert_eq!(shortfall(r), Some(eur("3.50")));
        assert_eq!(shortfall(reader("10", Some("5"))), None);
    }

    #[test]
    fn a_reserved_month_needs_nothing_more() {
        let mut r = reader("0", None);
        r.reserved = true;
        assert_eq!(next_step(r), Step::Confirm);
    }
}
