//! Sign-up codes: an address no provider vouched for gets a code, which finishes the sign-up
//! only in the browser that started it.

use chrono::{DateTime, TimeDelta, Utc};

use super::{
    AttemptError, Attempted, Identity, OauthError, SignIn, attempt, display_name_of, retried,
};
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::{Email, Locale};
use crate::models::mail_queue;
use crate::models::oauth_signups::{self, NewSignUp};
use crate::security::tokens;

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
        mail_queue::enqueue_sign_up_code(conn, signup, &code)?;
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
