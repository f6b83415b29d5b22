//! One thing's badge: its count, title and language read once, and each of its four variants
//! (two languages, two themes) drawn on first use with its ETag.

use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::sync::OnceLock;

use actix_web::http::header::{EntityTag, HeaderValue};
use actix_web::web::Bytes;

use super::draw::{self, Theme};
use crate::domain::{Locale, Month};
use crate::i18n;

/// Changes whenever the picture does, so that no browser keeps an old design on a 304.
const DESIGN: &str = "b2";

pub(crate) struct Badge {
    id: i64,
    month: Month,
    clicks: i64,
    title: String,
    /// The badge's language when the request names none.
    pub(super) locale: Locale,
    /// Part of the ETag: an edited title changes the accessible name, not the count.
    title_hash: u64,
    /// Each language and theme, drawn on first use.
    drawn: [OnceLock<Drawn>; 4],
}

/// One variant, ready to send: cloning either is a reference count, not a copy.
pub(super) struct Drawn {
    pub(super) etag: EntityTag,
    pub(super) etag_header: HeaderValue,
    pub(super) body: Bytes,
}

impl Badge {
    pub(super) fn new(id: i64, month: Month, clicks: i64, title: String, language: &str) -> Badge {
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

    /// The variant in `locale` and `theme`, drawn (and its size told to `on_draw`) the first
    /// time.
    pub(super) fn drawn(
        &self,
        locale: Locale,
        theme: Theme,
        on_draw: impl FnOnce(usize),
    ) -> &Drawn {
        let theme_slot = match theme {
            Theme::Light => 0,
            Theme::Dark => 1,
        };
        self.drawn[slot(locale) * 2 + theme_slot].get_or_init(|| {
            let drawn = self.draw(locale, theme);
            on_draw(drawn.body.len());
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

    pub(super) fn name(&self, locale: Locale) -> String {
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
