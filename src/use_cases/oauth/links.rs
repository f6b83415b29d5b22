//! Linking and unlinking providers on a signed-in account, always keeping one way to log in.

use chrono::{DateTime, Utc};

use super::{Identity, OauthError};
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::{Email, UserId};
use crate::models::oauth_identities::{self, Inserted};
use crate::models::users::{self};

/// Links an identity to a signed-in account whose address is verified (an identity linked to
/// an address nobody proved would let its holder in once the real owner shows up).
pub fn link(
    conn: &mut DbConnection,
    user: UserId,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<(), OauthError> {
    write_transaction(conn, |conn| {
        let account = users::find(conn, user)?.ok_or(diesel::result::Error::NotFound)?;
        if account.email_verified_at.is_none() {
            return Err(OauthError::AddressNotVerified);
        }
        if let Some(owner) =
            oauth_identities::find_user(conn, &identity.provider, &identity.subject)?
        {
            return if owner.user_id() == user {
                Ok(())
            } else {
                Err(OauthError::IdentityTaken)
            };
        }
        let email = identity.email.as_ref().map(Email::as_str);
        match oauth_identities::insert(
            conn,
            user,
            &identity.provider,
            &identity.subject,
            email,
            now,
        )? {
            Inserted::Linked => Ok(()),
            Inserted::Taken => Err(OauthError::IdentityTaken),
        }
    })
}

/// Unlinks the account's identity at `provider`, unless it is the last way to log in.
pub fn unlink(conn: &mut DbConnection, user: UserId, provider: &str) -> Result<(), OauthError> {
    write_transaction(conn, |conn| {
        // Two unlinks at once must not both see the other's identity and leave none.
        users::lock(conn, user)?;
        let row = users::find(conn, user)?.ok_or(diesel::result::Error::NotFound)?;
        let identities = oauth_identities::of_user(conn, user)?;
        let others = identities.iter().filter(|i| i.provider != provider).count();
        if row.password_hash.is_none() && others == 0 {
            return Err(OauthError::LastLogInMethod);
        }
        oauth_identities::delete(conn, user, provider)?;
        Ok(())
    })
}
