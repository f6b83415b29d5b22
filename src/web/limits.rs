//! Applying the rate limits to a request.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::{HttpRequest, web};

use super::error::AppError;
use super::state::AppState;
use crate::security::rate_limit::{Limiter, RateLimits, RetryAfter};

/// The client's address, as rate limits count it. Directly exposed, that is the peer. Behind
/// a reverse proxy (`OBOLE_TRUST_FORWARDED_FOR`), it is the right-most `X-Forwarded-For`
/// entry: the one our proxy appended. Entries to its left come from the client and could be
/// forged. An IPv6 address counts as its /64, which one machine or household holds whole.
pub fn client_ip(req: &HttpRequest) -> IpAddr {
    as_counted(raw_client_ip(req))
}

fn as_counted(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
        v4 => v4,
    }
}

fn raw_client_ip(req: &HttpRequest) -> IpAddr {
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

/// A password check under way (log-in page, API tokens), counted against two back-offs: the
/// client's failures with any account, and its failures with this account. Until
/// `succeeded`, it counts as a failure. Nothing counts per account alone, so that nobody can
/// hold an owner back from another client (docs/SECURITY.md has the numbers).
pub struct LoginAttempt<'a> {
    limits: &'a RateLimits,
    client: IpAddr,
    pair: (String, IpAddr),
}

impl LoginAttempt<'_> {
    /// The password was right: this client starts afresh with this account (and keeps its
    /// failures with others).
    pub fn succeeded(self) {
        self.limits.login_by_client.forgive_one(&self.client);
        self.limits.login_by_account_client.forget(&self.pair);
    }
}

/// Lets a password check through, or refuses it (429 with how long to wait) while one of its
/// back-offs runs.
pub fn login_attempt<'a>(
    state: &'a AppState,
    req: &HttpRequest,
    email: &str,
) -> Result<LoginAttempt<'a>, AppError> {
    let limits = &state.limits;
    let client = client_ip(req);
    let pair = (account_key(email), client);
    limits.login_by_client.attempt(&client).map_err(too_many)?;
    if let Err(wait) = limits.login_by_account_client.attempt(&pair) {
        limits.login_by_client.forgive_one(&client);
        return Err(too_many(wait));
    }
    Ok(LoginAttempt {
        limits,
        client,
        pair,
    })
}

fn too_many(wait: std::time::Duration) -> AppError {
    AppError::RateLimited(wait.as_secs().max(1))
}

/// An address as typed, as limits count it: trimmed, lower case, and no longer than an
/// address can be (so that a flood of huge strings cannot fill the memory).
fn account_key(email: &str) -> String {
    email.trim().to_lowercase().chars().take(254).collect()
}

/// A password reset mail: at most a few per client address and per typed address, so that
/// nobody can flood a mailbox, while the owner can always ask again within a minute.
pub fn check_reset_request(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
) -> Result<(), AppError> {
    check(&state.limits.reset_by_client, &client_ip(req))?;
    check(&state.limits.reset_by_account, &account_key(email))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn an_ipv6_client_counts_as_its_64() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let other: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        let elsewhere: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(as_counted(one), as_counted(other));
        assert_ne!(as_counted(one), as_counted(elsewhere));
        let v4: IpAddr = "203.0.113.7".parse().expect("ip");
        assert_eq!(as_counted(v4), v4);
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().expect("ip");
        assert_eq!(as_counted(mapped), v4);
    }

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
