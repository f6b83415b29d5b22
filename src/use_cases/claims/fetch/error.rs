//! Why a claimed page could not be fetched.

use std::time::Duration;

/// A failed fetch. The messages are English, for logs; pages choose their words by variant.
/// Each variant names the address concerned, so that a log line says what was being fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an http or https address (or one without a host).
    #[error("only http and https addresses can be fetched, not {url}")]
    NotHttp { url: String },
    /// The address carried a user name or a password; `url` is shown without them, so that
    /// the secret stays out of the logs.
    #[error("{url} was not fetched: its address carried a user name or a password")]
    Credentials { url: String },
    /// `host` is, or resolves only to, a private, loopback, link-local or reserved address.
    #[error("{url} was not fetched: {host} leads to no public internet address")]
    NotPublic { url: String, host: String },
    /// `from` redirected to `to`, on another scheme, host or port than the claimed page.
    #[error("{from} redirected to another site, {to}; only same-site redirects are followed")]
    RedirectOffOrigin { from: String, to: String },
    /// `url` was still redirecting after `max` redirects.
    #[error("{url} redirected more than {max} times")]
    TooManyRedirects { url: String, max: usize },
    /// The whole fetch took longer than `after`.
    #[error("{url} did not answer within {after:?}")]
    Timeout { url: String, after: Duration },
    /// No answer: the name did not resolve, the connection or TLS failed, the body broke off.
    #[error("{url} could not be fetched: {reason}")]
    Unreachable { url: String, reason: String },
    /// The final answer's status was not 2xx.
    #[error("{url} answered with HTTP status {status}")]
    Status { url: String, status: u16 },
}
