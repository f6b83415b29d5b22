//! `/t/{id}/badge.svg`: the Obole button as an SVG image, "Tip with Obole" and the month's
//! click count, served from an in-process cache so the hot path never touches the database.
//! An entry is at most `FRESH` old; this process's own clicks invalidate it at once, other
//! processes' show within `FRESH`.
//!
//! The badge speaks the thing's language (French things French, the others English) unless
//! `?lang=fr|en` says otherwise, and comes in two themes (`?theme=dark`); any other value of
//! either falls back to the default, never to an error.

mod draw;
mod text_width;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use actix_web::http::header::{self, EntityTag, Header as _, IfNoneMatch};
use actix_web::{HttpRequest, HttpResponse, web};

use super::db;
use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::domain::thing::ContentLanguage;
use crate::domain::{Locale, Month, ThingId};
use crate::{i18n, things};
pub use draw::{HEIGHT, Theme};

const FRESH: Duration = Duration::from_secs(5);
/// Bounds memory under a spray of ids; the cache is simply emptied when full.
const MAX_ENTRIES: usize = 100_000;
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
    clicks: i64,
    title: String,
    /// The badge's language when the request names none.
    locale: Locale,
    /// Part of the ETag: an edited title changes the accessible name, not the count.
    title_hash: u64,
    /// The accessible name in each language, made on first use (Fluent is not free).
    names: [OnceLock<String>; 2],
}

impl Badge {
    fn new(clicks: i64, title: String, language: &str) -> Badge {
        let locale = thing_locale(language);
        let mut hasher = DefaultHasher::new();
        title.hash(&mut hasher);
        Badge {
            clicks,
            title,
            locale,
            title_hash: hasher.finish(),
            names: Default::default(),
        }
    }

    fn name(&self, locale: Locale) -> &str {
        self.names[slot(locale)].get_or_init(|| {
            let mut args = i18n::Args::new();
            args.insert("title".into(), self.title.clone().into());
            args.insert("count".into(), self.clicks.into());
            i18n::lookup(locale, "button-badge-name", Some(&args))
                .unwrap_or_else(|| self.title.clone())
        })
    }
}

/// The language of a thing's badge and button: French things French, the others English
/// (the two languages Obole speaks).
pub fn thing_locale(language: &str) -> Locale {
    match ContentLanguage::parse(language) {
        Some(ContentLanguage::French) => Locale::Fr,
        _ => Locale::En,
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
    let id = super::api::things::parse_id(&path)?;
    let month = Month::containing(state.clock.now());
    let entry = match state.badges.get(id.0, month) {
        Some(entry) => entry,
        None => {
            let found = db::run(&state, move |conn| {
                match things::public_with_clicks(conn, id, month) {
                    Ok((thing, clicks)) => Ok(Some(Arc::new(Badge::new(
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
    let locale = asked.unwrap_or(badge.locale);
    let etag = EntityTag::new_weak(format!(
        "{DESIGN}-{}-{month}-{}-{locale}-{}-{:x}",
        id.0,
        badge.clicks,
        theme.code(),
        badge.title_hash
    ));
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
    let svg = draw::svg(&draw::Face {
        label: label(locale),
        clicks: badge.clicks,
        name: badge.name(locale),
        theme,
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header(header::ETag(etag))
        .insert_header(cache)
        .body(svg))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(Badge::new(0, "t".into(), "fr").locale, Locale::Fr);
        for other in ["en", "de", "mul", "other", "??"] {
            assert_eq!(
                Badge::new(0, "t".into(), other).locale,
                Locale::En,
                "{other}"
            );
        }
    }

    #[test]
    fn the_accessible_name_says_the_title_and_the_count_in_the_badges_language() {
        let badge = Badge::new(3, "Mon carnet".into(), "fr");
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
}
