//! Rate limits against password guessing and mass sign-ups, with `governor` (GCRA).
//!
//! Limits are per process: with several app processes an attacker gets each process's quota,
//! which is still a small multiple.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Waiting this long lets the next attempt through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

pub struct Limiter<K: Hash + Eq + Clone> {
    inner: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    /// `burst` attempts at once, then one more every `period`.
    fn new(burst: u32, period: Duration) -> Self {
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period).map(|q| q.allow_burst(burst));
        let quota = quota.unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN));
        Limiter {
            inner: DefaultKeyedRateLimiter::keyed(quota),
        }
    }

    pub fn check(&self, key: &K) -> Result<(), RetryAfter> {
        // Forget idle keys now and then so memory stays bounded under a spray of addresses.
        if self.inner.len() > 10_000 {
            self.inner.retain_recent();
        }
        self.inner.check_key(key).map_err(|not_until| {
            RetryAfter(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }
}

/// The limits of this process.
pub struct RateLimits {
    /// Log-in attempts (page and API) per client address.
    pub login_by_ip: Limiter<IpAddr>,
    /// Log-in attempts per account, against guessing spread over many addresses.
    pub login_by_email: Limiter<String>,
    /// Account creations per client address.
    pub signup_by_ip: Limiter<IpAddr>,
    /// Voucher redemptions per account. Codes carry 100 random bits, so this is defence in
    /// depth against guessing, not the main line.
    pub redeem_by_user: Limiter<i64>,
    /// Voucher redemptions per client address.
    pub redeem_by_ip: Limiter<IpAddr>,
    /// Clicks and undos per reader: generous for people, a wall for scripts.
    pub click_by_user: Limiter<i64>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            login_by_ip: Limiter::new(10, Duration::from_secs(6)),
            login_by_email: Limiter::new(10, Duration::from_secs(60)),
            signup_by_ip: Limiter::new(10, Duration::from_secs(60)),
            redeem_by_user: Limiter::new(10, Duration::from_secs(30)),
            redeem_by_ip: Limiter::new(100, Duration::from_millis(500)),
            click_by_user: Limiter::new(120, Duration::from_millis(500)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_quick_attempt_waits() {
        let limits = RateLimits::default();
        let ip: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..10 {
            assert!(limits.login_by_ip.check(&ip).is_ok());
        }
        let refused = limits.login_by_ip.check(&ip).expect_err("over the burst");
        assert!(refused.0 > Duration::ZERO && refused.0 <= Duration::from_secs(6));
        let other: IpAddr = [127, 0, 0, 2].into();
        assert!(
            limits.login_by_ip.check(&other).is_ok(),
            "limits are per address"
        );
    }
}
