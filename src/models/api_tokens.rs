//! The `api_tokens` table: bearer tokens for the JSON API, stored as SHA-256 digests.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::users::UserRow;
use crate::db::DbConnection;
use crate::db::dialect;
use crate::db::schema::{api_tokens, users};
use crate::domain::UserId;
use crate::security::tokens::ApiToken;

/// Issues a new token for `user` and returns it; only its digest is stored.
pub fn create(conn: &mut DbConnection, user: UserId, now: DateTime<Utc>) -> QueryResult<ApiToken> {
    let token = ApiToken::generate();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user.0),
            api_tokens::token_hash.eq(token.digest()),
            api_tokens::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The account that owns the live token with this digest.
pub fn find_user_by_digest(conn: &mut DbConnection, digest: &str) -> QueryResult<Option<UserRow>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(digest))
        .filter(api_tokens::revoked_at.is_null())
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

/// Whether the token with this digest is live and `user`'s. Clicks ask it inside their own
/// write, so that a revoked token never moves money, whatever a cache remembers. On
/// PostgreSQL the token's row stays share-locked until that write ends: an account's deletion
/// deletes its tokens first, so it waits for the clicks already past this check, and the
/// clicks after it find no token.
pub fn is_live(conn: &mut DbConnection, digest: &str, user: UserId) -> QueryResult<bool> {
    if let Some(sql) = dialect::of(conn).live_token_locked_sql() {
        #[derive(QueryableByName)]
        struct Found {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            #[expect(dead_code, reason = "only whether a row came back matters")]
            id: i64,
        }
        let found: Option<Found> = diesel::sql_query(sql)
            .bind::<diesel::sql_types::Text, _>(digest)
            .bind::<diesel::sql_types::BigInt, _>(user.0)
            .get_result(conn)
            .optional()?;
        return Ok(found.is_some());
    }
    let found: Option<i64> = api_tokens::table
        .filter(api_tokens::token_hash.eq(digest))
        .filter(api_tokens::user_id.eq(user.0))
        .filter(api_tokens::revoked_at.is_null())
        .select(api_tokens::id)
        .get_result(conn)
        .optional()?;
    Ok(found.is_some())
}

/// The owner of the token with this digest, live or not (a token's owner never changes).
pub fn owner_of(conn: &mut DbConnection, digest: &str) -> QueryResult<Option<UserId>> {
    let found: Option<(i64, Option<chrono::NaiveDateTime>)> = api_tokens::table
        .filter(api_tokens::token_hash.eq(digest))
        .select((api_tokens::user_id, api_tokens::revoked_at))
        .get_result(conn)
        .optional()?;
    Ok(found
        .filter(|(_, revoked)| revoked.is_none())
        .map(|(id, _)| UserId(id)))
}

/// Revokes the token with this digest; a no-op for an unknown or revoked one.
pub fn revoke_digest(
    conn: &mut DbConnection,
    digest: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        api_tokens::table
            .filter(api_tokens::token_hash.eq(digest))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now.naive_utc()))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Revokes every live token of `user`.
pub fn revoke_all(conn: &mut DbConnection, user: UserId, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(user.0))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now.naive_utc()))
    .execute(conn)
}
