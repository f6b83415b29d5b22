//! Applying the rate limits to a request.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::{HttpRequest, web};

use super::error::AppError;
use super::state::AppState;
use crate::security::rate_limit::{Limiter, RetryAfter};

/// The client's address. Directly exposed, that is the peer. Behind a reverse proxy
/// (`OBOLE_TRUST_FORWARDED_FOR`), it is the right-most `X-Forwarded-For` entry: the one our
/// proxy appended. Entries to its left come from the client and could be forged.
pub fn client_ip(req: &HttpRequest) -> IpAddr {
    let peer = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.settings.trust_forwarded_for);
    if !trusted {
        return peer;
    }
    forwarded_client(req).unwrap_or(peer)
}

fn forwarded_client(req: &HttpRequest) -> Option<IpAddr> {
    let header = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .last()?;
    header.rsplit(',').next()?.trim().parse().ok()
}

pub fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &Limiter<K>,
    key: &K,
) -> Result<(), AppError> {
    limiter
        .check(key)
        .map_err(|RetryAfter(wait)| AppError::RateLimited(wait.as_secs().max(1)))
}

/// The limits on attempts that name an account (log-in, API tokens, password reset): per
/// client address, and per address typed, so one account cannot be hammered from many places.
pub fn check_account_attempt(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
) -> Result<(), AppError> {
    check(&state.limits.login_by_ip, &client_ip(req))?;
    check(&state.limits.login_by_email, &email.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_proxy_appended_address_is_the_client() {
        let req = TestRequest::default()
            .insert_header(("X-Forwarded-For", "6.6.6.6, 203.0.113.7"))
            .to_http_request();
        assert_eq!(forwarded_client(&req), Some(IpAddr::from([203, 0, 113, 7])));
        let junk = TestRequest::default()
            .insert_header(("X-Forwarded-For", "nonsense"))
            .to_http_request();
        assert_eq!(forwarded_client(&junk), None);
    }
}
