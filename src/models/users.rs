//! The `users` table.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::users;
use crate::domain::{DisplayName, Email, Locale, NewAccount, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: Option<String>,
    pub display_name: String,
    pub locale: String,
    pub is_operator: bool,
    pub email_verified_at: Option<NaiveDateTime>,
    pub session_epoch: i64,
    pub created_at: NaiveDateTime,
}

impl UserRow {
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    /// The stored language; the CHECK constraint keeps it to a known one.
    pub fn locale(&self) -> Locale {
        Locale::parse(&self.locale).unwrap_or_default()
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUserRow<'a> {
    email: &'a str,
    password_hash: Option<&'a str>,
    display_name: &'a str,
    locale: &'a str,
    is_operator: bool,
    created_at: NaiveDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    #[error("an account with this email exists")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Creates an account; the UNIQUE email constraint decides races between two sign-ups.
pub fn insert(
    conn: &mut DbConnection,
    account: &NewAccount,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<UserRow, InsertUserError> {
    let profile = Profile {
        email: &account.email,
        display_name: &account.display_name,
        locale: account.locale,
    };
    insert_profile(conn, &profile, Some(password_hash), now)
}

/// Who an account is, without its password.
pub struct Profile<'a> {
    pub email: &'a Email,
    pub display_name: &'a DisplayName,
    pub locale: Locale,
}

/// Creates an account, with a password hash or without one (signed up through a provider).
/// In a savepoint, so that a taken email leaves the caller's transaction usable.
pub fn insert_profile(
    conn: &mut DbConnection,
    profile: &Profile<'_>,
    password_hash: Option<&str>,
    now: DateTime<Utc>,
) -> Result<UserRow, InsertUserError> {
    let row = NewUserRow {
        email: profile.email.as_str(),
        password_hash,
        display_name: profile.display_name.as_str(),
        locale: profile.locale.code(),
        is_operator: false,
        created_at: now.naive_utc(),
    };
    let inserted = crate::db::backend::write_transaction(conn, |conn| {
        diesel::insert_into(users::table).values(&row).execute(conn)
    });
    match inserted {
        Ok(_) => find_by_email(conn, profile.email)?
            .ok_or(InsertUserError::Database(diesel::result::Error::NotFound)),
        Err(e) if is_unique_violation(&e) => Err(InsertUserError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

/// Takes the account row's write lock until the transaction ends (an update locks on both
/// backends), so that checks across the account's rows cannot race.
pub fn lock(conn: &mut DbConnection, id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set(users::session_epoch.eq(users::session_epoch))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id.0)
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

/// Some users, by id (those that exist), in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select(UserRow::as_select())
        .load(conn)
}

/// The live account with this address: a deleted account is nobody's.
pub fn find_by_email(conn: &mut DbConnection, email: &Email) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .filter(users::deleted_at.is_null())
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn set_locale(conn: &mut DbConnection, id: UserId, locale: Locale) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set(users::locale.eq(locale.code()))
        .execute(conn)?;
    Ok(())
}

/// Ends every session of the account (they carry the old epoch).
pub fn bump_session_epoch(conn: &mut DbConnection, id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set(users::session_epoch.eq(users::session_epoch + 1))
        .execute(conn)?;
    Ok(())
}

/// Grants or keeps the operator role; `false` when no account has this email.
pub fn grant_operator(conn: &mut DbConnection, email: &Email) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table
            .filter(users::email.eq(email.as_str()))
            .filter(users::deleted_at.is_null()),
    )
    .set(users::is_operator.eq(true))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Marks the address verified (a verified address stays so); `true` when it was not yet.
pub fn mark_email_verified(
    conn: &mut DbConnection,
    id: UserId,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table
            .find(id.0)
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(Some(now.naive_utc())))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Replaces the password hash.
pub fn set_password_hash(conn: &mut DbConnection, id: UserId, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id.0))
        .set(users::password_hash.eq(Some(hash)))
        .execute(conn)?;
    Ok(())
}

/// The name an erased account shows wherever a name is printed (the CHECK wants one).
pub const ERASED_NAME: &str = "deleted";

/// The address an erased account keeps: unique (the column is), never deliverable (`.invalid`
/// is reserved, RFC 2606), so that the person's own address is free to sign up again.
pub fn erased_email(id: UserId) -> String {
    format!("deleted-{}@deleted.invalid", id.0)
}

/// Erases the account's personal columns and marks it deleted: the row stays, its id the
/// pseudonym that the ledger and settled statements keep. Its sessions end (new epoch).
/// `false` when it was deleted before. Call inside the deletion's write transaction.
pub fn erase(conn: &mut DbConnection, id: UserId, now: DateTime<Utc>) -> QueryResult<bool> {
    let changed = diesel::update(users::table.find(id.0).filter(users::deleted_at.is_null()))
        .set((
            users::email.eq(erased_email(id)),
            users::password_hash.eq(None::<String>),
            users::display_name.eq(ERASED_NAME),
            users::is_operator.eq(false),
            users::email_verified_at.eq(None::<NaiveDateTime>),
            users::session_epoch.eq(users::session_epoch + 1),
            users::deleted_at.eq(Some(now.naive_utc())),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Whether the account was deleted (an unknown id counts as deleted: nobody to write to).
pub fn is_deleted(conn: &mut DbConnection, id: UserId) -> QueryResult<bool> {
    let deleted: Option<Option<NaiveDateTime>> = users::table
        .find(id.0)
        .select(users::deleted_at)
        .get_result(conn)
        .optional()?;
    Ok(deleted.is_none_or(|at| at.is_some()))
}
