//! Search text and search terms, the same on both databases.
//!
//! Obole normalises text itself before SQLite's FTS5 or PostgreSQL's full-text search sees it:
//! lower case, accents removed (`élève` → `eleve`), ligatures spelled out (`œuvre` →
//! `oeuvre`), everything but letters and digits turned into spaces, and a plural's final `s`
//! or `x` dropped (`élèves` → `eleve`, `gâteaux` → `gateau`), so that whole words match
//! whatever their accents, case and number. Both backends then index
//! and match the same plain words, PostgreSQL needs no `unaccent` extension, and a person's
//! query can never carry FTS or SQL syntax: a query is only ever a list of such words.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// At most this many words of a query are searched (the rest would only narrow it further).
pub const MAX_TERMS: usize = 8;
/// Longer words are cut: no real word is longer, and it bounds the work of a prefix match.
pub const MAX_TERM_CHARS: usize = 40;
/// Words this long or longer lose a plural's final `s` or `x`.
const PLURAL_FROM_CHARS: usize = 4;

/// `text` as the words search indexes: lower case, without accents, separated by one space.
pub fn normalise(text: &str) -> String {
    words(text).join(" ")
}

fn words(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    // Lower case first: some capitals only decompose (or lose their marks) once lowered.
    let lowered = text.chars().flat_map(char::to_lowercase);
    for c in lowered.nfkd().filter(|c| !is_combining_mark(*c)) {
        // Letters that NFKD does not decompose but that French and its neighbours spell out.
        match c {
            'œ' | 'Œ' => plain.push_str("oe"),
            'æ' | 'Æ' => plain.push_str("ae"),
            'ß' => plain.push_str("ss"),
            'ø' | 'Ø' => plain.push('o'),
            'đ' | 'Đ' => plain.push('d'),
            'ł' | 'Ł' => plain.push('l'),
            c if c.is_alphanumeric() => {
                let before = plain.len();
                plain.extend(c.to_lowercase().filter(|l| {
                    l.is_alphanumeric() && !l.is_uppercase() && !is_combining_mark(*l)
                }));
                if plain.len() == before {
                    plain.push(' ');
                }
            }
            _ => plain.push(' '),
        }
    }
    plain.split_whitespace().map(singular).collect()
}

/// A word without the `s` or `x` that French and English plurals end with: matching whole
/// words (see `SearchTerms`), `eleve` then finds `élèves`. Wrong singulars (`news` → `new`)
/// only merge a few words; both the index and the query fold alike. Never a letter after
/// another `s` or `x` (`boss`, `vox`), so that folding twice changes nothing.
fn singular(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let plural = chars.len() >= PLURAL_FROM_CHARS
        && matches!(chars.last(), Some('s' | 'x'))
        && !matches!(chars.get(chars.len() - 2), Some('s' | 'x'));
    if plural {
        chars.pop();
    }
    chars.into_iter().collect()
}

/// What a person searched for: normalised words, all of which a result must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms(Vec<String>);

impl SearchTerms {
    /// Any text is a query; what is not a letter or a digit separates words. Single letters
    /// (and `qu`) are left out when other words remain: they are mostly French elisions
    /// (`l'élève`, `qu'il`), which would otherwise have to match a word of their own.
    pub fn parse(query: &str) -> SearchTerms {
        let all = words(query);
        let elision = |w: &String| w.chars().count() == 1 || w == "qu";
        let keep_all = all.iter().all(elision);
        let mut terms: Vec<String> = Vec::new();
        for word in all.into_iter().filter(|w| keep_all || !elision(w)) {
            let word: String = word.chars().take(MAX_TERM_CHARS).collect();
            if !terms.contains(&word) {
                terms.push(word);
            }
            if terms.len() == MAX_TERMS {
                break;
            }
        }
        SearchTerms(terms)
    }

    /// No word to search for (the query held only punctuation).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn terms(&self) -> &[String] {
        &self.0
    }

    /// The query for SQLite FTS5's `MATCH`: each word quoted (so `OR`, `NEAR` or `AND` are
    /// words, never operators), all required. Whole words: a prefix query (`"jard"*`) costs
    /// both backends several times more on common words (see docs/PERFORMANCE.md).
    pub fn fts5_query(&self) -> String {
        self.0
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The query for PostgreSQL's `to_tsquery('simple', …)`: the same words, all required.
    pub fn tsquery(&self) -> String {
        self.0.join(" & ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    #[test]
    fn accents_case_and_ligatures_fold() {
        assert_eq!(normalise("Élève, l'ÉCOLE!"), "eleve l ecole");
        assert_eq!(normalise("Œuvre ça Straße"), "oeuvre ca strasse");
        assert_eq!(normalise("  Noël — été  "), "noel ete");
        assert_eq!(normalise("mp3 + 2ᵉ"), "mp3 2e");
    }

    #[test]
    fn plurals_fold_to_the_singular() {
        assert_eq!(normalise("Les élèves, des gâteaux"), "les eleve des gateau");
        assert_eq!(normalise("boss vox bus news"), "boss vox bus new");
        assert_eq!(
            SearchTerms::parse("élève").terms(),
            SearchTerms::parse("ELEVES").terms()
        );
    }

    #[test]
    fn syntax_is_only_separators() {
        let terms = SearchTerms::parse(r#""rock" OR (jazz* NEAR 'blues') -xy"#);
        assert_eq!(terms.terms(), ["rock", "or", "jazz", "near", "blue", "xy"]);
        assert_eq!(
            terms.fts5_query(),
            r#""rock" AND "or" AND "jazz" AND "near" AND "blue" AND "xy""#
        );
        assert_eq!(terms.tsquery(), "rock & or & jazz & near & blue & xy");
        assert!(SearchTerms::parse(r#""*'()-:^"#).is_empty());
    }

    #[test]
    fn terms_are_bounded_and_unique() {
        let terms = SearchTerms::parse("a a b c d e f g h i j k");
        assert_eq!(terms.terms().len(), MAX_TERMS);
        assert_eq!(terms.terms()[..3], ["a", "b", "c"]);
        assert_eq!(
            SearchTerms::parse("l'élève qu'il x").terms(),
            ["eleve", "il"]
        );
        let long = "x".repeat(100);
        assert_eq!(
            SearchTerms::parse(&long).terms()[0].chars().count(),
            MAX_TERM_CHARS
        );
    }

    proptest! {
        #![proptest_config(Config::with_cases(512))]

        /// Whatever is typed, the queries hold only lower-case letters, digits and the
        /// operators Obole itself writes, and normalising is idempotent.
        #[test]
        fn any_text_gives_plain_words(text in any::<String>()) {
            let terms = SearchTerms::parse(&text);
            prop_assert!(terms.terms().len() <= MAX_TERMS);
            for term in terms.terms() {
                prop_assert!(!term.is_empty());
                prop_assert!(term.chars().all(|c| c.is_alphanumeric() && !c.is_uppercase()));
                prop_assert_eq!(normalise(term), term.clone());
            }
            let once = normalise(&text);
            prop_assert_eq!(normalise(&once), once.clone());
            let fts = terms.fts5_query();
            prop_assert!(fts.chars().all(|c| c.is_alphanumeric() || " \"*AND".contains(c)));
        }
    }
}
