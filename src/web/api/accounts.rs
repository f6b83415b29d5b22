//! `POST /api/v1/accounts`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::json::JsonObject;
use crate::domain::{Locale, NewAccount};
use crate::use_cases::accounts::{self, SignUpError};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::limits::{check, client_ip};
use crate::web::state::AppState;

/// Missing fields read as empty so that they fail validation with the precise `invalid_*`
/// code (422) rather than as malformed JSON.
#[derive(Deserialize)]
pub struct CreateAccount {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    display_name: Option<String>,
    locale: Option<String>,
}

pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    locale: Locale,
    JsonObject(body): JsonObject<CreateAccount>,
) -> Result<HttpResponse, AppError> {
    check(&state.limits.signup_by_ip, &client_ip(&req))?;
    let account = NewAccount::parse(
        &body.email,
        &body.password,
        body.display_name.as_deref(),
        body.locale.as_deref(),
        locale,
    )?;
    let now = state.clock.now();
    let user = db::run(&state, move |conn| {
        accounts::sign_up(conn, &account, now).map_err(|e| match e {
            SignUpError::EmailTaken => AppError::User(ErrorCode::EmailTaken),
            SignUpError::Other(e) => AppError::Internal(e),
        })
    })
    .await?;
    tracing::info!(user_id = user.id, "account created through the API");
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": user.id, "email": user.email })))
}
