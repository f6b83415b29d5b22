//! Synchronizer-token CSRF protection: one random token per session, embedded in every form
//! and compared in constant time on every state-changing POST.
//!
//! Written by hand because it is twenty lines over the session we already have; the actix CSRF
//! crates are either unmaintained or use double-submit cookies, which a sibling subdomain can
//! overwrite.

use subtle::ConstantTimeEq as _;

use super::tokens::random_secret;

pub fn new_token() -> String {
    random_secret()
}

/// True when the submitted token equals the session's. Missing on either side is a failure.
pub fn matches(session_token: Option<&str>, submitted: Option<&str>) -> bool {
    match (session_token, submitted) {
        (Some(expected), Some(given)) if !expected.is_empty() => {
            expected.as_bytes().ct_eq(given.as_bytes()).into()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_session_token_passes() {
        let token = new_token();
        assert!(matches(Some(&token), Some(&token)));
        assert!(!matches(Some(&token), Some("forged")));
        assert!(!matches(Some(&token), None));
        assert!(!matches(None, Some(&token)));
        assert!(!matches(Some(""), Some("")));
    }
}
