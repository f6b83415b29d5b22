//! The few calls Obole makes to Stripe's API: create a PaymentIntent. Written against the
//! documented HTTP interface rather than an SDK crate: one form-encoded POST does not justify
//! a generated client of several hundred thousand lines.

use serde::Deserialize;

use crate::config::StripeSettings;
use crate::domain::UserId;
use crate::domain::top_up::TopUpAmount;

/// The API version every request pins, so that a change of the account's default version
/// cannot change what the answers look like.
pub const API_VERSION: &str = "2024-06-20";

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    #[error("Stripe could not be reached: {0}")]
    Unreachable(#[from] reqwest::Error),
    #[error("Stripe refused the request ({status}): {message}")]
    Refused { status: u16, message: String },
}

/// A PaymentIntent as created; the client secret goes to the payer's browser only.
#[derive(Debug, Clone, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub client_secret: String,
    pub amount: i64,
    pub currency: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: String,
}

/// Creates a card PaymentIntent for `amount`. The idempotency key makes a retried request
/// (a resubmitted form, a timeout) return the intent the first one created.
pub async fn create_payment_intent(
    http: &reqwest::Client,
    stripe: &StripeSettings,
    amount: TopUpAmount,
    currency: &str,
    user: UserId,
    idempotency_key: &str,
) -> Result<PaymentIntent, StripeError> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("amount", &amount.minor_units().to_string())
        .append_pair("currency", currency)
        .append_pair("payment_method_types[]", "card")
        .append_pair("metadata[obole_user]", &user.0.to_string())
        .finish();
    let response = http
        .post(format!("{}/v1/payment_intents", stripe.api_base))
        .bearer_auth(stripe.secret_key.expose())
        .header("Stripe-Version", API_VERSION)
        .header("Idempotency-Key", idempotency_key)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        let message = response
            .json::<ErrorBody>()
            .await
            .map(|b| b.error.message)
            .unwrap_or_default();
        return Err(StripeError::Refused {
            status: status.as_u16(),
            message,
        });
    }
    Ok(response.json::<PaymentIntent>().await?)
}
