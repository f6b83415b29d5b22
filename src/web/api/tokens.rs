//! `POST /api/v1/tokens` (log in, get a bearer token) and `DELETE /api/v1/tokens/current`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::auth::ApiUser;
use super::json::JsonObject;
use crate::models::api_tokens;
use crate::use_cases::accounts;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::limits::login_attempt;
use crate::web::state::AppState;

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Unknown email and wrong password give the same 401 `invalid_credentials`.
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    JsonObject(body): JsonObject<Credentials>,
) -> Result<HttpResponse, AppError> {
    let attempt = login_attempt(&state, &req, &body.email)?;
    let Credentials { email, password } = body;
    let now = state.clock.now();
    let token = db::run(&state, move |conn| {
        let Some(user) = accounts::authenticate(conn, &email, &password)? else {
            return Ok(None);
        };
        Ok(Some(api_tokens::create(conn, user.user_id(), now)?))
    })
    .await?
    .ok_or(AppError::User(ErrorCode::InvalidCredentials))?;
    attempt.succeeded();
    Ok(HttpResponse::Created().json(serde_json::json!({ "token": token.reveal() })))
}

/// Revokes the token that authenticates this request.
pub async fn revoke_current(
    state: web::Data<AppState>,
    user: ApiUser,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let digest = user.token.0.clone();
    user.run(&state, move |conn, _| {
        Ok(api_tokens::revoke_digest(conn, &digest, now)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
