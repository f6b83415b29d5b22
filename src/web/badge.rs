//! `/t/{id}/badge.svg`: the Obole button as an SVG image, "Tip with Obole" and the month's
//! click count, served from an in-process cache so the hot path never touches the database.
//! An entry is at most `FRESH` old; this process's own clicks invalidate it at once, other
//! processes' show within `FRESH`.
//!
//! The badge speaks the thing's language (French things French, the others English) unless
//! `?lang=fr|en` says otherwise, and comes in two themes (`?theme=dark`); any other value of
//! either falls back to the default, never to an error. Each of the four is drawn once per
//! entry, on its first request, with its ETag: a request that hits the cache formats nothing.

mod cache;
mod draw;
mod text_width;

use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use actix_web::http::header::{self, EntityTag, Header as _, HeaderValue, IfNoneMatch};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};

use super::db;
use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::domain::{Locale, Month};
use crate::i18n;
use crate::use_cases::things;
pub use cache::BadgeCache;
use cache::Entry;
pub use draw::{HEIGHT, Theme};

/// Changes whenever the picture does, so that no browser keeps an old design on a 304.
const DESIGN: &str = "b2";

pub(super) struct Badge {
    id: i64,
    month: Month,
    clicks: i64,
    title: String,
    /// The badge's language when the request names none.
    locale: Locale,
    /// Part of the ETag: an edited title changes the accessible name, not the count.
    title_hash: u64,
    /// Each language and theme, drawn on first use.
    drawn: [OnceLock<Drawn>; 4],
}

/// One variant, ready to send: cloning either is a reference count, not a copy.
struct Drawn {
    etag: EntityTag,
    etag_header: HeaderValue,
    body: Bytes,
}

impl Badge {
    fn new(id: i64, month: Month, clicks: i64, title: String, language: &str) -> Badge {
        let mut hasher = DefaultHasher::new();
        title.hash(&mut hasher);
        Badge {
            id,
            month,
            clicks,
            locale: Locale::of_content(language),
            title,
            title_hash: hasher.finish(),
            drawn: Default::default(),
        }
    }

    /// The variant in `locale` and `theme`, drawn (and counted in `cache`) the first time.
    fn drawn(&self, locale: Locale, theme: Theme, cache: &BadgeCache) -> &Drawn {
        let theme_slot = match theme {
            Theme::Light => 0,
            Theme::Dark => 1,
        };
        self.drawn[slot(locale) * 2 + theme_slot].get_or_init(|| {
            let drawn = self.draw(locale, theme);
            cache.count_drawn(drawn.body.len());
            drawn
        })
    }

    fn draw(&self, locale: Locale, theme: Theme) -> Drawn {
        let etag = EntityTag::new_weak(format!(
            "{DESIGN}-{}-{}-{}-{locale}-{}-{:x}",
            self.id,
            self.month,
            self.clicks,
            theme.code(),
            self.title_hash
        ));
        // An ETag is ASCII by construction (numbers, codes, hex): the fallback never runs.
        let etag_header = HeaderValue::from_str(&etag.to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("W/\"\""));
        let svg = draw::svg(&draw::Face {
            label: label(locale),
            clicks: self.clicks,
            name: &self.name(locale),
            theme,
        });
        Drawn {
            etag,
            etag_header,
            body: Bytes::from(svg),
        }
    }

    fn name(&self, locale: Locale) -> String {
        let mut args = i18n::Args::new();
        args.insert("title".into(), self.title.clone().into());
        args.insert("count".into(), self.clicks.into());
        i18n::lookup(locale, "button-badge-name", Some(&args)).unwrap_or_else(|| self.title.clone())
    }
}

fn slot(locale: Locale) -> usize {
    match locale {
        Locale::En => 0,
        Locale::Fr => 1,
    }
}

/// "Tip with Obole" in `locale`, looked up once per process: it is on every badge.
pub fn label(locale: Locale) -> &'static str {
    static LABELS: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    LABELS[slot(locale)].get_or_init(|| i18n::text(locale, "button-label"))
}

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
    let month = Month::containing(state.clock.now());
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
    let drawn = badge.drawn(asked.unwrap_or(badge.locale), theme, &state.badges);
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
