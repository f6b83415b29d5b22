//! `/auth/confirm`: the code mailed to an address a provider did not vouch for (or that the
//! person typed). The session that started the sign-in holds the pending sign-up, so the code
//! works only there: whoever reads the mail must also be the one who signed in with the
//! provider. A person who opens the mail's link elsewhere is told to type the code where they
//! started.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::oauth::{configured, fresh, respond};
use crate::oauth::{self, Identity, OauthError};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::limits::{check, client_ip};
use crate::web::page::Page;
use crate::web::session::check_csrf;

pub const AWAITING_CODE: &str = "oauth_awaiting_code";

/// A sign-up waiting for the code mailed to `email`.
#[derive(Serialize, Deserialize)]
pub struct AwaitingCode {
    pub signup: i64,
    pub provider: String,
    pub subject: String,
    pub email: String,
    pub started: i64,
}

fn awaiting(page: &Page) -> Option<AwaitingCode> {
    page.session
        .get::<AwaitingCode>(AWAITING_CODE)
        .ok()
        .flatten()
        .filter(|a| fresh(page, a.started))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeQuery {
    code: String,
}

/// `GET /auth/confirm[?code=]`: the form (the mail's link fills the code in).
pub async fn form(page: Page, query: web::Query<CodeQuery>) -> Result<HttpResponse, AppError> {
    render(&page, awaiting(&page).as_ref(), &query.code, None, None)
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
    let Some(waiting) = awaiting(&page) else {
        return render(&page, None, &form.code, None, None);
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
        Err(OauthError::SignUpOver) => {
            page.session.remove(AWAITING_CODE);
            return render(&page, Some(&waiting), "", Some(ErrorCode::SignUpOver), None);
        }
        Err(other) => return Err(super::oauth::code_of(other)?.into()),
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
