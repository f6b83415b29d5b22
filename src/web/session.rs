//! The signed-in user and the CSRF token, kept in the private (encrypted) session cookie.

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt as _};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::error::{AppError, ErrorCode};
use crate::domain::UserId;
use crate::security::csrf;

const USER_KEY: &str = "user_id";
const CSRF_KEY: &str = "csrf";

/// A user signed in through the session cookie. As an `Option<SessionUser>` extractor it
/// never fails; as a plain one it answers 401.
#[derive(Debug, Clone, Copy)]
pub struct SessionUser {
    pub id: UserId,
}

impl FromRequest for SessionUser {
    type Error = AppError;
    type Future = Ready<Result<SessionUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let user = session
            .get::<i64>(USER_KEY)
            .ok()
            .flatten()
            .map(|id| SessionUser { id: UserId(id) });
        ready(user.ok_or(AppError::User(ErrorCode::Unauthorized)))
    }
}

/// Signs `user` in. The session is renewed first so that a session id planted before log-in
/// (session fixation) is worthless, and the CSRF token changes with it.
pub fn log_in(session: &Session, user: UserId) -> Result<(), AppError> {
    session.renew();
    session
        .insert(USER_KEY, user.0)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    session
        .insert(CSRF_KEY, csrf::new_token())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(())
}

pub fn log_out(session: &Session) {
    session.purge();
}

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Ok(Some(token)) = session.get::<String>(CSRF_KEY) {
        return Ok(token);
    }
    let token = csrf::new_token();
    session
        .insert(CSRF_KEY, &token)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(token)
}

/// Refuses a state-changing request whose form token does not match the session's (403).
pub fn check_csrf(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    let expected = session.get::<String>(CSRF_KEY).ok().flatten();
    if csrf::matches(expected.as_deref(), submitted) {
        Ok(())
    } else {
        Err(AppError::User(ErrorCode::CsrfFailed))
    }
}
