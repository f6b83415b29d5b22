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

use chrono::{DateTime, TimeDelta, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::{DisplayName, Email, Locale, UserId};
use crate::mail;
use crate::models::ledger;
use crate::models::oauth_identities::{self, Inserted};
use crate::models::oauth_signups::{self, NewSignUp};
use crate::models::users::{self, InsertUserError, Profile, UserRow};
use crate::security::tokens;

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
fn retried<T>(
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

/// How long a mailed sign-up code works, how many tries it allows, and how many codes one
/// address may receive, and one provider account ask for, in an hour. 40 random bits and
/// five tries make guessing hopeless.
pub const CODE_FOR: TimeDelta = TimeDelta::minutes(30);
const CODE_TRIES: i32 = 5;
const CODES_PER_HOUR: i64 = 5;

/// Records a pending sign-up for `identity` with `email`, which nobody vouched for, and
/// queues the code that finishes it. Returns the sign-up's id, for the session.
pub fn send_code(
    conn: &mut DbConnection,
    identity: &Identity,
    email: &Email,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<i64, OauthError> {
    write_transaction(conn, |conn| {
        let hour_ago = now - TimeDelta::hours(1);
        // Codes to one address, and from one provider account, per hour.
        let to_address = oauth_signups::count_recent(conn, email.as_str(), hour_ago)?;
        let from_identity = oauth_signups::count_recent_for_identity(
            conn,
            &identity.provider,
            &identity.subject,
            hour_ago,
        )?;
        if to_address >= CODES_PER_HOUR || from_identity >= CODES_PER_HOUR {
            return Err(OauthError::TooManyCodes);
        }
        oauth_signups::purge(conn, now - TimeDelta::days(1))?;
        let code = tokens::short_code();
        let display_name = display_name_of(identity, email);
        let signup = oauth_signups::insert(
            conn,
            &NewSignUp {
                provider: &identity.provider,
                subject: &identity.subject,
                email: email.as_str(),
                display_name: display_name.as_str(),
                locale: locale.code(),
                code_hash: &tokens::digest(&tokens::normalize_code(&code)),
            },
            now,
            now + CODE_FOR,
        )?;
        mail::enqueue_sign_up_code(conn, signup, &code)?;
        Ok(signup)
    })
}

/// Finishes pending sign-up `signup` with the code typed: the address is then proven, and
/// the sign-in goes on as if the provider had vouched for it (an account is opened, or the
/// owner of the account with this address must log in once to link the identity).
pub fn confirm_code(
    conn: &mut DbConnection,
    signup: i64,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<SignIn, OauthError> {
    // The try is counted in a transaction of its own, so that a wrong code's try stays
    // counted.
    if !write_transaction(conn, |conn| {
        oauth_signups::take_attempt(conn, signup, CODE_TRIES, now)
    })? {
        return Err(OauthError::SignUpOver);
    }
    let row = oauth_signups::find(conn, signup)?.ok_or(OauthError::SignUpOver)?;
    let typed = tokens::digest(&tokens::normalize_code(typed));
    if !crate::security::csrf::matches(Some(&row.code_hash), Some(&typed)) {
        return Err(OauthError::WrongCode {
            left: (CODE_TRIES - row.attempts).max(0),
        });
    }
    let email = Email::parse(&row.email).map_err(|_| OauthError::SignUpOver)?;
    let identity = Identity {
        provider: row.provider,
        subject: row.subject,
        email: Some(email),
        email_verified: true,
        name: Some(row.display_name),
    };
    let locale = Locale::parse(&row.locale).unwrap_or(Locale::En);
    let signed = retried(conn, |conn| {
        if !oauth_signups::mark_used(conn, signup, now)? {
            return Err(AttemptError::Failed(OauthError::SignUpOver));
        }
        attempt(conn, &identity, locale, now)
    })?;
    match signed {
        Attempted::Done(done) => Ok(done),
        Attempted::CodeNeeded(_) => Err(OauthError::SignUpOver),
    }
}

fn display_name_of(identity: &Identity, email: &Email) -> DisplayName {
    DisplayName::best_of(
        identity
            .name
            .as_deref()
            .into_iter()
            .chain([email.local_part()]),
    )
}

/// What one pass of a sign-in came to.
enum Attempted {
    Done(SignIn),
    /// The address needs its code (sent outside the pass's transaction).
    CodeNeeded(Email),
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
