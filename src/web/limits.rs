//! Applying the rate limits to a request.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::HttpRequest;

use super::error::AppError;
use crate::security::rate_limit::{Limiter, RetryAfter};

/// The client's address as this process sees it. Behind a reverse proxy this is the proxy's
/// address; trusting `X-Forwarded-For` needs an operator setting that does not exist yet.
pub fn client_ip(req: &HttpRequest) -> IpAddr {
    req.peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

pub fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &Limiter<K>,
    key: &K,
) -> Result<(), AppError> {
    limiter
        .check(key)
        .map_err(|RetryAfter(wait)| AppError::RateLimited(wait.as_secs().max(1)))
}
