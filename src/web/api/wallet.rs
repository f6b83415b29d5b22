//! `POST /api/v1/me/vouchers` (redeem) and `PUT /api/v1/me/budget`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::auth::ApiUser;
use super::json::{JsonObject, parse_object};
use super::me::BudgetBody;
use crate::domain::Money;
use crate::domain::budget::{BudgetAmount, BudgetError, Unspent};
use crate::domain::money::AmountError;
use crate::use_cases::wallet;
use crate::web::error::{AppError, ErrorCode};
use crate::web::idempotency::{self, IdempotencyKey};
use crate::web::limits::{check, client_ip};
use crate::web::state::AppState;

#[derive(Deserialize)]
struct Redeem {
    #[serde(default)]
    code: String,
}

/// Money-moving: honours `Idempotency-Key`. The raw body is read so that a retry can be
/// recognised as the same request.
pub async fn redeem_voucher(
    req: HttpRequest,
    state: web::Data<AppState>,
    api: ApiUser,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let key = IdempotencyKey::from_request(&req)?;
    let Redeem { code } = parse_object(&body)?;
    check(&state.limits.redeem_by_ip, &client_ip(&req))?;
    check(&state.limits.redeem_by_user, &api.claimed().0)?;
    let hash = idempotency::request_hash(&req, &body);
    let now = state.clock.now();
    let outcome = api
        .run(&state, move |conn, user| {
            let user = user.user_id();
            idempotency::once(conn, user, key.as_ref(), &hash, now, |conn| {
                let funds = wallet::redeem_voucher(conn, user, &code, now)?.funds;
                Ok((
                    StatusCode::OK,
                    serde_json::json!({ "funds": funds.to_api_string() }),
                ))
            })
        })
        .await?;
    Ok(outcome.into_response())
}

#[derive(Deserialize)]
pub struct SetBudget {
    #[serde(default)]
    amount: serde_json::Value,
    paused: Option<bool>,
    /// `keep` or `charity`; absent keeps the reader's current choice.
    unspent: Option<String>,
}

/// Reads the contract's decimal string. A JSON integer is taken as whole units; a JSON
/// fraction is refused, because it would have passed through a float.
fn budget_amount(value: &serde_json::Value, maximum: Money) -> Result<BudgetAmount, BudgetError> {
    let invalid = BudgetError::InvalidAmount(AmountError::NotANumber);
    match value {
        serde_json::Value::String(text) => BudgetAmount::parse(text, maximum),
        serde_json::Value::Number(number) => {
            let units = number.as_u64().ok_or(invalid)?;
            let micros = i64::try_from(units)
                .ok()
                .and_then(|u| u.checked_mul(1_000_000))
                .ok_or(invalid)?;
            BudgetAmount::new(Money::from_micros(micros), maximum)
        }
        _ => Err(invalid),
    }
}

pub async fn set_budget(
    state: web::Data<AppState>,
    api: ApiUser,
    JsonObject(body): JsonObject<SetBudget>,
) -> Result<HttpResponse, AppError> {
    let amount = budget_amount(&body.amount, state.settings.max_budget)?;
    let unspent = body
        .unspent
        .as_deref()
        // Trimmed like every text the API reads (the document says so).
        .map(|text| {
            Unspent::parse(text.trim()).map_err(|_| AppError::from(ErrorCode::InvalidUnspent))
        })
        .transpose()?;
    let charity_named = state.settings.operator.charity.is_some();
    let now = state.clock.now();
    let paused = body.paused;
    let budget = api
        .run(&state, move |conn, user| {
            let user = user.user_id();
            Ok(wallet::set_budget_choice(
                conn,
                user,
                amount,
                paused,
                unspent,
                charity_named,
                now,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(BudgetBody::from(budget)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_numbers_are_whole_units_only() {
        let max = Money::from_micros(100_000_000);
        assert_eq!(
            budget_amount(&json!(2), max).map(|b| b.money().micros()),
            Ok(2_000_000)
        );
        assert!(matches!(
            budget_amount(&json!(2.5), max),
            Err(BudgetError::InvalidAmount(_))
        ));
        assert!(matches!(
            budget_amount(&json!(-5), max),
            Err(BudgetError::InvalidAmount(_))
        ));
        assert!(matches!(
            budget_amount(&json!(null), max),
            Err(BudgetError::InvalidAmount(_))
        ));
        assert_eq!(
            budget_amount(&json!(1), max),
            Err(BudgetError::BelowMinimum)
        );
        assert_eq!(
            budget_amount(&json!("2.50"), max).map(|b| b.money().micros()),
            Ok(2_500_000)
        );
    }
}
