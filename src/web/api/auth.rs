//! `Authorization: Bearer <token>` authentication for the API.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::domain::UserId;
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
            // Checked in the database on every request, never cached: a revoked token (a
            // password reset, "log out everywhere", a deleted account) stops working at once,
            // in every process.
            let presented = token.clone();
            let user = db::run(&state, move |conn| {
                Ok(api_tokens::find_user(conn, &presented)?)
            })
            .await?;
            let user = user.ok_or(AppError::User(ErrorCode::Unauthorized))?;
            Ok(ApiUser { user, token })
        })
    }
}

/// The reader behind a bearer token, for a click or its undo: the owner comes from memory
/// when known (`web::token_cache`), and the write itself checks that the token is still live
/// (`web::db::click`), so that the hot path makes no query of its own first.
pub struct ApiClicker {
    pub reader: UserId,
    /// The token's digest, which the write checks.
    pub token: TokenDigest,
}

impl FromRequest for ApiClicker {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiClicker, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.ok_or(AppError::User(ErrorCode::Unauthorized))?;
            let state = state
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))?;
            let digest = tokens::digest(&token);
            if let Some(reader) = state.token_owners.get(&digest) {
                return Ok(ApiClicker {
                    reader,
                    token: TokenDigest(digest),
                });
            }
            let looked_up = digest.clone();
            let reader = db::run(&state, move |conn| {
                Ok(api_tokens::owner_of(conn, &looked_up)?)
            })
            .await?
            .ok_or(AppError::User(ErrorCode::Unauthorized))?;
            state.token_owners.put(digest.clone(), reader);
            Ok(ApiClicker {
                reader,
                token: TokenDigest(digest),
            })
        })
    }
}

/// The SHA-256 of a presented API token, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDigest(pub String);
