//! What the thing page tells a reader before they click.

use chrono::{DateTime, Utc};

use super::outcome::ClickError;
use crate::db::DbConnection;
use crate::domain::click::click_value;
use crate::domain::ledger::{AccountKind, AccountRef};
use crate::domain::{Money, Month, UserId, Zone};
use crate::models::clicks as rows;
use crate::models::{budgets, ledger, months, things};

/// What the thing page tells a reader before they click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preview {
    OwnThing,
    /// The month's settlement has begun (a server whose clock still says that month).
    MonthClosed,
    AlreadyClicked {
        click_value: Money,
    },
    NoBudget,
    InsufficientFunds {
        budget: Money,
        funds: Money,
    },
    /// Clicking is possible; a click would then be worth this much.
    Ready {
        click_value: Money,
        first_of_month: bool,
    },
}

/// What a click on `thing` would come to for `reader` now, without clicking; `zone` is the
/// instance's, whose calendar says which month `now` is in.
pub fn preview(
    conn: &mut DbConnection,
    reader: UserId,
    thing: &things::ThingRow,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Preview, ClickError> {
    if thing.owner() == reader && thing.site_id.is_some() {
        return Ok(Preview::OwnThing);
    }
    let month = Month::containing(now, zone);
    if months::is_closed(conn, month)? {
        return Ok(Preview::MonthClosed);
    }
    let count = u64::try_from(rows::count_for_reader(conn, reader, month)?).unwrap_or(0);
    if let Some(reserved) = rows::reservation(conn, reader, month)? {
        if rows::exists(conn, reader, thing.thing_id(), month)? {
            return Ok(Preview::AlreadyClicked {
                click_value: click_value(reserved, count),
            });
        }
        return Ok(Preview::Ready {
            click_value: click_value(reserved, count + 1),
            first_of_month: false,
        });
    }
    let Some(budget) = budgets::find(conn, reader)?.filter(|b| !b.paused) else {
        return Ok(Preview::NoBudget);
    };
    let funds = ledger::balance(conn, AccountRef::User(reader, AccountKind::Funds))?;
    if funds < budget.amount {
        return Ok(Preview::InsufficientFunds {
            budget: budget.amount,
            funds,
        });
    }
    Ok(Preview::Ready {
        click_value: budget.amount,
        first_of_month: true,
    })
}
