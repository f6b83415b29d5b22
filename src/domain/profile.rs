//! A public page (`/c/{handle}`): its handle, name, description and links.

use super::thing::ThingUrl;

/// Each variant is an error code (`invalid_handle`, …) and a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProfileInputError {
    #[error("a handle has 2 to 30 lower-case letters, digits, '-' or '_'")]
    InvalidHandle,
    #[error("the public name must have 1 to 80 characters")]
    InvalidPublicName,
    #[error("the description is too long")]
    InvalidProfileDescription,
    #[error("links are up to five http(s) URLs, one per line")]
    InvalidLinks,
}

pub const MAX_LINKS: usize = 5;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// Paths under `/c/` that a handle must not shadow if pages are ever added there.
const RESERVED: &[&str] = &["new", "edit", "admin", "api", "feed", "feeds", "obole"];

/// A handle: 2 to 30 characters of `a-z`, `0-9`, `-` and `_`, starting with a letter or a
/// digit; typed in any case, kept in lower case, so `Zoe` and `zoe` are one handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle(String);

impl Handle {
    pub fn parse(input: &str) -> Result<Handle, ProfileInputError> {
        let text = input.trim().trim_start_matches('@').to_ascii_lowercase();
        let valid = (2..=30).contains(&text.len())
            && text.starts_with(|c: char| c.is_ascii_alphanumeric())
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && !RESERVED.contains(&text.as_str());
        if valid {
            Ok(Handle(text))
        } else {
            Err(ProfileInputError::InvalidHandle)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A validated public page, as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileInput {
    pub handle: Handle,
    pub public_name: String,
    pub description: String,
    /// Normalised http(s) URLs.
    pub links: Vec<String>,
    pub clicks_public: bool,
}

impl ProfileInput {
    pub fn parse(
        handle: &str,
        public_name: &str,
        description: &str,
        links: &str,
        clicks_public: bool,
    ) -> Result<ProfileInput, ProfileInputError> {
        let handle = Handle::parse(handle)?;
        let public_name = public_name.trim();
        let chars = public_name.chars().count();
        if chars == 0 || chars > 80 || public_name.chars().any(char::is_control) {
            return Err(ProfileInputError::InvalidPublicName);
        }
        let description = description.trim();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(ProfileInputError::InvalidProfileDescription);
        }
        let links = links
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                ThingUrl::parse(l)
                    .map(|u| u.as_str().to_owned())
                    .map_err(|_| ProfileInputError::InvalidLinks)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if links.len() > MAX_LINKS {
            return Err(ProfileInputError::InvalidLinks);
        }
        Ok(ProfileInput {
            handle,
            public_name: public_name.to_owned(),
            description: description.to_owned(),
            links,
            clicks_public,
        })
    }

    /// The links as stored: one per line.
    pub fn links_text(&self) -> String {
        self.links.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_plain_and_lower_case() {
        assert_eq!(Handle::parse(" @Zoe_42 ").map(|h| h.0), Ok("zoe_42".into()));
        assert_eq!(
            Handle::parse("radio-libre").map(|h| h.0),
            Ok("radio-libre".into())
        );
        for bad in [
            "z",
            "-zoe",
            "zoé",
            "zo e",
            "a/b",
            "admin",
            &"x".repeat(31),
            "",
        ] {
            assert_eq!(
                Handle::parse(bad),
                Err(ProfileInputError::InvalidHandle),
                "{bad}"
            );
        }
    }

    #[test]
    fn links_are_web_urls_five_at_most() {
        let profile = ProfileInput::parse(
            "zoe",
            " Zoé ",
            "",
            "https://zoe.example/\n\n  http://Mastodon.example/@zoe  ",
            false,
        )
        .expect("valid");
        assert_eq!(profile.public_name, "Zoé");
        assert_eq!(
            profile.links,
            ["https://zoe.example/", "http://mastodon.example/@zoe"]
        );
        let six = "https://a.example/\n".repeat(6);
        assert_eq!(
            ProfileInput::parse("zoe", "Zoé", "", &six, false).err(),
            Some(ProfileInputError::InvalidLinks)
        );
        assert_eq!(
            ProfileInput::parse("zoe", "Zoé", "", "javascript:alert(1)", false).err(),
            Some(ProfileInputError::InvalidLinks)
        );
        assert_eq!(
            ProfileInput::parse("zoe", "  ", "", "", false).err(),
            Some(ProfileInputError::InvalidPublicName)
        );
    }
}
