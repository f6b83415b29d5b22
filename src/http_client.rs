//! The one outgoing HTTP client (OAuth2 providers, Stripe).

use std::time::Duration;

use anyhow::Context as _;

/// A client that follows no redirects (an OAuth2 token endpoint that redirects could carry a
/// code or a secret elsewhere; Stripe never redirects) and gives up after bounded times, so
/// that a provider that hangs cannot hold a request forever.
pub fn build() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .user_agent(concat!("Obole/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("building the HTTP client")
}
