//! Visible clicks and notes (PRODUCT.md flow 10): a reader chooses who sees each click and may
//! leave a note; creators see their supporters; public clicks show on the thing's page and the
//! reader's public page. A choice changes only what is shown, never money, so it may change
//! in any month, closed or not.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::{is_unique_violation, write_transaction};
use crate::domain::click_note::{NoteChoice, Visibility};
use crate::domain::{Month, ThingId, UserId};
use crate::models::click_notes::{self, ShownClick};
use crate::models::clicks;

/// Public clicks a page lists at most.
pub const PAGE_NOTES: i64 = 100;

#[derive(Debug, thiserror::Error)]
pub enum NoteError {
    #[error("no click to change")]
    NoClick,
    /// The same reader changed the same click at the same time; a retry is safe.
    #[error("a concurrent change of the same click")]
    Conflict,
    #[error(transparent)]
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for NoteError {
    fn from(e: diesel::result::Error) -> Self {
        if is_unique_violation(&e) {
            NoteError::Conflict
        } else {
            NoteError::Database(e)
        }
    }
}

/// Sets who sees the reader's click on `thing` in `month`, and its note.
pub fn choose(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    choice: &NoteChoice,
    now: DateTime<Utc>,
) -> Result<(), NoteError> {
    write_transaction(conn, |conn| {
        if !clicks::exists(conn, reader, thing, month)? {
            return Err(NoteError::NoClick);
        }
        click_notes::save(conn, reader, thing, month, choice, now)?;
        Ok(())
    })
}

/// One of the reader's clicks as they chose to show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnChoice {
    pub thing_id: i64,
    pub visibility: Visibility,
    pub note: Option<String>,
}

/// The reader's choices for `month`'s clicks; a click without one is private.
pub fn choices_of(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> Result<Vec<OwnChoice>, NoteError> {
    Ok(click_notes::of_reader(conn, reader, month)?
        .into_iter()
        .map(|(thing_id, visibility, note)| OwnChoice {
            thing_id,
            visibility,
            note,
        })
        .collect())
}

/// The clicks on `owner`'s things in `month` that their readers showed to the creator or
/// everyone. The owner is the thing's owner now.
pub fn supporters(
    conn: &mut DbConnection,
    owner: UserId,
    month: Month,
) -> Result<Vec<ShownClick>, NoteError> {
    Ok(click_notes::supporters(conn, owner, month)?)
}

/// The public clicks on `thing` in `month`.
pub fn public_of_thing(
    conn: &mut DbConnection,
    thing: ThingId,
    month: Month,
) -> Result<Vec<ShownClick>, NoteError> {
    Ok(click_notes::public_of_thing(
        conn, thing, month, PAGE_NOTES,
    )?)
}

/// `reader`'s public clicks in `month`.
pub fn public_of_reader(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> Result<Vec<ShownClick>, NoteError> {
    Ok(click_notes::public_of_reader(
        conn, reader, month, PAGE_NOTES,
    )?)
}
