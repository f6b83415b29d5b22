//! The click as statements one by one, in one write transaction: what SQLite's shared commit
//! runs for every click, and what takes the month's first click on PostgreSQL (its batched
//! statement does not move money). A refused click writes nothing.

use chrono::{DateTime, Utc};

use super::outcome::{ClickError, Clicked};
use crate::db::DbConnection;
use crate::db::backend::{in_transaction, write_transaction};
use crate::domain::click::{ClickFacts, Gate, Next, admit, judge};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer, reservation_account};
use crate::domain::{Money, Month, ThingId, UserId, Zone};
use crate::models::clicks as rows;
use crate::models::ledger;
use crate::models::things;
use crate::models::{api_tokens, budgets, months};

/// Clicks `thing` for `reader` in the month of `now` on the UTC calendar, in a transaction of
/// its own, or as part of the caller's (then a database error leaves the caller's transaction
/// to roll back). For tools and tests of a UTC instance: the server passes the instance's
/// zone to [`click_in`].
pub fn click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<Clicked, ClickError> {
    click_in(conn, reader, thing, now, Zone::UTC)
}

/// [`click`] in the month of `now` on the calendar of `zone` (`OBOLE_TIME_ZONE`).
pub fn click_in(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Clicked, ClickError> {
    click_with_token(conn, reader, thing, now, zone, None)
}

/// [`click`] for a click sent with an API token, whose digest `token` must still be live: a
/// request authenticated from memory (`web::token_cache`) is checked here, in the write. A
/// concurrent first click of the month (PostgreSQL only: SQLite serialises writers) is retried
/// once it has committed.
pub fn click_with_token(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    zone: Zone,
    token: Option<&str>,
) -> Result<Clicked, ClickError> {
    let month = Month::containing(now, zone);
    if in_transaction(conn)? {
        return click_within(conn, reader, thing, month, now, token, Guard::Savepoint);
    }
    for _ in 0..3 {
        let outcome = write_transaction(conn, |conn| {
            click_within(conn, reader, thing, month, now, token, Guard::Transaction)
        });
        match outcome {
            Err(ClickError::Conflict) => continue,
            other => return other,
        }
    }
    Err(ClickError::Conflict)
}

/// The month's first click, for a caller that just learnt that the month has no reservation
/// (PostgreSQL's batched statement): three statements fewer than `click`, which it falls back
/// to if a concurrent click made the reservation meanwhile. The token is checked again: a
/// revocation since the batch still stops it.
pub fn first_click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    zone: Zone,
    token: Option<&str>,
) -> Result<Clicked, ClickError> {
    let month = Month::containing(now, zone);
    let outcome = write_transaction(conn, |conn| {
        let gate = read_gate(conn, reader, month, token)?;
        admit(gate)?;
        first_of_month(conn, reader, thing, month, now, gate)
    });
    match outcome {
        Err(ClickError::Conflict) => click_with_token(conn, reader, thing, now, zone, token),
        other => other,
    }
}

/// What undoes a refused first click of the month: the click's own transaction, or a
/// savepoint inside the caller's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Guard {
    Transaction,
    Savepoint,
}

/// The click in `month` (the month of `now`) inside a transaction. The usual click (the month is reserved) is three
/// statements after the month's check and needs no savepoint, which matters to SQLite's group
/// commit, where every click of a batch runs in one transaction.
fn click_within(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
    token: Option<&str>,
    guard: Guard,
) -> Result<Clicked, ClickError> {
    let gate = read_gate(conn, reader, month, token)?;
    admit(gate)?;
    if rows::insert_if_reserved(conn, reader, thing, month, now)? {
        // `None`: on PostgreSQL an undo of the month's last click released the reservation
        // between the two statements; the retry reserves again.
        let (budget, clicks) =
            rows::count_on_reservation(conn, reader, month, 1)?.ok_or(ClickError::Conflict)?;
        things::add_to_count(conn, thing, month, reader, 1)?;
        return Ok(Clicked::new(month, budget, clicks));
    }
    // Nothing was written: find out why. With the month reserved and the thing clickable,
    // only the click's own UNIQUE key refuses the insert.
    let seen = rows::thing_seen(conn, thing)?;
    let reserved = rows::reservation(conn, reader, month)?.is_some();
    let facts = ClickFacts {
        gate,
        thing: seen,
        reserved,
        clicked: reserved,
    };
    match judge(reader, &facts)? {
        // The month's first click: a refused reservation must leave nothing.
        Next::ReserveFirst => match guard {
            Guard::Transaction => first_of_month(conn, reader, thing, month, now, gate),
            Guard::Savepoint => write_transaction(conn, |conn| {
                first_of_month(conn, reader, thing, month, now, gate)
            }),
        },
        // Not reached (`clicked` follows `reserved`); a retry would see the month afresh.
        Next::Record => Err(ClickError::Conflict),
    }
}

/// The facts read before anything is written. A dead token is refused before the month is
/// held (holding a month nobody clicked in yet writes its row).
fn read_gate(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
    token: Option<&str>,
) -> Result<Gate, ClickError> {
    let token_live = match token {
        Some(digest) => api_tokens::is_live(conn, digest, reader)?,
        None => true,
    };
    let month_open = token_live && months::hold_open(conn, month)?;
    Ok(Gate {
        token_live,
        month_open,
    })
}

/// Reserves the month's budget and records its first click. The thing is checked by the
/// click's insert, after the reservation: a refused click rolls back with the transaction.
fn first_of_month(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
    gate: Gate,
) -> Result<Clicked, ClickError> {
    let budget = reserve(conn, reader, month, now)?;
    if !rows::insert_if_clickable(conn, reader, thing, month, now)? {
        let facts = ClickFacts {
            gate,
            thing: rows::thing_seen(conn, thing)?,
            reserved: true,
            // A clickable thing's insert is refused by the click's UNIQUE key only.
            clicked: true,
        };
        return Err(match judge(reader, &facts) {
            Err(refusal) => refusal.into(),
            Ok(_) => ClickError::Conflict,
        });
    }
    things::add_to_count(conn, thing, month, reader, 1)?;
    Ok(Clicked::new(month, budget, 1))
}

/// Sets the month's budget aside: funds → the reader's shard of the reserved budgets. The
/// reservation row is claimed first, so that of two concurrent first clicks one waits for the
/// other and then sees its reservation.
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
