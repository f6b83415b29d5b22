//! Keeping browse's click totals fresh.
//!
//! A click updates its sharded counter (`thing_month_counts`) in its own transaction, where
//! rows no two writers queue on matter most; browse sorts by one total per thing, which needs
//! an index. So a click only marks its thing here (in memory), and the marked things' totals
//! are copied from the counters in one statement: before this process serves a listing (a
//! reader sees their own click at once) and by a thread every second (other processes' clicks
//! show within about a second). Everything is recomputed at start, when the month changes and
//! every ten minutes, which also repairs what a crash between a click and its copy left
//! behind. Written by hand: it is a set and a timer over one statement.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::db::{DbConnection, DbPool};
use crate::domain::{Month, ThingId};
use crate::models::popularity;

const FLUSH_EVERY: Duration = Duration::from_secs(1);
const RECOMPUTE_EVERY: Duration = Duration::from_secs(600);

#[derive(Default)]
pub struct Popularity {
    marked: Mutex<HashSet<ThingId>>,
    /// The month of the last full recomputation, and when it ran.
    recomputed: Mutex<Option<(Month, Instant)>>,
    /// Held during a full recomputation: a listing that finds it taken does not start another.
    recomputing: Mutex<()>,
}

impl Popularity {
    /// Notes that `thing`'s counters changed.
    pub fn touch(&self, thing: ThingId) {
        self.marked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(thing);
    }

    /// Brings the totals up to date with this process's clicks, and recomputes them all when
    /// the month changed or the last recomputation is old.
    pub fn refresh(&self, conn: &mut DbConnection, month: Month) -> diesel::QueryResult<()> {
        let due = {
            let recomputed = self
                .recomputed
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            recomputed.is_none_or(|(m, at)| m != month || at.elapsed() >= RECOMPUTE_EVERY)
        };
        if due && let Ok(_alone) = self.recomputing.try_lock() {
            let started = Instant::now();
            popularity::refresh(conn, month, None)?;
            *self
                .recomputed
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some((month, started));
        }
        let marked: Vec<ThingId> = self
            .marked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
            .collect();
        if let Err(error) = popularity::refresh(conn, month, Some(&marked)) {
            // Kept for the next pass.
            let mut again = self.marked.lock().unwrap_or_else(PoisonError::into_inner);
            again.extend(marked);
            return Err(error);
        }
        Ok(())
    }

    /// Starts the thread that refreshes every second.
    pub fn start(self: &Arc<Self>, pool: DbPool, clock: Clock) -> std::io::Result<()> {
        let this = Arc::clone(self);
        std::thread::Builder::new()
            .name("obole-popularity".into())
            .spawn(move || {
                // Stops with the application that owns the other reference.
                while Arc::strong_count(&this) > 1 {
                    let month = Month::containing(clock.now());
                    let outcome = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
                        this.refresh(&mut conn, month).map_err(|e| e.to_string())
                    });
                    if let Err(error) = outcome {
                        tracing::warn!(%error, "refreshing browse's click totals failed");
                    }
                    std::thread::sleep(FLUSH_EVERY);
                }
            })?;
        Ok(())
    }
}
