//! What a person gives when opening an account, parsed into types that cannot be invalid.

use super::locale::Locale;

/// Each variant names the contract's error code (`invalid_email`, …) it becomes at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountInputError {
    #[error("invalid email address")]
    InvalidEmail,
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the password is too long")]
    PasswordTooLong,
    #[error("invalid display name")]
    InvalidDisplayName,
    #[error("unsupported language")]
    InvalidLocale,
}

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing it is not a denial of service.
pub const MAX_PASSWORD_CHARS: usize = 1024;
pub const MAX_DISPLAY_NAME_CHARS: usize = 80;

/// An email address, trimmed and lower-cased so that one mailbox is one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, AccountInputError> {
        let text = input.trim().to_lowercase();
        // The `email_address` crate checks RFC 5322 syntax; on top of it we refuse what mail
        // servers accept but people mistype: no dot in the domain, quoted or bracketed forms.
        let parsed = email_address::EmailAddress::parse_with_options(
            &text,
            email_address::Options::default().without_display_text(),
        )
        .map_err(|_| AccountInputError::InvalidEmail)?;
        let domain = parsed.domain();
        let plain = !text.contains(['"', '[', ']', ' ', '\\']) && text.len() <= 254;
        if !plain || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(AccountInputError::InvalidEmail);
        }
        Ok(Email(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, a friendly default display name.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

/// A password that meets the length rules. Never logged, never displayed.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<NewPassword, AccountInputError> {
        let chars = input.chars().count();
        if chars < MIN_PASSWORD_CHARS || input.trim().is_empty() {
            return Err(AccountInputError::PasswordTooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(AccountInputError::PasswordTooLong);
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// The public name shown beside a creator's things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<DisplayName, AccountInputError> {
        let text = input.trim();
        let length = text.chars().count();
        if length == 0 || length > MAX_DISPLAY_NAME_CHARS || text.chars().any(char::is_control) {
            return Err(AccountInputError::InvalidDisplayName);
        }
        Ok(DisplayName(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The best name out of what a provider or an address gives: the first candidate that
    /// parses (shortened to the limit, control characters dropped), else "Obole".
    pub fn best_of<'a>(candidates: impl IntoIterator<Item = &'a str>) -> DisplayName {
        candidates
            .into_iter()
            .map(|c| {
                c.chars()
                    .filter(|ch| !ch.is_control())
                    .take(MAX_DISPLAY_NAME_CHARS)
                    .collect::<String>()
            })
            .find_map(|c| DisplayName::parse(&c).ok())
            .unwrap_or_else(|| DisplayName("Obole".to_owned()))
    }
}

/// A validated sign-up.
#[derive(Debug)]
pub struct NewAccount {
    pub email: Email,
    pub password: NewPassword,
    pub display_name: DisplayName,
    pub locale: Locale,
}

impl NewAccount {
    /// Parses raw sign-up input; an absent display name defaults to the email's local part
    /// and an absent locale to the language the person is browsing in.
    pub fn parse(
        email: &str,
        password: &str,
        display_name: Option<&str>,
        locale: Option<&str>,
        browsing_locale: Locale,
    ) -> Result<NewAccount, AccountInputError> {
        let email = Email::parse(email)?;
        let password = NewPassword::parse(password)?;
        let display_name = match display_name.map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => DisplayName::parse(name)?,
            None => DisplayName::parse(email.local_part())?,
        };
        let locale = match locale.map(str::trim).filter(|s| !s.is_empty()) {
            Some(tag) => Locale::parse(tag).ok_or(AccountInputError::InvalidLocale)?,
            None => browsing_locale,
        };
        Ok(NewAccount {
            email,
            password,
            display_name,
            locale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ana@Example.ORG ").map(|e| e.0),
            Ok("ana@example.org".into())
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "ana@@example.org",
            "ana example@x.org",
            "\"ana\"@example.org",
            "ana@.example.org",
            "ana@example.org.",
        ] {
            assert_eq!(
                Email::parse(bad),
                Err(AccountInputError::InvalidEmail),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(NewPassword::parse("123456789").is_err());
        assert!(NewPassword::parse("          ").is_err());
        assert!(
            NewPassword::parse("éléphant-1").is_ok(),
            "ten characters, more bytes"
        );
        assert!(NewPassword::parse(&"x".repeat(1025)).is_err());
    }

    #[test]
    fn sign_up_defaults_come_from_email_and_browsing_language() {
        let account = NewAccount::parse("zoe@example.fr", "correct horse", None, None, Locale::Fr)
            .expect("valid");
        assert_eq!(account.display_name.as_str(), "zoe");
        assert_eq!(account.locale, Locale::Fr);
        let refused = NewAccount::parse(
            "zoe@example.fr",
            "correct horse",
            None,
            Some("de"),
            Locale::Fr,
        );
        assert_eq!(refused.err(), Some(AccountInputError::InvalidLocale));
    }
}
