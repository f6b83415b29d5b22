//! `/t/{id}/badge.svg`: the Obole button as an SVG image, "Tip with Obole" and the month's
//! click count, served from an in-process cache so the hot path never touches the database.
//! An entry is at most `FRESH` old; this process's own clicks invalidate it at once, other
//! processes' show within `FRESH`.
//!
//! The badge speaks the thing's language (French things French, the others English) unless
//! `?lang=fr|en` says otherwise, and comes in two themes (`?theme=dark`); any other value of
//! either falls back to the default, never to an error. Each of the four is drawn once per
//! entry, on its first request, with its ETag: a request that hits the cache formats nothing.

mod draw;
mod text_width;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use actix_web::http::header::{self, EntityTag, Header as _, HeaderValue, IfNoneMatch};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};

use super::db;
use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::domain::{Locale, Month, ThingId};
use crate::i18n;
use crate::use_cases::things;
pub use draw::{HEIGHT, Theme};

const FRESH: Duration = Duration::from_secs(5);
/// Bound memory under a spray of ids or variants: the cache is simply emptied when it holds
/// this many things, or when this many bytes of SVG were drawn since it was last emptied (a
/// drawing is about a kilobyte, so a few tens of thousands of them). The count is checked when
/// a thing is cached, so the other three variants of cached things can still be drawn: at
/// worst about four times this budget, bounded all the same.
const MAX_ENTRIES: usize = 100_000;
const MAX_DRAWN_BYTES: usize = 32 << 20;
/// Changes whenever the picture does, so that no browser keeps an old design on a 304.
const DESIGN: &str = "b2";

#[derive(Clone)]
struct Entry {
    /// `None`: no such public thing (cached too, so probing ids costs no queries).
    badge: Option<Arc<Badge>>,
    month: Month,
    fetched: Instant,
}

struct Badge {
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
            cache
                .drawn_bytes
                .fetch_add(drawn.body.len(), Ordering::Relaxed);
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

#[derive(Default)]
pub struct BadgeCache {
    entries: RwLock<HashMap<i64, Entry>>,
    /// Bytes of SVG drawn since the cache was last emptied: at least what it holds (entries
    /// replaced since are counted still, which only empties it a little early).
    drawn_bytes: AtomicUsize,
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
            if entries.len() >= MAX_ENTRIES
                || self.drawn_bytes.load(Ordering::Relaxed) >= MAX_DRAWN_BYTES
            {
                entries.clear();
                self.drawn_bytes.store(0, Ordering::Relaxed);
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
mod tests {
    use super::*;

    fn month() -> Month {
        Month::containing(chrono::Utc::now())
    }

    #[test]
    fn the_query_chooses_the_language_and_the_theme_and_nonsense_falls_back() {
        assert_eq!(look(""), (None, Theme::Light));
        assert_eq!(look("lang=fr&theme=dark"), (Some(Locale::Fr), Theme::Dark));
        assert_eq!(
            look("theme=dark&lang=en&_=1712345"),
            (Some(Locale::En), Theme::Dark)
        );
        for odd in [
            "lang=de",
            "lang=",
            "lang=%3Cscript%3E",
            "lang",
            "theme=<b>",
            "=&&=",
        ] {
            assert_eq!(look(odd), (None, Theme::Light), "{odd}");
        }
    }

    #[test]
    fn french_things_speak_french_and_the_others_english() {
        assert_eq!(
            Badge::new(1, month(), 0, "t".into(), "fr").locale,
            Locale::Fr
        );
        for other in ["en", "de", "mul", "other", "??"] {
            assert_eq!(
                Badge::new(1, month(), 0, "t".into(), other).locale,
                Locale::En,
                "{other}"
            );
        }
    }

    #[test]
    fn the_accessible_name_says_the_title_and_the_count_in_the_badges_language() {
        let badge = Badge::new(1, month(), 3, "Mon carnet".into(), "fr");
        assert_eq!(
            badge.name(Locale::Fr),
            "Soutenir avec Obole\u{a0}: Mon carnet, 3 soutiens ce mois-ci"
        );
        assert_eq!(
            badge.name(Locale::En),
            "Tip with Obole: Mon carnet, 3 tips this month"
        );
        assert_eq!(label(Locale::Fr), "Soutenir avec Obole");
        assert_eq!(label(Locale::En), "Tip with Obole");
    }

    #[test]
    fn each_variant_is_drawn_once_with_its_own_etag_and_counted_against_the_budget() {
        let cache = BadgeCache::default();
        let badge = Badge::new(7, month(), 2, "Carnet".into(), "fr");
        let first = badge.drawn(Locale::Fr, Theme::Light, &cache);
        let again = badge.drawn(Locale::Fr, Theme::Light, &cache);
        assert!(std::ptr::eq(first, again), "drawn once");
        assert_eq!(cache.drawn_bytes.load(Ordering::Relaxed), first.body.len());
        let mut tags = Vec::new();
        for locale in Locale::ALL {
            for theme in [Theme::Light, Theme::Dark] {
                let drawn = badge.drawn(locale, theme, &cache);
                assert_eq!(
                    drawn.etag_header.to_str().ok(),
                    Some(drawn.etag.to_string().as_str())
                );
                tags.push(drawn.etag.to_string());
            }
        }
        tags.sort_unstable();
        tags.dedup();
        assert_eq!(tags.len(), 4, "{tags:?}");

        // Over the budget, the next entry empties the cache first.
        cache.drawn_bytes.store(MAX_DRAWN_BYTES, Ordering::Relaxed);
        let entry = |badge| Entry {
            badge,
            month: month(),
            fetched: Instant::now(),
        };
        cache.put(1, entry(None));
        cache.put(2, entry(None));
        assert!(cache.get(1, month()).is_some());
        cache.drawn_bytes.store(MAX_DRAWN_BYTES, Ordering::Relaxed);
        cache.put(3, entry(None));
        assert!(cache.get(1, month()).is_none() && cache.get(3, month()).is_some());
        assert_eq!(cache.drawn_bytes.load(Ordering::Relaxed), 0);
    }
}
