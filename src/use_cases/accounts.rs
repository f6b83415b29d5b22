//! Account use cases shared by the pages and the JSON API. They hash passwords, so callers run
//! them on blocking threads (see `web::db::run`).

use chrono::{DateTime, TimeDelta, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::mail::MailKind;
use crate::domain::{Email, NewAccount, NewPassword, UserId};
use crate::models::email_tokens::{self, Purpose};
use crate::models::mail_queue;
use crate::models::users::{self, InsertUserError, UserRow};
use crate::models::{api_tokens, ledger, oauth_identities};
use crate::security::passwords;

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    #[error("an account with this email exists")]
    EmailTaken,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for SignUpError {
    fn from(e: diesel::result::Error) -> Self {
        SignUpError::Other(anyhow::Error::new(e).context("creating an account"))
    }
}

/// Opens an account with an Argon2id hash of its password, and its ledger accounts (funds,
/// reserved, revenue): both exist together or not at all.
pub fn sign_up(
    conn: &mut DbConnection,
    account: &NewAccount,
    now: DateTime<Utc>,
) -> Result<UserRow, SignUpError> {
    let hash = passwords::hash(&account.password)?;
    write_transaction(conn, |conn| {
        let user = users::insert(conn, account, &hash, now).map_err(|e| match e {
            InsertUserError::EmailTaken => SignUpError::EmailTaken,
            InsertUserError::Database(e) => {
                SignUpError::Other(anyhow::Error::new(e).context("inserting a user"))
            }
        })?;
        ledger::open_user_accounts(conn, user.user_id())?;
        send_verification(conn, user.user_id(), now)?;
        Ok(user)
    })
}

/// How long an address verification link works.
const VERIFY_FOR: TimeDelta = TimeDelta::days(7);
/// How long a password reset link works.
const RESET_FOR: TimeDelta = TimeDelta::hours(1);

/// Queues a mail with a fresh link that verifies the account's address.
pub fn send_verification(
    conn: &mut DbConnection,
    user: UserId,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    let token = email_tokens::issue(conn, user, Purpose::VerifyEmail, now, now + VERIFY_FOR)?;
    mail_queue::enqueue(
        conn,
        MailKind::VerifyEmail,
        user,
        &serde_json::json!({ "token": token }),
        &format!("verify_email:{}", crate::security::tokens::digest(&token)),
    )?;
    Ok(())
}

/// What opening a verification link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// An unknown, used or expired link.
    BadLink,
    Done,
    /// Done, and the provider sign-ins linked before the address was proven were removed,
    /// with every session and API token of the account (see `drop_unproven_links`).
    DoneAndSignedOut,
}

/// Verifies the address a link was sent to.
pub fn verify_email(
    conn: &mut DbConnection,
    token: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Verified> {
    write_transaction(conn, |conn| {
        let Some(user) = email_tokens::consume(conn, token, Purpose::VerifyEmail, now)? else {
            return Ok(Verified::BadLink);
        };
        let was_unproven = users::mark_email_verified(conn, user, now)?;
        if was_unproven && drop_unproven_links(conn, user, now)? {
            return Ok(Verified::DoneAndSignedOut);
        }
        Ok(Verified::Done)
    })
}

/// Removes the provider identities of an account whose address nobody had proven (older
/// versions linked them, and an attacker could link theirs to someone else's address before
/// its owner arrived): call it when the address is proven by someone other than the
/// account's sessions (a mailed link, a mailed code, a provider that vouched for it). If
/// there were any, every session and API token of the account ends with them. `true` when
/// that happened. Call it inside a write transaction.
pub fn drop_unproven_links(
    conn: &mut DbConnection,
    user: UserId,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let removed = oauth_identities::delete_all(conn, user)?;
    if removed == 0 {
        return Ok(false);
    }
    tracing::warn!(
        user_id = user.0,
        removed,
        "provider sign-ins linked before the address was proven were removed"
    );
    users::bump_session_epoch(conn, user)?;
    api_tokens::revoke_all(conn, user, now)?;
    Ok(true)
}

/// Queues a password reset link if an account has this address. The caller answers the same
/// either way, so nobody learns which addresses have accounts.
pub fn request_password_reset(
    conn: &mut DbConnection,
    email: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    write_transaction(conn, |conn| {
        let Some(user) = users::find_by_email(conn, &email)? else {
            return Ok(());
        };
        let token = email_tokens::issue(
            conn,
            user.user_id(),
            Purpose::ResetPassword,
            now,
            now + RESET_FOR,
        )?;
        mail_queue::enqueue(
            conn,
            MailKind::ResetPassword,
            user.user_id(),
            &serde_json::json!({ "token": token }),
            &format!("reset_password:{}", crate::security::tokens::digest(&token)),
        )?;
        Ok(())
    })
}

/// Sets a new password with a reset link: the link is used up, the other reset links end, and
/// every session and API token of the account is logged out. `false` for a bad link.
pub fn reset_password(
    conn: &mut DbConnection,
    token: &str,
    password: &NewPassword,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let hash = passwords::hash(password)?;
    let done = write_transaction(conn, |conn| -> diesel::QueryResult<bool> {
        let Some(user) = email_tokens::consume(conn, token, Purpose::ResetPassword, now)? else {
            return Ok(false);
        };
        users::set_password_hash(conn, user, &hash)?;
        email_tokens::revoke_all(conn, user, Purpose::ResetPassword, now)?;
        // Whoever received the link controls the address: it is verified.
        if users::mark_email_verified(conn, user, now)? {
            drop_unproven_links(conn, user, now)?;
        }
        users::bump_session_epoch(conn, user)?;
        api_tokens::revoke_all(conn, user, now)?;
        Ok(true)
    })?;
    Ok(done)
}

/// The account whose email and password match, or `None`. An unknown email, a malformed one
/// and a wrong password are indistinguishable, in the answer and in the time taken.
pub fn authenticate(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
) -> anyhow::Result<Option<UserRow>> {
    let user = match Email::parse(email) {
        Ok(email) => users::find_by_email(conn, &email)?,
        Err(_) => None,
    };
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    Ok(if passwords::verify(stored, password) {
        user
    } else {
        None
    })
}

/// Ends every session of the account on every device (sessions carry the old epoch) and
/// revokes its API tokens, together.
pub fn log_out_everywhere(
    conn: &mut DbConnection,
    user: UserId,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    write_transaction(conn, |conn| {
        users::bump_session_epoch(conn, user)?;
        api_tokens::revoke_all(conn, user, now)?;
        Ok(())
    })
}
