//! The languages Obole speaks. Every page, email and error exists in each of them.

use std::fmt;

use super::thing::ContentLanguage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    /// Accepts a bare language code or a language tag (`fr`, `fr-CA`, `EN-gb`).
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            _ => None,
        }
    }

    /// The language's name in itself, as a language switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
        }
    }

    /// The language of a thing's badge and button, from the thing's language code: French
    /// things French, the others English (the two languages Obole speaks).
    pub fn of_content(language: &str) -> Locale {
        match ContentLanguage::parse(language) {
            Some(ContentLanguage::French) => Locale::Fr,
            _ => Locale::En,
        }
    }

    /// The content language a visitor speaking this language reads first.
    pub fn content_language(self) -> ContentLanguage {
        match self {
            Locale::Fr => ContentLanguage::French,
            Locale::En => ContentLanguage::English,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_by_primary_language() {
        assert_eq!(Locale::parse("fr"), Some(Locale::Fr));
        assert_eq!(Locale::parse("fr-CA"), Some(Locale::Fr));
        assert_eq!(Locale::parse("EN_gb"), Some(Locale::En));
        assert_eq!(Locale::parse("de"), None);
        assert_eq!(Locale::parse(""), None);
    }
}
