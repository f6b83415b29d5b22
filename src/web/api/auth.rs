//! `Authorization: Bearer <token>` authentication for the API.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::models::{api_tokens, users::UserRow};
use crate::security::tokens;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::state::AppState;

/// The account behind a valid, unrevoked bearer token, and the token itself.
pub struct ApiUser {
    pub user: UserRow,
    pub token: String,
}

pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiUser, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.ok_or(AppError::User(ErrorCode::Unauthorized))?;
            let state = state
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))?;
            let digest = tokens::digest(&token);
            if let Some(user) = state.tokens.get(&digest) {
                return Ok(ApiUser { user, token });
            }
            let presented = token.clone();
            let user = db::run(&state, move |conn| {
                Ok(api_tokens::find_user(conn, &presented)?)
            })
            .await?;
            let user = user.ok_or(AppError::User(ErrorCode::Unauthorized))?;
            state.tokens.put(digest, user.clone());
            Ok(ApiUser { user, token })
        })
    }
}
