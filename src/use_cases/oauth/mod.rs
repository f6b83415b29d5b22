//! Sign-in through OAuth2 providers (PRODUCT.md core flow 1): what an identity a provider
//! vouched for does to Obole's accounts.
//!
//! A known identity signs in to its account. An unknown one creates an account, unless an
//! account already has its email: then the person must log in to that account once (with its
//! password, or another linked provider) before the identity is linked. An address is never
//! enough to enter an account, so whoever controls a provider account with someone's address
//! cannot take over their Obole account. Signed-in people link and unlink providers, and
//! always keep one way to log in.
//!
//! No account and no link rests on an address nobody proved: when the provider did not vouch
//! for the address (or gave none and the person typed one), a code goes to the address, and
//! only once it is typed, in the browser that started, does the sign-up go on as if the
//! provider had vouched. Linking a provider needs an account whose address is verified; the
//! identities an account got before its address was (older versions allowed it) are dropped
//! when the address is proven (`accounts::verify_email`, `accounts::reset_password`).

pub mod provider;

mod code;
mod links;

pub use code::{CODE_FOR, confirm_code, send_code};
pub use links::{link, unlink};

use chrono::{DateTime, Utc};

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
    /// The provider did not vouch for the address: pending sign-up `signup` waits for the
    /// code mailed to it; nothing was opened or linked.
    CodeSent { signup: i64, email: Email },
}

#[derive(Debug, thiserror::Error)]
pub enum OauthError {
    #[error(
        "this identity is linked to another account, or the account has one from this provider"
    )]
    IdentityTaken,
    #[error("it is the account's last way to log in")]
    LastLogInMethod,
    /// Providers link to accounts whose address is verified.
    #[error("the account's address is not verified yet")]
    AddressNotVerified,
    #[error("too many codes were sent to this address lately")]
    TooManyCodes,
    /// The code typed does not match; this many tries are left.
    #[error("wrong code ({left} tries left)")]
    WrongCode { left: i32 },
    /// The pending sign-up is over: used, expired, or out of tries.
    #[error("this sign-up is over: start again")]
    SignUpOver,
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
    match retried(conn, |conn| attempt(conn, identity, locale, now))? {
        Attempted::Done(done) => Ok(done),
        Attempted::CodeNeeded(email) => {
            let signup = send_code(conn, identity, &email, locale, now)?;
            Ok(SignIn::CodeSent { signup, email })
        }
    }
}

/// Runs `work` in a write transaction, twice if it lost a race between two first sign-ins
/// of one identity (the second pass finds the winner's account).
pub(super) fn retried<T>(
    conn: &mut DbConnection,
    mut work: impl FnMut(&mut DbConnection) -> Result<T, AttemptError>,
) -> Result<T, OauthError> {
    for _ in 0..2 {
        match write_transaction(conn, &mut work) {
            Err(AttemptError::Raced) => continue,
            Err(AttemptError::Failed(e)) => return Err(e),
            Ok(done) => return Ok(done),
        }
    }
    Err(OauthError::IdentityTaken)
}

pub(super) fn display_name_of(identity: &Identity, email: &Email) -> DisplayName {
    DisplayName::best_of(
        identity
            .name
            .as_deref()
            .into_iter()
            .chain([email.local_part()]),
    )
}

/// What one pass of a sign-in came to.
pub(super) enum Attempted {
    Done(SignIn),
    /// The address needs its code (sent outside the pass's transaction).
    CodeNeeded(Email),
}

pub(super) enum AttemptError {
    Raced,
    Failed(OauthError),
}

impl From<diesel::result::Error> for AttemptError {
    fn from(e: diesel::result::Error) -> Self {
        AttemptError::Failed(e.into())
    }
}

pub(super) fn attempt(
    conn: &mut DbConnection,
    identity: &Identity,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<Attempted, AttemptError> {
    if let Some(user) = oauth_identities::find_user(conn, &identity.provider, &identity.subject)? {
        oauth_identities::touch(conn, &identity.provider, &identity.subject, now)?;
        return Ok(Attempted::Done(SignIn::Known(user)));
    }
    let Some(email) = identity.email.clone() else {
        return Ok(Attempted::Done(SignIn::EmailNeeded));
    };
    if !identity.email_verified {
        return Ok(Attempted::CodeNeeded(email));
    }
    if let Some(user) = users::find_by_email(conn, &email)? {
        // The address is proven now (the provider vouched for it, or its mailed code was
        // typed): if the account never proved it, the identities it got meanwhile go, with
        // their sessions. Entering still needs the account's own way in, or a reset; the
        // account's address stays unverified (its password may be someone else's).
        if user.email_verified_at.is_none() {
            crate::use_cases::accounts::drop_unproven_links(conn, user.user_id(), now)?;
        }
        return Ok(Attempted::Done(SignIn::LinkNeeded {
            user: user.user_id(),
            email,
        }));
    }
    let display_name = display_name_of(identity, &email);
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
    // Only a vouched-for address gets this far (the provider's, or one a mailed code proved).
    users::mark_email_verified(conn, user.user_id(), now)?;
    let user = users::find(conn, user.user_id())?.ok_or(diesel::result::Error::NotFound)?;
    Ok(Attempted::Done(SignIn::Created(user)))
}
