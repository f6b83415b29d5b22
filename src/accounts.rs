//! Account use cases shared by the pages and the JSON API. They hash passwords, so callers run
//! them on blocking threads (see `web::db::run`).

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::{Email, NewAccount, UserId};
use crate::models::users::{self, InsertUserError, UserRow};
use crate::models::{api_tokens, ledger};
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
        Ok(user)
    })
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
