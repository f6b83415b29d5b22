//! Applying the rate limits to a request.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::{HttpRequest, web};

use super::error::AppError;
use super::state::AppState;
use crate::security::rate_limit::{Limiter, RateLimits, RetryAfter};

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

/// A password check under way (log-in page, API tokens), counted against three back-offs:
/// the client's failures with any account, with this account, and the account's failures
/// from anywhere. Until `succeeded`, it counts as a failure.
pub struct LoginAttempt<'a> {
    limits: &'a RateLimits,
    client: IpAddr,
    account: String,
}

impl LoginAttempt<'_> {
    /// The password was right: this client and this account start afresh (the client keeps
    /// its failures with other accounts).
    pub fn succeeded(self) {
        self.limits.login_by_client.forgive_one(&self.client);
        self.limits
            .login_by_account_client
            .forget(&(self.account.clone(), self.client));
        self.limits.login_by_account.forget(&self.account);
    }
}

/// Lets a password check through, or refuses it (429 with how long to wait) while one of its
/// back-offs runs. An account's own back-off is capped at half a minute, so that its owner,
/// from any new device, never waits long, while a guesser spread over many addresses gets
/// two tries a minute.
pub fn login_attempt<'a>(
    state: &'a AppState,
    req: &HttpRequest,
    email: &str,
) -> Result<LoginAttempt<'a>, AppError> {
    let limits = &state.limits;
    let attempt = LoginAttempt {
        limits,
        client: client_ip(req),
        account: email.trim().to_lowercase(),
    };
    let pair = (attempt.account.clone(), attempt.client);
    let wait = limits
        .login_by_client
        .wait(&attempt.client)
        .max(limits.login_by_account_client.wait(&pair))
        .max(limits.login_by_account.wait(&attempt.account));
    if !wait.is_zero() {
        return Err(AppError::RateLimited(wait.as_secs().max(1)));
    }
    limits.login_by_client.count(&attempt.client);
    limits.login_by_account_client.count(&pair);
    limits.login_by_account.count(&attempt.account);
    Ok(attempt)
}

/// A password reset mail: at most a few per client address and per typed address, so that
/// nobody can flood a mailbox, while the owner can always ask again within a minute.
pub fn check_reset_request(
    state: &AppState,
    req: &HttpRequest,
    email: &str,
) -> Result<(), AppError> {
    check(&state.limits.reset_by_client, &client_ip(req))?;
    check(&state.limits.reset_by_account, &email.trim().to_lowercase())
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
