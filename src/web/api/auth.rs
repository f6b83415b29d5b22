//! `Authorization: Bearer <token>` authentication for the API.
//!
//! A token stops working the moment it is revoked (a password reset, "log out everywhere"),
//! in every process. Checking it costs one indexed query, so it is made in the database hop
//! the request makes anyway: `ApiUser::run` checks the token, then does the handler's work,
//! on one connection of the blocking pool; a click checks it in the write that records it
//! (`web::db::click`). Whose token is whose is remembered (`web::token_cache`): it never
//! changes, and a cached answer decides nothing on its own.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::db::DbConnection;
use crate::domain::UserId;
use crate::models::api_tokens;
use crate::models::users::UserRow;
use crate::security::tokens;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::state::AppState;
use crate::web::token_cache::TokenDigest;

/// A request that presented the bearer token of an account. Who that is comes first from
/// memory; only `run` (or a click's write) proves the token still live.
pub struct ApiUser {
    owner: UserId,
    /// The token's digest, as stored.
    pub token: TokenDigest,
}

impl ApiUser {
    /// The account the token belongs to, not yet proven live: for rate-limit keys and for a
    /// click, which checks the token in its own write. Anything else goes through `run`.
    pub fn claimed(&self) -> UserId {
        self.owner
    }

    /// Runs `work` for the token's account on a pooled connection, once the token is proven
    /// live in the same database hop (401 otherwise); `work` gets the account as it is now.
    pub async fn run<T, F>(&self, state: &web::Data<AppState>, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, UserRow) -> Result<T, AppError> + Send + 'static,
    {
        let (owner, token) = (self.owner, self.token.clone());
        db::run(state, move |conn| {
            let user = api_tokens::find_user_by_digest(conn, &token.0)?
                .filter(|user| user.user_id() == owner)
                .ok_or(AppError::User(ErrorCode::Unauthorized))?;
            work(conn, user)
        })
        .await
    }
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
            if let Some(owner) = state.token_owners.get(&digest) {
                return Ok(ApiUser {
                    owner,
                    token: TokenDigest(digest),
                });
            }
            let looked_up = digest.clone();
            let owner = db::run(&state, move |conn| {
                Ok(api_tokens::owner_of(conn, &looked_up)?)
            })
            .await?
            .ok_or(AppError::User(ErrorCode::Unauthorized))?;
            state.token_owners.put(digest.clone(), owner);
            Ok(ApiUser {
                owner,
                token: TokenDigest(digest),
            })
        })
    }
}
