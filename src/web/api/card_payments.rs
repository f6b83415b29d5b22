//! `POST /api/v1/me/card-payments` (start a card top-up) and `GET /api/v1/me/card-payments`
//! (the reader's card payments and their state). Funds are credited by Stripe's webhook only.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::auth::ApiUser;
use super::json::parse_object;
use crate::domain::top_up::TopUpAmount;
use crate::models::card_payments::{self as rows, CardPaymentRow};
use crate::security::tokens;
use crate::web::error::AppError;
use crate::web::idempotency::IdempotencyKey;
use crate::web::state::AppState;
use crate::web::top_up;

/// How many payments the list returns.
const LISTED: i64 = 100;

#[derive(Deserialize)]
struct NewCardPayment {
    #[serde(default)]
    amount: String,
}

#[derive(Serialize)]
pub struct CardPaymentBody {
    /// Stripe's PaymentIntent id.
    id: String,
    amount: String,
    currency: String,
    state: String,
    refunded: String,
    failure_message: Option<String>,
    created_at: String,
}

impl From<CardPaymentRow> for CardPaymentBody {
    fn from(row: CardPaymentRow) -> Self {
        CardPaymentBody {
            amount: row.amount().to_api_string(),
            refunded: row.refunded().to_api_string(),
            id: row.intent_id,
            currency: row.currency.to_ascii_uppercase(),
            state: row.state.to_string(),
            failure_message: row.failure_message,
            created_at: row.created_at.and_utc().to_rfc3339(),
        }
    }
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    api: ApiUser,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let publishable_key = top_up::stripe(&state)?.publishable_key.clone();
    let key = IdempotencyKey::from_request(&req)?
        .map_or_else(tokens::random_secret, |k| k.as_str().to_owned());
    let input: NewCardPayment = parse_object(&body)?;
    let amount = TopUpAmount::parse(&input.amount)?;
    // Proven live before Stripe is asked for anything.
    let user = api.run(&state, |_, user| Ok(user.user_id())).await?;
    let started = top_up::start(&state, user, amount, &key).await?;
    let mut body = serde_json::to_value(CardPaymentBody::from(started.payment))
        .map_err(|e| AppError::Internal(e.into()))?;
    body["client_secret"] = started.client_secret.into();
    body["publishable_key"] = publishable_key.into();
    Ok(HttpResponse::Created().json(body))
}

pub async fn list(state: web::Data<AppState>, api: ApiUser) -> Result<HttpResponse, AppError> {
    let items = api
        .run(&state, |conn, user| {
            Ok(rows::for_user(conn, user.user_id(), LISTED)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "items": items.into_iter().map(CardPaymentBody::from).collect::<Vec<_>>(),
    })))
}
