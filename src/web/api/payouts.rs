//! `POST /api/v1/me/payouts` (ask for a payout), `GET /api/v1/me/payouts` (the requests and
//! their state) and `POST /api/v1/me/revenue/transfer` (revenue into one's own funds).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::auth::ApiUser;
use super::json::parse_object;
use crate::domain::Money;
use crate::domain::ledger::{AccountKind, AccountRef};
use crate::domain::payout::{AccountHolder, Iban};
use crate::models::ledger;
use crate::models::payouts::{self as rows, PayoutRow};
use crate::security::tokens;
use crate::use_cases::payouts::{self, PayoutRequest};
use crate::web::error::{AppError, ErrorCode};
use crate::web::idempotency::{self, IdempotencyKey};
use crate::web::state::AppState;

#[derive(Deserialize)]
struct NewPayout {
    #[serde(default)]
    iban: String,
    #[serde(default)]
    holder: String,
    #[serde(default)]
    amount: Option<String>,
}

#[derive(Serialize)]
pub struct PayoutBody {
    id: i64,
    amount: String,
    state: String,
    /// Only the last four characters: the full IBAN is not sent back.
    iban: String,
    holder: String,
    reference: Option<String>,
    requested_at: String,
    decided_at: Option<String>,
}

impl From<PayoutRow> for PayoutBody {
    fn from(row: PayoutRow) -> Self {
        PayoutBody {
            id: row.id,
            amount: row.amount().to_api_string(),
            iban: Iban::parse(&row.iban)
                .map(|i| i.masked())
                .unwrap_or_default(),
            holder: row.holder,
            state: row.state.to_string(),
            reference: row.reference,
            requested_at: row.requested_at.and_utc().to_rfc3339(),
            decided_at: row.decided_at.map(|at| at.and_utc().to_rfc3339()),
        }
    }
}

/// The amount a person typed, if any ("" and null mean "all of it").
pub fn optional_amount(text: Option<&str>) -> Result<Option<Money>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => Money::parse_user_amount(text)
            .map(Some)
            .map_err(|_| AppError::User(ErrorCode::InvalidAmount)),
    }
}

/// Money-moving: an `Idempotency-Key` makes a retry return the first answer
/// (`web::idempotency`); without one, the one-waiting-request rule still keeps concurrent
/// requests to one payout.
pub async fn request(
    req: HttpRequest,
    state: web::Data<AppState>,
    api: ApiUser,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let key = IdempotencyKey::from_request(&req)?;
    let input: NewPayout = parse_object(&body)?;
    let request = PayoutRequest {
        iban: Iban::parse(&input.iban)?,
        holder: AccountHolder::parse(&input.holder)?,
        amount: optional_amount(input.amount.as_deref())?,
        key: key
            .as_ref()
            .map_or_else(tokens::random_secret, |k| k.as_str().to_owned()),
    };
    let hash = idempotency::request_hash(&req, &body);
    let minimum = state.settings.payout_minimum;
    let now = state.clock.now();
    let outcome = api
        .run(&state, move |conn, user| {
            let user = user.user_id();
            idempotency::once(conn, user, key.as_ref(), &hash, now, |conn| {
                let requested = payouts::request(conn, user, &request, minimum, now)?;
                let status = if requested.new {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                };
                Ok((status, json(PayoutBody::from(requested.payout))?))
            })
        })
        .await?;
    Ok(outcome.into_response())
}

fn json(body: impl Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(body).map_err(|e| AppError::Internal(e.into()))
}

pub async fn list(state: web::Data<AppState>, api: ApiUser) -> Result<HttpResponse, AppError> {
    let (revenue, items) = api
        .run(&state, |conn, user| {
            let user = user.user_id();
            let revenue = ledger::balance(conn, AccountRef::User(user, AccountKind::Revenue))?;
            Ok((revenue, rows::of_user(conn, user)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "revenue": revenue.to_api_string(),
        "minimum": state.settings.payout_minimum.to_api_string(),
        "items": items.into_iter().map(PayoutBody::from).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
struct Transfer {
    #[serde(default)]
    amount: Option<String>,
}

/// Money-moving: honours `Idempotency-Key` (`web::idempotency`).
pub async fn revenue_to_funds(
    req: HttpRequest,
    state: web::Data<AppState>,
    api: ApiUser,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let key = IdempotencyKey::from_request(&req)?;
    let input: Transfer = parse_object(&body)?;
    let amount = optional_amount(input.amount.as_deref())?;
    let hash = idempotency::request_hash(&req, &body);
    let now = state.clock.now();
    let outcome = api
        .run(&state, move |conn, user| {
            let user = user.user_id();
            idempotency::once(conn, user, key.as_ref(), &hash, now, |conn| {
                let moved = payouts::revenue_to_funds(conn, user, amount, now)?;
                let balances = ledger::user_balances(conn, user)?;
                Ok((
                    StatusCode::OK,
                    serde_json::json!({
                        "moved": moved.to_api_string(),
                        "funds": balances.funds.to_api_string(),
                        "revenue": balances.revenue.to_api_string(),
                    }),
                ))
            })
        })
        .await?;
    Ok(outcome.into_response())
}
