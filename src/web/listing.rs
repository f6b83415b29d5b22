//! The query parameters of public listings (`?q=&lang=&category=&sort=&page=`), shared by the
//! API, the browse page and the feeds.

use serde::Deserialize;

use super::error::{AppError, ErrorCode};
use crate::domain::search::SearchTerms;
use crate::domain::thing::{Category, ContentLanguage};
use crate::models::discovery::{Listing, Sort};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub q: Option<String>,
    pub lang: Option<String>,
    pub category: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// The longest query accepted (longer ones are `invalid_query`).
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_PAGE: i64 = 10_000;

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|s| !s.is_empty())
}

impl ListQuery {
    /// The typed search words, as given (trimmed), if any.
    pub fn text(&self) -> Option<&str> {
        present(self.q.as_deref())
    }

    /// Turns the parameters into a listing, or `invalid_query`. Without `lang`, the listing
    /// is in `default_language` (`None`: every language); `lang=all` lists every language.
    /// Search words never make an error, whatever characters they hold.
    pub fn listing(
        &self,
        default_language: Option<ContentLanguage>,
        per_page: i64,
    ) -> Result<Listing, AppError> {
        let invalid = || AppError::User(ErrorCode::InvalidQuery);
        let terms = match self.text() {
            Some(q) if q.chars().count() > MAX_QUERY_CHARS || q.chars().any(char::is_control) => {
                return Err(invalid());
            }
            Some(q) => Some(SearchTerms::parse(q)),
            None => None,
        };
        let language = match present(self.lang.as_deref()) {
            None => default_language,
            Some("all") => None,
            Some(code) => Some(ContentLanguage::parse(code).ok_or_else(invalid)?),
        };
        let category = match present(self.category.as_deref()) {
            None | Some("all") => None,
            Some(code) => Some(Category::parse(code).ok_or_else(invalid)?),
        };
        let sort = match present(self.sort.as_deref()) {
            None if terms.is_some() => Sort::Relevance,
            None => Sort::Popular,
            Some(code) => Sort::parse(code).ok_or_else(invalid)?,
        };
        let page = match present(self.page.as_deref()) {
            None => 1,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .ok_or_else(invalid)?,
        };
        Ok(Listing {
            terms,
            language,
            category,
            sort,
            page,
            per_page,
            ..Listing::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str, lang: &str, sort: &str) -> ListQuery {
        ListQuery {
            q: Some(q.into()),
            lang: Some(lang.into()),
            sort: Some(sort.into()),
            ..ListQuery::default()
        }
    }

    #[test]
    fn defaults_follow_the_request() {
        let fr = Some(ContentLanguage::French);
        let plain = ListQuery::default().listing(fr, 20).expect("valid");
        assert_eq!(
            (plain.language, plain.sort, plain.page),
            (fr, Sort::Popular, 1)
        );
        let all = query("élève", "all", "").listing(fr, 20).expect("valid");
        assert_eq!((all.language, all.sort), (None, Sort::Relevance));
        let en = query("", "en", "new").listing(fr, 20).expect("valid");
        assert_eq!(
            (en.language, en.sort, en.terms),
            (Some(ContentLanguage::English), Sort::New, None)
        );
    }

    #[test]
    fn syntax_in_words_is_no_error_but_bad_parameters_are() {
        for q in [
            "\"",
            "*",
            "'",
            "OR",
            "NEAR(a b)",
            "a) OR (b",
            "'; DROP TABLE things; --",
        ] {
            assert!(query(q, "", "").listing(None, 20).is_ok(), "{q}");
        }
        for bad in [
            query("", "xx", ""),
            query("", "", "best"),
            query("a\u{7}", "", ""),
            query(&"a".repeat(201), "", ""),
            ListQuery {
                page: Some("0".into()),
                ..ListQuery::default()
            },
            ListQuery {
                category: Some("cats".into()),
                ..ListQuery::default()
            },
        ] {
            assert!(bad.listing(None, 20).is_err(), "{bad:?}");
        }
    }
}
