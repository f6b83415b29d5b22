//! `DELETE /api/v1/me`: the account deleted once its password is proven (docs/PRIVACY.md).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::auth::ApiUser;
use super::json::JsonObject;
use crate::security::passwords;
use crate::use_cases::deletion::{self, FundsChoice};
use crate::web::error::{AppError, ErrorCode};
use crate::web::limits::login_attempt;
use crate::web::state::AppState;

#[derive(Deserialize)]
pub struct DeleteBody {
    #[serde(default)]
    password: String,
    /// Where the funds left go: `charity` or `platform`; required when funds are left.
    #[serde(default)]
    funds: Option<String>,
}

/// Deletes the token's account: 204, or 401 `invalid_credentials` for a wrong password
/// (counted as a failed log-in), 409 `payout_waiting` / `revenue_left`, 422
/// `funds_choice_required` / `no_charity`. An account without a password deletes itself on
/// the page, after a fresh provider log-in.
pub async fn delete_me(
    req: HttpRequest,
    state: web::Data<AppState>,
    api: ApiUser,
    JsonObject(body): JsonObject<DeleteBody>,
) -> Result<HttpResponse, AppError> {
    let choice = match body.funds.as_deref() {
        None => None,
        Some(code) => {
            Some(FundsChoice::parse(code).ok_or(AppError::User(ErrorCode::InvalidFundsChoice))?)
        }
    };
    let attempt = login_attempt(&state, &req, &format!("account:{}", api.claimed().0))?;
    let charity_named = state.settings.operator.charity.is_some();
    let now = state.clock.now();
    let password = body.password;
    let deleted = api
        .run(&state, move |conn, user| {
            if !passwords::verify(user.password_hash.as_deref(), &password) {
                return Ok(None);
            }
            Ok(Some(deletion::delete(
                conn,
                user.user_id(),
                choice,
                charity_named,
                now,
            )))
        })
        .await?
        .ok_or(AppError::User(ErrorCode::InvalidCredentials))?;
    // The password was right: a refusal below is no failed log-in.
    attempt.succeeded();
    let deleted = deleted?;
    for thing in deleted.unclicked {
        state.clicked(thing);
    }
    Ok(HttpResponse::NoContent().finish())
}
