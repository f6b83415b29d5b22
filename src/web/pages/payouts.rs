//! A creator's payouts: the revenue, a request form (IBAN, holder, amount), the requests and
//! their state, and moving revenue into one's own funds.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::ledger::{AccountKind, AccountRef};
use crate::domain::payout::{AccountHolder, Iban};
use crate::i18n;
use crate::models::payouts::{self as rows, PayoutRow};
use crate::models::{ledger, users};
use crate::security::tokens;
use crate::use_cases::payouts::{self, PayoutRequest};
use crate::web::api::payouts::optional_amount;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::idempotency::{self, IdempotencyKey};
use crate::web::page::Page;
use crate::web::session::check_csrf;

const FLASH: &str = "flash_payouts";

#[derive(Serialize)]
pub struct PayoutLine {
    pub id: i64,
    pub requested: String,
    pub amount: String,
    pub iban: String,
    pub holder: String,
    pub state: String,
    pub state_key: String,
    pub reference: Option<String>,
    pub decided: Option<String>,
}

pub fn payout_line(page: &Page, row: PayoutRow) -> PayoutLine {
    PayoutLine {
        id: row.id,
        requested: i18n::format_datetime(page.locale, row.requested_at),
        amount: page.money(row.amount()),
        iban: Iban::parse(&row.iban)
            .map(|i| i.printed())
            .unwrap_or_default(),
        holder: row.holder.clone(),
        state_key: format!("payout-state-{}", row.state),
        state: row.state.to_string(),
        reference: row.reference,
        decided: row
            .decided_at
            .map(|at| i18n::format_datetime(page.locale, at)),
    }
}

#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PayoutForm {
    #[serde(skip_serializing)]
    csrf_token: Option<String>,
    iban: String,
    holder: String,
    amount: String,
    idempotency_key: String,
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    render(&page, None, &PayoutForm::default()).await
}

async fn render(
    page: &Page,
    error: Option<ErrorCode>,
    form: &PayoutForm,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let (revenue, requests, verified) = db::run(&page.state, move |conn| {
        let revenue = ledger::balance(conn, AccountRef::User(user, AccountKind::Revenue))?;
        let verified = users::find(conn, user)?.is_some_and(|u| u.email_verified_at.is_some());
        Ok((revenue, rows::of_user(conn, user)?, verified))
    })
    .await?;
    let lines: Vec<PayoutLine> = requests.into_iter().map(|r| payout_line(page, r)).collect();
    let mut context = page.context();
    context.insert("revenue", &page.money(revenue));
    context.insert("minimum", &page.money(page.state.settings.payout_minimum));
    context.insert("verified", &verified);
    context.insert("requests", &lines);
    context.insert("form", form);
    context.insert("error_key", &error.map(ErrorCode::message_key));
    // A fresh key per form shown: sending the same form twice moves money once.
    context.insert("idempotency_key", &tokens::random_secret());
    context.insert("to_funds_key", &tokens::random_secret());
    context.insert(
        "flash",
        &page.session.remove_as::<String>(FLASH).and_then(Result::ok),
    );
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/payouts.html", &context)
}

/// `POST /payouts`: asks for a payout, once per form shown (`web::idempotency`).
pub async fn request(
    req: HttpRequest,
    page: Page,
    form: web::Form<PayoutForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let form = form.into_inner();
    let parsed = (|| -> Result<(PayoutRequest, IdempotencyKey), AppError> {
        let iban = Iban::parse(&form.iban)?;
        let holder = AccountHolder::parse(&form.holder)?;
        let amount = optional_amount(Some(&form.amount))?;
        let key = IdempotencyKey::parse(&form.idempotency_key)?;
        let request = PayoutRequest {
            iban,
            holder,
            amount,
            key: key.as_str().to_owned(),
        };
        Ok((request, key))
    })();
    let outcome = match parsed {
        Ok((request, key)) => {
            let fields = format!("{}\n{}\n{}", form.iban, form.holder, form.amount);
            let hash = idempotency::request_hash(&req, fields.as_bytes());
            let user = viewer.user_id();
            let minimum = page.state.settings.payout_minimum;
            let now = page.state.clock.now();
            db::run(&page.state, move |conn| {
                idempotency::once(conn, user, Some(&key), &hash, now, |conn| {
                    payouts::request(conn, user, &request, minimum, now)?;
                    Ok((StatusCode::CREATED, serde_json::Value::Null))
                })
            })
            .await
            .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => flash_and_return(&page, "payouts-requested"),
        Err(AppError::User(code)) => render(&page, Some(code), &form).await,
        Err(other) => Err(other),
    }
}

#[derive(Deserialize)]
pub struct ToFundsForm {
    csrf_token: Option<String>,
    #[serde(default)]
    amount: String,
    /// The form's key: sending it twice moves the money once.
    idempotency_key: Option<String>,
}

/// `POST /payouts/to-funds`: revenue into one's own funds.
pub async fn to_funds(
    req: HttpRequest,
    page: Page,
    form: web::Form<ToFundsForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let now = page.state.clock.now();
    let hash = idempotency::request_hash(&req, form.amount.as_bytes());
    let parsed = optional_amount(Some(&form.amount)).and_then(|amount| {
        let key = form
            .idempotency_key
            .as_deref()
            .map(IdempotencyKey::parse)
            .transpose()?;
        Ok((amount, key))
    });
    let outcome = match parsed {
        Ok((amount, key)) => db::run(&page.state, move |conn| {
            idempotency::once(conn, user, key.as_ref(), &hash, now, |conn| {
                payouts::revenue_to_funds(conn, user, amount, now)?;
                Ok((StatusCode::OK, serde_json::Value::Null))
            })
        })
        .await
        .map(|_| ()),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => flash_and_return(&page, "payouts-moved"),
        Err(AppError::User(code)) => render(&page, Some(code), &PayoutForm::default()).await,
        Err(other) => Err(other),
    }
}

fn flash_and_return(page: &Page, key: &str) -> Result<HttpResponse, AppError> {
    page.session
        .insert(FLASH, key)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the session: {e}")))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/payouts"))
        .finish())
}
