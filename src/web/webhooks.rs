//! `POST /webhooks/stripe`: Stripe's events, believed only with a valid signature over the
//! exact bytes received.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::security::stripe_signature;
use crate::use_cases::card_payments::{self, Applied, CardError, event};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::state::AppState;

pub async fn stripe(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let Some(stripe) = state.settings.stripe.as_ref() else {
        return Err(AppError::User(ErrorCode::NotFound));
    };
    let header = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
        .ok_or(AppError::User(ErrorCode::WebhookSignatureInvalid))?;
    // The signature's age is measured on the machine's clock, not the business clock that
    // OBOLE_CLOCK may freeze: it is about this delivery, not about the month.
    let now = crate::clock::wall_time().timestamp();
    if let Err(e) = stripe_signature::verify(header, &body, stripe.webhook_secret.expose(), now) {
        tracing::warn!(reason = %e, "Stripe webhook refused");
        return Err(AppError::User(ErrorCode::WebhookSignatureInvalid));
    }
    let event = event::parse(&body).map_err(|_| AppError::User(ErrorCode::WebhookInvalid))?;
    let currency = state.settings.currency;
    let at = state.clock.now();
    let (event_id, kind) = (event.id.clone(), event.kind.clone());
    let applied = db::run(&state, move |conn| {
        match card_payments::apply(conn, &event, currency, at) {
            Ok(applied) => Ok(Ok(applied)),
            Err(CardError::Mismatch) => Ok(Err(ErrorCode::WebhookMismatch)),
            // Stripe delivers again later, by when the payment's own event has arrived.
            Err(CardError::RefundBeforePayment) => Ok(Err(ErrorCode::Unavailable)),
            Err(other) => Err(AppError::Internal(
                anyhow::Error::new(other).context("applying a Stripe event"),
            )),
        }
    })
    .await?;
    match applied {
        Ok(applied) => {
            if applied == Applied::UnknownIntent {
                tracing::warn!(event = %event_id, %kind, "Stripe event for an intent this instance did not create");
            }
            Ok(HttpResponse::Ok().json(serde_json::json!({
                "received": true,
                "duplicate": applied == Applied::Duplicate,
            })))
        }
        Err(code) => {
            tracing::error!(event = %event_id, %kind, code = code.as_str(), "Stripe event not applied");
            Err(AppError::User(code))
        }
    }
}
