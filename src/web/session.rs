//! The signed-in user and the CSRF token, kept in the private (encrypted) session cookie.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt as _};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::domain::UserId;
use crate::models::users::{self, UserRow};
use crate::security::csrf;

const USER_KEY: &str = "user_id";
const EPOCH_KEY: &str = "epoch";
const CSRF_KEY: &str = "csrf";

/// A user signed in through the session cookie, checked against the database on every
/// request: a deleted account or a "log out everywhere" ends the session at once. As an
/// `Option<SessionUser>` extractor it never fails; as a plain one it answers 401.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: UserRow,
}

impl SessionUser {
    pub fn id(&self) -> UserId {
        self.user.user_id()
    }
}

impl FromRequest for SessionUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<SessionUser, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let unauthorized = AppError::User(ErrorCode::Unauthorized);
            let Some(id) = session.get::<i64>(USER_KEY).ok().flatten() else {
                return Err(unauthorized);
            };
            let epoch = session.get::<i64>(EPOCH_KEY).ok().flatten().unwrap_or(-1);
            let state = state
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))?;
            let row =
                super::db::run(&state, move |conn| Ok(users::find(conn, UserId(id))?)).await?;
            match row {
                Some(user) if user.session_epoch == epoch => Ok(SessionUser { user }),
                _ => {
                    session.purge();
                    Err(unauthorized)
                }
            }
        })
    }
}

/// Signs `user` in. The session is renewed first so that a session id planted before log-in
/// (session fixation) is worthless, and the CSRF token changes with it.
pub fn log_in(session: &Session, user: &UserRow) -> Result<(), AppError> {
    session.renew();
    insert(session, USER_KEY, user.id)?;
    insert(session, EPOCH_KEY, user.session_epoch)?;
    insert(session, CSRF_KEY, csrf::new_token())
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
    insert(session, CSRF_KEY, &token)?;
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

fn insert(session: &Session, key: &str, value: impl serde::Serialize) -> Result<(), AppError> {
    session
        .insert(key, value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the session: {e}")))
}
