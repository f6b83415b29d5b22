//! Rate limits against password guessing and mass sign-ups: `governor` (GCRA) for plain
//! request rates, and `FailureBackoff` for log-in attempts, which only failures slow down.
//!
//! Limits are per process: with several app processes an attacker gets each process's quota,
//! which is still a small multiple.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// Failed attempts per key, slowing the next ones down exponentially: `free` failures cost
/// nothing, then each further attempt waits `base`, `2 × base`, `4 × base`… up to `max` after
/// the last failure. A success forgets the key; so do `FORGET` without a failure.
///
/// Written by hand because governor limits every request alike, where log-ins must slow
/// down failures only. An attempt counts as a failure as soon as it is let through (and is
/// forgiven if it succeeds), so that requests sent all at once cannot share one slot.
pub struct FailureBackoff<K: Hash + Eq + Clone> {
    free: u32,
    base: Duration,
    max: Duration,
    entries: Mutex<HashMap<K, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// A key quiet this long starts afresh.
const FORGET: Duration = Duration::from_secs(3600);
/// Past this many keys, the quiet ones are dropped.
const MAX_KEYS: usize = 100_000;

impl<K: Hash + Eq + Clone> FailureBackoff<K> {
    pub fn new(free: u32, base: Duration, max: Duration) -> Self {
        FailureBackoff {
            free,
            base,
            max,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// How long `key` must still wait, or zero.
    pub fn wait(&self, key: &K) -> Duration {
        let Ok(entries) = self.entries.lock() else {
            return Duration::ZERO;
        };
        entries.get(key).map_or(Duration::ZERO, |f| {
            self.delay(f).saturating_sub(f.last.elapsed())
        })
    }

    fn delay(&self, failures: &Failures) -> Duration {
        if failures.last.elapsed() >= FORGET || failures.count < self.free {
            return Duration::ZERO;
        }
        let doublings = failures.count - self.free;
        let factor = 2_u32.checked_pow(doublings.min(30)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// Counts an attempt let through as a failure until it proves otherwise.
    pub fn count(&self, key: &K) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= MAX_KEYS {
            entries.retain(|_, f| f.last.elapsed() < FORGET);
        }
        let now = Instant::now();
        let entry = entries.entry(key.clone()).or_insert(Failures {
            count: 0,
            last: now,
        });
        if entry.last.elapsed() >= FORGET {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    /// The attempt counted last succeeded: the key starts afresh.
    pub fn forget(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }

    /// The attempt counted last succeeded, but the key keeps its other failures (a client
    /// that tried many accounts stays slow after one works).
    pub fn forgive_one(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock()
            && let Some(entry) = entries.get_mut(key)
        {
            entry.count = entry.count.saturating_sub(1);
        }
    }
}

/// The limits of this process. The numbers are in docs/SECURITY.md.
pub struct RateLimits {
    /// Failed log-ins (page and API tokens) from one client address, whatever the account.
    pub login_by_client: FailureBackoff<IpAddr>,
    /// Failed log-ins to one account from one client address: the guessing itself.
    pub login_by_account_client: FailureBackoff<(String, IpAddr)>,
    /// Failed log-ins to one account from anywhere, against guessing spread over many
    /// addresses. Capped low: it also holds back the owner, who must never wait long.
    pub login_by_account: FailureBackoff<String>,
    /// Password reset mails asked for by one client address.
    pub reset_by_client: Limiter<IpAddr>,
    /// Password reset mails for one typed address.
    pub reset_by_account: Limiter<String>,
    /// Other attempts that send mail or test a secret (a new verification link, a sign-up
    /// code) per client address.
    pub attempts_by_client: Limiter<IpAddr>,
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
        let second = Duration::from_secs(1);
        RateLimits {
            login_by_client: FailureBackoff::new(20, second, Duration::from_secs(60)),
            login_by_account_client: FailureBackoff::new(5, second, Duration::from_secs(900)),
            login_by_account: FailureBackoff::new(20, second, Duration::from_secs(30)),
            reset_by_client: Limiter::new(5, Duration::from_secs(60)),
            reset_by_account: Limiter::new(3, Duration::from_secs(60)),
            attempts_by_client: Limiter::new(10, Duration::from_secs(6)),
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
            assert!(limits.attempts_by_client.check(&ip).is_ok());
        }
        let refused = limits
            .attempts_by_client
            .check(&ip)
            .expect_err("over the burst");
        assert!(refused.0 > Duration::ZERO && refused.0 <= Duration::from_secs(6));
        let other: IpAddr = [127, 0, 0, 2].into();
        assert!(
            limits.attempts_by_client.check(&other).is_ok(),
            "limits are per address"
        );
    }

    #[test]
    fn failures_past_the_free_ones_double_the_wait_up_to_the_cap() {
        let backoff = FailureBackoff::new(3, Duration::from_secs(1), Duration::from_secs(5));
        for _ in 0..3 {
            assert_eq!(backoff.wait(&"k"), Duration::ZERO);
            backoff.count(&"k");
        }
        let waits: Vec<Duration> = (0..5)
            .map(|_| {
                let wait = backoff.wait(&"k");
                backoff.count(&"k");
                wait
            })
            .collect();
        // The wait follows the failures just counted: 1 s, 2 s, 4 s, then the 5 s cap.
        let secs: Vec<u128> = waits.iter().map(|w| (w.as_millis() + 500) / 1000).collect();
        assert_eq!(secs, vec![1, 2, 4, 5, 5]);
        assert_eq!(backoff.wait(&"other"), Duration::ZERO, "per key");
        backoff.forget(&"k");
        assert_eq!(
            backoff.wait(&"k"),
            Duration::ZERO,
            "a success starts afresh"
        );
    }
}
