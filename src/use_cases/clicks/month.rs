//! A reader's month of clicks, as the "my clicks" page and the API show it.

use super::outcome::ClickError;
use crate::db::DbConnection;
use crate::domain::click::click_value;
use crate::domain::{Money, Month, UserId};
use crate::models::budgets;
use crate::models::clicks as rows;
pub use crate::models::clicks::ReaderClick;

/// A reader's month as the "my clicks" page and API show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthClicks {
    pub month: Month,
    /// The reserved budget once the month's first click happened, else the current choice.
    pub budget: Option<Money>,
    pub reserved: bool,
    pub click_value: Option<Money>,
    pub things: Vec<ReaderClick>,
}

/// `reader`'s clicks of `month`, with the budget they share and what one is worth.
pub fn month_clicks(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> Result<MonthClicks, ClickError> {
    let things = rows::of_reader(conn, reader, month)?;
    let reservation = rows::reservation(conn, reader, month)?;
    let budget = match reservation {
        Some(amount) => Some(amount),
        None => budgets::find(conn, reader)?
            .filter(|b| !b.paused)
            .map(|b| b.amount),
    };
    let count = u64::try_from(things.len()).unwrap_or(u64::MAX);
    let click_value = budget.filter(|_| count > 0).map(|b| click_value(b, count));
    Ok(MonthClicks {
        month,
        budget,
        reserved: reservation.is_some(),
        click_value,
        things,
    })
}
