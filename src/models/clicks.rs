//! The `clicks` and `month_budgets` tables.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::{clicks, month_budgets, things};
use crate::domain::{Money, Month, ThingId, UserId};

/// Records a click; `false` when this reader already clicked this thing this month (the
/// UNIQUE key decides, whatever the concurrency).
pub fn insert(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(clicks::table)
        .values((
            clicks::reader_id.eq(reader.0),
            clicks::thing_id.eq(thing.0),
            clicks::month.eq(month.to_string()),
            clicks::created_at.eq(now.naive_utc()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
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

/// A reader's clicks of a month: (thing id, title, url), in click order.
pub fn of_reader(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> QueryResult<Vec<(i64, String, String)>> {
    clicks::table
        .inner_join(things::table)
        .filter(clicks::reader_id.eq(reader.0))
        .filter(clicks::month.eq(month.to_string()))
        .order(clicks::id.asc())
        .select((things::id, things::title, things::url))
        .load(conn)
}

/// Months in which the reader clicked, newest first.
pub fn months_of_reader(conn: &mut DbConnection, reader: UserId) -> QueryResult<Vec<String>> {
    clicks::table
        .filter(clicks::reader_id.eq(reader.0))
        .select(clicks::month)
        .distinct()
        .order(clicks::month.desc())
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
        .first::<i64>(conn)
        .optional()?
        .map(Money::from_micros))
}

/// Claims the month's reservation row; `false` when it exists (another request made it).
pub fn insert_reservation(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
    amount: Money,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(month_budgets::table)
        .values((
            month_budgets::reader_id.eq(reader.0),
            month_budgets::month.eq(month.to_string()),
            month_budgets::amount_micros.eq(amount.micros()),
            month_budgets::clicks.eq(1),
            month_budgets::reserved_at.eq(now.naive_utc()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
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
    let row: Option<(i64, i64)> =
        diesel::update(month_budgets::table.find((reader.0, month.to_string())))
            .set(month_budgets::clicks.eq(month_budgets::clicks + delta))
            .returning((month_budgets::amount_micros, month_budgets::clicks))
            .get_result(conn)
            .optional()?;
    Ok(row.map(|(amount, clicks)| (Money::from_micros(amount), clicks)))
}

/// Owner and visibility of a thing: all a click needs to know about it.
pub fn thing_owner(conn: &mut DbConnection, thing: ThingId) -> QueryResult<Option<(i64, bool)>> {
    things::table
        .find(thing.0)
        .select((things::owner_id, things::hidden))
        .first(conn)
        .optional()
}
