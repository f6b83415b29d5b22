use std::sync::atomic::Ordering;

use super::cache::MAX_DRAWN_BYTES;
use super::*;
use crate::domain::{Month, Zone};

fn month() -> Month {
    Month::containing(chrono::Utc::now(), Zone::UTC)
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
    let first = badge.drawn(Locale::Fr, Theme::Light, |bytes| cache.count_drawn(bytes));
    let again = badge.drawn(Locale::Fr, Theme::Light, |bytes| cache.count_drawn(bytes));
    assert!(std::ptr::eq(first, again), "drawn once");
    assert_eq!(cache.drawn_bytes.load(Ordering::Relaxed), first.body.len());
    let mut tags = Vec::new();
    for locale in Locale::ALL {
        for theme in [Theme::Light, Theme::Dark] {
            let drawn = badge.drawn(locale, theme, |bytes| cache.count_drawn(bytes));
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
