//! Sign-up, log-in and log-out pages.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::NewAccount;
use crate::use_cases::accounts::{self, SignUpError};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::journey::{JourneyView, after_step, tip_destination};
use crate::web::limits::{check, client_ip, login_attempt};
use crate::web::locale::safe_next;
use crate::web::page::Page;
use crate::web::pages::log_in::finish_log_in;
use crate::web::session::{check_csrf, log_out};

/// Where a signed-in user lands when no `next` was given.
const AFTER_LOG_IN: &str = "/dashboard";

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SignUpForm {
    #[serde(skip_serializing)]
    csrf_token: Option<String>,
    email: String,
    #[serde(skip_serializing)]
    password: String,
    display_name: String,
    /// Where to go once the account exists (a same-site path; see `safe_next`).
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LogInForm {
    #[serde(skip_serializing)]
    csrf_token: Option<String>,
    email: String,
    #[serde(skip_serializing)]
    password: String,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn sign_up_form(
    page: Page,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if page.viewer.is_some() {
        return Ok(redirect(&next_or_default(query.next.as_deref())));
    }
    let form = SignUpForm {
        next: query.next.clone(),
        ..SignUpForm::default()
    };
    render_sign_up(&page, &form, None)
}

pub async fn sign_up(
    req: HttpRequest,
    page: Page,
    form: web::Form<SignUpForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    check(&page.state.limits.signup_by_ip, &client_ip(&req))?;
    let account = match NewAccount::parse(
        &form.email,
        &form.password,
        Some(&form.display_name),
        None,
        page.locale,
    ) {
        Ok(account) => account,
        Err(e) => return render_sign_up(&page, &form, Some(AppError::from(e).code())),
    };
    let now = page.state.clock.now();
    let created = db::run(&page.state, move |conn| {
        match accounts::sign_up(conn, &account, now) {
            Ok(user) => Ok(Ok(user)),
            Err(SignUpError::EmailTaken) => Ok(Err(ErrorCode::EmailTaken)),
            Err(SignUpError::Other(e)) => Err(AppError::Internal(e)),
        }
    })
    .await?;
    match created {
        Ok(user) => {
            tracing::info!(user_id = user.id, "account created");
            // On the way to a tip the path goes on (funds, budget); elsewhere back to `next`.
            let to = match tip_destination(form.next.as_deref()) {
                Some(_) => after_step(form.next.as_deref(), AFTER_LOG_IN),
                None => next_or_default(form.next.as_deref()),
            };
            finish_log_in(&page, &user, &to)
        }
        Err(code) => render_sign_up(&page, &form, Some(code)),
    }
}

pub async fn log_in_form(
    page: Page,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if page.viewer.is_some() {
        return Ok(redirect(&next_or_default(query.next.as_deref())));
    }
    let mut form = LogInForm {
        next: query.next.clone(),
        ..LogInForm::default()
    };
    if let Some(waiting) = super::oauth::attempt::awaiting_link(&page) {
        form.email = waiting.email;
    }
    render_log_in(&page, &form, false)
}

pub async fn log_in_submit(
    req: HttpRequest,
    page: Page,
    form: web::Form<LogInForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let attempt = login_attempt(&page.state, &req, &form.email)?;
    let (email, password) = (form.email.clone(), form.password.clone());
    let user = db::run(&page.state, move |conn| {
        Ok(accounts::authenticate(conn, &email, &password)?)
    })
    .await?;
    match user {
        Some(user) => {
            attempt.succeeded();
            let next = next_or_default(form.next.as_deref());
            super::oauth::sign_in::log_in_linking(&page, &user, &next).await
        }
        None => render_log_in(&page, &form, true),
    }
}

pub async fn log_out_submit(
    page: Page,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.get("csrf_token").map(String::as_str))?;
    log_out(&page.session);
    Ok(redirect("/"))
}

/// Ends every session of the account, on every device, and revokes its API tokens.
pub async fn log_out_everywhere(
    page: Page,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.get("csrf_token").map(String::as_str))?;
    let id = page
        .viewer
        .as_ref()
        .map(|v| v.user_id())
        .ok_or(AppError::User(ErrorCode::Unauthorized))?;
    let now = page.state.clock.now();
    db::run(&page.state, move |conn| {
        Ok(accounts::log_out_everywhere(conn, id, now)?)
    })
    .await?;
    tracing::info!(user_id = id.0, "logged out everywhere");
    log_out(&page.session);
    Ok(redirect("/"))
}

fn next_or_default(next: Option<&str>) -> String {
    match next {
        Some(path) if !path.is_empty() => safe_next(Some(path)),
        _ => AFTER_LOG_IN.to_owned(),
    }
}

fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

fn render_sign_up(
    page: &Page,
    form: &SignUpForm,
    error: Option<ErrorCode>,
) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    context.insert("form", form);
    let field = error.map(|code| match code {
        ErrorCode::InvalidPassword => "password",
        ErrorCode::InvalidDisplayName => "display_name",
        _ => "email",
    });
    context.insert("error_field", &field);
    context.insert("error_key", &error.map(ErrorCode::message_key));
    context.insert("min_password", &crate::domain::account::MIN_PASSWORD_CHARS);
    context.insert("providers", &provider_buttons(page));
    context.insert("journey", &journey_of(page, form.next.as_deref()));
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/signup.html", &context)
}

/// The configured OAuth2 providers as (name, label), for one button each.
pub(crate) fn provider_buttons(page: &Page) -> Vec<(String, String)> {
    page.state
        .settings
        .oauth_providers
        .iter()
        .map(|p| (p.name.clone(), p.label.clone()))
        .collect()
}

fn render_log_in(page: &Page, form: &LogInForm, failed: bool) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    context.insert("form", form);
    context.insert("failed", &failed);
    let linking = super::oauth::attempt::awaiting_link(page).and_then(|waiting| {
        provider_buttons(page)
            .into_iter()
            .find(|(name, _)| *name == waiting.provider)
            .map(|(_, label)| label)
    });
    context.insert("linking", &linking);
    let status = if failed {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    context.insert("providers", &provider_buttons(page));
    context.insert("journey", &journey_of(page, form.next.as_deref()));
    page.render_with_status(status, "pages/login.html", &context)
}

/// The stepper shown above the form when the visitor came from a tip page.
fn journey_of(page: &Page, next: Option<&str>) -> Option<JourneyView> {
    tip_destination(next).map(|next| JourneyView::signed_out(page, &next))
}
