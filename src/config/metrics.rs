//! `OBOLE_METRICS_TOKEN`: the bearer token Prometheus presents on `GET /metrics`. Unset, the
//! figures are served to anyone who reaches the route (docs/SECURITY.md says to set it, or to
//! keep `/metrics` off the public proxy).

use super::{ConfigError, Secret};

/// Shorter tokens are refused: a guessable one protects nothing.
const MIN_CHARS: usize = 16;

pub(super) fn metrics_token(
    raw: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Secret>, ConfigError> {
    let Some(text) = raw("metrics_token") else {
        return Ok(None);
    };
    let token = text.trim();
    if token.chars().count() < MIN_CHARS {
        return Err(ConfigError::new(
            "metrics_token",
            format!("must be at least {MIN_CHARS} characters long"),
        ));
    }
    // It travels in an `Authorization` header, as Prometheus's `bearer_token` sends it.
    if !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ConfigError::new(
            "metrics_token",
            "must be printable ASCII without spaces",
        ));
    }
    Ok(Some(Secret::new(token.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: &str) -> Result<Option<Secret>, ConfigError> {
        let value = value.to_owned();
        metrics_token(&move |key| (key == "metrics_token").then(|| value.clone()))
    }

    #[test]
    fn a_token_is_long_printable_ascii() {
        assert_eq!(
            read(" scrape-me-0123456789 ").expect("token"),
            Some(Secret::new("scrape-me-0123456789".into()))
        );
        let short = read("short").expect_err("too short").to_string();
        assert!(short.contains("OBOLE_METRICS_TOKEN"), "{short}");
        assert!(read("with a space in the middle").is_err());
        assert!(read("accentué-accentué-accentué").is_err());
        assert_eq!(metrics_token(&|_| None).expect("unset"), None);
    }
}
