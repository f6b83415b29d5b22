//! The `things` table and its monthly click counters.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::{thing_month_counts, things};
use crate::domain::thing::ThingInput;
use crate::domain::{Month, ThingId, UserId};
use crate::models::thing_counts;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = things)]
pub struct ThingRow {
    pub id: i64,
    pub owner_id: i64,
    pub url: String,
    pub url_key: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub language: String,
    pub hidden: bool,
    pub created_at: NaiveDateTime,
    /// The verified site of the owner that covers the thing: set exactly when it is claimed.
    pub site_id: Option<i64>,
}

impl ThingRow {
    pub fn thing_id(&self) -> ThingId {
        ThingId(self.id)
    }

    pub fn owner(&self) -> UserId {
        UserId(self.owner_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SaveThingError {
    #[error("this page is already a thing")]
    Exists,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn unique_or(e: diesel::result::Error) -> SaveThingError {
    if is_unique_violation(&e) {
        SaveThingError::Exists
    } else {
        SaveThingError::Database(e)
    }
}

pub fn insert(
    conn: &mut DbConnection,
    owner: UserId,
    thing: &ThingInput,
    now: DateTime<Utc>,
) -> Result<ThingId, SaveThingError> {
    let id = diesel::insert_into(things::table)
        .values((
            things::owner_id.eq(owner.0),
            things::url.eq(thing.url.as_str()),
            things::url_key.eq(thing.url.key()),
            things::title.eq(&thing.title),
            things::description.eq(&thing.description),
            things::category.eq(thing.category.code()),
            things::language.eq(thing.language.code()),
            things::created_at.eq(now.naive_utc()),
        ))
        .returning(things::id)
        .get_result::<i64>(conn)
        .map(ThingId)
        .map_err(unique_or)?;
    // A new thing is visible: browse's count follows in the same transaction.
    thing_counts::increment(conn, thing.language.code(), thing.category.code())?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConnection,
    id: ThingId,
    thing: &ThingInput,
    hidden: bool,
) -> Result<(), SaveThingError> {
    let before: Option<(String, String, bool)> = things::table
        .find(id.0)
        .select((things::language, things::category, things::hidden))
        .get_result(conn)
        .optional()?;
    diesel::update(things::table.find(id.0))
        .set((
            things::url.eq(thing.url.as_str()),
            things::url_key.eq(thing.url.key()),
            things::title.eq(&thing.title),
            things::description.eq(&thing.description),
            things::category.eq(thing.category.code()),
            things::language.eq(thing.language.code()),
            things::hidden.eq(hidden),
        ))
        .execute(conn)
        .map_err(unique_or)?;
    // Browse's counts of visible things follow, in the same transaction.
    if let Some((language, category, false)) = &before {
        thing_counts::decrement(conn, language, category)?;
    }
    if before.is_some() && !hidden {
        thing_counts::increment(conn, thing.language.code(), thing.category.code())?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: ThingId) -> QueryResult<Option<ThingRow>> {
    things::table
        .find(id.0)
        .select(ThingRow::as_select())
        .get_result(conn)
        .optional()
}

/// A creator's things, newest first, with this month's clicks.
pub fn by_owner(
    conn: &mut DbConnection,
    owner: UserId,
    month: Month,
) -> QueryResult<Vec<(ThingRow, i64)>> {
    let things: Vec<ThingRow> = things::table
        .filter(things::owner_id.eq(owner.0))
        .order(things::id.desc())
        .select(ThingRow::as_select())
        .load(conn)?;
    let shards: Vec<(i64, i64)> = thing_month_counts::table
        .inner_join(things::table)
        .filter(things::owner_id.eq(owner.0))
        .filter(thing_month_counts::month.eq(month.to_string()))
        .select((thing_month_counts::thing_id, thing_month_counts::clicks))
        .load(conn)?;
    let mut counts = std::collections::HashMap::new();
    for (thing, clicks) in shards {
        *counts.entry(thing).or_insert(0) += clicks;
    }
    Ok(things
        .into_iter()
        .map(|t| {
            let clicks = counts.get(&t.id).copied().unwrap_or(0);
            (t, clicks)
        })
        .collect())
}

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
