//! The badge's picture: a button-like SVG with Obole's coin, "Tip with Obole" (in the
//! badge's language) and the month's count in a pill. Pure: strings in, SVG out.

use super::text_width::width;

/// The badge's colours: `Light` for light pages (the default), `Dark` for dark ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// `dark` asks for the dark badge; anything else, however odd, gets the light one.
    pub fn parse(value: &str) -> Theme {
        if value.eq_ignore_ascii_case("dark") {
            Theme::Dark
        } else {
            Theme::Light
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn palette(self) -> Palette {
        match self {
            // Obole's blue with white text (6.9:1) and a white pill for the count.
            Theme::Light => Palette {
                body: "#0b5cad",
                label: "#fff",
                pill: "#fff",
                count: "#0b5cad",
            },
            // On a dark page a dark button disappears: a light blue one with near-black
            // text (10:1) and a dark pill.
            Theme::Dark => Palette {
                body: "#8cc4ff",
                label: "#0b1a2e",
                pill: "#0b1a2e",
                count: "#fff",
            },
        }
    }
}

struct Palette {
    body: &'static str,
    label: &'static str,
    pill: &'static str,
    count: &'static str,
}

/// Height of the badge, in pixels; the embed code's `<img height>` says the same.
pub const HEIGHT: u32 = 28;
const FONT_SIZE: u32 = 12;
/// Where the label starts: after the coin (16 px wide, 6 px from the left edge) and a gap.
const LABEL_X: u32 = 28;
const GAP: u32 = 8;
const PILL_PADDING: u32 = 7;
const PILL_MIN: u32 = 22;
const RIGHT: u32 = 4;

/// What one badge shows: `label` drawn, `name` its accessible name (already in the badge's
/// language; it carries the thing's title and the count).
pub struct Face<'a> {
    pub label: &'a str,
    pub clicks: i64,
    pub name: &'a str,
    pub theme: Theme,
}

/// The SVG of `face`.
pub fn svg(face: &Face<'_>) -> String {
    let colours = face.theme.palette();
    let count = face.clicks.to_string();
    let label_width = width(face.label, FONT_SIZE);
    let count_width = width(&count, FONT_SIZE);
    let pill_width = (count_width + 2 * PILL_PADDING).max(PILL_MIN);
    let pill_x = LABEL_X + label_width + GAP;
    let total = pill_x + pill_width + RIGHT;
    let name = escape(face.name);
    let label = escape(face.label);
    // The count stays the last `<text>`: scripts and tests that read the count take it.
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{name}">"#,
            r#"<title>{name}</title>"#,
            r#"<rect width="{w}" height="{h}" rx="6" fill="{body}"/>"#,
            r##"<circle cx="14" cy="14" r="8" fill="#b8860b"/>"##,
            r##"<circle cx="14" cy="14" r="5" fill="none" stroke="#fff" stroke-width="2"/>"##,
            r#"<rect x="{pill_x}" y="4" width="{pill_w}" height="20" rx="10" fill="{pill}"/>"#,
            r#"<g font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="{size}" font-weight="700">"#,
            r#"<text x="{lx}" y="18" fill="{label_fill}" textLength="{lw}" lengthAdjust="spacingAndGlyphs">{label}</text>"#,
            r#"<text x="{cx}" y="18" fill="{count_fill}" text-anchor="middle" textLength="{cw}" lengthAdjust="spacingAndGlyphs">{count}</text>"#,
            r#"</g></svg>"#
        ),
        w = total,
        h = HEIGHT,
        name = name,
        body = colours.body,
        pill_x = pill_x,
        pill_w = pill_width,
        pill = colours.pill,
        size = FONT_SIZE,
        lx = LABEL_X,
        label_fill = colours.label,
        lw = label_width,
        label = label,
        cx = pill_x + pill_width / 2,
        count_fill = colours.count,
        cw = count_width,
        count = count,
    )
}

/// Escapes text for XML content and attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face<'a>(label: &'a str, clicks: i64, name: &'a str, theme: Theme) -> String {
        svg(&Face {
            label,
            clicks,
            name,
            theme,
        })
    }

    /// The number after `attribute="` in the first element that starts with `element`.
    fn number(svg: &str, element: &str, attribute: &str) -> u32 {
        let start = svg.find(element).expect("element");
        let rest = &svg[start..];
        let at = rest.find(&format!(" {attribute}=\"")).expect("attribute") + attribute.len() + 3;
        rest[at..]
            .split('"')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a number")
    }

    #[test]
    fn titles_are_escaped_in_the_name_and_the_count_is_the_last_text() {
        let badge = face(
            "Tip with Obole",
            3,
            "Tip with Obole: <script>alert('x')</script> & co, 3 tips",
            Theme::Light,
        );
        assert!(!badge.contains("<script>"));
        assert!(badge.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; co, 3 tips"));
        assert!(badge.contains("role=\"img\""));
        assert!(badge.ends_with(">3</text></g></svg>"), "{badge}");
        assert!(badge.contains(">Tip with Obole</text>"));
    }

    #[test]
    fn the_label_and_the_count_fit_inside_the_badge_in_french() {
        for clicks in [0, 7, 12_345, i64::MAX] {
            let badge = face("Soutenir avec Obole", clicks, "x", Theme::Light);
            let total = number(&badge, "<svg", "width");
            let label = number(&badge, "<text", "textLength");
            let pill_x = number(&badge, "<rect x=", "x");
            let pill_width = number(&badge, "<rect x=", "width");
            assert!(LABEL_X + label < pill_x, "the label ends before the pill");
            assert!(pill_x + pill_width <= total, "the pill is inside the badge");
            let count = clicks.to_string();
            let count_width = number(
                &badge[badge.rfind("<text").expect("count")..],
                "<text",
                "textLength",
            );
            assert!(
                count_width + 2 * PILL_PADDING <= pill_width,
                "{count} fits its pill"
            );
        }
        // "Soutenir avec Obole" in DejaVu Sans Bold at 12 px is about 135 px: a 7 px guess
        // per character (133) would already be short, and the bold text wider than that.
        let label = number(
            &face("Soutenir avec Obole", 0, "x", Theme::Light),
            "<text",
            "textLength",
        );
        assert!((130..=140).contains(&label), "{label}");
    }

    #[test]
    fn the_dark_badge_has_its_own_colours() {
        let light = face("Tip with Obole", 1, "x", Theme::Light);
        let dark = face("Tip with Obole", 1, "x", Theme::Dark);
        assert_ne!(light, dark);
        assert!(light.contains("fill=\"#0b5cad\"") && dark.contains("fill=\"#8cc4ff\""));
        assert_eq!(Theme::parse("DARK"), Theme::Dark);
        for odd in ["", "light", "dark\"><script>", "darker", "%64ark"] {
            assert_eq!(Theme::parse(odd), Theme::Light, "{odd}");
        }
    }
}
