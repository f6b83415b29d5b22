//! Things: a creator's pages. One page is one thing, so URLs are normalised before they are
//! compared, and only `http(s)` URLs are accepted.

use url::Url;

/// Each variant is an API error code (`invalid_url`, `invalid_title`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ThingInputError {
    #[error("not an http(s) URL")]
    InvalidUrl,
    #[error("the title must have 1 to 200 characters")]
    InvalidTitle,
    #[error("the description is too long")]
    InvalidDescription,
    #[error("unknown category")]
    InvalidCategory,
    #[error("unknown language")]
    InvalidLanguage,
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// Query parameters that only track where a visitor came from: two URLs differing by these
/// are the same page.
const TRACKING_PARAMETERS: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc",
    "_hsmi", "ref_src",
];

/// A normalised `http(s)` URL and its scheme-less key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThingUrl {
    url: String,
    key: String,
}

impl ThingUrl {
    /// Normalises: scheme and host in lower case (the `url` crate also punycodes the host and
    /// drops default ports), no fragment, no tracking parameters, no trailing slash except the
    /// root's. Refuses anything but absolute `http(s)` URLs with a host, and credentials.
    pub fn parse(input: &str) -> Result<ThingUrl, ThingInputError> {
        let text = input.trim();
        // At most 2,000 characters (as the API's document counts them, not bytes). A space or
        // a control character inside is a pasting accident, not part of an
        // address: the URL parser would drop some and escape others, and keep a page the
        // person did not mean (the API's document says the same in its pattern).
        if text.chars().count() > 2000 || text.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(ThingInputError::InvalidUrl);
        }
        let mut url = Url::parse(text).map_err(|_| ThingInputError::InvalidUrl)?;
        if !matches!(url.scheme(), "http" | "https")
            || url.host_str().is_none_or(str::is_empty)
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(ThingInputError::InvalidUrl);
        }
        url.set_fragment(None);
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(name, _)| {
                let name = name.to_ascii_lowercase();
                !name.starts_with("utm_") && !TRACKING_PARAMETERS.contains(&name.as_str())
            })
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
        let path = url.path().to_owned();
        if path.len() > 1 && path.ends_with('/') {
            url.set_path(path.trim_end_matches('/'));
        }
        let url = url.to_string();
        let key = url
            .split_once("://")
            .map(|(_, rest)| rest.to_owned())
            .unwrap_or_default();
        Ok(ThingUrl { url, key })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The URL without its scheme: unique per thing.
    pub fn key(&self) -> &str {
        &self.key
    }
}

macro_rules! code_list {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == code.trim())
            }
        }
    };
}

code_list!(
    /// What a thing is; translated as `category-<code>`.
    Category {
        Writing = "writing",
        Journalism = "journalism",
        Podcast = "podcast",
        Video = "video",
        Music = "music",
        Software = "software",
        Art = "art",
        Photography = "photography",
        Education = "education",
        Science = "science",
        Games = "games",
        Other = "other",
    }
);

code_list!(
    /// The language of a thing's content; translated as `content-language-<code>`.
    ContentLanguage {
        French = "fr",
        English = "en",
        German = "de",
        Spanish = "es",
        Italian = "it",
        Portuguese = "pt",
        Dutch = "nl",
        Other = "other",
        Multilingual = "mul",
    }
);

/// A title, trimmed, 1 to 200 characters, no control characters.
pub fn parse_title(input: &str) -> Result<String, ThingInputError> {
    let title = input.trim();
    let chars = title.chars().count();
    if chars == 0 || chars > MAX_TITLE_CHARS || title.chars().any(char::is_control) {
        return Err(ThingInputError::InvalidTitle);
    }
    Ok(title.to_owned())
}

pub fn parse_description(input: &str) -> Result<String, ThingInputError> {
    let text = input.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(ThingInputError::InvalidDescription);
    }
    Ok(text.to_owned())
}

/// A validated thing, as added or edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThingInput {
    pub url: ThingUrl,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub language: ContentLanguage,
}

impl ThingInput {
    /// Absent category and language default to "other" and the creator's own language.
    pub fn parse(
        url: &str,
        title: &str,
        description: Option<&str>,
        category: Option<&str>,
        language: Option<&str>,
        default_language: ContentLanguage,
    ) -> Result<ThingInput, ThingInputError> {
        Ok(ThingInput {
            url: ThingUrl::parse(url)?,
            title: parse_title(title)?,
            description: parse_description(description.unwrap_or_default())?,
            category: match present(category) {
                Some(code) => Category::parse(code).ok_or(ThingInputError::InvalidCategory)?,
                None => Category::Other,
            },
            language: match present(language) {
                Some(code) => {
                    ContentLanguage::parse(code).ok_or(ThingInputError::InvalidLanguage)?
                }
                None => default_language,
            },
        })
    }
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests;
