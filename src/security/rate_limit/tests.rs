use super::*;

impl<K: Hash + Eq + Clone> FailureBackoff<K> {
    /// Moves the key's last failure `by` into the past, as if that time had gone by.
    fn shift_last(&self, key: &K, by: Duration) {
        if let Ok(mut entries) = self.entries.lock()
            && let Some(entry) = entries.get_mut(key)
            && let Some(earlier) = entry.last.checked_sub(by)
        {
            entry.last = earlier;
        }
    }
}

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
        assert_eq!(backoff.attempt(&"k"), Ok(()));
    }
    let mut waits = Vec::new();
    for _ in 0..5 {
        let wait = backoff.attempt(&"k").expect_err("waits");
        waits.push((wait.as_millis() + 500) / 1000);
        // As if the wait had passed: the next attempt goes through and counts.
        backoff.shift_last(&"k", wait);
        assert_eq!(backoff.attempt(&"k"), Ok(()));
    }
    // The wait follows the failures counted: 1 s, 2 s, 4 s, then the 5 s cap.
    assert_eq!(waits, vec![1, 2, 4, 5, 5]);
    assert_eq!(backoff.attempt(&"other"), Ok(()), "per key");
    backoff.forget(&"k");
    assert_eq!(backoff.attempt(&"k"), Ok(()), "a success starts afresh");
}

#[test]
fn quiet_time_forgives_failures() {
    let backoff = FailureBackoff::new(2, Duration::from_secs(60), Duration::from_secs(60));
    for _ in 0..2 {
        assert_eq!(backoff.attempt(&"k"), Ok(()));
    }
    assert!(backoff.attempt(&"k").is_err());
    backoff.shift_last(&"k", FORGIVE_EVERY);
    assert_eq!(backoff.attempt(&"k"), Ok(()), "one failure forgiven");
}

#[test]
fn a_spray_of_keys_keeps_memory_bounded() {
    let backoff = FailureBackoff::new(1, Duration::from_secs(1), Duration::from_secs(1));
    for n in 0..(MAX_KEYS + 10) {
        assert_eq!(backoff.attempt(&n), Ok(()));
    }
    let kept = backoff
        .entries
        .lock()
        .map(|e| e.len())
        .unwrap_or(usize::MAX);
    assert!(kept <= MAX_KEYS, "{kept}");
}
