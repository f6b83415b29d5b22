//! Fetches a page that a creator claims, without letting the claim reach Obole's own network.
//!
//! A creator chooses the address, so it is untrusted input: only http(s) to public addresses,
//! no proxy, redirects followed by hand and only within the claimed origin, a bounded body and
//! one deadline for the whole fetch.

mod body;
mod error;
mod redirect;
mod resolver;

use std::error::Error as _;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use reqwest::redirect::Policy;
use url::{Host, Url};

use crate::use_cases::claims::address::is_public;
pub use error::FetchError;
use resolver::{NoPublicAddress, PublicOnlyResolver};

const USER_AGENT: &str = concat!(
    "Obole-Verifier/",
    env!("CARGO_PKG_VERSION"),
    " (+site ownership check)"
);

/// The limits of a fetch.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    /// Lets private and loopback addresses through: for tests and local development only.
    pub allow_private: bool,
    /// The whole fetch, every redirect and the body included.
    pub timeout: Duration,
    /// Body bytes kept; the rest is not read.
    pub max_bytes: usize,
    pub max_redirects: usize,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            allow_private: false,
            timeout: Duration::from_secs(5),
            max_bytes: 256 * 1024,
            max_redirects: 3,
        }
    }
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The address after redirects.
    pub url: Url,
    pub status: u16,
    /// Decoded as UTF-8, invalid sequences replaced.
    pub body: String,
    /// True when the body was longer than the policy's `max_bytes` and was cut there.
    pub truncated: bool,
}

/// Fetches claimed pages under one policy. Cheap to clone: clones share the connection pool.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    policy: FetchPolicy,
}

impl Fetcher {
    pub fn new(policy: FetchPolicy) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .redirect(Policy::none())
            // A proxy from the environment would connect on our behalf to an address we
            // never checked.
            .no_proxy()
            .connect_timeout(policy.timeout)
            .timeout(policy.timeout)
            .user_agent(USER_AGENT);
        if !policy.allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnlyResolver));
        }
        let client = builder.build().context("building the ownership fetcher")?;
        Ok(Fetcher { client, policy })
    }

    /// The most bytes of a body that are read.
    pub fn max_bytes(&self) -> usize {
        self.policy.max_bytes
    }

    /// Fetches `url`, following same-origin redirects; a final status other than 2xx is an
    /// error.
    pub async fn fetch(&self, url: &Url) -> Result<Fetched, FetchError> {
        let after = self.policy.timeout;
        tokio::time::timeout(after, self.follow(url))
            .await
            .unwrap_or_else(|_elapsed| {
                Err(FetchError::Timeout {
                    url: url.to_string(),
                    after,
                })
            })
    }

    async fn follow(&self, start: &Url) -> Result<Fetched, FetchError> {
        let mut current = start.clone();
        for _hop in 0..=self.policy.max_redirects {
            self.check_url(&current)?;
            let response = self.send(&current).await?;
            match redirect::target(&current, &response)? {
                None => return self.finish(current, response).await,
                Some(next) if redirect::same_site(start, &next) => current = next,
                Some(next) => {
                    return Err(FetchError::RedirectOffOrigin {
                        from: current.to_string(),
                        to: next.to_string(),
                    });
                }
            }
        }
        Err(FetchError::TooManyRedirects {
            url: start.to_string(),
            max: self.policy.max_redirects,
        })
    }

    /// What can be refused before any packet is sent. A host written as an IP address never
    /// reaches the resolver, so it is judged here.
    fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::NotHttp {
                url: url.to_string(),
            });
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FetchError::Credentials {
                url: without_credentials(url),
            });
        }
        let ip = match url.host() {
            None => {
                return Err(FetchError::NotHttp {
                    url: url.to_string(),
                });
            }
            Some(Host::Domain(_)) => return Ok(()),
            Some(Host::Ipv4(ip)) => ip.into(),
            Some(Host::Ipv6(ip)) => ip.into(),
        };
        if self.policy.allow_private || is_public(ip) {
            Ok(())
        } else {
            Err(not_public(url, ip.to_string()))
        }
    }

    async fn send(&self, url: &Url) -> Result<reqwest::Response, FetchError> {
        let response = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(|error| self.request_error(url, &error))?;
        // A second guard: the resolver already kept only public addresses.
        match response.remote_addr() {
            Some(peer) if !self.policy.allow_private && !is_public(peer.ip()) => {
                Err(not_public(url, peer.ip().to_string()))
            }
            _ => Ok(response),
        }
    }

    async fn finish(
        &self,
        url: Url,
        mut response: reqwest::Response,
    ) -> Result<Fetched, FetchError> {
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_string(),
                status: status.as_u16(),
            });
        }
        let (body, truncated) = body::read_limited(&mut response, self.policy.max_bytes)
            .await
            .map_err(|error| self.request_error(&url, &error))?;
        Ok(Fetched {
            body: String::from_utf8_lossy(&body).into_owned(),
            url,
            status: status.as_u16(),
            truncated,
        })
    }

    fn request_error(&self, url: &Url, error: &reqwest::Error) -> FetchError {
        if error.is_timeout() {
            return FetchError::Timeout {
                url: url.to_string(),
                after: self.policy.timeout,
            };
        }
        let mut reason = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            if let Some(refused) = cause.downcast_ref::<NoPublicAddress>() {
                return not_public(url, refused.host.clone());
            }
            reason = format!("{reason}: {cause}");
            source = cause.source();
        }
        FetchError::Unreachable {
            url: url.to_string(),
            reason,
        }
    }
}

fn not_public(url: &Url, host: String) -> FetchError {
    FetchError::NotPublic {
        url: url.to_string(),
        host,
    }
}

fn without_credentials(url: &Url) -> String {
    let mut shown = url.clone();
    // Both only fail for URLs that cannot have credentials, which then have none to hide.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;
