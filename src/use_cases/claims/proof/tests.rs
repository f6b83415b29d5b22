use super::*;

const OBOLE_PAGE: &str = "https://obole.example/c/alice";

#[test]
fn meta_tokens_reads_the_verification_tag_in_any_quoting() {
    let html = r#"<html><head>
        <meta name="obole-verification" content="double">
        <meta name='obole-verification' content='single'>
        <meta name=obole-verification content=unquoted>
        <meta name="description" content="not a token">
        </head><body><meta name="obole-verification" content="in-body"></body></html>"#;
    // Only the head's: a tag in the body could be a visitor's comment.
    assert_eq!(meta_tokens(html), ["double", "single", "unquoted"]);
}

#[test]
fn meta_tokens_takes_attributes_in_any_order_and_case() {
    let html = r#"<META CONTENT="first" NAME="Obole-Verification"><Meta content = "second" name = "OBOLE-VERIFICATION" >"#;
    assert_eq!(meta_tokens(html), ["first", "second"]);
}

#[test]
fn meta_tokens_decodes_entities_and_trims() {
    let html = r#"<meta name="obole-verification" content=" a&amp;b&#65;&#x42;&quot; ">"#;
    assert_eq!(meta_tokens(html), ["a&bAB\""]);
}

#[test]
fn meta_tokens_ignores_tags_that_are_not_tags() {
    let html = r#"<!-- <meta name="obole-verification" content="commented"> -->
        <script>document.write('<meta name="obole-verification" content="scripted">');</script>
        <div title='<meta name="obole-verification" content="quoted">'></div>
        <textarea><meta name="obole-verification" content="typed"></textarea>
        <p>&lt;meta name="obole-verification" content="escaped"&gt;</p>"#;
    assert!(meta_tokens(html).is_empty(), "{:?}", meta_tokens(html));
}

#[test]
fn meta_tokens_ignores_attributes_without_values() {
    let html = r#"<meta name content><meta name="obole-verification" content><meta name="obole-verification"><meta content="orphan">"#;
    assert!(meta_tokens(html).is_empty(), "{:?}", meta_tokens(html));
}

#[test]
fn rel_me_links_finds_me_among_other_kinds() {
    let html = format!(
        r#"<a rel="me" href="{OBOLE_PAGE}">a</a>
        <link rel="ME" href="https://obole.example/c/link">
        <A HREF="https://obole.example/c/upper" REL="noopener Me">b</A>
        <a rel="nofollow	me
        noopener" href="/c/relative">c</a>"#
    );
    assert_eq!(
        rel_me_links(&html),
        [
            OBOLE_PAGE,
            "https://obole.example/c/link",
            "https://obole.example/c/upper",
            "/c/relative"
        ]
    );
}

#[test]
fn rel_me_links_wants_the_whole_token_on_a_link_element() {
    let html = format!(
        r#"<a rel="meme" href="{OBOLE_PAGE}">x</a><a rel="home" href="{OBOLE_PAGE}">x</a>
        <a rel="me-too" href="{OBOLE_PAGE}">x</a><a href="{OBOLE_PAGE}">x</a>
        <div rel="me" href="{OBOLE_PAGE}"></div><a rel="me">no href</a><a rel href>bare</a>"#
    );
    assert!(rel_me_links(&html).is_empty(), "{:?}", rel_me_links(&html));
}

#[test]
fn rel_me_links_ignores_comments_and_scripts() {
    let html = format!(
        r#"<!-- <a rel="me" href="{OBOLE_PAGE}">old</a> -->
        <script>let s = '<a rel="me" href="{OBOLE_PAGE}">x</a>';</script>
        <style>/* <link rel="me" href="{OBOLE_PAGE}"> */</style>"#
    );
    assert!(rel_me_links(&html).is_empty(), "{:?}", rel_me_links(&html));
}

#[test]
fn rel_me_links_decodes_entities_in_href() {
    let html = r#"<a rel="me" href="https://obole.example/c/a?x=1&amp;y=2">x</a>"#;
    assert_eq!(rel_me_links(html), ["https://obole.example/c/a?x=1&y=2"]);
}

#[test]
fn hostile_pages_yield_nothing_and_end() {
    let angles = "<".repeat(1024 * 1024);
    assert!(meta_tokens(&angles).is_empty());
    assert!(rel_me_links(&angles).is_empty());
    let unclosed = format!(r#"<a rel="me" href="{OBOLE_PAGE}"#);
    assert!(rel_me_links(&unclosed).is_empty());
    let nested = "<div>".repeat(10_000)
        + r#"<meta name="obole-verification" content="deep"><a rel="me" href="/c/deep">x</a>"#;
    // Deep in the body: a tag there proves nothing (anyone may comment), a link does.
    assert!(meta_tokens(&nested).is_empty());
    assert_eq!(rel_me_links(&nested), ["/c/deep"]);
}

#[test]
fn well_known_matches_the_token_alone() {
    for body in [
        "tok_123",
        "tok_123\n",
        " tok_123\r\n",
        "\u{feff}tok_123",
        "\u{feff}tok_123\n\n",
        "\n\ttok_123 ",
    ] {
        assert!(well_known_matches(body, "tok_123"), "{body:?}");
    }
}

#[test]
fn well_known_refuses_anything_more_or_else() {
    for body in [
        "tok_1234",
        "tok_12",
        "TOK_123",
        "tok_123\nmore",
        "token: tok_123",
        "tok _123",
        "",
    ] {
        assert!(!well_known_matches(body, "tok_123"), "{body:?}");
    }
    assert!(!well_known_matches("", ""));
    assert!(!well_known_matches("  \n", ""));
}
