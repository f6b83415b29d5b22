//! `/t/{id}/badge.svg`: the month's click count as a small SVG, served from an in-process
//! cache so the hot path never touches the database. An entry is at most `FRESH` old; this
//! process's own clicks invalidate it at once, other processes' show within `FRESH`.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use actix_web::http::header::{self, EntityTag, Header as _, IfNoneMatch};
use actix_web::{HttpRequest, HttpResponse, web};

use super::db;
use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::domain::{Month, ThingId};
use crate::things;

const FRESH: Duration = Duration::from_secs(5);
/// Bounds memory under a spray of ids; the cache is simply emptied when full.
const MAX_ENTRIES: usize = 100_000;

#[derive(Clone)]
struct Entry {
    /// `None`: no such public thing (cached too, so probing ids costs no queries).
    badge: Option<Badge>,
    month: Month,
    fetched: Instant,
}

#[derive(Clone)]
struct Badge {
    clicks: i64,
    title: String,
}

#[derive(Default)]
pub struct BadgeCache {
    entries: RwLock<HashMap<i64, Entry>>,
}

impl BadgeCache {
    fn get(&self, id: i64, month: Month) -> Option<Entry> {
        let entries = self.entries.read().ok()?;
        entries
            .get(&id)
            .filter(|e| e.month == month && e.fetched.elapsed() < FRESH)
            .cloned()
    }

    fn put(&self, id: i64, entry: Entry) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(id, entry);
        }
    }

    /// Forgets a thing's badge (after a click, an undo, an edit).
    pub fn invalidate(&self, id: ThingId) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(&id.0);
        }
    }
}

pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = super::api::things::parse_id(&path)?;
    let month = Month::containing(state.clock.now());
    let entry = match state.badges.get(id.0, month) {
        Some(entry) => entry,
        None => {
            let found = db::run(&state, move |conn| {
                match things::public_with_clicks(conn, id, month) {
                    Ok((thing, clicks)) => Ok(Some(Badge {
                        clicks,
                        title: thing.title,
                    })),
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
    let etag = EntityTag::new_weak(format!("{}-{month}-{}", id.0, badge.clicks));
    // Cacheable, but revalidated on every view: a reader who just tipped sees the new count,
    // and an unchanged badge costs a 304 answered from memory.
    let cache = (header::CACHE_CONTROL, "public, no-cache");
    if let Ok(IfNoneMatch::Items(tags)) = IfNoneMatch::parse(&req)
        && tags.iter().any(|tag| tag.weak_eq(&etag))
    {
        return Ok(HttpResponse::NotModified()
            .insert_header(header::ETag(etag))
            .insert_header(cache)
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header(header::ETag(etag))
        .insert_header(cache)
        .body(svg(badge.clicks, &badge.title)))
}

/// Escapes text for XML content.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A 20-pixel-high badge: "Obole" on the left, the count on the right. Widths come from a
/// rough 7 px per character, which is what badge services do too.
fn svg(clicks: i64, title: &str) -> String {
    let count = clicks.to_string();
    let left: usize = 52;
    let right = 14 + 7 * count.len();
    let width = left + right;
    let label = escape(&format!("Obole: {title} ({count})"));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{label}"><title>{label}</title><rect width="{width}" height="20" rx="4" fill="#0b5cad"/><rect x="{left}" width="{right}" height="20" rx="4" fill="#1d2433"/><rect x="{left}" width="4" height="20" fill="#1d2433"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="8" y="14">Obole</text><text x="{tx}" y="14" text-anchor="middle">{count}</text></g></svg>"##,
        tx = left + right / 2
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_escaped_in_the_badge() {
        let badge = svg(3, "<script>alert('x')</script> & co");
        assert!(!badge.contains("<script>"));
        assert!(badge.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; co (3)"));
        assert!(badge.contains(">3</text>"));
    }
}
