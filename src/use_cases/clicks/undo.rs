//! Undoing a click: the month's last undo releases the reservation; a month whose settlement
//! has begun keeps its clicks.

use chrono::{DateTime, Utc};

use super::outcome::ClickError;
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer, reservation_account};
use crate::domain::{Month, ThingId, UserId, Zone};
use crate::models::clicks as rows;
use crate::models::{click_notes, ledger, months, things};

/// Undoes this month's click (the month of `now` on the UTC calendar: for tools and tests of a
/// UTC instance; the server names the month to [`undo_in`]); the month's last undo releases
/// the reservation. A month whose settlement has begun keeps its clicks.
pub fn undo(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<(), ClickError> {
    undo_in(conn, reader, thing, Month::containing(now, Zone::UTC), now)
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

/// Deletes the reader's click on `thing` in `month` (its note, its count, and the reservation if it
/// was the month's last click), in the caller's write transaction, whether or not the month
/// is still open: `undo_in` checks that; settlement uses it as it closes a month.
pub fn remove_click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
) -> Result<(), ClickError> {
    if !rows::delete(conn, reader, thing, month)? {
        return Err(ClickError::NoClick);
    }
    // Its visibility and note go with it, so that a later click starts private.
    click_notes::delete(conn, reader, thing, month)?;
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
