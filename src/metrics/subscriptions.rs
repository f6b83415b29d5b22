//! The clicks the server makes for subscriptions (`use_cases::subscriptions`), counted apart
//! from `obole_clicks_total`, which counts the clicks readers make: a month's first day, when
//! the subscriptions' worker clicks for everyone, would otherwise look like a rush of readers.

use prometheus::{IntCounter, Registry};

/// Where subscription clicks are counted: the application's, handed to its subscriptions'
/// worker and used by the handlers that subscribe. Cloning shares the count.
#[derive(Clone)]
pub struct SubscriptionClicks {
    counter: IntCounter,
}

impl SubscriptionClicks {
    pub(super) fn new() -> prometheus::Result<SubscriptionClicks> {
        Ok(SubscriptionClicks {
            counter: IntCounter::new(
                "obole_subscription_clicks_total",
                "Clicks the server recorded for subscriptions (each month's, and the one made \
                 on subscribing); not in obole_clicks_total.",
            )?,
        })
    }

    pub(super) fn register(&self, registry: &Registry) -> prometheus::Result<()> {
        registry.register(Box::new(self.counter.clone()))
    }

    /// One subscription click recorded (committed). A subscription skipped, already taken or
    /// short of funds made no click and is not counted.
    pub fn clicked(&self) {
        self.counter.inc();
    }
}
