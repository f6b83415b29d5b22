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
pub mod resource;
pub mod sites;
pub mod statements;
pub mod statements_year;
pub mod subscriptions;
pub mod supporters;
pub mod things;
pub mod tokens;
pub mod transparency;
pub mod wallet;

use actix_web::http::Method;
use actix_web::web::{self, to};

use resource::resource;

use super::error::{AppError, ErrorCode};

/// Request bodies are small; anything bigger is refused before it is read.
const MAX_JSON_BYTES: usize = json::MAX_BODY_BYTES;

const GET: Method = Method::GET;
const POST: Method = Method::POST;
const PUT: Method = Method::PUT;
const DELETE: Method = Method::DELETE;

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
    // A query string serde cannot read (a parameter given twice, `sort=a&sort=b`) is the
    // contract's 422 `invalid_query`, like a value the handler refuses; unknown parameters are
    // ignored.
    let query = web::QueryConfig::default()
        .error_handler(|_, _| AppError::User(ErrorCode::InvalidQuery).into());
    // Ids are read from the path as text and checked by the handler (anything but a positive
    // int64 is 404); a segment that is not even text names nothing either.
    let path =
        web::PathConfig::default().error_handler(|_, _| AppError::User(ErrorCode::NotFound).into());
    cfg.service(
        web::scope("/api/v1")
            .app_data(json)
            .app_data(query)
            .app_data(path)
            .app_data(web::PayloadConfig::new(MAX_JSON_BYTES))
            .service(resource("/accounts", vec![(POST, to(accounts::create))]))
            .service(resource("/tokens", vec![(POST, to(tokens::create))]))
            .service(resource(
                "/tokens/current",
                vec![(DELETE, to(tokens::revoke_current))],
            ))
            .service(resource(
                "/me",
                vec![(GET, to(me::show)), (DELETE, to(deletion::delete_me))],
            ))
            .service(resource(
                "/me/vouchers",
                vec![(POST, to(wallet::redeem_voucher))],
            ))
            .service(resource("/me/budget", vec![(PUT, to(wallet::set_budget))]))
            .service(resource("/me/clicks", vec![(GET, to(things::my_clicks))]))
            .service(resource(
                "/me/earnings",
                vec![(GET, to(statements::earnings))],
            ))
            .service(resource(
                "/me/contributions",
                vec![(GET, to(statements::contributions))],
            ))
            .service(resource(
                "/me/card-payments",
                vec![
                    (GET, to(card_payments::list)),
                    (POST, to(card_payments::create)),
                ],
            ))
            .service(resource(
                "/me/payouts",
                vec![(GET, to(payouts::list)), (POST, to(payouts::request))],
            ))
            .service(resource(
                "/me/revenue/transfer",
                vec![(POST, to(payouts::revenue_to_funds))],
            ))
            .service(resource(
                "/me/sites",
                vec![(GET, to(sites::list)), (POST, to(sites::create))],
            ))
            .service(resource(
                "/me/sites/{id}/verify",
                vec![(POST, to(sites::verify))],
            ))
            .service(resource(
                "/me/sites/{id}",
                vec![(DELETE, to(sites::remove))],
            ))
            .service(resource("/me/export", vec![(GET, to(export::export))]))
            .service(resource(
                "/me/subscriptions",
                vec![
                    (GET, to(subscriptions::list)),
                    (POST, to(subscriptions::create)),
                ],
            ))
            .service(resource(
                "/me/subscriptions/{id}",
                vec![(DELETE, to(subscriptions::cancel))],
            ))
            .service(resource(
                "/me/supporters",
                vec![(GET, to(supporters::list))],
            ))
            .service(resource(
                "/things",
                vec![(GET, to(things::list)), (POST, to(things::create))],
            ))
            .service(resource("/things/{id}", vec![(GET, to(things::show))]))
            .service(resource(
                "/things/{id}/click",
                vec![
                    (POST, to(things::click)),
                    (PUT, to(supporters::change)),
                    (DELETE, to(things::unclick)),
                ],
            ))
            .service(resource(
                "/openapi.json",
                vec![(GET, to(openapi::document))],
            ))
            .service(resource(
                "/settlements/{month}",
                vec![(GET, to(transparency::head))],
            ))
            .service(resource(
                "/settlements/{month}/things",
                vec![(GET, to(transparency::things))],
            ))
            .service(resource(
                "/me/receipts/{month}",
                vec![(GET, to(transparency::receipt))],
            ))
            .default_service(web::to(super::pages::errors::not_found)),
    );
}
