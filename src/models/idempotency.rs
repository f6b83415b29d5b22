//! The `idempotency_keys` table: the first response to each (user, key).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::idempotency_keys;
use crate::domain::UserId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

pub fn find(
    conn: &mut DbConnection,
    user: UserId,
    key: &str,
) -> QueryResult<Option<StoredResponse>> {
    let row: Option<(String, i32, String)> = idempotency_keys::table
        .find((user.0, key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::response_status,
            idempotency_keys::response_body,
        ))
        .get_result(conn)
        .optional()?;
    Ok(row.map(|(request_hash, status, body)| StoredResponse {
        request_hash,
        status: u16::try_from(status).unwrap_or(500),
        body,
    }))
}

/// Takes the key for this request; `false` when another request holds it. On PostgreSQL a
/// concurrent holder makes this wait until it commits, then fail as a duplicate.
pub fn claim(
    conn: &mut DbConnection,
    user: UserId,
    key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user.0),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::response_status.eq(0),
            idempotency_keys::response_body.eq(""),
            idempotency_keys::created_at.eq(now.naive_utc()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Stores the response of the request that claimed the key.
pub fn complete(
    conn: &mut DbConnection,
    user: UserId,
    key: &str,
    status: u16,
    body: &str,
) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((user.0, key)))
        .set((
            idempotency_keys::response_status.eq(i32::from(status)),
            idempotency_keys::response_body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}
