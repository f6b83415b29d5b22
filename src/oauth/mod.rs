//! Sign-in through OAuth2 providers (PRODUCT.md core flow 1): what an identity a provider
//! vouched for does to Obole's accounts.
//!
//! A known identity signs in to its account. An unknown one creates an account, unless an
//! account already has its email: then the person must log in to that account once (with its
//! password, or another linked provider) before the identity is linked. An address is never
//! enough to enter an account, so whoever controls a provider account with someone's address
//! cannot take over their Obole account. Signed-in people link and unlink providers, and
//! always keep one way to log in.

pub mod provider;

use chrono::{DateTime, Utc};

use crate::accounts::send_verification;
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::{DisplayName, Email, Locale, UserId};
use crate::models::ledger;
use crate::models::oauth_identities::{self, Inserted};
use crate::models::users::{self, InsertUserError, Profile, UserRow};

/// An identity the provider vouched for, with the address to use for a new account.
#[derive(Debug, Clone)]
pub struct Identity {
    pub provider: String,
    pub subject: String,
    pub email: Option<Email>,
    /// Whether the provider vouched for `email` (else it is verified by mail).
    pub email_verified: bool,
    pub name: Option<String>,
}

impl Identity {
    pub fn from_provider(provider: &str, found: provider::ProviderIdentity) -> Identity {
        let (email, email_verified) = match (&found.verified_email, &found.unverified_email) {
            (Some(email), _) => (Email::parse(email).ok(), true),
            (None, Some(email)) => (Email::parse(email).ok(), false),
            (None, None) => (None, false),
        };
        Identity {
            provider: provider.to_owned(),
            subject: found.subject,
            email_verified: email_verified && email.is_some(),
            email,
            name: found.name,
        }
    }
}

/// What a sign-in through a provider leads to.
#[derive(Debug)]
pub enum SignIn {
    /// The identity is linked: this account signs in.
    Known(UserRow),
    /// A new account was opened for it.
    Created(UserRow),
    /// An account has this email: its owner must log in once to link the identity.
    LinkNeeded { user: UserId, email: Email },
    /// The provider gave no usable address: ask the person for one.
    EmailNeeded,
}

#[derive(Debug, thiserror::Error)]
pub enum OauthError {
    #[error(
        "this identity is linked to another account, or the account has one from this provider"
    )]
    IdentityTaken,
    #[error("it is the account's last way to log in")]
    LastLogInMethod,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Signs in with an identity (see the module's rules).
pub fn sign_in(
    conn: &mut DbConnection,
    identity: &Identity,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<SignIn, OauthError> {
    // A second pass settles a race between two first sign-ins of one identity: the loser
    // finds the winner's account.
    for _ in 0..2 {
        match write_transaction(conn, |conn| attempt(conn, identity, locale, now)) {
            Err(AttemptError::Raced) => continue,
            Err(AttemptError::Failed(e)) => return Err(e),
            Ok(done) => return Ok(done),
        }
    }
    Err(OauthError::IdentityTaken)
}

enum AttemptError {
    Raced,
    Failed(OauthError),
}

impl From<diesel::result::Error> for AttemptError {
    fn from(e: diesel::result::Error) -> Self {
        AttemptError::Failed(e.into())
    }
}

fn attempt(
    conn: &mut DbConnection,
    identity: &Identity,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<SignIn, AttemptError> {
    if let Some(user) = oauth_identities::find_user(conn, &identity.provider, &identity.subject)? {
        oauth_identities::touch(conn, &identity.provider, &identity.subject, now)?;
        return Ok(SignIn::Known(user));
    }
    let Some(email) = identity.email.clone() else {
        return Ok(SignIn::EmailNeeded);
    };
    if let Some(user) = users::find_by_email(conn, &email)? {
        return Ok(SignIn::LinkNeeded {
            user: user.user_id(),
            email,
        });
    }
    let display_name = DisplayName::best_of(
        identity
            .name
            .as_deref()
            .into_iter()
            .chain([email.local_part()]),
    );
    let profile = Profile {
        email: &email,
        display_name: &display_name,
        locale,
    };
    let user = match users::insert_profile(conn, &profile, None, now) {
        Ok(user) => user,
        Err(InsertUserError::EmailTaken) => return Err(AttemptError::Raced),
        Err(InsertUserError::Database(e)) => return Err(e.into()),
    };
    ledger::open_user_accounts(conn, user.user_id())?;
    let linked = oauth_identities::insert(
        conn,
        user.user_id(),
        &identity.provider,
        &identity.subject,
        Some(email.as_str()),
        now,
    )?;
    if linked == Inserted::Taken {
        return Err(AttemptError::Raced);
    }
    if identity.email_verified {
        users::mark_email_verified(conn, user.user_id(), now)?;
    } else {
        send_verification(conn, user.user_id(), now)?;
    }
    let user = users::find(conn, user.user_id())?.ok_or(diesel::result::Error::NotFound)?;
    Ok(SignIn::Created(user))
}

/// Links an identity to a signed-in account.
pub fn link(
    conn: &mut DbConnection,
    user: UserId,
    identity: &Identity,
    now: DateTime<Utc>,
) -> Result<(), OauthError> {
    write_transaction(conn, |conn| {
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
