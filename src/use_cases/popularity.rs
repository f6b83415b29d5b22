//! Keeping browse's click totals fresh: one worker, the only writer of the totals.
//!
//! A click updates its sharded counter (`thing_month_counts`) in its own transaction, where
//! rows no two writers queue on matter most; browse sorts by one total per thing, which needs
//! an index. So a committed click only marks its thing here (in memory, no statement), and
//! the [`Refresher`] worker copies the marked things' totals from the counters in one
//! statement every `FLUSH_EVERY` (a round with nothing marked costs nothing). Everything is
//! recomputed at start, when the month changes and every ten minutes, which also repairs what
//! a crash between a click and its copy left behind. Listings only read: browse's order may
//! lag a click by `FLUSH_EVERY` plus one statement. Written by hand: it is a set over one
//! statement, run by `workers`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::clock::Clock;
use crate::db::DbPool;
use crate::domain::{Month, ThingId};
use crate::models::popularity;
use crate::workers::{self, Round, Running, Worker};

/// How often the marked things' totals are copied: how long browse's order may lag a click.
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);
const RECOMPUTE_EVERY: Duration = Duration::from_secs(600);

/// The things whose counters changed since the last copy.
#[derive(Default)]
pub struct Popularity {
    marked: Mutex<HashSet<ThingId>>,
}

impl Popularity {
    /// Notes that `thing`'s counters changed (after the click's commit).
    pub fn touch(&self, thing: ThingId) {
        self.lock().insert(thing);
    }

    /// Starts the worker that copies the totals; it stops when the returned `Running` drops.
    pub fn start(self: &Arc<Self>, pool: DbPool, clock: Clock) -> std::io::Result<Running> {
        let refresher = Refresher {
            marks: Arc::clone(self),
            pool,
            clock,
            recomputed: None,
        };
        workers::start(refresher, FLUSH_EVERY)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<ThingId>> {
        self.marked.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take(&self) -> Vec<ThingId> {
        self.lock().drain().collect()
    }
}

/// The worker: the only writer of browse's totals.
pub struct Refresher {
    marks: Arc<Popularity>,
    pool: DbPool,
    clock: Clock,
    /// The month of the last full recomputation, and when it ran.
    recomputed: Option<(Month, Instant)>,
}

impl Worker for Refresher {
    fn name(&self) -> &'static str {
        "popularity"
    }

    fn round(&mut self) -> anyhow::Result<Round> {
        let month = self.clock.month();
        let due = self
            .recomputed
            .is_none_or(|(m, at)| m != month || at.elapsed() >= RECOMPUTE_EVERY);
        let marked = self.marks.take();
        if !due && marked.is_empty() {
            return Ok(Round::Idle);
        }
        let copied = self.copy(month, due, &marked);
        if copied.is_err() {
            // Kept for the next round.
            self.marks.lock().extend(marked);
        }
        copied.map(|()| Round::Idle)
    }
}

impl Refresher {
    fn copy(&mut self, month: Month, due: bool, marked: &[ThingId]) -> anyhow::Result<()> {
        let mut conn = self
            .pool
            .get()
            .context("no connection for browse's totals")?;
        if due {
            let started = Instant::now();
            popularity::refresh(&mut conn, month, None).context("recomputing browse's totals")?;
            self.recomputed = Some((month, started));
            return Ok(());
        }
        popularity::refresh(&mut conn, month, Some(marked)).context("copying browse's totals")?;
        Ok(())
    }
}
