use super::*;

fn normal(input: &str) -> Result<String, ThingInputError> {
    ThingUrl::parse(input).map(|u| u.as_str().to_owned())
}

#[test]
fn one_page_is_one_url() {
    assert_eq!(
        normal("HTTPS://Example.ORG/Blog/Post/?utm_source=x&id=3#comments"),
        Ok("https://example.org/Blog/Post?id=3".into())
    );
    assert_eq!(
        normal("https://example.org:443/"),
        Ok("https://example.org/".into())
    );
    assert_eq!(
        normal("http://example.org"),
        Ok("http://example.org/".into())
    );
    assert_eq!(
        normal("https://example.org/a?fbclid=1&utm_medium=2"),
        Ok("https://example.org/a".into())
    );
    let a = ThingUrl::parse("http://example.org/a/").expect("valid");
    let b = ThingUrl::parse("https://EXAMPLE.org/a").expect("valid");
    assert_eq!(a.key(), b.key(), "the scheme does not make another page");
}

#[test]
fn only_absolute_web_urls() {
    for bad in [
        "javascript:alert(1)",
        "/relative/path",
        "relative",
        "ftp://example.org/x",
        "data:text/html,hi",
        "https://user:pw@example.org/",
        "",
        "https://",
        "mailto:a@b.org",
        "file:///etc/passwd",
        "https://example.org/a b",
        "https://example.org/a\tb",
        "https://exam\nple.org/",
        "https://example.org/\u{2029}x",
        "https://example.org/\u{b}x",
    ] {
        assert_eq!(normal(bad), Err(ThingInputError::InvalidUrl), "{bad:?}");
    }
    // Spaces around an address are trimmed, not refused.
    assert_eq!(
        normal("  https://example.org/a \n"),
        Ok("https://example.org/a".into())
    );
}

#[test]
fn lists_round_trip_and_defaults_apply() {
    for c in Category::ALL {
        assert_eq!(Category::parse(c.code()), Some(*c));
    }
    let thing = ThingInput::parse(
        "https://a.org",
        " Le titre ",
        None,
        None,
        None,
        ContentLanguage::French,
    )
    .expect("valid");
    assert_eq!(
        (thing.title.as_str(), thing.category, thing.language),
        ("Le titre", Category::Other, ContentLanguage::French)
    );
    assert_eq!(
        ThingInput::parse(
            "https://a.org",
            "t",
            None,
            Some("cats"),
            None,
            ContentLanguage::English
        )
        .err(),
        Some(ThingInputError::InvalidCategory)
    );
    assert_eq!(
        ThingInput::parse(
            "https://a.org",
            "  ",
            None,
            None,
            None,
            ContentLanguage::English
        )
        .err(),
        Some(ThingInputError::InvalidTitle)
    );
}
