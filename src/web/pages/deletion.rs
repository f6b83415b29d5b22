//! `/settings/delete`: what deleting the account does, the proof that it is the person (the
//! password, or a provider log-in of the last minutes for an account without one) and where
//! the funds left go; then a confirmation step that sums it up; then the deletion, the
//! session ended, and `/account-deleted`. `/privacy` says what Obole keeps (docs/PRIVACY.md).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;

use crate::domain::UserId;
use crate::models::users;
use crate::security::passwords;
use crate::use_cases::deletion::{self, FundsChoice, Preview};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::limits::login_attempt;
use crate::web::page::Page;
use crate::web::session::{check_csrf, log_out};

/// When the person last logged in through a provider (a Unix time), set by the OAuth
/// sign-in: an account without a password proves itself so.
pub const FRESH_PROVIDER_LOG_IN: &str = "fresh_provider_log_in";
/// When the person passed the first step (a Unix time) and the funds choice they made.
const CONFIRMING: &str = "deletion_confirming";
/// How long a provider log-in, or a passed first step, stays good for deleting.
const FRESH_FOR: TimeDelta = TimeDelta::minutes(10);

#[derive(Deserialize)]
pub struct StepForm {
    csrf_token: Option<String>,
    #[serde(default)]
    password: String,
    #[serde(default)]
    funds: Option<String>,
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    csrf_token: Option<String>,
}

/// What the first step found about the account.
struct Facts {
    preview: Preview,
    has_password: bool,
}

async fn facts(page: &Page, user: UserId) -> Result<Facts, AppError> {
    let (now, zone) = (page.state.clock.now(), page.state.clock.zone());
    db::run(&page.state, move |conn| {
        let row = users::find(conn, user)?.ok_or(AppError::User(ErrorCode::Unauthorized))?;
        Ok(Facts {
            preview: deletion::preview(conn, user, now, zone)?,
            has_password: row.password_hash.is_some(),
        })
    })
    .await
}

fn fresh(page: &Page, key: &str, now: DateTime<Utc>) -> Option<i64> {
    let at = page.session.get::<i64>(key).ok().flatten()?;
    let then = DateTime::<Utc>::from_timestamp(at, 0)?;
    (now - then <= FRESH_FOR && then <= now).then_some(at)
}

/// `GET /settings/delete`.
pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    render_step(&page, None, StatusCode::OK).await
}

async fn render_step(
    page: &Page,
    error: Option<ErrorCode>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let facts = facts(page, viewer.user_id()).await?;
    let now = page.state.clock.now();
    let mut context = page.context();
    insert_preview(page, &mut context, &facts.preview);
    context.insert("has_password", &facts.has_password);
    context.insert(
        "fresh_log_in",
        &fresh(page, FRESH_PROVIDER_LOG_IN, now).is_some(),
    );
    context.insert(
        "refusal_key",
        &facts.preview.refusal().map(|r| code_of(r).message_key()),
    );
    context.insert("error_key", &error.map(ErrorCode::message_key));
    page.render_with_status(status, "pages/delete_account.html", &context)
}

fn insert_preview(page: &Page, context: &mut tera::Context, preview: &Preview) {
    context.insert("funds", &page.money(preview.funds));
    context.insert("has_funds", &(preview.funds > crate::domain::Money::ZERO));
    context.insert("open_clicks", &preview.open_clicks);
    context.insert("things", &preview.things);
    context.insert("sites", &preview.sites);
    let charity = page.state.settings.operator.charity.as_ref();
    context.insert("charity", &charity.map(|c| c.name.clone()));
}

/// `POST /settings/delete`: the first step checked; the confirmation step shown.
pub async fn step(
    req: HttpRequest,
    page: Page,
    form: web::Form<StepForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let form = form.into_inner();
    let choice = match form.funds.as_deref().filter(|f| !f.is_empty()) {
        None => None,
        Some(code) => match FundsChoice::parse(code) {
            Some(choice) => Some(choice),
            None => return refuse(&page, ErrorCode::InvalidFundsChoice).await,
        },
    };
    let facts = facts(&page, viewer.user_id()).await?;
    let now = page.state.clock.now();
    if facts.has_password {
        let attempt = login_attempt(&page.state, &req, &format!("account:{}", viewer.id))?;
        let password = form.password;
        let right = db::run(&page.state, move |conn| {
            let hash = users::find(conn, viewer.user_id())?.and_then(|u| u.password_hash);
            Ok(passwords::verify(hash.as_deref(), &password))
        })
        .await?;
        if !right {
            return refuse(&page, ErrorCode::InvalidCredentials).await;
        }
        attempt.succeeded();
    } else if fresh(&page, FRESH_PROVIDER_LOG_IN, now).is_none() {
        return refuse(&page, ErrorCode::InvalidCredentials).await;
    }
    if let Some(refusal) = facts.preview.refusal() {
        return refuse(&page, code_of(refusal)).await;
    }
    if facts.preview.funds > crate::domain::Money::ZERO {
        match choice {
            None => return refuse(&page, ErrorCode::FundsChoiceRequired).await,
            Some(FundsChoice::Charity) if page.state.settings.operator.charity.is_none() => {
                return refuse(&page, ErrorCode::NoCharity).await;
            }
            Some(_) => {}
        }
    }
    let code = match choice {
        Some(FundsChoice::Charity) => "charity",
        Some(FundsChoice::Platform) => "platform",
        None => "",
    };
    put(&page, CONFIRMING, (now.timestamp(), code))?;
    let mut context = page.context();
    insert_preview(&page, &mut context, &facts.preview);
    context.insert("choice", code);
    page.render("pages/delete_account_confirm.html", &context)
}

async fn refuse(page: &Page, code: ErrorCode) -> Result<HttpResponse, AppError> {
    render_step(page, Some(code), code.status()).await
}

/// `POST /settings/delete/confirm`: the account deleted, the session ended.
pub async fn confirm(page: Page, form: web::Form<ConfirmForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let now = page.state.clock.now();
    let passed = page
        .session
        .get::<(i64, String)>(CONFIRMING)
        .ok()
        .flatten()
        .filter(|(at, _)| {
            DateTime::<Utc>::from_timestamp(*at, 0).is_some_and(|then| now - then <= FRESH_FOR)
        });
    let Some((_, code)) = passed else {
        // The first step is missing or too old: it is asked again.
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/settings/delete"))
            .finish());
    };
    let choice = FundsChoice::parse(&code);
    let charity_named = page.state.settings.operator.charity.is_some();
    let user = viewer.user_id();
    let outcome = db::run(&page.state, move |conn| {
        Ok(deletion::delete(conn, user, choice, charity_named, now))
    })
    .await?;
    let deleted = match outcome {
        Ok(deleted) => deleted,
        Err(e) => {
            let error = AppError::from(e);
            return match error {
                AppError::User(code) => refuse(&page, code).await,
                other => Err(other),
            };
        }
    };
    for thing in deleted.unclicked {
        page.state.clicked(thing);
    }
    log_out(&page.session);
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/account-deleted"))
        .finish())
}

/// `GET /account-deleted`.
pub async fn done(page: Page) -> Result<HttpResponse, AppError> {
    page.render("pages/account_deleted.html", &page.context())
}

/// `GET /privacy`: what Obole keeps, why and for how long (docs/PRIVACY.md).
pub async fn privacy(page: Page) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    let charity = page.state.settings.operator.charity.as_ref();
    context.insert("charity", &charity.map(|c| c.name.clone()));
    page.render("pages/privacy.html", &context)
}

/// The code a refusal shows (`internal_error` never happens for the refusals checked here).
fn code_of(refusal: deletion::DeletionError) -> ErrorCode {
    match AppError::from(refusal) {
        AppError::User(code) => code,
        _ => ErrorCode::InternalError,
    }
}

fn put(page: &Page, key: &str, value: impl serde::Serialize) -> Result<(), AppError> {
    page.session
        .insert(key, value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the session: {e}")))
}
