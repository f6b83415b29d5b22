//! The claim each thing carries (`things.site_id`, its owner) and the record of its changes
//! (`claim_changes`).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::escape_like;
use crate::db::DbConnection;
use crate::db::schema::{claim_changes, things};
use crate::domain::{ThingId, UserId};
use crate::models::search_index;

/// A thing as claims see it: (id, owner, url_key, site).
pub type ClaimedThing = (i64, i64, String, Option<i64>);

/// Things whose key starts with `prefix` (a superset of those a site covers; the caller
/// keeps the covered ones).
pub fn things_under(conn: &mut DbConnection, prefix: &str) -> QueryResult<Vec<ClaimedThing>> {
    things::table
        .filter(
            things::url_key
                .like(format!("{}%", escape_like(prefix)))
                .escape('\\'),
        )
        .select((
            things::id,
            things::owner_id,
            things::url_key,
            things::site_id,
        ))
        .load(conn)
}

/// Things that a site made claimed: (id, owner, url_key).
pub fn things_of_site(conn: &mut DbConnection, site: i64) -> QueryResult<Vec<(i64, i64, String)>> {
    things::table
        .filter(things::site_id.eq(site))
        .select((things::id, things::owner_id, things::url_key))
        .load(conn)
}

/// Gives a thing its owner and claim, and records what they were (`claim_changes`); a new
/// owner's name goes into the search index in the same transaction.
pub fn set_claim(
    conn: &mut DbConnection,
    thing: i64,
    (previous_owner, previous_site): (UserId, Option<i64>),
    (owner, site): (UserId, Option<i64>),
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(claim_changes::table)
        .values((
            claim_changes::thing_id.eq(thing),
            claim_changes::previous_owner.eq(previous_owner.0),
            claim_changes::previous_site_id.eq(previous_site),
            claim_changes::changed_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    diesel::update(things::table.find(thing))
        .set((things::owner_id.eq(owner.0), things::site_id.eq(site)))
        .execute(conn)?;
    if owner != previous_owner {
        search_index::index_thing(conn, ThingId(thing))?;
    }
    Ok(())
}

/// The things whose owner or claim changed after change `seq`, with what they were just
/// before their first such change: (thing, owner, claimed).
pub fn state_before_changes_after(
    conn: &mut DbConnection,
    seq: i64,
) -> QueryResult<Vec<(i64, i64, bool)>> {
    let changes: Vec<(i64, i64, bool)> = claim_changes::table
        .filter(claim_changes::id.gt(seq))
        .order(claim_changes::id.asc())
        .select((
            claim_changes::thing_id,
            claim_changes::previous_owner,
            claim_changes::previous_site_id.is_not_null(),
        ))
        .load(conn)?;
    let mut seen = std::collections::HashSet::new();
    Ok(changes
        .into_iter()
        .filter(|(thing, _, _)| seen.insert(*thing))
        .collect())
}

/// Things whose owner or claim changed since `since` that are claimed now: (thing, owner).
pub fn claimed_since(
    conn: &mut DbConnection,
    since: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64)>> {
    let changed: Vec<i64> = claim_changes::table
        .filter(claim_changes::changed_at.ge(since))
        .select(claim_changes::thing_id)
        .distinct()
        .load(conn)?;
    let mut found = Vec::new();
    for chunk in changed.chunks(10_000) {
        found.extend(
            things::table
                .filter(things::id.eq_any(chunk))
                .filter(things::site_id.is_not_null())
                .select((things::id, things::owner_id))
                .load::<(i64, i64)>(conn)?,
        );
    }
    Ok(found)
}
