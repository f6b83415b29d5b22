//! A thing's monthly click counters (`thing_month_counts`): sharded by reader, so that
//! concurrent clicks on one thing rarely wait for the same row; read back as exact sums.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{thing_month_counts, things};
use crate::domain::{Month, ThingId, UserId};

/// Clicks of a thing in a month: the sum of its counter shards, summed exactly in Rust.
pub fn month_clicks(conn: &mut DbConnection, id: ThingId, month: Month) -> QueryResult<i64> {
    let shards: Vec<i64> = thing_month_counts::table
        .filter(thing_month_counts::thing_id.eq(id.0))
        .filter(thing_month_counts::month.eq(month.to_string()))
        .select(thing_month_counts::clicks)
        .load(conn)?;
    Ok(shards.iter().sum())
}

/// Counter shards per thing and month (see the migration).
const SHARDS: i64 = 16;

/// The counter shard a reader's clicks go to.
pub fn shard_of(reader: UserId) -> i32 {
    i32::try_from(reader.0.rem_euclid(SHARDS)).unwrap_or(0)
}

/// Adds `delta` to a thing's monthly counter (the reader's shard), creating it if needed. One
/// atomic upsert (the same `ON CONFLICT` syntax on both backends): with "update, else
/// insert", two concurrent first clicks would both insert and one would fail.
pub fn add_to_count(
    conn: &mut DbConnection,
    id: ThingId,
    month: Month,
    reader: UserId,
    delta: i64,
) -> QueryResult<()> {
    CountUpsert {
        thing: id.0,
        month: month.to_string(),
        shard: shard_of(reader),
        start: delta.max(0),
        delta,
    }
    .execute(conn)?;
    Ok(())
}

crate::statement! {
    /// The counter upsert as a typed query with a static id, so that diesel prepares it once
    /// per connection (a `sql_query` is never cached): it runs on every click. A new shard
    /// starts at `start`, the delta but never below zero (an undo always follows its click).
    struct CountUpsert {
        thing: i64,
        month: String,
        shard: i32,
        start: i64,
        delta: i64,
    }
    "INSERT INTO thing_month_counts (thing_id, month, shard, clicks) VALUES (", {thing},
    ", ", {month}, ", ", {shard}, ", ", {start},
    ") ON CONFLICT (thing_id, month, shard) DO UPDATE SET clicks = thing_month_counts.clicks + ",
    {delta}
}

/// The month's clicks on all of an owner's visible things, summed exactly in Rust.
pub fn owner_month_clicks(
    conn: &mut DbConnection,
    owner: UserId,
    month: Month,
) -> QueryResult<i64> {
    let shards: Vec<i64> = thing_month_counts::table
        .inner_join(things::table)
        .filter(things::owner_id.eq(owner.0))
        .filter(things::hidden.eq(false))
        .filter(thing_month_counts::month.eq(month.to_string()))
        .select(thing_month_counts::clicks)
        .load(conn)?;
    Ok(shards.iter().sum())
}

/// Whether readers ever tipped the thing: a click counted in some month, or money held for it.
pub fn was_tipped(conn: &mut DbConnection, id: ThingId) -> QueryResult<bool> {
    use crate::db::schema::holds;
    let counted: Vec<i64> = thing_month_counts::table
        .filter(thing_month_counts::thing_id.eq(id.0))
        .filter(thing_month_counts::clicks.gt(0))
        .select(thing_month_counts::clicks)
        .load(conn)?;
    if !counted.is_empty() {
        return Ok(true);
    }
    let held: Vec<String> = holds::table
        .filter(holds::thing_id.eq(id.0))
        .select(holds::month)
        .load(conn)?;
    Ok(!held.is_empty())
}
