//! Reading the settings file and parsing the values that need more than `str::parse`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::{ConfigError, DatabaseUrl, KNOWN_KEYS, Secret, external};

pub(super) fn read_file(
    path: &Path,
    required: bool,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(BTreeMap::new());
        }
        Err(e) => {
            return Err(ConfigError {
                variable: "OBOLE_CONFIG".into(),
                file_hint: String::new(),
                reason: format!("cannot read {}: {e}", path.display()),
            });
        }
    };
    let file_error = |reason: String| ConfigError {
        variable: "OBOLE_CONFIG".into(),
        file_hint: format!(" ({})", path.display()),
        reason,
    };
    let table: toml::Table = text
        .parse()
        .map_err(|e| file_error(format!("not valid TOML: {e}")))?;
    let mut values = BTreeMap::new();
    for (key, value) in table {
        let provider_key = key.strip_prefix("oauth_").is_some_and(|rest| {
            external::OAUTH_FIELDS
                .iter()
                .any(|field| rest.len() > field.len() + 1 && rest.ends_with(field))
        });
        if !KNOWN_KEYS.contains(&key.as_str()) && !provider_key {
            return Err(file_error(format!("unknown setting `{key}`")));
        }
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                value.to_string()
            }
            _ => return Err(file_error(format!("`{key}` must be a string or a number"))),
        };
        values.insert(key, text);
    }
    Ok(values)
}

pub(super) fn parse_database_url(text: &str) -> Result<DatabaseUrl, ConfigError> {
    let text = text.trim();
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        return Ok(DatabaseUrl::Postgres(Secret(text.to_owned())));
    }
    let path = text
        .strip_prefix("sqlite://")
        .or_else(|| text.strip_prefix("sqlite:"))
        .unwrap_or(text);
    if path.contains("://") || path.is_empty() || path == ":memory:" {
        return Err(ConfigError::new(
            "database_url",
            "must be postgres://… or the path of a SQLite file (sqlite:path also works)",
        ));
    }
    Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
}

pub(super) fn parse_base_url(text: &str) -> Result<String, ConfigError> {
    let trimmed = text.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Ok(trimmed.to_owned())
        }
        _ => Err(ConfigError::new(
            "base_url",
            format!("{text:?} is not an http:// or https:// address"),
        )),
    }
}

/// `Obole <obole@HOST>` with the public address's host name (`localhost` when that is not a
/// name a mailbox can use, such as an IP address).
pub(super) fn default_sender(base_url: &str) -> String {
    let host = url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.domain().map(str::to_owned))
        .filter(|h| h.contains('.') || h == "localhost")
        .unwrap_or_else(|| "localhost".to_owned());
    format!("Obole <obole@{host}>")
}

pub(super) fn parse_percent(text: &str) -> Result<Decimal, ConfigError> {
    let error = || {
        ConfigError::new(
            "fee_percent",
            format!("{text:?} is not a percentage from 0 to 100"),
        )
    };
    let trimmed = text.trim();
    if !trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(error());
    }
    let value: Decimal = trimmed.parse().map_err(|_| error())?;
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(error());
    }
    Ok(value)
}
