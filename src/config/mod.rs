//! Typed settings from `OBOLE_*` environment variables and an optional `obole.toml`.
//!
//! The environment wins over the file. A bad value stops the program with a message that names
//! the environment variable (and the file key), as PRODUCT.md requires. Secrets are wrapped in
//! [`Secret`] so that no `Debug` or log line can print them.

use std::collections::BTreeMap;

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use crate::domain::{Currency, Money, Zone};

mod external;
mod mail;
mod metrics;
mod operator;
mod parse;
mod sepa;
mod time_zone;
mod values;
pub use external::{OAuthProvider, ProviderKind, STRIPE_API, StripeSettings};
pub use operator::{Charity, Operator};
use parse::{default_sender, parse_base_url, parse_database_url, parse_percent, read_file};
pub use sepa::{MissingSepaSetting, SepaSettings};
pub use values::{DatabaseUrl, Secret};

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
    "smtp_ca_file",
    "fee_percent",
    "clock",
    "time_zone",
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
    "mail_senders",
    "stripe_secret_key",
    "stripe_publishable_key",
    "stripe_webhook_secret",
    "stripe_api_base",
    "instance_name",
    "operator_legal_name",
    "operator_address",
    "charity_name",
    "charity_payout_details",
    "metrics_token",
    "sepa_debtor_name",
    "sepa_debtor_iban",
    "sepa_debtor_bic",
];

/// The file read when `OBOLE_CONFIG` does not name another one; it may be absent.
pub const DEFAULT_CONFIG_FILE: &str = "obole.toml";

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
    /// The IANA zone whose calendar months follow (`OBOLE_TIME_ZONE`, UTC by default).
    pub time_zone: Zone,
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
    /// The threads that compose and send mail (`OBOLE_MAIL_SENDERS`, default 4).
    pub mail_senders: u32,
    /// Certificates (PEM) trusted for the SMTP server's TLS besides the system's
    /// (`OBOLE_SMTP_CA_FILE`): a relay with a certificate from a private authority.
    pub smtp_ca_file: Option<PathBuf>,
    /// OAuth2 sign-in providers, in name order (none: password sign-in only).
    pub oauth_providers: Vec<OAuthProvider>,
    /// Card payments (none: vouchers only).
    pub stripe: Option<StripeSettings>,
    /// The instance's name and who runs it (`OBOLE_INSTANCE_NAME`, `OBOLE_OPERATOR_LEGAL_NAME`,
    /// `OBOLE_OPERATOR_ADDRESS`), as printed statements name them.
    pub operator: Operator,
    /// The bearer token `GET /metrics` asks for (`OBOLE_METRICS_TOKEN`); `None`: served to
    /// anyone who reaches it.
    pub metrics_token: Option<Secret>,
    /// The account that pays SEPA batches (`OBOLE_SEPA_DEBTOR_*`).
    pub sepa: SepaSettings,
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
        let time_zone = time_zone::parse_time_zone(raw("time_zone"))?;
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
        let mail_senders = mail::mail_senders(&raw)?;
        let smtp_ca_file = raw("smtp_ca_file").map(PathBuf::from);
        let mut provider_names: Vec<String> = env_names.to_vec();
        provider_names.extend(file.keys().cloned());
        let oauth_providers = external::oauth_providers(&provider_names, &raw)?;
        let stripe = external::stripe(&raw)?;
        let operator = operator::operator(&raw)?;
        let metrics_token = metrics::metrics_token(&raw)?;
        let sepa = sepa::sepa(&raw)?;
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
            time_zone,
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
            mail_senders,
            smtp_ca_file,
            oauth_providers,
            stripe,
            operator,
            metrics_token,
            sepa,
        })
    }

    /// Whether the public address is served over TLS, so cookies must be `Secure`.
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests;
