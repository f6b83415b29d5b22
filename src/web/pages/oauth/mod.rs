//! `/auth/{provider}` and its callback: sign-in (and linking) through OAuth2 providers.
//!
//! The session (an encrypted cookie) carries the attempt's state and PKCE verifier between
//! the two requests; the callback takes them out, so each attempt can finish once. An
//! identity that must be linked to an existing account waits in the session until its owner
//! logs in (`sign_in::complete_awaiting_link`).

pub mod attempt;
pub mod confirm;
pub mod email;
pub mod sign_in;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::UserId;
use crate::security::csrf;
use crate::use_cases::oauth::{Identity, provider};
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::session::check_csrf;
use attempt::{PENDING, Pending, configured, fresh, put, redirect};
use sign_in::{link_and_tell, sign_in};

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
