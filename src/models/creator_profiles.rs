//! The `creator_profiles` table: public pages at `/c/{handle}`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::{creator_profiles, retired_handles};
use crate::domain::UserId;
use crate::domain::profile::ProfileInput;
use crate::models::search_index;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = creator_profiles)]
pub struct CreatorProfileRow {
    pub user_id: i64,
    pub handle: String,
    pub public_name: String,
    pub description: String,
    pub links: String,
    pub clicks_public: bool,
    pub updated_at: NaiveDateTime,
}

impl CreatorProfileRow {
    pub fn links(&self) -> Vec<&str> {
        self.links.lines().filter(|l| !l.is_empty()).collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SaveProfileError {
    #[error("this handle is taken")]
    HandleTaken,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub fn find_by_user(
    conn: &mut DbConnection,
    user: UserId,
) -> QueryResult<Option<CreatorProfileRow>> {
    creator_profiles::table
        .find(user.0)
        .select(CreatorProfileRow::as_select())
        .get_result(conn)
        .optional()
}

/// `handle` must already be in lower case (as `Handle` keeps it).
pub fn find_by_handle(
    conn: &mut DbConnection,
    handle: &str,
) -> QueryResult<Option<CreatorProfileRow>> {
    creator_profiles::table
        .filter(creator_profiles::handle.eq(handle))
        .select(CreatorProfileRow::as_select())
        .get_result(conn)
        .optional()
}

/// Creates or replaces `user`'s page, and reindexes their things for search (the index names
/// the creator). Run inside a write transaction: the existence check and the write must see
/// the same row, and the index follows in it.
pub fn save(
    conn: &mut DbConnection,
    user: UserId,
    profile: &ProfileInput,
    now: DateTime<Utc>,
) -> Result<(), SaveProfileError> {
    let values = (
        creator_profiles::handle.eq(profile.handle.as_str()),
        creator_profiles::public_name.eq(&profile.public_name),
        creator_profiles::description.eq(&profile.description),
        creator_profiles::links.eq(profile.links_text()),
        creator_profiles::clicks_public.eq(profile.clicks_public),
        creator_profiles::updated_at.eq(now.naive_utc()),
    );
    // A handle someone gave up stays theirs: `rel="me"` links to `/c/{handle}` prove sites
    // for them, never for whoever would take the handle next.
    let retired_by: Option<i64> = retired_handles::table
        .find(profile.handle.as_str())
        .select(retired_handles::user_id)
        .get_result(conn)
        .optional()?;
    match retired_by {
        Some(other) if other != user.0 => return Err(SaveProfileError::HandleTaken),
        Some(_) => {
            diesel::delete(retired_handles::table.find(profile.handle.as_str())).execute(conn)?;
        }
        None => {}
    }
    let existing = find_by_user(conn, user)?;
    if let Some(old) = existing
        .as_ref()
        .filter(|p| p.handle != profile.handle.as_str())
    {
        diesel::sql_query(
            "INSERT INTO retired_handles (handle, user_id, retired_at) VALUES ($1, $2, $3) \
             ON CONFLICT (handle) DO NOTHING",
        )
        .bind::<diesel::sql_types::Text, _>(&old.handle)
        .bind::<diesel::sql_types::BigInt, _>(user.0)
        .bind::<diesel::sql_types::Timestamp, _>(now.naive_utc())
        .execute(conn)?;
    }
    let written = if existing.is_some() {
        diesel::update(creator_profiles::table.find(user.0))
            .set(values)
            .execute(conn)
    } else {
        diesel::insert_into(creator_profiles::table)
            .values((creator_profiles::user_id.eq(user.0), values))
            .execute(conn)
    };
    written.map_err(|e| {
        if is_unique_violation(&e) {
            SaveProfileError::HandleTaken
        } else {
            SaveProfileError::Database(e)
        }
    })?;
    search_index::index_owner(conn, user)?;
    Ok(())
}
