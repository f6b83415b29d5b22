//! `POST /funds/redeem`: a voucher code into funds.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{FLASH_REDEEMED, Typed, render};
use crate::use_cases::wallet;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::idempotency::{self, IdempotencyKey};
use crate::web::journey::{self};
use crate::web::limits::{check, client_ip};
use crate::web::page::Page;
use crate::web::session::check_csrf;

#[derive(Deserialize)]
pub struct RedeemForm {
    csrf_token: Option<String>,
    #[serde(default)]
    code: String,
    idempotency_key: Option<String>,
    next: Option<String>,
}

pub async fn redeem(
    req: HttpRequest,
    page: Page,
    form: web::Form<RedeemForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    check(&page.state.limits.redeem_by_ip, &client_ip(&req))?;
    check(&page.state.limits.redeem_by_user, &viewer.id)?;
    let key = form
        .idempotency_key
        .as_deref()
        .map(IdempotencyKey::parse)
        .transpose()?;
    let user = viewer.user_id();
    let code = form.code.clone();
    let hash = idempotency::request_hash(&req, code.trim().as_bytes());
    let now = page.state.clock.now();
    let locale = page.locale;
    let currency = page.state.settings.currency;
    let outcome = db::run(&page.state, move |conn| {
        idempotency::once(conn, user, key.as_ref(), &hash, now, |conn| {
            let credited = wallet::redeem_voucher(conn, user, &code, now)?.credited;
            Ok((
                StatusCode::OK,
                serde_json::json!({ "credited": credited.micros() }),
            ))
        })
    })
    .await;
    match outcome {
        Ok(outcome) => {
            let credited = serde_json::from_str::<serde_json::Value>(&outcome.body)
                .ok()
                .and_then(|v| v["credited"].as_i64())
                .unwrap_or_default();
            let shown = crate::domain::Money::from_micros(credited).format(locale, currency);
            let to = journey::after_step(form.next.as_deref(), "/funds");
            // On the way to a tip the next step shows the new funds; the flash is for this page.
            if to == "/funds" {
                page.session.insert(FLASH_REDEEMED, shown).map_err(|e| {
                    AppError::Internal(anyhow::anyhow!("cannot write the session: {e}"))
                })?;
            }
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, to))
                .finish())
        }
        Err(AppError::User(code))
            if matches!(code, ErrorCode::VoucherNotFound | ErrorCode::VoucherUsed) =>
        {
            let typed = Typed {
                voucher_error: Some(code),
                code: &form.code,
                next: form.next.as_deref(),
                ..Typed::default()
            };
            render(&page, &typed, false).await
        }
        Err(other) => Err(other),
    }
}
