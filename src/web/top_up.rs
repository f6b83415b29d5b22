//! Starting a card top-up, for the funds page and the API alike: Stripe creates the
//! PaymentIntent, Obole records it, the payer's browser gets its client secret.

use actix_web::web;

use crate::config::StripeSettings;
use crate::domain::UserId;
use crate::domain::top_up::{TopUpAmount, TopUpError};
use crate::models::card_payments::CardPaymentRow;
use crate::use_cases::card_payments::{self, stripe_api};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::state::AppState;

pub struct Started {
    pub payment: CardPaymentRow,
    /// Lets Stripe.js confirm this one intent; never stored.
    pub client_secret: String,
}

impl From<TopUpError> for AppError {
    fn from(e: TopUpError) -> Self {
        AppError::User(match e {
            TopUpError::InvalidAmount(_) => ErrorCode::InvalidAmount,
            TopUpError::BelowMinimum => ErrorCode::TopUpBelowMinimum,
            TopUpError::AboveMaximum => ErrorCode::TopUpAboveMaximum,
        })
    }
}

/// The instance's Stripe settings, or `card_payments_unavailable`.
pub fn stripe(state: &AppState) -> Result<&StripeSettings, AppError> {
    state
        .settings
        .stripe
        .as_ref()
        .ok_or(AppError::User(ErrorCode::CardPaymentsUnavailable))
}

/// Creates (or, for the same `key`, finds again) the intent of a top-up.
pub async fn start(
    state: &web::Data<AppState>,
    user: UserId,
    amount: TopUpAmount,
    key: &str,
) -> Result<Started, AppError> {
    let stripe = stripe(state)?;
    let currency = state.settings.currency.code().to_ascii_lowercase();
    // Scoped by user, so that two readers' keys can never name one intent at Stripe.
    let stripe_key = format!("obole-top-up-{}-{key}", user.0);
    let intent = stripe_api::create_payment_intent(
        &state.http,
        stripe,
        amount,
        &currency,
        user,
        &stripe_key,
    )
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "creating a PaymentIntent failed");
        AppError::User(ErrorCode::PaymentProviderFailed)
    })?;
    if intent.amount != amount.minor_units() || !intent.currency.eq_ignore_ascii_case(&currency) {
        // Stripe answered for another request (a key reused with another amount).
        return Err(AppError::User(ErrorCode::IdempotencyKeyReused));
    }
    let now = state.clock.now();
    let key = key.to_owned();
    let recorded = intent.clone();
    let payment = db::run(state, move |conn| {
        Ok(card_payments::record_intent(
            conn, user, &recorded, amount, &key, now,
        )?)
    })
    .await?;
    if payment.user_id != user.0 {
        return Err(AppError::User(ErrorCode::IdempotencyKeyReused));
    }
    Ok(Started {
        payment,
        client_secret: intent.client_secret,
    })
}

/// The Content-Security-Policy of a page that runs Stripe.js: Stripe's script, its frames and
/// its API join this site's own.
pub fn card_page_csp(stripe: &StripeSettings) -> String {
    let js = origin(&stripe.js_url());
    let api = origin(&stripe.api_base);
    let frames = if stripe.api_base == crate::config::STRIPE_API {
        "https://js.stripe.com https://hooks.stripe.com".to_owned()
    } else {
        js.clone()
    };
    format!(
        "default-src 'self'; img-src 'self' data: {js}; style-src 'self'; script-src 'self' {js}; \
         connect-src 'self' {api}; frame-src {frames}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

fn origin(address: &str) -> String {
    url::Url::parse(address)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}
