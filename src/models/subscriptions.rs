//! The `subscriptions` table: a reader's things clicked for them by the server once a month.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{subscriptions, things};
use crate::domain::{Month, ThingId, UserId};

/// A subscription as its reader sees it: the thing, its title, since when.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Subscribed {
    pub thing_id: i64,
    pub title: String,
    pub since: NaiveDateTime,
}

/// Adds `reader`'s subscription to `thing`; a UNIQUE violation when it exists (run it in a
/// savepoint on PostgreSQL if the transaction must go on).
pub fn insert(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(subscriptions::table)
        .values((
            subscriptions::reader_id.eq(reader.0),
            subscriptions::thing_id.eq(thing.0),
            subscriptions::since.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn exists(conn: &mut DbConnection, reader: UserId, thing: ThingId) -> QueryResult<bool> {
    let n: i64 = subscriptions::table
        .filter(subscriptions::reader_id.eq(reader.0))
        .filter(subscriptions::thing_id.eq(thing.0))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Removes `reader`'s subscription to `thing`; `false` when there was none.
pub fn delete(conn: &mut DbConnection, reader: UserId, thing: ThingId) -> QueryResult<bool> {
    let deleted = diesel::delete(
        subscriptions::table
            .filter(subscriptions::reader_id.eq(reader.0))
            .filter(subscriptions::thing_id.eq(thing.0)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}

/// `reader`'s subscriptions, oldest first, hidden things' too (for the export).
pub fn of_reader(conn: &mut DbConnection, reader: UserId) -> QueryResult<Vec<Subscribed>> {
    subscriptions::table
        .inner_join(things::table)
        .filter(subscriptions::reader_id.eq(reader.0))
        .order((subscriptions::since.asc(), subscriptions::thing_id.asc()))
        .select((things::id, things::title, subscriptions::since))
        .load(conn)
}

/// `reader`'s subscriptions to things still shown, oldest first: a thing its owner hid (or
/// whose owner left) is not listed, and is skipped each month, until it is shown again.
pub fn shown_of_reader(conn: &mut DbConnection, reader: UserId) -> QueryResult<Vec<Subscribed>> {
    subscriptions::table
        .inner_join(things::table)
        .filter(subscriptions::reader_id.eq(reader.0))
        .filter(things::hidden.eq(false))
        .order((subscriptions::since.asc(), subscriptions::thing_id.asc()))
        .select((things::id, things::title, subscriptions::since))
        .load(conn)
}

/// Up to `limit` subscriptions not yet taken in `month`, in (reader, thing) order.
pub fn due(conn: &mut DbConnection, month: Month, limit: i64) -> QueryResult<Vec<(i64, i64)>> {
    subscriptions::table
        .filter(
            subscriptions::last_month
                .is_null()
                .or(subscriptions::last_month.lt(month.to_string())),
        )
        .order((
            subscriptions::reader_id.asc(),
            subscriptions::thing_id.asc(),
        ))
        .select((subscriptions::reader_id, subscriptions::thing_id))
        .limit(limit)
        .load(conn)
}

/// Takes the subscription in `month`: `true` for the one write that moved `last_month` to it
/// (on PostgreSQL a concurrent taker waits for that write's commit, then finds it taken).
pub fn take(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
) -> QueryResult<bool> {
    let month = month.to_string();
    let taken = diesel::update(
        subscriptions::table
            .filter(subscriptions::reader_id.eq(reader.0))
            .filter(subscriptions::thing_id.eq(thing.0))
            .filter(
                subscriptions::last_month
                    .is_null()
                    .or(subscriptions::last_month.lt(&month)),
            ),
    )
    .set(subscriptions::last_month.eq(&month))
    .execute(conn)?;
    Ok(taken > 0)
}

/// How many readers subscribe to `thing`.
pub fn count_for_thing(conn: &mut DbConnection, thing: ThingId) -> QueryResult<i64> {
    subscriptions::table
        .filter(subscriptions::thing_id.eq(thing.0))
        .count()
        .get_result(conn)
}

/// Subscribers per thing of `owner` (things without any are absent).
pub fn counts_for_owner(conn: &mut DbConnection, owner: UserId) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = subscriptions::table
        .inner_join(things::table)
        .filter(things::owner_id.eq(owner.0))
        .group_by(subscriptions::thing_id)
        .select((subscriptions::thing_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
