//! Typed settings from `OBOLE_*` environment variables and an optional `obole.toml`.
//!
//! The environment wins over the file. A bad value stops the program with a message that names
//! the environment variable (and the file key), as PRODUCT.md requires. Secrets are wrapped in
//! [`Secret`] so that no `Debug` or log line can print them.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use crate::domain::{Currency, Money};

mod external;
mod operator;
pub use external::{OAuthProvider, ProviderKind, STRIPE_API, StripeSettings};
pub use operator::Operator;

/// How long after a month's end its settlement may start, unless `OBOLE_SETTLE_GRACE_SECONDS`
/// says otherwise: a click sent in the month's last instant is still on its way for a moment
/// (a queue, a slow network), and it should land rather than meet a closed month.
pub const DEFAULT_GRACE: TimeDelta = TimeDelta::minutes(5);

/// How many months an unclaimed thing's shares are held, unless `OBOLE_CLAIM_HOLD_MONTHS`
/// says otherwise: long enough for a creator to hear of their tips and prove their page.
pub const DEFAULT_HOLD_MONTHS: u32 = 6;

/// Every setting this program reads, by its file key. The variable is `OBOLE_` + upper case.
const KNOWN_KEYS: &[&str] = &[
    "database_url",
    "bind",
    "base_url",
    "secret_key",
    "smtp_url",
    "fee_percent",
    "clock",
    "data_dir",
    "currency",
    "max_budget",
    "db_pool_size",
    "log",
    "trust_forwarded_for",
    "auto_settle",
    "settle_grace_seconds",
    "claim_hold_months",
    "fetch_allow_private",
    "payout_minimum",
    "mail_from",
    "mail_retry_seconds",
    "stripe_secret_key",
    "stripe_publishable_key",
    "stripe_webhook_secret",
    "stripe_api_base",
    "instance_name",
    "operator_legal_name",
    "operator_address",
];

/// The file read when `OBOLE_CONFIG` does not name another one; it may be absent.
pub const DEFAULT_CONFIG_FILE: &str = "obole.toml";

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where the data lives: a SQLite file (the zero-configuration default) or a PostgreSQL server.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(Secret),
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            // The URL may hold a password.
            DatabaseUrl::Postgres(_) => f.write_str("postgres://<redacted>"),
        }
    }
}

impl DatabaseUrl {
    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "SQLite",
            DatabaseUrl::Postgres(_) => "PostgreSQL",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind: SocketAddr,
    /// The public address, without a trailing slash; `https` makes cookies `Secure`.
    pub base_url: String,
    pub secret_key: Option<Secret>,
    pub smtp_url: Option<Secret>,
    pub fee_percent: Decimal,
    pub clock: Option<DateTime<Utc>>,
    pub data_dir: PathBuf,
    pub currency: Currency,
    pub max_budget: Money,
    pub db_pool_size: u32,
    /// A `tracing` filter such as `info` or `obole=debug,info`.
    pub log: String,
    /// Behind a reverse proxy: take the client address from the right-most
    /// `X-Forwarded-For` entry (the one the proxy appends) instead of the peer address.
    pub trust_forwarded_for: bool,
    /// `obole serve` settles the previous month by itself once it has closed (default on).
    pub auto_settle: bool,
    /// How long after a month's end its settlement may start.
    pub settle_grace: TimeDelta,
    /// How many months an unclaimed thing's shares are held before they go back to the
    /// readers (default 6).
    pub claim_hold_months: u32,
    /// Lets the proof fetcher reach loopback and private addresses (tests, intranets).
    pub fetch_allow_private: bool,
    /// The smallest payout a creator may ask for (default 10.00).
    pub payout_minimum: Money,
    /// The sender of every mail, `Name <address>` or an address (default `Obole <obole@host>`).
    pub mail_from: String,
    /// The first delay before a failed mail is tried again; it doubles with each failure.
    pub mail_retry_seconds: u32,
    /// OAuth2 sign-in providers, in name order (none: password sign-in only).
    pub oauth_providers: Vec<OAuthProvider>,
    /// Card payments (none: vouchers only).
    pub stripe: Option<StripeSettings>,
    /// The instance's name and who runs it (`OBOLE_INSTANCE_NAME`, `OBOLE_OPERATOR_LEGAL_NAME`,
    /// `OBOLE_OPERATOR_ADDRESS`), as printed statements name them.
    pub operator: Operator,
}

/// A setting that could not be read. Its message names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}{file_hint}: {reason}")]
pub struct ConfigError {
    pub variable: String,
    file_hint: String,
    reason: String,
}

impl ConfigError {
    fn new(key: &str, reason: impl Into<String>) -> Self {
        ConfigError {
            variable: env_name(key),
            file_hint: format!(" (`{key}` in {DEFAULT_CONFIG_FILE})"),
            reason: reason.into(),
        }
    }
}

fn env_name(key: &str) -> String {
    format!("OBOLE_{}", key.to_ascii_uppercase())
}

impl Settings {
    /// Reads the process environment and `obole.toml` (or the file `OBOLE_CONFIG` names).
    pub fn from_environment() -> Result<Settings, ConfigError> {
        let explicit = std::env::var("OBOLE_CONFIG").ok();
        let path = PathBuf::from(explicit.as_deref().unwrap_or(DEFAULT_CONFIG_FILE));
        let file = read_file(&path, explicit.is_some())?;
        let names: Vec<String> = std::env::vars_os()
            .filter_map(|(name, _)| name.into_string().ok())
            .filter(|name| name.starts_with("OBOLE_"))
            .collect();
        Settings::from_sources(|name| std::env::var(name).ok(), &names, file)
    }

    /// Builds settings from `OBOLE_*` pairs alone, as tests do. A later pair overrides an
    /// earlier one with the same name.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let lookup = |name: &str| {
            pairs
                .iter()
                .rev()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        };
        let names: Vec<String> = pairs.iter().map(|(name, _)| (*name).to_owned()).collect();
        Settings::from_sources(lookup, &names, BTreeMap::new())
    }

    /// `env` reads a variable; `env_names` are the variables set, where OAuth2 providers are
    /// found (their names are not known in advance).
    fn from_sources(
        env: impl Fn(&str) -> Option<String>,
        env_names: &[String],
        file: BTreeMap<String, String>,
    ) -> Result<Settings, ConfigError> {
        let raw = |key: &str| -> Option<String> {
            env(&env_name(key))
                .or_else(|| file.get(key).cloned())
                .filter(|v| !v.trim().is_empty())
        };
        let data_dir = PathBuf::from(raw("data_dir").unwrap_or_else(|| "./data".to_owned()));
        let database_url = match raw("database_url") {
            Some(text) => parse_database_url(&text)?,
            None => DatabaseUrl::Sqlite(data_dir.join("obole.sqlite3")),
        };
        let bind: SocketAddr = match raw("bind") {
            Some(text) => text.trim().parse().map_err(|_| {
                ConfigError::new(
                    "bind",
                    format!("{text:?} is not an address and port such as 127.0.0.1:8080"),
                )
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let base_url = match raw("base_url") {
            Some(text) => parse_base_url(&text)?,
            None => format!("http://{bind}"),
        };
        let secret_key = match raw("secret_key") {
            Some(text) if text.len() < 32 => {
                return Err(ConfigError::new(
                    "secret_key",
                    "must be at least 32 characters long",
                ));
            }
            other => other.map(Secret),
        };
        let smtp_url = match raw("smtp_url") {
            Some(text) if !(text.starts_with("smtp://") || text.starts_with("smtps://")) => {
                return Err(ConfigError::new(
                    "smtp_url",
                    "must start with smtp:// or smtps://",
                ));
            }
            other => other.map(Secret),
        };
        let fee_percent = match raw("fee_percent") {
            Some(text) => parse_percent(&text)?,
            None => Decimal::TEN,
        };
        let clock = match raw("clock") {
            Some(text) => Some(
                DateTime::parse_from_rfc3339(text.trim())
                    .map_err(|_| {
                        ConfigError::new(
                            "clock",
                            format!(
                                "{text:?} is not an RFC 3339 instant such as 2026-12-01T00:00:00Z"
                            ),
                        )
                    })?
                    .with_timezone(&Utc),
            ),
            None => None,
        };
        let currency = match raw("currency") {
            Some(text) => Currency::parse(&text).ok_or_else(|| {
                ConfigError::new(
                    "currency",
                    format!("{text:?} is not a supported currency (EUR)"),
                )
            })?,
            None => Currency::Eur,
        };
        let max_budget = match raw("max_budget") {
            Some(text) => Money::parse_user_amount(&text)
                .map_err(|e| ConfigError::new("max_budget", format!("{text:?}: {e}")))?,
            None => Money::from_micros(100_000_000),
        };
        let db_pool_size = match raw("db_pool_size") {
            Some(text) => text
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or_else(|| {
                    ConfigError::new("db_pool_size", "must be a whole number from 1 to 256")
                })?,
            None => 8,
        };
        let boolean = |key: &'static str, default: bool| -> Result<bool, ConfigError> {
            match raw(key).map(|v| v.trim().to_ascii_lowercase()) {
                None => Ok(default),
                Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
                Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
                Some(v) => Err(ConfigError::new(key, format!("{v:?} is not true or false"))),
            }
        };
        let trust_forwarded_for = boolean("trust_forwarded_for", false)?;
        let auto_settle = boolean("auto_settle", true)?;
        let settle_grace = match raw("settle_grace_seconds") {
            Some(text) => text
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 86_400)
                .map(|n| TimeDelta::seconds(i64::from(n)))
                .ok_or_else(|| {
                    ConfigError::new(
                        "settle_grace_seconds",
                        "must be a whole number of seconds from 0 to 86400",
                    )
                })?,
            None => DEFAULT_GRACE,
        };
        let claim_hold_months = match raw("claim_hold_months") {
            Some(text) => text
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=120).contains(n))
                .ok_or_else(|| {
                    ConfigError::new(
                        "claim_hold_months",
                        "must be a whole number of months from 1 to 120",
                    )
                })?,
            None => DEFAULT_HOLD_MONTHS,
        };
        let fetch_allow_private = boolean("fetch_allow_private", false)?;
        let payout_minimum = match raw("payout_minimum") {
            Some(text) => Money::parse_user_amount(&text)
                .map_err(|e| ConfigError::new("payout_minimum", format!("{text:?}: {e}")))?,
            None => Money::from_micros(10_000_000),
        };
        let mail_from = match raw("mail_from") {
            Some(text) => {
                let text = text.trim().to_owned();
                if text.contains(['\r', '\n']) || text.parse::<lettre::message::Mailbox>().is_err()
                {
                    return Err(ConfigError::new(
                        "mail_from",
                        format!("{text:?} is not an address such as Obole <obole@example.org>"),
                    ));
                }
                text
            }
            None => default_sender(&base_url),
        };
        let mail_retry_seconds = match raw("mail_retry_seconds") {
            Some(text) => text
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=86_400).contains(n))
                .ok_or_else(|| {
                    ConfigError::new(
                        "mail_retry_seconds",
                        "must be a whole number from 1 to 86400",
                    )
                })?,
            None => 60,
        };
        let mut provider_names: Vec<String> = env_names.to_vec();
        provider_names.extend(file.keys().cloned());
        let oauth_providers = external::oauth_providers(&provider_names, &raw)?;
        let stripe = external::stripe(&raw)?;
        let operator = operator::operator(&raw)?;
        let log = raw("log").unwrap_or_else(|| "info".to_owned());
        tracing_subscriber::EnvFilter::try_new(&log)
            .map_err(|e| ConfigError::new("log", format!("not a valid log filter: {e}")))?;
        Ok(Settings {
            database_url,
            bind,
            base_url,
            secret_key,
            smtp_url,
            fee_percent,
            clock,
            data_dir,
            currency,
            max_budget,
            db_pool_size,
            log,
            trust_forwarded_for,
            auto_settle,
            settle_grace,
            claim_hold_months,
            fetch_allow_private,
            payout_minimum,
            mail_from,
            mail_retry_seconds,
            oauth_providers,
            stripe,
            operator,
        })
    }

    /// Whether the public address is served over TLS, so cookies must be `Secure`.
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

fn read_file(path: &Path, required: bool) -> Result<BTreeMap<String, String>, ConfigError> {
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

fn parse_database_url(text: &str) -> Result<DatabaseUrl, ConfigError> {
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

fn parse_base_url(text: &str) -> Result<String, ConfigError> {
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
fn default_sender(base_url: &str) -> String {
    let host = url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.domain().map(str::to_owned))
        .filter(|h| h.contains('.') || h == "localhost")
        .unwrap_or_else(|| "localhost".to_owned());
    format!("Obole <obole@{host}>")
}

fn parse_percent(text: &str) -> Result<Decimal, ConfigError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_product_spec() {
        let settings = Settings::from_pairs(&[]).expect("defaults are valid");
        assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.base_url, "http://127.0.0.1:8080");
        assert_eq!(
            settings.database_url,
            DatabaseUrl::Sqlite(PathBuf::from("./data/obole.sqlite3"))
        );
        assert_eq!(settings.fee_percent, Decimal::TEN);
        assert_eq!(settings.max_budget.to_api_string(), "100.00");
        assert!(settings.clock.is_none());
    }

    #[test]
    fn errors_name_the_variable() {
        let cases = [
            ("OBOLE_BIND", "nonsense"),
            ("OBOLE_DATABASE_URL", "mysql://x"),
            ("OBOLE_FEE_PERCENT", "-1"),
            ("OBOLE_FEE_PERCENT", "101"),
            ("OBOLE_CLOCK", "yesterday"),
            ("OBOLE_SECRET_KEY", "short"),
            ("OBOLE_BASE_URL", "ftp://x"),
            ("OBOLE_DB_POOL_SIZE", "0"),
            ("OBOLE_TRUST_FORWARDED_FOR", "maybe"),
            ("OBOLE_PAYOUT_MINIMUM", "ten"),
            ("OBOLE_MAIL_FROM", "not an address"),
            ("OBOLE_MAIL_RETRY_SECONDS", "0"),
        ];
        for (variable, value) in cases {
            let error = Settings::from_pairs(&[(variable, value)]).expect_err(variable);
            assert!(error.to_string().starts_with(variable), "{error}");
        }
    }

    #[test]
    fn the_file_fills_in_and_the_environment_wins() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("obole.toml");
        std::fs::write(
            &path,
            "bind = \"127.0.0.1:9000\"\nfee_percent = 5\nlog = \"debug\"\n",
        )
        .expect("write");
        let file = read_file(&path, true).expect("valid file");
        let env = |name: &str| (name == "OBOLE_LOG").then(|| "warn".to_owned());
        let settings = Settings::from_sources(env, &[], file).expect("valid");
        assert_eq!(settings.bind.to_string(), "127.0.0.1:9000");
        assert_eq!(settings.fee_percent, Decimal::from(5));
        assert_eq!(settings.log, "warn");
    }

    #[test]
    fn a_bad_file_is_refused_with_its_name() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("obole.toml");
        std::fs::write(&path, "bnid = \"typo\"\n").expect("write");
        let error = read_file(&path, true).expect_err("unknown key");
        assert!(error.to_string().contains("bnid"), "{error}");
        std::fs::write(&path, "bind = \"nonsense\"\n").expect("write");
        let file = read_file(&path, true).expect("valid TOML");
        let error = Settings::from_sources(|_| None, &[], file).expect_err("bad bind");
        assert!(error.to_string().starts_with("OBOLE_BIND"), "{error}");
        assert!(
            read_file(&dir.path().join("absent.toml"), false)
                .expect("optional")
                .is_empty()
        );
        assert!(
            read_file(&dir.path().join("absent.toml"), true).is_err(),
            "OBOLE_CONFIG must exist"
        );
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let settings = Settings::from_pairs(&[
            (
                "OBOLE_SECRET_KEY",
                "a-very-long-secret-key-of-forty-characters",
            ),
            (
                "OBOLE_DATABASE_URL",
                "postgres://obole:hunter2hunter2@db/obole",
            ),
        ])
        .expect("valid");
        let debug = format!("{settings:?}");
        assert!(
            !debug.contains("forty-characters") && !debug.contains("hunter2"),
            "{debug}"
        );
    }
}
