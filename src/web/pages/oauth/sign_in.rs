//! Where a provider's identity leads: signing in, opening an account, waiting for an
//! existing account's owner to log in, or for an address or a mailed code.

use actix_web::HttpResponse;

use super::attempt::{
    AWAITING_CODE, AWAITING_EMAIL, AWAITING_LINK, AwaitingCode, AwaitingEmail, AwaitingLink,
    FLASH_SETTINGS, code_of, fresh, put, redirect,
};
use crate::domain::{Email, UserId};
use crate::models::users::UserRow;
use crate::use_cases::oauth::{self, Identity, SignIn};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::locale::safe_next;
use crate::web::page::Page;
use crate::web::pages::log_in::finish_log_in;

pub(super) async fn sign_in(
    page: &Page,
    identity: Identity,
    next: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let now = page.state.clock.now();
    let locale = page.locale;
    let signed = identity.clone();
    let outcome = db::run(&page.state, move |conn| {
        oauth::sign_in(conn, &signed, locale, now).map_err(|e| match code_of(e) {
            Ok(code) => AppError::User(code),
            Err(e) => e,
        })
    })
    .await?;
    respond(page, outcome, identity, next).await
}

/// Where a sign-in's outcome leads the browser.
pub(super) async fn respond(
    page: &Page,
    outcome: SignIn,
    identity: Identity,
    next: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let now = page.state.clock.now();
    match outcome {
        SignIn::Known(user) => {
            let next = next.map_or_else(|| "/dashboard".to_owned(), |n| safe_next(Some(n)));
            let response = log_in_linking(page, &user, &next).await?;
            mark_fresh(page, now)?;
            Ok(response)
        }
        // A new account on the way to a tip goes on along the path (funds, budget).
        SignIn::Created(user) => {
            let next = match crate::web::journey::tip_destination(next) {
                Some(_) => crate::web::journey::after_step(next, "/dashboard"),
                None => next.map_or_else(|| "/dashboard".to_owned(), |n| safe_next(Some(n))),
            };
            let response = log_in_linking(page, &user, &next).await?;
            mark_fresh(page, now)?;
            Ok(response)
        }
        SignIn::LinkNeeded { user, email } => {
            put(
                page,
                AWAITING_LINK,
                AwaitingLink {
                    provider: identity.provider,
                    subject: identity.subject,
                    email: email.as_str().to_owned(),
                    user_id: user.0,
                    started: now.timestamp(),
                },
            )?;
            Ok(redirect("/login"))
        }
        SignIn::EmailNeeded => {
            put(
                page,
                AWAITING_EMAIL,
                AwaitingEmail {
                    provider: identity.provider,
                    subject: identity.subject,
                    name: identity.name,
                    started: now.timestamp(),
                },
            )?;
            Ok(redirect("/auth/complete"))
        }
        SignIn::CodeSent { signup, email } => {
            put(
                page,
                AWAITING_CODE,
                AwaitingCode {
                    signup,
                    provider: identity.provider,
                    subject: identity.subject,
                    email: email.as_str().to_owned(),
                    started: now.timestamp(),
                },
            )?;
            Ok(redirect("/auth/confirm"))
        }
    }
}

/// Signs `user` in, linking the identity that waited for this account if there is one (then
/// the settings page says so).
pub async fn log_in_linking(
    page: &Page,
    user: &UserRow,
    next: &str,
) -> Result<HttpResponse, AppError> {
    let linked = complete_awaiting_link(page, user).await?;
    let next = if linked { "/settings" } else { next };
    finish_log_in(page, user, next)
}

/// After `user` proved they own their account, links the identity that waited for it;
/// `true` when one was linked. An identity waiting for another account is dropped.
pub async fn complete_awaiting_link(page: &Page, user: &UserRow) -> Result<bool, AppError> {
    let Some(waiting) = page
        .session
        .remove_as::<AwaitingLink>(AWAITING_LINK)
        .and_then(Result::ok)
        .filter(|a| a.user_id == user.id && fresh(page, a.started))
    else {
        return Ok(false);
    };
    let identity = Identity {
        provider: waiting.provider,
        subject: waiting.subject,
        email: Email::parse(&waiting.email).ok(),
        email_verified: true,
        name: None,
    };
    link_and_tell(page, user.user_id(), identity).await?;
    Ok(true)
}

/// Links `identity` to `user` and leaves the settings page a message saying how it went.
pub(super) async fn link_and_tell(
    page: &Page,
    user: UserId,
    identity: Identity,
) -> Result<(), AppError> {
    let now = page.state.clock.now();
    let provider = identity.provider.clone();
    let linked = db::run(&page.state, move |conn| {
        Ok(oauth::link(conn, user, &identity, now).map_err(code_of))
    })
    .await?;
    let flash = match linked {
        Ok(()) => {
            tracing::info!(user_id = user.0, %provider, "provider linked");
            "settings-linked".to_owned()
        }
        Err(code) => code?.message_key(),
    };
    put(page, FLASH_SETTINGS, flash)
}

/// A provider log-in that just happened proves the person for a while: an account without a
/// password deletes itself so (`pages::deletion`).
fn mark_fresh(page: &Page, now: chrono::DateTime<chrono::Utc>) -> Result<(), AppError> {
    put(
        page,
        crate::web::pages::deletion::FRESH_PROVIDER_LOG_IN,
        now.timestamp(),
    )
}
