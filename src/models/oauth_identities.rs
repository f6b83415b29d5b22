//! The `oauth_identities` table: which account a provider's subject signs in to.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::{oauth_identities, users};
use crate::domain::UserId;
use crate::models::users::UserRow;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oauth_identities)]
pub struct IdentityRow {
    pub id: i64,
    pub user_id: i64,
    pub provider: String,
    pub subject: String,
    pub email: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
}

/// The account this subject signs in to, if linked.
pub fn find_user(
    conn: &mut DbConnection,
    provider: &str,
    subject: &str,
) -> QueryResult<Option<UserRow>> {
    oauth_identities::table
        .inner_join(users::table)
        .filter(oauth_identities::provider.eq(provider))
        .filter(oauth_identities::subject.eq(subject))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn touch(
    conn: &mut DbConnection,
    provider: &str,
    subject: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        oauth_identities::table
            .filter(oauth_identities::provider.eq(provider))
            .filter(oauth_identities::subject.eq(subject)),
    )
    .set(oauth_identities::last_used_at.eq(now.naive_utc()))
    .execute(conn)?;
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Inserted {
    Linked,
    /// The subject signs in to an account already, or this account has this provider.
    Taken,
}

/// Links a subject to an account; the two UNIQUE constraints decide races. In a savepoint,
/// so that a refusal leaves the caller's transaction usable on PostgreSQL.
pub fn insert(
    conn: &mut DbConnection,
    user: UserId,
    provider: &str,
    subject: &str,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<Inserted> {
    let inserted = crate::db::backend::write_transaction(conn, |conn| {
        diesel::insert_into(oauth_identities::table)
            .values((
                oauth_identities::user_id.eq(user.0),
                oauth_identities::provider.eq(provider),
                oauth_identities::subject.eq(subject),
                oauth_identities::email.eq(email),
                oauth_identities::created_at.eq(now.naive_utc()),
                oauth_identities::last_used_at.eq(now.naive_utc()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(Inserted::Linked),
        Err(e) if is_unique_violation(&e) => Ok(Inserted::Taken),
        Err(e) => Err(e),
    }
}

pub fn of_user(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<IdentityRow>> {
    oauth_identities::table
        .filter(oauth_identities::user_id.eq(user.0))
        .order(oauth_identities::provider)
        .select(IdentityRow::as_select())
        .load(conn)
}

/// Removes every identity of the account; returns how many there were.
pub fn delete_all(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(oauth_identities::table.filter(oauth_identities::user_id.eq(user.0)))
        .execute(conn)
}

/// Removes the account's identity at `provider`; `false` when there was none.
pub fn delete(conn: &mut DbConnection, user: UserId, provider: &str) -> QueryResult<bool> {
    let deleted = diesel::delete(
        oauth_identities::table
            .filter(oauth_identities::user_id.eq(user.0))
            .filter(oauth_identities::provider.eq(provider)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}
