//! What a sign-in through a provider keeps in the session between requests (the encrypted
//! cookie): the attempt sent to the provider, an identity waiting for its account, for an
//! address, or for a mailed code; and the small helpers every step of the flow shares.

use actix_web::HttpResponse;
use actix_web::http::header;
use serde::{Deserialize, Serialize};

use crate::config::OAuthProvider;
use crate::use_cases::oauth::OauthError;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;

pub(super) const PENDING: &str = "oauth_pending";
pub(super) const AWAITING_LINK: &str = "oauth_awaiting_link";
pub(super) const AWAITING_EMAIL: &str = "oauth_awaiting_email";
pub const FLASH_SETTINGS: &str = "flash_settings";
/// How long a started sign-in, or an identity waiting for its account, stays usable.
pub(super) const ATTEMPT_SECONDS: i64 = 15 * 60;

/// A sign-in sent to the provider, waiting for its callback.
#[derive(Serialize, Deserialize)]
pub(super) struct Pending {
    pub(super) provider: String,
    pub(super) state: String,
    pub(super) verifier: String,
    /// Linking to this signed-in account rather than signing in.
    pub(super) link_for: Option<i64>,
    pub(super) next: Option<String>,
    pub(super) started: i64,
}

/// A provider identity whose email an existing account has: linked once its owner logs in.
#[derive(Serialize, Deserialize)]
pub struct AwaitingLink {
    pub provider: String,
    pub(super) subject: String,
    pub email: String,
    pub(super) user_id: i64,
    pub(super) started: i64,
}

/// A provider identity without a usable email: the person types one.
#[derive(Serialize, Deserialize)]
pub(super) struct AwaitingEmail {
    pub(super) provider: String,
    pub(super) subject: String,
    pub(super) name: Option<String>,
    pub(super) started: i64,
}

pub(super) fn configured<'a>(page: &'a Page, name: &str) -> Result<&'a OAuthProvider, AppError> {
    page.state
        .settings
        .oauth_providers
        .iter()
        .find(|p| p.name == name)
        .ok_or(AppError::User(ErrorCode::OauthProviderUnknown))
}

pub(super) fn put(page: &Page, key: &str, value: impl Serialize) -> Result<(), AppError> {
    page.session
        .insert(key, value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the session: {e}")))
}

pub(super) fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

pub(super) fn fresh(page: &Page, started: i64) -> bool {
    page.state.clock.now().timestamp() - started <= ATTEMPT_SECONDS
}

pub const AWAITING_CODE: &str = "oauth_awaiting_code";

/// A sign-up waiting for the code mailed to `email`.
#[derive(Serialize, Deserialize)]
pub struct AwaitingCode {
    pub signup: i64,
    pub provider: String,
    pub subject: String,
    pub email: String,
    pub started: i64,
}

/// User-facing refusals as codes; a database failure stays an error.
pub(crate) fn code_of(e: OauthError) -> Result<ErrorCode, AppError> {
    match e {
        OauthError::IdentityTaken => Ok(ErrorCode::OauthIdentityTaken),
        OauthError::LastLogInMethod => Ok(ErrorCode::LastLogInMethod),
        OauthError::AddressNotVerified => Ok(ErrorCode::EmailNotVerified),
        OauthError::TooManyCodes => Ok(ErrorCode::RateLimited),
        OauthError::WrongCode { .. } => Ok(ErrorCode::InvalidCode),
        OauthError::SignUpOver => Ok(ErrorCode::SignUpOver),
        OauthError::Database(e) => Err(e.into()),
    }
}

/// The identity waiting to be linked, for the log-in page's explanation.
pub fn awaiting_link(page: &Page) -> Option<AwaitingLink> {
    page.session
        .get::<AwaitingLink>(AWAITING_LINK)
        .ok()
        .flatten()
        .filter(|a| fresh(page, a.started))
}
