//! The `oauth_signups` table: sign-ups through a provider that did not vouch for the address,
//! waiting for the code mailed to it. Only a digest of the code is stored.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::oauth_signups;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = oauth_signups)]
pub struct SignUpRow {
    pub id: i64,
    pub provider: String,
    pub subject: String,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub code_hash: String,
    pub attempts: i32,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

/// What a new pending sign-up records.
pub struct NewSignUp<'a> {
    pub provider: &'a str,
    pub subject: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub locale: &'a str,
    pub code_hash: &'a str,
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewSignUp<'_>,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(oauth_signups::table)
        .values((
            oauth_signups::provider.eq(new.provider),
            oauth_signups::subject.eq(new.subject),
            oauth_signups::email.eq(new.email),
            oauth_signups::display_name.eq(new.display_name),
            oauth_signups::locale.eq(new.locale),
            oauth_signups::code_hash.eq(new.code_hash),
            oauth_signups::created_at.eq(now.naive_utc()),
            oauth_signups::expires_at.eq(expires.naive_utc()),
        ))
        .returning(oauth_signups::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SignUpRow>> {
    oauth_signups::table
        .find(id)
        .select(SignUpRow::as_select())
        .get_result(conn)
        .optional()
}

/// Counts one attempt at the code, if the sign-up still takes attempts (unused, unexpired,
/// fewer than `limit` so far); `false` otherwise. One conditional update, so concurrent
/// guesses cannot share an attempt.
pub fn take_attempt(
    conn: &mut DbConnection,
    id: i64,
    limit: i32,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let taken = diesel::update(
        oauth_signups::table
            .find(id)
            .filter(oauth_signups::used_at.is_null())
            .filter(oauth_signups::expires_at.gt(now.naive_utc()))
            .filter(oauth_signups::attempts.lt(limit)),
    )
    .set(oauth_signups::attempts.eq(oauth_signups::attempts + 1))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Uses the sign-up up; `false` if it was used already.
pub fn mark_used(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> QueryResult<bool> {
    let used = diesel::update(
        oauth_signups::table
            .find(id)
            .filter(oauth_signups::used_at.is_null()),
    )
    .set(oauth_signups::used_at.eq(Some(now.naive_utc())))
    .execute(conn)?;
    Ok(used == 1)
}

/// How many codes the identity (`provider`, `subject`) asked for since `since`: one provider
/// account may not send codes to address after address.
pub fn count_recent_for_identity(
    conn: &mut DbConnection,
    provider: &str,
    subject: &str,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    oauth_signups::table
        .filter(oauth_signups::provider.eq(provider))
        .filter(oauth_signups::subject.eq(subject))
        .filter(oauth_signups::created_at.gt(since.naive_utc()))
        .count()
        .get_result(conn)
}

/// Forgets the sign-ups that ended before `before` (addresses of people who are not users
/// are not kept longer than needed).
pub fn purge(conn: &mut DbConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(oauth_signups::table.filter(oauth_signups::expires_at.lt(before.naive_utc())))
        .execute(conn)
}

/// How many sign-ups asked for a code to `email` since `since`: a person may ask for a few,
/// but nobody may flood an address with codes.
pub fn count_recent(
    conn: &mut DbConnection,
    email: &str,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    oauth_signups::table
        .filter(oauth_signups::email.eq(email))
        .filter(oauth_signups::created_at.gt(since.naive_utc()))
        .count()
        .get_result(conn)
}
