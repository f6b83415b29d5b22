//! The JSON API under `/api/v1` (contract: PRODUCT.md, "Public interfaces").

pub mod accounts;
pub mod auth;
pub mod card_payments;
pub mod deletion;
pub mod export;
pub mod json;
pub mod me;
pub mod openapi;
pub mod payouts;
pub mod sites;
pub mod statements;
pub mod statements_year;
pub mod subscriptions;
pub mod supporters;
pub mod things;
pub mod tokens;
pub mod wallet;

use actix_web::web;

use super::error::{AppError, ErrorCode};

/// Request bodies are small; anything bigger is refused before it is read.
const MAX_JSON_BYTES: usize = json::MAX_BODY_BYTES;

pub fn routes(cfg: &mut web::ServiceConfig) {
    let json = web::JsonConfig::default()
        .limit(MAX_JSON_BYTES)
        // Clients that forget the header still get their JSON read.
        .content_type_required(false)
        .error_handler(|error, _req| {
            let code = match error {
                actix_web::error::JsonPayloadError::Overflow { .. }
                | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                    ErrorCode::PayloadTooLarge
                }
                _ => ErrorCode::InvalidJson,
            };
            AppError::User(code).into()
        });
    cfg.service(
        web::scope("/api/v1")
            .app_data(json)
            .app_data(web::PayloadConfig::new(MAX_JSON_BYTES))
            .route("/accounts", web::post().to(accounts::create))
            .route("/tokens", web::post().to(tokens::create))
            .route("/tokens/current", web::delete().to(tokens::revoke_current))
            .route("/me", web::get().to(me::show))
            .route("/me/vouchers", web::post().to(wallet::redeem_voucher))
            .route("/me/budget", web::put().to(wallet::set_budget))
            .route("/me/clicks", web::get().to(things::my_clicks))
            .route("/me/earnings", web::get().to(statements::earnings))
            .route(
                "/me/contributions",
                web::get().to(statements::contributions),
            )
            .route("/me/card-payments", web::post().to(card_payments::create))
            .route("/me/card-payments", web::get().to(card_payments::list))
            .route("/me/payouts", web::post().to(payouts::request))
            .route("/me/payouts", web::get().to(payouts::list))
            .route(
                "/me/revenue/transfer",
                web::post().to(payouts::revenue_to_funds),
            )
            .route("/me/sites", web::post().to(sites::create))
            .route("/me/sites", web::get().to(sites::list))
            .route("/me/sites/{id}/verify", web::post().to(sites::verify))
            .route("/me/sites/{id}", web::delete().to(sites::remove))
            .route("/me/export", web::get().to(export::export))
            .route("/me/subscriptions", web::post().to(subscriptions::create))
            .route("/me/subscriptions", web::get().to(subscriptions::list))
            .route(
                "/me/subscriptions/{id}",
                web::delete().to(subscriptions::cancel),
            )
            .route("/things", web::post().to(things::create))
            .route("/things", web::get().to(things::list))
            .route("/things/{id}", web::get().to(things::show))
            .route("/things/{id}/click", web::post().to(things::click))
            .route("/things/{id}/click", web::delete().to(things::unclick))
            .route("/openapi.json", web::get().to(openapi::document))
            .route("/things/{id}/click", web::put().to(supporters::change))
            .route("/me/supporters", web::get().to(supporters::list))
            .route("/me", web::delete().to(deletion::delete_me))
            .default_service(web::to(super::pages::errors::not_found)),
    );
}
