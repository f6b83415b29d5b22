//! The `click_notes` table: who may see a click, and its note. Every read joins `clicks`, so a
//! note whose click is gone shows nowhere.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{click_notes, clicks, creator_profiles, things, users};
use crate::domain::click_note::{NoteChoice, Visibility};
use crate::domain::{Month, ThingId, UserId};

/// One visible click as its viewers see it: never the reader's id or address.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ShownClick {
    pub thing_id: i64,
    pub thing_title: String,
    /// The reader's display name (may be empty: pages say "a reader").
    pub display_name: String,
    /// The reader's public page, if they have one.
    pub handle: Option<String>,
    #[diesel(deserialize_as = String)]
    pub visibility: Visibility,
    pub note: Option<String>,
}

/// Replaces the reader's choice for one click; a private click without a note keeps no row.
/// In the caller's write transaction (which checked that the click exists).
pub fn save(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    choice: &NoteChoice,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    delete(conn, reader, thing, month)?;
    if choice.is_default() {
        return Ok(());
    }
    diesel::insert_into(click_notes::table)
        .values((
            click_notes::reader_id.eq(reader.0),
            click_notes::thing_id.eq(thing.0),
            click_notes::month.eq(month.to_string()),
            click_notes::visibility.eq(choice.visibility.as_str()),
            click_notes::note.eq(choice.note.as_ref().map(|n| n.as_str())),
            click_notes::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
) -> QueryResult<()> {
    diesel::delete(click_notes::table.find((reader.0, thing.0, month.to_string())))
        .execute(conn)?;
    Ok(())
}

/// The reader's choices of a month, by thing: (thing id, visibility, note). A stored
/// visibility that no longer parses is a corrupted row: an error, never a default.
pub fn of_reader(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> QueryResult<Vec<(i64, Visibility, Option<String>)>> {
    let rows: Vec<(i64, String, Option<String>)> = click_notes::table
        .filter(click_notes::reader_id.eq(reader.0))
        .filter(click_notes::month.eq(month.to_string()))
        .select((
            click_notes::thing_id,
            click_notes::visibility,
            click_notes::note,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(thing, visibility, note)| Ok((thing, stored(&visibility)?, note)))
        .collect()
}

/// A stored visibility, read where the row is read.
pub(crate) fn stored(text: &str) -> QueryResult<Visibility> {
    Visibility::parse(text).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

/// The visible clicks of a month, joined to their clicks, things, readers and public pages.
macro_rules! shown_clicks {
    ($month:expr) => {
        click_notes::table
            .inner_join(
                clicks::table.on(clicks::reader_id
                    .eq(click_notes::reader_id)
                    .and(clicks::thing_id.eq(click_notes::thing_id))
                    .and(clicks::month.eq(click_notes::month))),
            )
            .inner_join(things::table.on(things::id.eq(click_notes::thing_id)))
            .inner_join(users::table.on(users::id.eq(click_notes::reader_id)))
            .left_join(creator_profiles::table.on(creator_profiles::user_id.eq(users::id)))
            .filter(click_notes::month.eq($month.to_string()))
            .select((
                things::id,
                things::title,
                users::display_name,
                creator_profiles::handle.nullable(),
                click_notes::visibility,
                click_notes::note,
            ))
    };
}

/// The supporters of `owner`'s things in `month`: clicks made visible to the creator or
/// public, on the things `owner` owns now, by thing then click order.
pub fn supporters(
    conn: &mut DbConnection,
    owner: UserId,
    month: Month,
) -> QueryResult<Vec<ShownClick>> {
    shown_clicks!(month)
        .filter(things::owner_id.eq(owner.0))
        .filter(
            click_notes::visibility
                .eq_any([Visibility::Creator.as_str(), Visibility::Public.as_str()]),
        )
        .order((things::id.asc(), clicks::id.asc()))
        .load(conn)
}

/// The public clicks on `thing` in `month`, in click order.
pub fn public_of_thing(
    conn: &mut DbConnection,
    thing: ThingId,
    month: Month,
    limit: i64,
) -> QueryResult<Vec<ShownClick>> {
    shown_clicks!(month)
        .filter(click_notes::thing_id.eq(thing.0))
        .filter(click_notes::visibility.eq(Visibility::Public.as_str()))
        .order(clicks::id.asc())
        .limit(limit)
        .load(conn)
}

/// `reader`'s public clicks in `month` on visible things, in click order.
pub fn public_of_reader(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
    limit: i64,
) -> QueryResult<Vec<ShownClick>> {
    shown_clicks!(month)
        .filter(click_notes::reader_id.eq(reader.0))
        .filter(click_notes::visibility.eq(Visibility::Public.as_str()))
        .filter(things::hidden.eq(false))
        .order(clicks::id.asc())
        .limit(limit)
        .load(conn)
}
