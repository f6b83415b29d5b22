//! `/t/{id}/badge.svg`: the Obole button as an SVG image, "Tip with Obole" and the month's
//! click count, served from an in-process cache so the hot path never touches the database.
//! An entry is at most `FRESH` old; this process's own clicks invalidate it at once, other
//! processes' show within `FRESH`.
//!
//! The badge speaks the thing's language (French things French, the others English) unless
//! `?lang=fr|en` says otherwise, and comes in two themes (`?theme=dark`); any other value of
//! either falls back to the default, never to an error. Each of the four is drawn once per
//! entry, on its first request, with its ETag: a request that hits the cache formats nothing.

pub mod cache;
mod draw;
mod text_width;
mod thing_badge;

use std::sync::Arc;
use std::time::Instant;

use actix_web::http::header::{self, Header as _, IfNoneMatch};
use actix_web::{HttpRequest, HttpResponse, web};

use super::db;
use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::domain::Locale;
use crate::use_cases::things;
pub use cache::BadgeCache;
use cache::Entry;
pub use draw::{HEIGHT, Theme};
use thing_badge::Badge;
pub use thing_badge::label;

/// What the query string asks for: a language (if it names one the badge speaks) and a
/// theme. Read by hand: this is the hot path, and unknown parameters (such as the `_=` that
/// `embed.js` adds to refresh a badge) are ignored.
fn look(query: &str) -> (Option<Locale>, Theme) {
    let mut locale = None;
    let mut theme = Theme::Light;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("lang", value)) => locale = Locale::parse(value),
            Some(("theme", value)) => theme = Theme::parse(value),
            _ => {}
        }
    }
    (locale, theme)
}

pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = super::params::parse_id(&path)?;
    let month = state.clock.month();
    let entry = match state.badges.get(id.0, month) {
        Some(entry) => entry,
        None => {
            let found = db::run(&state, move |conn| {
                match things::public_with_clicks(conn, id, month) {
                    Ok((thing, clicks)) => Ok(Some(Arc::new(Badge::new(
                        id.0,
                        month,
                        clicks,
                        thing.title,
                        &thing.language,
                    )))),
                    Err(things::ThingError::NotFound) => Ok(None),
                    Err(other) => Err(other.into()),
                }
            })
            .await?;
            let entry = Entry {
                badge: found,
                month,
                fetched: Instant::now(),
            };
            state.badges.put(id.0, entry.clone());
            entry
        }
    };
    let badge = entry.badge.ok_or(AppError::User(ErrorCode::NotFound))?;
    let (asked, theme) = look(req.query_string());
    let drawn = badge.drawn(asked.unwrap_or(badge.locale), theme, |bytes| {
        state.badges.count_drawn(bytes)
    });
    // Cacheable, but revalidated on every view: a reader who just tipped sees the new count,
    // and an unchanged badge costs a 304 answered from memory.
    let cache = (header::CACHE_CONTROL, "public, no-cache");
    if let Ok(IfNoneMatch::Items(tags)) = IfNoneMatch::parse(&req)
        && tags.iter().any(|tag| tag.weak_eq(&drawn.etag))
    {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, drawn.etag_header.clone()))
            .insert_header(cache)
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header((header::ETAG, drawn.etag_header.clone()))
        .insert_header(cache)
        .body(drawn.body.clone()))
}

#[cfg(test)]
mod tests;
