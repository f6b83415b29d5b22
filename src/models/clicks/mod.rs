//! The `clicks` and `month_budgets` tables.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

mod statements;

use statements::{
    CountOnReservation, InsertIfClickable, InsertIfReserved, Reservation, ReserveBudget, Reserved,
};

use crate::db::DbConnection;
use crate::db::schema::{clicks, month_budgets, things};
use crate::domain::click::ThingSeen;
use crate::domain::states::ClickVia;
use crate::domain::{Money, Month, ThingId, UserId};

/// Records a click if the thing exists, is visible and is not the reader's; `false` when it
/// is not so or the reader already clicked it this month (the UNIQUE key decides, whatever the
/// concurrency). Nothing is written then, and the caller finds out which.
pub fn insert_if_clickable(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = InsertIfClickable {
        reader: reader.0,
        thing: thing.0,
        month: month.to_string(),
        now: now.naive_utc(),
    }
    .execute(conn)?;
    Ok(inserted > 0)
}

/// Removes a click; `false` when there was none.
pub fn delete(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
) -> QueryResult<bool> {
    let deleted = diesel::delete(
        clicks::table
            .filter(clicks::reader_id.eq(reader.0))
            .filter(clicks::thing_id.eq(thing.0))
            .filter(clicks::month.eq(month.to_string())),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}

pub fn exists(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
) -> QueryResult<bool> {
    let n: i64 = clicks::table
        .filter(clicks::reader_id.eq(reader.0))
        .filter(clicks::thing_id.eq(thing.0))
        .filter(clicks::month.eq(month.to_string()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn count_for_reader(conn: &mut DbConnection, reader: UserId, month: Month) -> QueryResult<i64> {
    clicks::table
        .filter(clicks::reader_id.eq(reader.0))
        .filter(clicks::month.eq(month.to_string()))
        .count()
        .get_result(conn)
}

/// One of a reader's clicks of a month, as "my clicks" shows it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ReaderClick {
    pub thing_id: i64,
    pub title: String,
    pub url: String,
    /// By the reader, or by the server for a subscription.
    #[diesel(deserialize_as = String)]
    pub via: ClickVia,
}

/// A reader's clicks of a month, in click order.
pub fn of_reader(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> QueryResult<Vec<ReaderClick>> {
    clicks::table
        .inner_join(things::table)
        .filter(clicks::reader_id.eq(reader.0))
        .filter(clicks::month.eq(month.to_string()))
        .order(clicks::id.asc())
        .select((things::id, things::title, things::url, clicks::via))
        .load(conn)
}

/// Marks the reader's click on `thing` in `month` as made for a subscription, in the write
/// that made it (the click's own statements leave `via` to its default, `click`).
pub fn mark_subscription(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
) -> QueryResult<()> {
    diesel::update(
        clicks::table
            .filter(clicks::reader_id.eq(reader.0))
            .filter(clicks::thing_id.eq(thing.0))
            .filter(clicks::month.eq(month.to_string())),
    )
    .set(clicks::via.eq(ClickVia::Subscription.as_str()))
    .execute(conn)?;
    Ok(())
}

/// Months in which the reader clicked, newest first: those with a reservation, which the
/// month's first click makes and the undo of its last click removes.
pub fn months_of_reader(conn: &mut DbConnection, reader: UserId) -> QueryResult<Vec<String>> {
    month_budgets::table
        .filter(month_budgets::reader_id.eq(reader.0))
        .select(month_budgets::month)
        .order(month_budgets::month.desc())
        .load(conn)
}

/// The month's reserved budget, if its first click happened.
pub fn reservation(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> QueryResult<Option<Money>> {
    Ok(month_budgets::table
        .find((reader.0, month.to_string()))
        .select(month_budgets::amount_micros)
        .get_result::<i64>(conn)
        .optional()?
        .map(Money::from_micros))
}

/// The budgets some readers reserved in `month`: (reader, budget), for those who reserved one.
pub fn reservations(
    conn: &mut DbConnection,
    readers: &[i64],
    month: Month,
) -> QueryResult<Vec<(i64, Money)>> {
    let rows: Vec<(i64, i64)> = month_budgets::table
        .filter(month_budgets::month.eq(month.to_string()))
        .filter(month_budgets::reader_id.eq_any(readers))
        .select((month_budgets::reader_id, month_budgets::amount_micros))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(reader, amount)| (reader, Money::from_micros(amount)))
        .collect())
}

/// Reserves the month's budget: a reservation row with the reader's current budget and one
/// click. `None` when nothing was reserved: no budget, a paused one, or a reservation that
/// exists (a concurrent first click made it; on PostgreSQL this waits for that one to commit).
pub fn reserve_budget(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
    now: DateTime<Utc>,
) -> QueryResult<Option<Money>> {
    let reserved: Option<Reserved> = ReserveBudget {
        reader: reader.0,
        month: month.to_string(),
        now: now.naive_utc(),
    }
    .get_result(conn)
    .optional()?;
    Ok(reserved.map(|r| Money::from_micros(r.amount_micros)))
}

pub fn delete_reservation(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> QueryResult<()> {
    diesel::delete(month_budgets::table.find((reader.0, month.to_string()))).execute(conn)?;
    Ok(())
}

/// Adds `delta` to the month's click count on the reservation row and returns the reserved
/// budget and the new count, or `None` when the month has no reservation yet.
pub fn count_on_reservation(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
    delta: i64,
) -> QueryResult<Option<(Money, i64)>> {
    let row: Option<Reservation> = CountOnReservation {
        reader: reader.0,
        month: month.to_string(),
        delta,
    }
    .get_result(conn)
    .optional()?;
    Ok(row.map(|r| (Money::from_micros(r.amount_micros), r.clicks)))
}

/// Records a click if it may be made without further ado: the thing exists, is visible and
/// is not the reader's, and the month's budget is already reserved. `false` when any of these
/// fails or the click exists; nothing is written then, and the caller finds out which.
pub fn insert_if_reserved(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = InsertIfReserved {
        reader: reader.0,
        thing: thing.0,
        month: month.to_string(),
        now: now.naive_utc(),
    }
    .execute(conn)?;
    Ok(inserted > 0)
}

/// Owner, claim and visibility of a thing: all a click needs to know about it.
pub fn thing_seen(conn: &mut DbConnection, thing: ThingId) -> QueryResult<ThingSeen> {
    let found: Option<(i64, bool, bool)> = things::table
        .find(thing.0)
        .select((
            things::owner_id,
            things::site_id.is_not_null(),
            things::hidden,
        ))
        .get_result(conn)
        .optional()?;
    Ok(match found {
        None | Some((_, _, true)) => ThingSeen::Missing,
        Some((owner, true, false)) => ThingSeen::ClaimedBy(UserId(owner)),
        Some((_, false, false)) => ThingSeen::Unclaimed,
    })
}

/// The months in which `reader` clicked `thing`.
pub fn months_clicked(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
) -> QueryResult<Vec<Month>> {
    let months: Vec<String> = clicks::table
        .filter(clicks::reader_id.eq(reader.0))
        .filter(clicks::thing_id.eq(thing.0))
        .select(clicks::month)
        .load(conn)?;
    Ok(months.iter().filter_map(|m| Month::parse(m).ok()).collect())
}
