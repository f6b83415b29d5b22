//! The end of every way of logging in (password, provider, mailed link): the session, and the
//! account's language made the browser's.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::models::users::UserRow;
use crate::web::error::AppError;
use crate::web::locale::language_cookie;
use crate::web::page::Page;
use crate::web::session::log_in;

/// Logs `user` in and sends the browser to `next` (a path already checked as safe).
pub fn finish_log_in(page: &Page, user: &UserRow, next: &str) -> Result<HttpResponse, AppError> {
    log_in(&page.session, user)?;
    let mut response = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, next))
        .finish();
    // The account's language becomes the browser's, so pages and emails agree.
    let cookie = language_cookie(user.locale(), page.state.settings.is_https());
    response
        .add_cookie(&cookie)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(response)
}
