//! Settings of the outside services Obole can talk to: OAuth2 sign-in providers and Stripe.
//! Both are optional; without them the pages offer neither provider buttons nor card payments.

use super::{ConfigError, Secret};

/// The fields of a provider's settings: `OBOLE_OAUTH_{NAME}_{FIELD}`.
pub(super) const OAUTH_FIELDS: [&str; 5] = [
    "client_id",
    "client_secret",
    "auth_url",
    "token_url",
    "userinfo_url",
];

/// How a provider tells who signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// GitHub's REST API: `/user` for the id, `/user/emails` for a verified address.
    GitHub,
    /// Any OpenID Connect user info endpoint (GitLab's included): `sub`, `email`,
    /// `email_verified`.
    OpenIdConnect,
}

/// One configured OAuth2 provider.
#[derive(Debug, Clone)]
pub struct OAuthProvider {
    /// Lower-case name, as in `/auth/{name}` and `OBOLE_OAUTH_{NAME}_*`.
    pub name: String,
    /// What its button says.
    pub label: String,
    pub kind: ProviderKind,
    pub client_id: String,
    pub client_secret: Secret,
    pub auth_url: String,
    pub token_url: String,
    pub userinfo_url: String,
    pub scopes: Vec<String>,
}

/// Card payments through Stripe: all three keys, or none.
#[derive(Debug, Clone)]
pub struct StripeSettings {
    pub secret_key: Secret,
    pub publishable_key: String,
    pub webhook_secret: Secret,
    /// The API's address without a trailing slash (`https://api.stripe.com` by default).
    pub api_base: String,
}

pub const STRIPE_API: &str = "https://api.stripe.com";

impl StripeSettings {
    /// Where Stripe.js comes from: Stripe's own host for the real API; a local
    /// Stripe-compatible server (localstripe) serves its stand-in under its own address.
    pub fn js_url(&self) -> String {
        if self.api_base == STRIPE_API {
            "https://js.stripe.com/v3/".to_owned()
        } else {
            format!("{}/js.stripe.com/v3/", self.api_base)
        }
    }
}

/// Reads `OBOLE_STRIPE_*`: nothing set is fine, a partial set is an error naming what lacks.
pub(super) fn stripe(
    raw: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<StripeSettings>, ConfigError> {
    let keys = [
        "stripe_secret_key",
        "stripe_publishable_key",
        "stripe_webhook_secret",
    ];
    let values: Vec<Option<String>> = keys.iter().map(|k| raw(k)).collect();
    if values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut present = Vec::new();
    for (key, value) in keys.iter().zip(values) {
        match value {
            Some(value) => present.push(value.trim().to_owned()),
            None => {
                return Err(ConfigError::new(
                    key,
                    "card payments need the secret key, the publishable key and the webhook \
                     secret together",
                ));
            }
        }
    }
    let [secret_key, publishable_key, webhook_secret] =
        <[String; 3]>::try_from(present).map_err(|_| ConfigError::new(keys[0], "missing"))?;
    if !secret_key.starts_with("sk_") && !secret_key.starts_with("rk_") {
        return Err(ConfigError::new(keys[0], "must start with sk_ or rk_"));
    }
    if !publishable_key.starts_with("pk_") {
        return Err(ConfigError::new(keys[1], "must start with pk_"));
    }
    let api_base = match raw("stripe_api_base") {
        Some(text) => http_url("stripe_api_base", &text)?,
        None => STRIPE_API.to_owned(),
    };
    Ok(Some(StripeSettings {
        secret_key: Secret(secret_key),
        publishable_key,
        webhook_secret: Secret(webhook_secret),
        api_base,
    }))
}

/// Finds every `OBOLE_OAUTH_{NAME}_CLIENT_ID` among `names` (and `oauth_{name}_client_id` in
/// the file) and reads that provider's settings.
pub(super) fn oauth_providers(
    names: &[String],
    raw: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<OAuthProvider>, ConfigError> {
    let mut found: Vec<String> = names
        .iter()
        .filter_map(|name| {
            let lower = name.to_ascii_lowercase();
            let key = lower.strip_prefix("obole_").unwrap_or(&lower);
            OAUTH_FIELDS.iter().find_map(|field| {
                key.strip_prefix("oauth_")?
                    .strip_suffix(field)?
                    .strip_suffix('_')
                    .map(str::to_owned)
            })
        })
        .filter(|name| !name.is_empty())
        .collect();
    found.sort();
    found.dedup();
    found.iter().map(|name| provider(name, raw)).collect()
}

fn provider(
    name: &str,
    raw: &dyn Fn(&str) -> Option<String>,
) -> Result<OAuthProvider, ConfigError> {
    let key = |field: &str| format!("oauth_{name}_{field}");
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(ConfigError::new(
            &key("client_id"),
            "a provider's name has only letters, digits and _",
        ));
    }
    let required = |field: &str| -> Result<String, ConfigError> {
        raw(&key(field))
            .map(|v| v.trim().to_owned())
            .ok_or_else(|| ConfigError::new(&key(field), "is required for this provider"))
    };
    let url = |field: &str, preset: Option<&str>| -> Result<String, ConfigError> {
        match (raw(&key(field)), preset) {
            (Some(text), _) => http_url(&key(field), &text),
            (None, Some(preset)) => Ok(preset.to_owned()),
            (None, None) => Err(ConfigError::new(
                &key(field),
                "is required for a provider other than GitHub and GitLab",
            )),
        }
    };
    let (label, kind, urls, scopes): (String, ProviderKind, [Option<&str>; 3], &[&str]) = match name
    {
        "github" => (
            "GitHub".into(),
            ProviderKind::GitHub,
            [
                Some("https://github.com/login/oauth/authorize"),
                Some("https://github.com/login/oauth/access_token"),
                Some("https://api.github.com/user"),
            ],
            &["read:user", "user:email"],
        ),
        "gitlab" => (
            "GitLab".into(),
            ProviderKind::OpenIdConnect,
            [
                Some("https://gitlab.com/oauth/authorize"),
                Some("https://gitlab.com/oauth/token"),
                Some("https://gitlab.com/oauth/userinfo"),
            ],
            &["openid", "email", "profile"],
        ),
        other => (
            capitalized(other),
            ProviderKind::OpenIdConnect,
            [None, None, None],
            &["openid", "email", "profile"],
        ),
    };
    Ok(OAuthProvider {
        name: name.to_owned(),
        label,
        kind,
        client_id: required("client_id")?,
        client_secret: Secret(required("client_secret")?),
        auth_url: url("auth_url", urls[0])?,
        token_url: url("token_url", urls[1])?,
        userinfo_url: url("userinfo_url", urls[2])?,
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
    })
}

fn capitalized(name: &str) -> String {
    let words: Vec<String> = name
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    words.join(" ")
}

/// An absolute http(s) address, without a trailing slash.
fn http_url(key: &str, text: &str) -> Result<String, ConfigError> {
    let trimmed = text.trim().trim_end_matches('/');
    match url::Url::parse(trimmed) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(trimmed.to_owned())
        }
        _ => Err(ConfigError::new(
            key,
            format!("{text:?} is not an http:// or https:// address"),
        )),
    }
}

#[cfg(test)]
mod tests;
