//! The `things` table. Its writers keep what is derived from it in the caller's transaction:
//! browse's counts (`thing_counts`) and the search index (`search_index`); its monthly click
//! counters are in [`counts`].

mod counts;

pub use counts::{add_to_count, month_clicks, owner_month_clicks, shard_of, was_tipped};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::{thing_month_counts, things};
use crate::domain::thing::ThingInput;
use crate::domain::{Month, ThingId, UserId};
use crate::models::{search_index, thing_counts};

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

/// Adds a visible thing. Call it inside a write transaction (derived data follows in it).
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
    // A new thing is visible: browse's count and the search index follow in the same
    // transaction.
    thing_counts::increment(conn, thing.language.code(), thing.category.code())?;
    search_index::index_thing(conn, id)?;
    Ok(id)
}

/// Changes a thing, and whether it is hidden. Call it inside a write transaction (derived
/// data follows in it).
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
    search_index::index_thing(conn, id)?;
    Ok(())
}

/// Hides every visible thing of `owner` (an account being deleted), keeping browse's counts
/// and the search index right as `update` does. Call inside a write transaction.
pub fn hide_all_of(conn: &mut DbConnection, owner: UserId) -> QueryResult<usize> {
    let visible: Vec<(i64, String, String)> = things::table
        .filter(things::owner_id.eq(owner.0))
        .filter(things::hidden.eq(false))
        .select((things::id, things::language, things::category))
        .load(conn)?;
    for (id, language, category) in &visible {
        diesel::update(things::table.find(id))
            .set(things::hidden.eq(true))
            .execute(conn)?;
        thing_counts::decrement(conn, language, category)?;
        search_index::index_thing(conn, ThingId(*id))?;
    }
    Ok(visible.len())
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
