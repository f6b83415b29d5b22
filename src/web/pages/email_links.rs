//! The pages behind one-time mail links: verifying an address (and sending a new link), and
//! resetting a forgotten password. The reset request answers the same whether or not an
//! account has the address, so nobody learns who has an account.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::domain::NewPassword;
use crate::models::email_tokens::{self, Purpose};
use crate::use_cases::accounts::{self, Verified};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::limits::{check, check_reset_request, client_ip};
use crate::web::page::Page;
use crate::web::session::check_csrf;

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `GET /verify-email?token=`: a link from the verification mail.
pub async fn verify(page: Page, query: web::Query<TokenQuery>) -> Result<HttpResponse, AppError> {
    let token = query.token.clone();
    let now = page.state.clock.now();
    let outcome = db::run(&page.state, move |conn| {
        Ok(accounts::verify_email(conn, &token, now)?)
    })
    .await?;
    let verified = outcome != Verified::BadLink;
    let mut context = page.context();
    context.insert("verified", &verified);
    context.insert("signed_out", &(outcome == Verified::DoneAndSignedOut));
    let status = if verified {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    page.render_with_status(status, "pages/verify_email.html", &context)
}

/// `POST /verify-email/resend`: a fresh link for the signed-in account.
pub async fn resend(
    req: HttpRequest,
    page: Page,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.get("csrf_token").map(String::as_str))?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    check(&page.state.limits.attempts_by_client, &client_ip(&req))?;
    let user = viewer.user_id();
    let now = page.state.clock.now();
    db::run(&page.state, move |conn| {
        Ok(accounts::send_verification(conn, user, now)?)
    })
    .await?;
    let mut context = page.context();
    context.insert("sent_to", &viewer.email);
    page.render("pages/verify_sent.html", &context)
}

/// `GET /password/forgot`.
pub async fn forgot_form(page: Page) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    context.insert("sent", &false);
    page.render("pages/password_forgot.html", &context)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    csrf_token: Option<String>,
    #[serde(default)]
    email: String,
}

/// `POST /password/forgot`: queues a link if the address has an account; same page either way.
pub async fn forgot(
    req: HttpRequest,
    page: Page,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    check_reset_request(&page.state, &req, &form.email)?;
    let email = form.email.clone();
    let now = page.state.clock.now();
    db::run(&page.state, move |conn| {
        Ok(accounts::request_password_reset(conn, &email, now)?)
    })
    .await?;
    let mut context = page.context();
    context.insert("sent", &true);
    page.render("pages/password_forgot.html", &context)
}

/// `GET /password/reset?token=`: the new password form, if the link still works.
pub async fn reset_form(
    page: Page,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let token = query.token.clone();
    let now = page.state.clock.now();
    let usable = db::run(&page.state, move |conn| {
        Ok(email_tokens::is_usable(
            conn,
            &token,
            Purpose::ResetPassword,
            now,
        )?)
    })
    .await?;
    render_reset(
        &page,
        &query.token,
        (!usable).then_some(ErrorCode::InvalidToken),
    )
}

fn render_reset(
    page: &Page,
    token: &str,
    error: Option<ErrorCode>,
) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    context.insert("token", token);
    context.insert("error_key", &error.map(ErrorCode::message_key));
    context.insert("invalid_link", &(error == Some(ErrorCode::InvalidToken)));
    context.insert("min_password", &crate::domain::account::MIN_PASSWORD_CHARS);
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/password_reset.html", &context)
}

#[derive(Deserialize)]
pub struct ResetForm {
    csrf_token: Option<String>,
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// `POST /password/reset`: sets the new password and logs every session out.
pub async fn reset(page: Page, form: web::Form<ResetForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let password = match NewPassword::parse(&form.password) {
        Ok(password) => password,
        Err(e) => {
            let AppError::User(code) = AppError::from(e) else {
                return Err(ErrorCode::InvalidPassword.into());
            };
            return render_reset(&page, &form.token, Some(code));
        }
    };
    let token = form.token.clone();
    let now = page.state.clock.now();
    let done = db::run(&page.state, move |conn| {
        Ok(accounts::reset_password(conn, &token, &password, now)?)
    })
    .await?;
    if !done {
        return render_reset(&page, &form.token, Some(ErrorCode::InvalidToken));
    }
    crate::web::session::log_out(&page.session);
    let mut context = page.context();
    context.insert("done", &true);
    page.render("pages/password_reset_done.html", &context)
}
