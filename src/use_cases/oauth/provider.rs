//! Talking to an OAuth2 provider: the authorization URL (code flow, PKCE S256, state), the
//! code exchange, and the user info that says who signed in.

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse as _, TokenUrl,
};
use serde::Deserialize;
use serde_json::Value;

use crate::config::{OAuthProvider, ProviderKind};

/// Who signed in, as the provider says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderIdentity {
    /// The provider's stable id of the person (never their email, which can change hands).
    pub subject: String,
    /// An address the provider vouches for, when it does.
    pub verified_email: Option<String>,
    /// An address the provider gave without vouching for it.
    pub unverified_email: Option<String>,
    pub name: Option<String>,
}

/// A sign-in started: where to send the browser, and what to keep in the session.
pub struct Started {
    pub url: String,
    pub state: String,
    pub verifier: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the provider is misconfigured: {0}")]
    Config(String),
    #[error("the provider refused the code: {0}")]
    Exchange(String),
    #[error("the provider's user info could not be read: {0}")]
    UserInfo(String),
}

/// The exact redirect URI registered at the provider.
pub fn redirect_uri(base_url: &str, provider: &OAuthProvider) -> String {
    format!("{base_url}/auth/{}/callback", provider.name)
}

/// Builds the authorization URL with a fresh state and a fresh PKCE verifier (S256).
pub fn start(base_url: &str, provider: &OAuthProvider) -> Result<Started, ProviderError> {
    let client = BasicClient::new(ClientId::new(provider.client_id.clone()))
        .set_auth_uri(AuthUrl::new(provider.auth_url.clone()).map_err(config)?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri(base_url, provider)).map_err(config)?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge);
    for scope in &provider.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, state) = request.url();
    Ok(Started {
        url: url.to_string(),
        state: state.secret().clone(),
        verifier: verifier.secret().clone(),
    })
}

/// Exchanges the code (with the verifier only this session holds) and reads who signed in.
pub async fn finish(
    http: &reqwest::Client,
    base_url: &str,
    provider: &OAuthProvider,
    code: &str,
    verifier: &str,
) -> Result<ProviderIdentity, ProviderError> {
    let client = BasicClient::new(ClientId::new(provider.client_id.clone()))
        .set_client_secret(ClientSecret::new(
            provider.client_secret.expose().to_owned(),
        ))
        .set_token_uri(TokenUrl::new(provider.token_url.clone()).map_err(config)?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri(base_url, provider)).map_err(config)?);
    let token = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
        .request_async(http)
        .await
        .map_err(|e| ProviderError::Exchange(describe(&e)))?;
    let access_token = token.access_token().secret();
    match provider.kind {
        ProviderKind::OpenIdConnect => open_id_user_info(http, provider, access_token).await,
        ProviderKind::GitHub => github_user(http, provider, access_token).await,
    }
}

fn config(e: impl std::fmt::Display) -> ProviderError {
    ProviderError::Config(e.to_string())
}

/// The error and its causes on one line (the provider's answer is in the chain).
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

async fn get_json(
    http: &reqwest::Client,
    url: &str,
    access_token: &str,
) -> Result<Value, ProviderError> {
    let response = http
        .get(url)
        .bearer_auth(access_token)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| ProviderError::UserInfo(describe(&e)))?;
    if !response.status().is_success() {
        return Err(ProviderError::UserInfo(format!(
            "{url} answered {}",
            response.status()
        )));
    }
    response
        .json::<Value>()
        .await
        .map_err(|e| ProviderError::UserInfo(describe(&e)))
}

/// A subject as text: providers send strings (OpenID Connect) or numbers (GitHub).
fn subject_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() && s.len() <= 255 => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text_of(value: &Value) -> Option<String> {
    value
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// OpenID Connect user info (GitLab and generic providers): `sub`, `email`, `email_verified`.
async fn open_id_user_info(
    http: &reqwest::Client,
    provider: &OAuthProvider,
    access_token: &str,
) -> Result<ProviderIdentity, ProviderError> {
    let info = get_json(http, &provider.userinfo_url, access_token).await?;
    identity_from_open_id(&info)
}

pub(crate) fn identity_from_open_id(info: &Value) -> Result<ProviderIdentity, ProviderError> {
    let subject = subject_of(&info["sub"])
        .ok_or_else(|| ProviderError::UserInfo("no `sub` in the user info".into()))?;
    let email = text_of(&info["email"]);
    // Only an explicit `true` vouches for the address (some providers send the string).
    let verified = matches!(&info["email_verified"], Value::Bool(true))
        || info["email_verified"].as_str() == Some("true");
    let name = text_of(&info["name"]).or_else(|| text_of(&info["preferred_username"]));
    Ok(ProviderIdentity {
        subject,
        verified_email: email.clone().filter(|_| verified),
        unverified_email: email.filter(|_| !verified),
        name,
    })
}

#[derive(Deserialize)]
struct GitHubEmail {
    email: String,
    #[serde(default)]
    primary: bool,
    #[serde(default)]
    verified: bool,
}

/// GitHub has no OpenID Connect: `/user` gives the id, `/user/emails` the verified addresses.
async fn github_user(
    http: &reqwest::Client,
    provider: &OAuthProvider,
    access_token: &str,
) -> Result<ProviderIdentity, ProviderError> {
    let user = get_json(http, &provider.userinfo_url, access_token).await?;
    let subject = subject_of(&user["id"])
        .ok_or_else(|| ProviderError::UserInfo("no `id` in GitHub's user".into()))?;
    let emails_url = format!("{}/emails", provider.userinfo_url);
    // Without the emails (a token without the scope), the person is asked for an address.
    let emails: Vec<GitHubEmail> = match get_json(http, &emails_url, access_token).await {
        Ok(value) => serde_json::from_value(value).unwrap_or_default(),
        Err(e) => {
            tracing::warn!(error = %e, "GitHub's addresses could not be read");
            Vec::new()
        }
    };
    let verified = emails
        .iter()
        .filter(|e| e.verified)
        .max_by_key(|e| e.primary)
        .map(|e| e.email.clone());
    Ok(ProviderIdentity {
        subject,
        unverified_email: verified
            .is_none()
            .then(|| text_of(&user["email"]))
            .flatten(),
        verified_email: verified,
        name: text_of(&user["name"]).or_else(|| text_of(&user["login"])),
    })
}

#[cfg(test)]
mod tests;
