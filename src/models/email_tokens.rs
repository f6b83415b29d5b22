//! One-time links sent by mail: address verification and password reset. Only the SHA-256
//! of a token is stored; a token is used once, before it expires.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::email_tokens;
use crate::domain::UserId;
use crate::security::tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

/// Issues a token valid until `expires`; returns it in clear (for the mail only).
pub fn issue(
    conn: &mut DbConnection,
    user: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> QueryResult<String> {
    let token = tokens::random_secret();
    diesel::insert_into(email_tokens::table)
        .values((
            email_tokens::token_hash.eq(tokens::digest(&token)),
            email_tokens::user_id.eq(user.0),
            email_tokens::purpose.eq(purpose.code()),
            email_tokens::created_at.eq(now.naive_utc()),
            email_tokens::expires_at.eq(expires.naive_utc()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Uses a token: its user if it exists for this purpose, is unused and has not expired. One
/// conditional update, so two concurrent uses cannot both succeed.
pub fn consume(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> QueryResult<Option<UserId>> {
    let hash = tokens::digest(token);
    let used = diesel::update(
        email_tokens::table
            .filter(email_tokens::token_hash.eq(&hash))
            .filter(email_tokens::purpose.eq(purpose.code()))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(now.naive_utc())),
    )
    .set(email_tokens::used_at.eq(Some(now.naive_utc())))
    .execute(conn)?;
    if used != 1 {
        return Ok(None);
    }
    email_tokens::table
        .find(&hash)
        .select(email_tokens::user_id)
        .get_result::<i64>(conn)
        .map(|id| Some(UserId(id)))
}

/// Whether a token would be accepted now (the reset form checks before asking for a password).
pub fn is_usable(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let n: i64 = email_tokens::table
        .filter(email_tokens::token_hash.eq(tokens::digest(token)))
        .filter(email_tokens::purpose.eq(purpose.code()))
        .filter(email_tokens::used_at.is_null())
        .filter(email_tokens::expires_at.gt(now.naive_utc()))
        .count()
        .get_result(conn)?;
    Ok(n == 1)
}

/// Ends the user's unused tokens of a purpose (a password reset ends the other reset links).
pub fn revoke_all(
    conn: &mut DbConnection,
    user: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user.0))
            .filter(email_tokens::purpose.eq(purpose.code()))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(Some(now.naive_utc())))
    .execute(conn)?;
    Ok(())
}
