//! Click use cases: one click per reader, thing and month; never on one's own thing; the
//! month's first click reserves the month's budget from funds, and undoing its last click
//! releases it. Each runs in one write transaction.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::{in_transaction, write_transaction};
use crate::domain::click::click_value;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer, reservation_account};
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::clicks as rows;
use crate::models::ledger::{self, PostError};
use crate::models::things;
use crate::models::{budgets, months};

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
    /// The month's settlement has begun: its clicks are final.
    #[error("the month is closed")]
    MonthClosed,
    /// The API token the click came with was revoked (PostgreSQL's batched statement checks).
    #[error("the API token is revoked")]
    TokenRevoked,
    /// A concurrent first click of the month made the reservation: try again.
    #[error("a concurrent request reserved the month first")]
    Conflict,
    /// The click writer's queue is full: the server is overloaded.
    #[error("too many clicks are waiting")]
    Busy,
    /// The click writer could not record the batch this click was part of.
    #[error("click batch failed: {0}")]
    Writer(String),
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

/// Clicks `thing` for `reader` in the month of `now`, in a transaction of its own, or as part of
/// the caller's (then a database error leaves the caller's transaction to roll back). A
/// concurrent first click of the month (PostgreSQL only: SQLite serialises writers) is retried
/// once it has committed.
pub fn click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<Clicked, ClickError> {
    if in_transaction(conn)? {
        return click_within(conn, reader, thing, now, Guard::Savepoint);
    }
    for _ in 0..3 {
        let outcome = write_transaction(conn, |conn| {
            click_within(conn, reader, thing, now, Guard::Transaction)
        });
        match outcome {
            Err(ClickError::Conflict) => continue,
            other => return other,
        }
    }
    Err(ClickError::Conflict)
}

/// What undoes a refused first click of the month: the click's own transaction, or a
/// savepoint inside the caller's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Guard {
    Transaction,
    Savepoint,
}

/// The click inside a transaction. A refused click writes nothing; the usual click (the
/// month is reserved) is three statements and needs no savepoint, which matters to SQLite's
/// group commit, where every click of a batch runs in one transaction.
fn click_within(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    guard: Guard,
) -> Result<Clicked, ClickError> {
    let month = Month::containing(now);
    if !months::hold_open(conn, month)? {
        return Err(ClickError::MonthClosed);
    }
    if rows::insert_if_reserved(conn, reader, thing, month, now)? {
        // `None`: on PostgreSQL an undo of the month's last click released the reservation
        // between the two statements; the retry reserves again.
        let (budget, clicks) =
            rows::count_on_reservation(conn, reader, month, 1)?.ok_or(ClickError::Conflict)?;
        things::add_to_count(conn, thing, month, reader, 1)?;
        return Ok(clicked(month, budget, clicks));
    }
    // Nothing was written: find out why.
    check_thing(conn, reader, thing)?;
    if rows::reservation(conn, reader, month)?.is_some() {
        return Err(ClickError::AlreadyClicked);
    }
    // The month's first click: a refused reservation must leave nothing.
    match guard {
        Guard::Transaction => first_of_month(conn, reader, thing, month, now),
        Guard::Savepoint => {
            write_transaction(conn, |conn| first_of_month(conn, reader, thing, month, now))
        }
    }
}

/// The month's first click, for a caller that just learnt that the month has no reservation
/// (PostgreSQL's click writer): three statements fewer than `click`, which it falls back to if
/// a concurrent click made the reservation meanwhile.
pub fn first_click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<Clicked, ClickError> {
    let month = Month::containing(now);
    let outcome = write_transaction(conn, |conn| {
        if !months::hold_open(conn, month)? {
            return Err(ClickError::MonthClosed);
        }
        first_of_month(conn, reader, thing, month, now)
    });
    match outcome {
        Err(ClickError::Conflict) => click(conn, reader, thing, now),
        other => other,
    }
}

/// The thing exists, is visible, and is not the reader's own: a thing they proved is theirs
/// (one nobody has claimed yet may be tipped by whoever added it; the share is held).
fn check_thing(conn: &mut DbConnection, reader: UserId, thing: ThingId) -> Result<(), ClickError> {
    let (owner, claimed, hidden) =
        rows::thing_owner(conn, thing)?.ok_or(ClickError::ThingNotFound)?;
    if hidden {
        return Err(ClickError::ThingNotFound);
    }
    if claimed && owner == reader.0 {
        return Err(ClickError::OwnThing);
    }
    Ok(())
}

/// Reserves the month's budget and records its first click. The thing is checked by the
/// click's insert, after the reservation: a refused click rolls back with the transaction.
fn first_of_month(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
) -> Result<Clicked, ClickError> {
    let budget = reserve(conn, reader, month, now)?;
    if !rows::insert_if_clickable(conn, reader, thing, month, now)? {
        check_thing(conn, reader, thing)?;
        return Err(ClickError::AlreadyClicked);
    }
    things::add_to_count(conn, thing, month, reader, 1)?;
    Ok(clicked(month, budget, 1))
}

fn clicked(month: Month, budget: Money, clicks: i64) -> Clicked {
    let clicks = u64::try_from(clicks).unwrap_or(0);
    Clicked {
        month,
        budget,
        clicks,
        click_value: click_value(budget, clicks),
    }
}

/// What a click of PostgreSQL's batched statement (`models::clicks_pg`) came to; `None` for
/// the month's first click, which `click` handles.
pub fn batched_outcome(
    reader: UserId,
    month: Month,
    row: &crate::models::clicks_pg::BatchedClick,
) -> Option<Result<Clicked, ClickError>> {
    if row.revoked {
        return Some(Err(ClickError::TokenRevoked));
    }
    if row.closed {
        return Some(Err(ClickError::MonthClosed));
    }
    let outcome = match (row.owner_id, row.clicks, row.reserved) {
        (None, _, _) => Err(ClickError::ThingNotFound),
        (Some(owner), _, _) if owner == reader.0 => Err(ClickError::OwnThing),
        (_, Some(clicks), _) => Ok(clicked(
            month,
            Money::from_micros(row.budget.unwrap_or(0)),
            clicks,
        )),
        (_, None, false) => return None,
        (_, None, true) => Err(ClickError::AlreadyClicked),
    };
    Some(outcome)
}

/// Sets the month's budget aside: funds → the reader's shard of the reserved budgets. The reservation row is claimed first, so
/// that of two concurrent first clicks one waits for the other and then sees its reservation.
fn reserve(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
    now: DateTime<Utc>,
) -> Result<Money, ClickError> {
    let Some(budget) = rows::reserve_budget(conn, reader, month, now)? else {
        let active = budgets::find(conn, reader)?.filter(|b| !b.paused);
        return Err(match active {
            None => ClickError::NoBudget,
            Some(_) => ClickError::Conflict,
        });
    };
    let transfer = Transfer::between(
        MovementKind::BudgetReservation,
        AccountRef::User(reader, AccountKind::Funds),
        reservation_account(reader),
        budget,
    )
    .map_err(|_| ClickError::NoBudget)?;
    ledger::post(conn, &transfer, None, now)?;
    Ok(budget)
}

/// Undoes this month's click; the month's last undo releases the reservation. A month whose
/// settlement has begun keeps its clicks.
pub fn undo(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<(), ClickError> {
    undo_in(conn, reader, thing, Month::containing(now), now)
}

/// Undoes the reader's click on `thing` in `month`, while that month is open.
pub fn undo_in(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
) -> Result<(), ClickError> {
    write_transaction(conn, |conn| {
        if !months::hold_open(conn, month)? {
            return Err(ClickError::MonthClosed);
        }
        remove_click(conn, reader, thing, month, now)
    })
}

/// Deletes the reader's click on `thing` in `month` (its count, and the reservation if it
/// was the month's last click), in the caller's write transaction, whether or not the month
/// is still open: `undo_in` checks that; settlement uses it as it closes a month.
pub fn remove_click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
) -> Result<(), ClickError> {
    {
        if !rows::delete(conn, reader, thing, month)? {
            return Err(ClickError::NoClick);
        }
        // The same order as a click (clicks, reservation, counter), so that the two never
        // wait for each other's rows in opposite orders on PostgreSQL.
        let reservation = rows::count_on_reservation(conn, reader, month, -1)?;
        things::add_to_count(conn, thing, month, reader, -1)?;
        if let Some((reserved, 0)) = reservation {
            let transfer = Transfer::between(
                MovementKind::ReservationRelease,
                reservation_account(reader),
                AccountRef::User(reader, AccountKind::Funds),
                reserved,
            )
            .map_err(|_| ClickError::NoClick)?;
            ledger::post(conn, &transfer, None, now)?;
            rows::delete_reservation(conn, reader, month)?;
        }
        Ok(())
    }
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

pub fn preview(
    conn: &mut DbConnection,
    reader: UserId,
    thing: &things::ThingRow,
    now: DateTime<Utc>,
) -> Result<Preview, ClickError> {
    if thing.owner() == reader && thing.site_id.is_some() {
        return Ok(Preview::OwnThing);
    }
    let month = Month::containing(now);
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
