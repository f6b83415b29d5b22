//! `/auth/{provider}` and its callback: sign-in (and linking) through OAuth2 providers.
//!
//! The session (an encrypted cookie) carries the attempt's state and PKCE verifier between
//! the two requests; the callback takes them out, so each attempt can finish once. An
//! identity that must be linked to an existing account waits in the session until its owner
//! logs in (`complete_awaiting_link`).

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::config::OAuthProvider;
use crate::domain::{Email, UserId};
use crate::models::users::UserRow;
use crate::security::csrf;
use crate::use_cases::oauth::{self, Identity, OauthError, SignIn, provider};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::locale::safe_next;
use crate::web::page::Page;
use crate::web::session::check_csrf;

const PENDING: &str = "oauth_pending";
const AWAITING_LINK: &str = "oauth_awaiting_link";
const AWAITING_EMAIL: &str = "oauth_awaiting_email";
pub const FLASH_SETTINGS: &str = "flash_settings";
/// How long a started sign-in, or an identity waiting for its account, stays usable.
const ATTEMPT_SECONDS: i64 = 15 * 60;

/// A sign-in sent to the provider, waiting for its callback.
#[derive(Serialize, Deserialize)]
struct Pending {
    provider: String,
    state: String,
    verifier: String,
    /// Linking to this signed-in account rather than signing in.
    link_for: Option<i64>,
    next: Option<String>,
    started: i64,
}

/// A provider identity whose email an existing account has: linked once its owner logs in.
#[derive(Serialize, Deserialize)]
pub struct AwaitingLink {
    pub provider: String,
    subject: String,
    pub email: String,
    user_id: i64,
    started: i64,
}

/// A provider identity without a usable email: the person types one.
#[derive(Serialize, Deserialize)]
struct AwaitingEmail {
    provider: String,
    subject: String,
    name: Option<String>,
    started: i64,
}

pub(super) fn configured<'a>(page: &'a Page, name: &str) -> Result<&'a OAuthProvider, AppError> {
    page.state
        .settings
        .oauth_providers
        .iter()
        .find(|p| p.name == name)
        .ok_or(AppError::User(ErrorCode::OauthProviderUnknown))
}

pub(super) fn put(page: &Page, key: &str, value: impl Serialize) -> Result<(), AppError> {
    page.session
        .insert(key, value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the session: {e}")))
}

pub(super) fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

pub(super) fn fresh(page: &Page, started: i64) -> bool {
    page.state.clock.now().timestamp() - started <= ATTEMPT_SECONDS
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// `GET /auth/{provider}`: off to the provider to sign in.
pub async fn start(
    page: Page,
    path: web::Path<String>,
    query: web::Query<StartQuery>,
) -> Result<HttpResponse, AppError> {
    begin(&page, &path, None, query.next.clone())
}

#[derive(Deserialize)]
pub struct LinkForm {
    csrf_token: Option<String>,
}

/// `POST /auth/{provider}` from the settings page: off to the provider to link it.
pub async fn start_link(
    page: Page,
    path: web::Path<String>,
    form: web::Form<LinkForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.as_ref() else {
        return Ok(page.login_redirect());
    };
    begin(&page, &path, Some(viewer.id), None)
}

fn begin(
    page: &Page,
    name: &str,
    link_for: Option<i64>,
    next: Option<String>,
) -> Result<HttpResponse, AppError> {
    let provider = configured(page, name)?;
    let started = provider::start(&page.state.settings.base_url, provider)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    put(
        page,
        PENDING,
        Pending {
            provider: provider.name.clone(),
            state: started.state,
            verifier: started.verifier,
            link_for,
            next,
            started: page.state.clock.now().timestamp(),
        },
    )?;
    Ok(redirect(&started.url))
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/{provider}/callback`: the provider sends the browser back with a code.
pub async fn callback(
    page: Page,
    path: web::Path<String>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, AppError> {
    let provider = configured(&page, &path)?.clone();
    // Taken out whatever happens next: an attempt finishes once.
    let pending = page
        .session
        .remove_as::<Pending>(PENDING)
        .and_then(Result::ok);
    let Some(pending) = pending.filter(|p| p.provider == provider.name && fresh(&page, p.started))
    else {
        return Err(AppError::User(ErrorCode::OauthStateMismatch));
    };
    if !csrf::matches(Some(&pending.state), query.state.as_deref()) {
        tracing::warn!(provider = %provider.name, "OAuth2 callback with a wrong state");
        return Err(AppError::User(ErrorCode::OauthStateMismatch));
    }
    if query.error.is_some() {
        return Err(AppError::User(ErrorCode::OauthDenied));
    }
    let code = query
        .code
        .as_deref()
        .ok_or(AppError::User(ErrorCode::OauthFailed))?;
    let base_url = &page.state.settings.base_url;
    let found = provider::finish(
        &page.state.http,
        base_url,
        &provider,
        code,
        &pending.verifier,
    )
    .await
    .map_err(|e| {
        tracing::warn!(provider = %provider.name, error = %e, "OAuth2 sign-in failed");
        AppError::User(ErrorCode::OauthFailed)
    })?;
    let identity = Identity::from_provider(&provider.name, found);
    match pending.link_for {
        Some(user) => link(&page, UserId(user), identity).await,
        None => sign_in(&page, identity, pending.next.as_deref()).await,
    }
}

async fn link(page: &Page, user: UserId, identity: Identity) -> Result<HttpResponse, AppError> {
    if page.viewer.as_ref().map(|v| v.id) != Some(user.0) {
        return Err(AppError::User(ErrorCode::Unauthorized));
    }
    link_and_tell(page, user, identity).await?;
    Ok(redirect("/settings"))
}

/// Links `identity` to `user` and leaves the settings page a message saying how it went.
async fn link_and_tell(page: &Page, user: UserId, identity: Identity) -> Result<(), AppError> {
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

/// User-facing refusals as codes; a database failure stays an error.
pub(crate) fn code_of(e: OauthError) -> Result<ErrorCode, AppError> {
    match e {
        OauthError::IdentityTaken => Ok(ErrorCode::OauthIdentityTaken),
        OauthError::LastLogInMethod => Ok(ErrorCode::LastLogInMethod),
        OauthError::AddressNotVerified => Ok(ErrorCode::EmailNotVerified),
        OauthError::TooManyCodes => Ok(ErrorCode::RateLimited),
        OauthError::WrongCode { .. } => Ok(ErrorCode::InvalidCode),
        OauthError::SignUpOver => Ok(ErrorCode::SignUpOver),
        OauthError::Database(e) => Err(e.into()),
    }
}

async fn sign_in(
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
            log_in_linking(page, &user, &next).await
        }
        // A new account on the way to a tip goes on along the path (funds, budget).
        SignIn::Created(user) => {
            let next = match crate::web::journey::tip_destination(next) {
                Some(_) => crate::web::journey::after_step(next, "/dashboard"),
                None => next.map_or_else(|| "/dashboard".to_owned(), |n| safe_next(Some(n))),
            };
            log_in_linking(page, &user, &next).await
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
                super::oauth_confirm::AWAITING_CODE,
                super::oauth_confirm::AwaitingCode {
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
    super::accounts::finish_log_in(page, user, next)
}

/// The identity waiting to be linked, for the log-in page's explanation.
pub fn awaiting_link(page: &Page) -> Option<AwaitingLink> {
    page.session
        .get::<AwaitingLink>(AWAITING_LINK)
        .ok()
        .flatten()
        .filter(|a| fresh(page, a.started))
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

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    csrf_token: Option<String>,
    email: String,
}

/// `GET /auth/complete`: the provider gave no address; ask for one.
pub async fn email_form(page: Page) -> Result<HttpResponse, AppError> {
    let Some(waiting) = awaiting_email(&page) else {
        return Ok(redirect("/login"));
    };
    render_email_form(&page, &waiting, "", None)
}

fn awaiting_email(page: &Page) -> Option<AwaitingEmail> {
    page.session
        .get::<AwaitingEmail>(AWAITING_EMAIL)
        .ok()
        .flatten()
        .filter(|a| fresh(page, a.started))
}

fn render_email_form(
    page: &Page,
    waiting: &AwaitingEmail,
    typed: &str,
    error: Option<ErrorCode>,
) -> Result<HttpResponse, AppError> {
    let label = page
        .state
        .settings
        .oauth_providers
        .iter()
        .find(|p| p.name == waiting.provider)
        .map_or_else(|| waiting.provider.clone(), |p| p.label.clone());
    let mut context = page.context();
    context.insert("provider", &label);
    context.insert("email", typed);
    context.insert("error_key", &error.map(ErrorCode::message_key));
    let status = error.map_or(actix_web::http::StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/oauth_email.html", &context)
}

/// `POST /auth/complete`: the typed address gets a code (`oauth_confirm`); nothing opens before.
pub async fn email_submit(
    req: actix_web::HttpRequest,
    page: Page,
    form: web::Form<EmailForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    // Each address typed costs a mail: a client may not send many.
    crate::web::limits::check(
        &page.state.limits.attempts_by_client,
        &crate::web::limits::client_ip(&req),
    )?;
    let Some(waiting) = awaiting_email(&page) else {
        return Ok(redirect("/login"));
    };
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(_) => {
            return render_email_form(&page, &waiting, &form.email, Some(ErrorCode::InvalidEmail));
        }
    };
    page.session.remove(AWAITING_EMAIL);
    let identity = Identity {
        provider: waiting.provider,
        subject: waiting.subject,
        email: Some(email),
        email_verified: false,
        name: waiting.name,
    };
    sign_in(&page, identity, None).await
}
