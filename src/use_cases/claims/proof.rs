//! Reading the proofs a fetched page can carry. Pure: no I/O.
//!
//! Pages are parsed the way a browser parses them (html5ever, through `scraper`), so a tag
//! written inside a comment, a `<script>` or an attribute value is text, not a tag, and
//! entities in attribute values are decoded. Patterns over raw HTML get all three wrong.

use scraper::Html;
use scraper::node::Element;

/// Where an origin's token file lives.
pub const WELL_KNOWN_PATH: &str = "/.well-known/obole-verification.txt";

/// The `name` of the `<meta>` tag that carries a token.
pub const META_NAME: &str = "obole-verification";

/// The tag a site's page carries to prove it.
pub fn meta_tag(token: &str) -> String {
    format!(r#"<meta name="{META_NAME}" content="{token}">"#)
}

/// The `content` of every `<meta name="obole-verification">` of the page's head, in page
/// order (a tag in the body could be anyone's comment on the page). The name is compared
/// case-insensitively; surrounding whitespace is trimmed (a token has none, a pasted one may)
/// and empty contents are left out.
pub fn meta_tokens(html: &str) -> Vec<String> {
    in_head(html, |element| {
        let named = element.name() == "meta"
            && element
                .attr("name")
                .is_some_and(|name| name.trim().eq_ignore_ascii_case(META_NAME));
        if !named {
            return None;
        }
        non_empty(element.attr("content")?)
    })
}

/// The `href` of every `<a>` and `<link>` whose `rel` holds the token `me` (a space-separated,
/// case-insensitive list such as `rel="Me noopener"`), as written: relative ones are for the
/// caller to resolve against the page's address.
pub fn rel_me_links(html: &str) -> Vec<String> {
    elements(html, |element| {
        let is_me = matches!(element.name(), "a" | "link")
            && element.attr("rel").is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|kind| kind.eq_ignore_ascii_case("me"))
            });
        if !is_me {
            return None;
        }
        non_empty(element.attr("href")?)
    })
}

/// True when the token file says exactly `token`, once surrounding whitespace and a UTF-8 byte
/// order mark (which some editors add) are set aside. An empty token never matches, so that
/// an empty file proves nothing.
pub fn well_known_matches(body: &str, token: &str) -> bool {
    let content = body.trim();
    let content = content.strip_prefix('\u{feff}').unwrap_or(content).trim();
    !token.is_empty() && content == token
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// What `pick` finds in each element of the parsed page's `<head>`, in document order.
fn in_head(html: &str, pick: impl Fn(&Element) -> Option<String>) -> Vec<String> {
    let document = Html::parse_document(html);
    let head = document.tree.root().descendants().find(|node| {
        node.value()
            .as_element()
            .is_some_and(|e| e.name() == "head")
    });
    head.map(|head| {
        head.descendants()
            .filter_map(|node| node.value().as_element())
            .filter_map(&pick)
            .collect()
    })
    .unwrap_or_default()
}

/// What `pick` finds in each element of the parsed page, in document order.
fn elements(html: &str, pick: impl Fn(&Element) -> Option<String>) -> Vec<String> {
    let document = Html::parse_document(html);
    // From the root, so that nodes the parser set aside while repairing the page are skipped.
    document
        .tree
        .root()
        .descendants()
        .filter_map(|node| node.value().as_element())
        .filter_map(pick)
        .collect()
}

#[cfg(test)]
mod tests;
