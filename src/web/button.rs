//! The embed code a creator pastes on their pages. The badge, the script button and the
//! no-JavaScript fallback are one and the same: a link to `/t/{id}` around the badge image,
//! so every way of embedding looks alike; `embed.js` only adds the popup and hover and focus
//! styles. Both themes are offered, since a blue button vanishes on a dark page.

use serde::Serialize;

use super::badge::{HEIGHT, Theme, label};
use crate::domain::{Locale, ThingId};
use crate::i18n;

/// The ways to embed the button, and the tags that tell machines where to tip.
#[derive(Serialize)]
pub struct Button {
    pub link: String,
    pub badge: String,
    /// The badge in a link: works everywhere, without JavaScript.
    pub html: String,
    /// For the page's `<head>`: browsers and readers that look for a payment link find it.
    pub link_tag: String,
    /// For a podcast's RSS feed (Podcasting 2.0), inside `<channel>` or an `<item>`.
    pub podcast_funding: String,
    /// The badge for dark pages, and its link.
    pub badge_dark: String,
    pub html_dark: String,
    /// `html` followed by the script that opens the confirmation in a popup.
    pub script: String,
    pub script_dark: String,
}

/// The embed code of thing `id`, its image's text in `locale` (for a thing's own language,
/// [`Locale::of_content`]).
/// The embed code in English, for callers that need only its link (the thing page); the
/// API and the embed page use [`button_in`] with the thing's language.
pub fn button(base_url: &str, id: ThingId, title: &str) -> Button {
    button_in(base_url, id, title, Locale::En)
}

pub fn button_in(base_url: &str, id: ThingId, title: &str, locale: Locale) -> Button {
    let link = format!("{base_url}/t/{}", id.0);
    let badge = format!("{link}/badge.svg");
    let badge_dark = format!("{badge}?theme={}", Theme::Dark.code());
    let alt = alt_text(title, locale);
    let html = badge_link(&link, &badge, &alt);
    let html_dark = badge_link(&link, &badge_dark, &alt);
    let script_tag = format!(r#"<script async src="{base_url}/embed.js"></script>"#);
    Button {
        link_tag: format!(r#"<link rel="payment" href="{link}">"#),
        podcast_funding: format!(r#"<podcast:funding url="{link}">Obole</podcast:funding>"#),
        script: format!("{html}\n{script_tag}"),
        script_dark: format!("{html_dark}\n{script_tag}"),
        link,
        badge,
        html,
        badge_dark,
        html_dark,
    }
}

/// The image's text: what the button says, then which page it tips (a list of posts with a
/// button each tells a screen reader which is which). Escaped for an attribute.
pub fn alt_text(title: &str, locale: Locale) -> String {
    let mut args = i18n::Args::new();
    args.insert("title".into(), title.to_owned().into());
    let text = i18n::lookup(locale, "button-alt", Some(&args))
        .unwrap_or_else(|| format!("{}: {title}", label(locale)));
    tera::escape_html(&text)
}

fn badge_link(link: &str, badge: &str, alt: &str) -> String {
    format!(
        r#"<a class="obole-button" href="{link}"><img src="{badge}" alt="{alt}" height="{HEIGHT}"></a>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_embedding_shows_the_same_badge() {
        let button = button_in(
            "https://obole.example",
            ThingId(7),
            "Mon <b>carnet</b>",
            Locale::Fr,
        );
        assert_eq!(
            button.html,
            "<a class=\"obole-button\" href=\"https://obole.example/t/7\">\
             <img src=\"https://obole.example/t/7/badge.svg\" \
             alt=\"Soutenir avec Obole\u{a0}: Mon &lt;b&gt;carnet&lt;&#x2F;b&gt;\" height=\"28\"></a>"
        );
        assert!(button.script.starts_with(&button.html));
        assert!(
            button
                .script
                .ends_with("<script async src=\"https://obole.example/embed.js\"></script>")
        );
        assert_eq!(
            button.badge_dark,
            "https://obole.example/t/7/badge.svg?theme=dark"
        );
        assert_eq!(
            button.html_dark,
            button.html.replace("badge.svg", "badge.svg?theme=dark")
        );
        assert!(button.script_dark.starts_with(&button.html_dark));
    }
}
