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
/// the last failure. Quiet time forgives: one failure per `FORGIVE_EVERY`; a success forgets
/// the key.
///
/// Written by hand because governor limits every request alike, where log-ins must slow
/// down failures only. An attempt counts as a failure as soon as it is let through (and is
/// forgiven if it succeeds), in the same critical section as the check, so that requests sent
/// all at once cannot share one slot.
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

/// Quiet time that forgives one failure: a busy address whose people mistype now and then
/// does not stay slow for ever.
const FORGIVE_EVERY: Duration = Duration::from_secs(600);
/// Past this many keys, the quiet ones are dropped, then the oldest half if need be: memory
/// stays bounded under a spray of addresses.
const MAX_KEYS: usize = 100_000;

impl Failures {
    /// The failures still held against the key after its quiet time.
    fn held(&self) -> u32 {
        let forgiven = self.last.elapsed().as_secs() / FORGIVE_EVERY.as_secs();
        self.count
            .saturating_sub(u32::try_from(forgiven).unwrap_or(u32::MAX))
    }
}

impl<K: Hash + Eq + Clone> FailureBackoff<K> {
    pub fn new(free: u32, base: Duration, max: Duration) -> Self {
        FailureBackoff {
            free,
            base,
            max,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn delay(&self, held: u32) -> Duration {
        if held < self.free {
            return Duration::ZERO;
        }
        let doublings = held - self.free;
        let factor = 2_u32.checked_pow(doublings.min(30)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// Lets an attempt through and counts it as a failure until it proves otherwise, or says
    /// how long the key must still wait.
    pub fn attempt(&self, key: &K) -> Result<(), Duration> {
        let Ok(mut entries) = self.entries.lock() else {
            return Ok(());
        };
        let now = Instant::now();
        if let Some(failures) = entries.get(key) {
            let wait = self
                .delay(failures.held())
                .saturating_sub(failures.last.elapsed());
            if !wait.is_zero() {
                return Err(wait);
            }
        } else if entries.len() >= MAX_KEYS {
            make_room(&mut entries);
        }
        let entry = entries.entry(key.clone()).or_insert(Failures {
            count: 0,
            last: now,
        });
        entry.count = entry.held().saturating_add(1);
        entry.last = now;
        Ok(())
    }

    /// The attempt counted last succeeded: the key starts afresh.
    pub fn forget(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(key);
        }
    }

    /// The attempt counted last did not happen or succeeded, but the key keeps its other
    /// failures (a client that tried many accounts stays slow after one works).
    pub fn forgive_one(&self, key: &K) {
        if let Ok(mut entries) = self.entries.lock()
            && let Some(entry) = entries.get_mut(key)
        {
            entry.count = entry.count.saturating_sub(1);
        }
    }
}

fn make_room<K: Hash + Eq + Clone>(entries: &mut HashMap<K, Failures>) {
    entries.retain(|_, f| f.held() > 0);
    if entries.len() >= MAX_KEYS {
        let mut ages: Vec<Instant> = entries.values().map(|f| f.last).collect();
        let middle = ages.len() / 2;
        let (_, cut, _) = ages.select_nth_unstable(middle);
        let cut = *cut;
        entries.retain(|_, f| f.last > cut);
    }
}

/// The limits of this process. The numbers are in docs/SECURITY.md.
pub struct RateLimits {
    /// Failed log-ins (page and API tokens) from one client address, whatever the account.
    pub login_by_client: FailureBackoff<IpAddr>,
    /// Failed log-ins to one account from one client address: the guessing itself. Nothing
    /// counts per account alone: that would let anyone hold its owner back.
    pub login_by_account_client: FailureBackoff<(String, IpAddr)>,
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
    /// Site checks per account: each fetches up to two pages from the open internet, so that
    /// nobody turns Obole into a crawler (a burst of 10, then one every 6 seconds).
    pub site_check_by_user: Limiter<i64>,
}

impl Default for RateLimits {
    fn default() -> Self {
        let second = Duration::from_secs(1);
        RateLimits {
            login_by_client: FailureBackoff::new(20, second, Duration::from_secs(60)),
            login_by_account_client: FailureBackoff::new(5, second, Duration::from_secs(900)),
            reset_by_client: Limiter::new(5, Duration::from_secs(60)),
            reset_by_account: Limiter::new(3, Duration::from_secs(60)),
            attempts_by_client: Limiter::new(10, Duration::from_secs(6)),
            signup_by_ip: Limiter::new(10, Duration::from_secs(60)),
            redeem_by_user: Limiter::new(10, Duration::from_secs(30)),
            redeem_by_ip: Limiter::new(100, Duration::from_millis(500)),
            click_by_user: Limiter::new(120, Duration::from_millis(500)),
            site_check_by_user: Limiter::new(10, Duration::from_secs(6)),
        }
    }
}

#[cfg(test)]
mod tests;
