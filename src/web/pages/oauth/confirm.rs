//! `/auth/confirm`: the code mailed to an address a provider did not vouch for (or that the
//! person typed). The session that started the sign-in holds the pending sign-up, so the code
//! works only there: whoever reads the mail must also be the one who signed in with the
//! provider. A person who opens the mail's link elsewhere is told to type the code where they
//! started.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::attempt::{AWAITING_CODE, AwaitingCode, code_of, configured};
use super::sign_in::respond;
use crate::use_cases::oauth::{self, Identity, OauthError};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::limits::{check, client_ip};
use crate::web::page::Page;
use crate::web::session::check_csrf;

/// The sign-up this browser waits for, if any, and whether its code is still young enough
/// (the database decides in the end: a code ends early once used or out of tries).
fn awaiting(page: &Page) -> Option<(AwaitingCode, bool)> {
    let waiting = page
        .session
        .get::<AwaitingCode>(AWAITING_CODE)
        .ok()
        .flatten()?;
    let young =
        page.state.clock.now().timestamp() - waiting.started <= oauth::CODE_FOR.num_seconds();
    Some((waiting, young))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeQuery {
    code: String,
}

/// `GET /auth/confirm[?code=]`: the form (the mail's link fills the code in).
pub async fn form(page: Page, query: web::Query<CodeQuery>) -> Result<HttpResponse, AppError> {
    match awaiting(&page) {
        Some((waiting, true)) => render(&page, Some(&waiting), &query.code, None, None),
        Some((waiting, false)) => over(&page, &waiting),
        None => render(&page, None, &query.code, None, None),
    }
}

/// The sign-up ended (expired, used, out of tries): say so, and forget it.
fn over(page: &Page, waiting: &AwaitingCode) -> Result<HttpResponse, AppError> {
    page.session.remove(AWAITING_CODE);
    render(page, Some(waiting), "", Some(ErrorCode::SignUpOver), None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    csrf_token: Option<String>,
    code: String,
}

/// `POST /auth/confirm`: the code typed; on success the sign-in goes on (an account is
/// opened, or its owner is asked to log in to link the provider).
pub async fn submit(
    req: HttpRequest,
    page: Page,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    check(&page.state.limits.attempts_by_client, &client_ip(&req))?;
    let waiting = match awaiting(&page) {
        Some((waiting, true)) => waiting,
        Some((waiting, false)) => return over(&page, &waiting),
        None => return render(&page, None, &form.code, None, None),
    };
    let now = page.state.clock.now();
    let (signup, typed) = (waiting.signup, form.code.clone());
    let confirmed = db::run(&page.state, move |conn| {
        Ok(oauth::confirm_code(conn, signup, &typed, now))
    })
    .await?;
    let outcome = match confirmed {
        Ok(outcome) => outcome,
        Err(OauthError::WrongCode { left }) => {
            let code = ErrorCode::InvalidCode;
            return render(&page, Some(&waiting), &form.code, Some(code), Some(left));
        }
        Err(OauthError::SignUpOver) => return over(&page, &waiting),
        Err(other) => return Err(code_of(other)?.into()),
    };
    page.session.remove(AWAITING_CODE);
    let identity = Identity {
        provider: waiting.provider,
        subject: waiting.subject,
        email: None,
        email_verified: true,
        name: None,
    };
    respond(&page, outcome, identity, None).await
}

fn render(
    page: &Page,
    waiting: Option<&AwaitingCode>,
    code: &str,
    error: Option<ErrorCode>,
    tries_left: Option<i32>,
) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    context.insert("waiting", &waiting.is_some());
    context.insert("email", &waiting.map(|w| w.email.as_str()));
    let provider = waiting
        .and_then(|w| configured(page, &w.provider).ok())
        .map(|p| p.label.clone());
    context.insert("provider", &provider);
    context.insert("code", code);
    context.insert("error_key", &error.map(ErrorCode::message_key));
    context.insert("tries_left", &tries_left);
    let status = match (waiting, error) {
        (_, Some(error)) => error.status(),
        (None, None) => StatusCode::BAD_REQUEST,
        (Some(_), None) => StatusCode::OK,
    };
    page.render_with_status(status, "pages/oauth_confirm.html", &context)
}
