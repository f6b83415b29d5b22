//! Which language a request is answered in, and the language switcher.
//!
//! Order: the `obole_lang` cookie (the visitor's explicit choice, also set at log-in from the
//! account's language), then `Accept-Language`, then English.

use std::future::{Ready, ready};

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::http::header::{self, AcceptLanguage, Header as _, Preference};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::error::{AppError, ErrorCode};
use super::session::SessionUser;
use super::state::AppState;
use crate::domain::Locale;
use crate::models::users;

pub const LANG_COOKIE: &str = "obole_lang";

pub fn request_locale(req: &HttpRequest) -> Locale {
    if let Some(locale) = req
        .cookie(LANG_COOKIE)
        .and_then(|c| Locale::parse(c.value()))
    {
        return locale;
    }
    if let Ok(accept) = AcceptLanguage::parse(req) {
        for preference in accept.ranked() {
            if let Preference::Specific(tag) = preference
                && let Some(locale) = Locale::parse(tag.primary_language())
            {
                return locale;
            }
        }
    }
    Locale::default()
}

impl FromRequest for Locale {
    type Error = actix_web::Error;
    type Future = Ready<Result<Locale, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(request_locale(req)))
    }
}

/// A cookie that remembers the language for a year.
pub fn language_cookie(locale: Locale, secure: bool) -> Cookie<'static> {
    Cookie::build(LANG_COOKIE, locale.code())
        .path("/")
        .max_age(CookieDuration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(secure)
        .finish()
}

/// A redirect target from a query string: a path on this site, never another origin.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains(['\\', '\r', '\n'])
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// `GET /lang/{code}?next=/path`: a plain link, so it works without JavaScript. It only sets
/// a preference cookie (and the account's language), so it needs no CSRF token.
pub async fn switch(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<SwitchQuery>,
    user: Option<SessionUser>,
) -> Result<HttpResponse, AppError> {
    let locale = Locale::parse(&code).ok_or(AppError::User(ErrorCode::NotFound))?;
    if let Some(user) = user {
        let id = user.id();
        super::db::run(&state, move |conn| Ok(users::set_locale(conn, id, locale)?)).await?;
    }
    Ok(HttpResponse::SeeOther()
        .cookie(language_cookie(locale, state.settings.is_https()))
        .insert_header((header::LOCATION, safe_next(query.next.as_deref())))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn cookie_beats_accept_language_which_beats_the_default() {
        let req = TestRequest::default()
            .insert_header(("Accept-Language", "de, fr;q=0.8, en;q=0.5"))
            .to_http_request();
        assert_eq!(request_locale(&req), Locale::Fr);
        let req = TestRequest::default()
            .insert_header(("Accept-Language", "fr"))
            .cookie(Cookie::new(LANG_COOKIE, "en"))
            .to_http_request();
        assert_eq!(request_locale(&req), Locale::En);
        let req = TestRequest::default()
            .insert_header(("Accept-Language", "de"))
            .to_http_request();
        assert_eq!(request_locale(&req), Locale::En);
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/t/1?x=2")), "/t/1?x=2");
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "evil",
            "/a\r\nSet-Cookie: x",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
