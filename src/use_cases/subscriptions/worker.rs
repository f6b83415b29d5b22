//! The worker that takes every subscription in each month, at its first chance: on the
//! month's first day, or at the first round after a restart or a missed day. Each process runs
//! one; the claim in `monthly.rs` makes sure that only one of them clicks.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use super::monthly::{Taken, take_for_month_in};
use crate::clock::Clock;
use crate::db::DbPool;
use crate::domain::{Month, ThingId, UserId};
use crate::metrics::SubscriptionClicks;
use crate::models::{months, subscriptions};
use crate::use_cases::popularity::Popularity;
use crate::workers::{self, Round, Running, Worker};

/// How many subscriptions a round reads and takes.
pub const BATCH: i64 = 200;
/// The rest after a round with nothing due: a month's first subscriptions wait at most this.
pub const IDLE: Duration = Duration::from_secs(60);

/// The subscriptions' worker.
pub struct Subscriber {
    pool: DbPool,
    clock: Clock,
    popularity: Arc<Popularity>,
    /// The application's count of subscription clicks (its `/metrics`).
    clicks: SubscriptionClicks,
}

impl Subscriber {
    /// Starts the worker; it stops when the returned `Running` drops.
    pub fn start(
        pool: DbPool,
        clock: Clock,
        popularity: Arc<Popularity>,
        clicks: SubscriptionClicks,
    ) -> std::io::Result<Running> {
        workers::start(
            Subscriber {
                pool,
                clock,
                popularity,
                clicks,
            },
            IDLE,
        )
    }
}

impl Worker for Subscriber {
    fn name(&self) -> &'static str {
        "subscriptions"
    }

    fn round(&mut self) -> anyhow::Result<Round> {
        let now = self.clock.now();
        // The month's first day on the instance's calendar (`OBOLE_TIME_ZONE`).
        let month = Month::containing(now, self.clock.zone());
        let mut conn = self.pool.get().context("no connection for subscriptions")?;
        // A month whose settlement has begun takes no click (a server whose clock lags).
        if months::is_closed(&mut conn, month).context("reading the month")? {
            return Ok(Round::Idle);
        }
        let due = subscriptions::due(&mut conn, month, BATCH).context("due subscriptions")?;
        let mut failed = 0usize;
        for (reader, thing) in &due {
            match take_for_month_in(
                &mut conn,
                UserId(*reader),
                ThingId(*thing),
                now,
                self.clock.zone(),
            ) {
                Ok(Taken::Clicked) => {
                    self.popularity.touch(ThingId(*thing));
                    self.clicks.clicked();
                }
                Ok(_) => {}
                Err(error) => {
                    failed += 1;
                    tracing::warn!(reader, thing, error = %error, "a subscription's click failed");
                }
            }
        }
        // A failing subscription stays due: rest before trying it again.
        let full = i64::try_from(due.len()).unwrap_or(0) >= BATCH;
        Ok(if full && failed == 0 {
            Round::Busy
        } else {
            Round::Idle
        })
    }
}
