//! Click use cases: one click per reader, thing and month; never on one's own thing; the
//! month's first click reserves the month's budget from funds, and undoing its last click
//! releases it. Each runs in one write transaction.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::click::click_value;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::budgets;
use crate::models::clicks as rows;
use crate::models::ledger::{self, PostError};
use crate::models::things;

#[derive(Debug, thiserror::Error)]
pub enum ClickError {
    #[error("no such thing")]
    ThingNotFound,
    #[error("one cannot click one's own thing")]
    OwnThing,
    #[error("no budget, or a paused one")]
    NoBudget,
    #[error("funds are below the month's budget")]
    InsufficientFunds,
    #[error("already clicked this month")]
    AlreadyClicked,
    #[error("no click to undo")]
    NoClick,
    /// A concurrent first click of the month made the reservation: try again.
    #[error("a concurrent request reserved the month first")]
    Conflict,
    #[error(transparent)]
    Ledger(PostError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl From<PostError> for ClickError {
    fn from(e: PostError) -> Self {
        match e {
            PostError::Overdraft(AccountKind::Funds) => ClickError::InsufficientFunds,
            other => ClickError::Ledger(other),
        }
    }
}

/// What a click did: the month, how many clicks the reader has in it, and what one is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clicked {
    pub month: Month,
    pub budget: Money,
    pub clicks: u64,
    pub click_value: Money,
}

/// Clicks `thing` for `reader` in the month of `now`. A concurrent first click of the month
/// (PostgreSQL only: SQLite serialises writers) is retried once it has committed.
pub fn click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<Clicked, ClickError> {
    if let DbConnection::Postgres(_) = conn
        && let Some(done) = click_in_one_statement(conn, reader, thing, now)?
    {
        return done;
    }
    for _ in 0..3 {
        match write_transaction(conn, |conn| click_once(conn, reader, thing, now)) {
            Err(ClickError::Conflict) => continue,
            other => return other,
        }
    }
    Err(ClickError::Conflict)
}

fn click_once(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<Clicked, ClickError> {
    let (owner, hidden) = rows::thing_owner(conn, thing)?.ok_or(ClickError::ThingNotFound)?;
    if hidden {
        return Err(ClickError::ThingNotFound);
    }
    if owner == reader.0 {
        return Err(ClickError::OwnThing);
    }
    let month = Month::containing(now);
    let (budget, clicks) = match rows::count_on_reservation(conn, reader, month, 1)? {
        Some(reserved) => reserved,
        None => (reserve(conn, reader, month, now)?, 1),
    };
    if !rows::insert(conn, reader, thing, month, now)? {
        return Err(ClickError::AlreadyClicked);
    }
    things::add_to_count(conn, thing, month, reader, 1)?;
    let clicks = u64::try_from(clicks).unwrap_or(0);
    Ok(Clicked {
        month,
        budget,
        clicks,
        click_value: click_value(budget, clicks),
    })
}

/// PostgreSQL's one-statement click (`models::clicks_pg`); `None` when the month has no
/// reservation yet, which the general path handles.
fn click_in_one_statement(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<Option<Result<Clicked, ClickError>>, ClickError> {
    let month = Month::containing(now);
    let found =
        crate::models::clicks_pg::click(conn, reader, thing, month, things::shard_of(reader), now)?;
    let outcome = match (found.owner_id, found.hidden, found.budget(), found.clicks) {
        (None, _, _, _) | (_, Some(true), _, _) => Err(ClickError::ThingNotFound),
        (Some(owner), _, _, _) if owner == reader.0 => Err(ClickError::OwnThing),
        (_, _, None, _) => return Ok(None),
        (_, _, Some(_), None) => Err(ClickError::AlreadyClicked),
        (_, _, Some(budget), Some(clicks)) => {
            let clicks = u64::try_from(clicks).unwrap_or(0);
            Ok(Clicked {
                month,
                budget,
                clicks,
                click_value: click_value(budget, clicks),
            })
        }
    };
    Ok(Some(outcome))
}

/// Sets the month's budget aside: funds → reserved. The reservation row is claimed first, so
/// that of two concurrent first clicks one waits for the other and then sees its reservation.
fn reserve(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
    now: DateTime<Utc>,
) -> Result<Money, ClickError> {
    let budget = budgets::find(conn, reader)?
        .filter(|b| !b.paused)
        .ok_or(ClickError::NoBudget)?;
    if !rows::insert_reservation(conn, reader, month, budget.amount, now)? {
        return Err(ClickError::Conflict);
    }
    let transfer = Transfer::between(
        MovementKind::BudgetReservation,
        AccountRef::User(reader, AccountKind::Funds),
        AccountRef::User(reader, AccountKind::Reserved),
        budget.amount,
    )
    .map_err(|_| ClickError::NoBudget)?;
    ledger::post(conn, &transfer, None, now)?;
    Ok(budget.amount)
}

/// Undoes this month's click; the month's last undo releases the reservation.
pub fn undo(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<(), ClickError> {
    write_transaction(conn, |conn| {
        let month = Month::containing(now);
        if !rows::delete(conn, reader, thing, month)? {
            return Err(ClickError::NoClick);
        }
        things::add_to_count(conn, thing, month, reader, -1)?;
        if let Some((reserved, 0)) = rows::count_on_reservation(conn, reader, month, -1)? {
            let transfer = Transfer::between(
                MovementKind::ReservationRelease,
                AccountRef::User(reader, AccountKind::Reserved),
                AccountRef::User(reader, AccountKind::Funds),
                reserved,
            )
            .map_err(|_| ClickError::NoClick)?;
            ledger::post(conn, &transfer, None, now)?;
            rows::delete_reservation(conn, reader, month)?;
        }
        Ok(())
    })
}

/// A reader's month as the "my clicks" page and API show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthClicks {
    pub month: Month,
    /// The reserved budget once the month's first click happened, else the current choice.
    pub budget: Option<Money>,
    pub reserved: bool,
    pub click_value: Option<Money>,
    pub things: Vec<(i64, String, String)>,
}

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

/// What the thing page tells a reader before they click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preview {
    OwnThing,
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

pub fn preview(
    conn: &mut DbConnection,
    reader: UserId,
    thing: &things::ThingRow,
    now: DateTime<Utc>,
) -> Result<Preview, ClickError> {
    if thing.owner() == reader {
        return Ok(Preview::OwnThing);
    }
    let month = Month::containing(now);
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
