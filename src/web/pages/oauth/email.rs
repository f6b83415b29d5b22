//! `/auth/complete`: a provider's identity without a usable address; the person types one.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::attempt::{AWAITING_EMAIL, AwaitingEmail, fresh, redirect};
use super::sign_in::sign_in;
use crate::domain::Email;
use crate::use_cases::oauth::Identity;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::session::check_csrf;

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
