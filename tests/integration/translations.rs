//! Every user-visible string exists in English and in French.

use std::collections::BTreeSet;
use std::path::Path;

use obole::domain::Locale;
use obole::web::error::ErrorCode;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Message ids defined in one language's `.ftl` files.
fn keys(language: &str) -> BTreeSet<String> {
    let dir = root().join("templates/locales").join(language);
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("locale folder") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("ftl");
        for line in text.lines() {
            let Some((id, _)) = line.split_once(" =") else {
                continue;
            };
            if id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                keys.insert(id.to_owned());
            }
        }
    }
    keys
}

#[test]
fn english_and_french_define_the_same_messages() {
    let english = keys("en");
    let french = keys("fr");
    let missing_in_french: Vec<_> = english.difference(&french).collect();
    let missing_in_english: Vec<_> = french.difference(&english).collect();
    assert!(
        missing_in_french.is_empty(),
        "missing in French: {missing_in_french:?}"
    );
    assert!(
        missing_in_english.is_empty(),
        "missing in English: {missing_in_english:?}"
    );
}

#[test]
fn every_key_a_template_uses_exists_in_both_languages() {
    let mut used = BTreeSet::new();
    let mut stack = vec![root().join("templates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("templates") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html" || e == "txt") {
                let text = std::fs::read_to_string(&path).expect("template");
                for quote in ['"', '\''] {
                    let marker = format!("t(key={quote}");
                    for (start, _) in text.match_indices(&marker) {
                        let rest = &text[start + marker.len()..];
                        used.insert(rest[..rest.find(quote).expect("closing quote")].to_owned());
                    }
                }
            }
        }
    }
    assert!(used.len() > 20, "found the keys templates use: {used:?}");
    // `t(key="category-" ~ code)`: a prefix completed at run time; the lists are checked below.
    let used: BTreeSet<String> = used.into_iter().filter(|key| !key.ends_with('-')).collect();
    for language in ["en", "fr"] {
        let defined = keys(language);
        let missing: Vec<_> = used.difference(&defined).collect();
        assert!(
            missing.is_empty(),
            "used by templates but missing in {language}: {missing:?}"
        );
    }
}

#[test]
fn every_error_code_and_status_has_a_message_in_both_languages() {
    for code in ErrorCode::ALL {
        for locale in Locale::ALL {
            assert!(
                obole::i18n::lookup(locale, &code.message_key(), None).is_some(),
                "{} in {locale}",
                code.as_str()
            );
            let title = format!("error-title-{}", code.status().as_u16());
            assert!(
                obole::i18n::lookup(locale, &title, None).is_some(),
                "{title} in {locale}"
            );
        }
    }
}

#[test]
fn every_listed_code_has_a_name_in_both_languages() {
    use obole::domain::ledger::MovementKind;
    use obole::domain::thing::{Category, ContentLanguage};
    let mut keys_needed: Vec<String> = Category::ALL
        .iter()
        .map(|c| format!("category-{}", c.code()))
        .collect();
    keys_needed.extend(
        ContentLanguage::ALL
            .iter()
            .map(|l| format!("content-language-{}", l.code())),
    );
    keys_needed.extend(
        MovementKind::ALL
            .iter()
            .map(|m| format!("movement-{}", m.code())),
    );
    for language in ["en", "fr"] {
        let defined = keys(language);
        let missing: Vec<_> = keys_needed
            .iter()
            .filter(|k| !defined.contains(*k))
            .collect();
        assert!(missing.is_empty(), "missing in {language}: {missing:?}");
    }
}
