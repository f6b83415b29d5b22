//! The badges this process drew, by thing: at most `FRESH` old, bounded in count and bytes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::thing_badge::Badge;
use crate::domain::{Month, ThingId};

const FRESH: Duration = Duration::from_secs(5);
/// Bound memory under a spray of ids or variants: the cache is simply emptied when it holds
/// this many things, or when this many bytes of SVG were drawn since it was last emptied (a
/// drawing is about a kilobyte, so a few tens of thousands of them). The count is checked when
/// a thing is cached, so the other three variants of cached things can still be drawn: at
/// worst about four times this budget, bounded all the same.
const MAX_ENTRIES: usize = 100_000;
pub(super) const MAX_DRAWN_BYTES: usize = 32 << 20;

#[derive(Clone)]
pub(super) struct Entry {
    /// `None`: no such public thing (cached too, so probing ids costs no queries).
    pub(super) badge: Option<Arc<Badge>>,
    pub(super) month: Month,
    pub(super) fetched: Instant,
}

#[derive(Default)]
pub struct BadgeCache {
    entries: RwLock<HashMap<i64, Entry>>,
    /// Bytes of SVG drawn since the cache was last emptied: at least what it holds (entries
    /// replaced since are counted still, which only empties it a little early).
    pub(super) drawn_bytes: AtomicUsize,
}

impl BadgeCache {
    pub(super) fn get(&self, id: i64, month: Month) -> Option<Entry> {
        let entries = self.entries.read().ok()?;
        entries
            .get(&id)
            .filter(|e| e.month == month && e.fetched.elapsed() < FRESH)
            .cloned()
    }

    pub(super) fn put(&self, id: i64, entry: Entry) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES
                || self.drawn_bytes.load(Ordering::Relaxed) >= MAX_DRAWN_BYTES
            {
                entries.clear();
                self.drawn_bytes.store(0, Ordering::Relaxed);
            }
            entries.insert(id, entry);
        }
    }

    /// Forgets a thing's badge (after a click, an undo, an edit).
    pub fn invalidate(&self, id: ThingId) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(&id.0);
        }
    }

    /// Counts the bytes of a variant just drawn, towards `MAX_DRAWN_BYTES`.
    pub(super) fn count_drawn(&self, bytes: usize) {
        self.drawn_bytes.fetch_add(bytes, Ordering::Relaxed);
    }
}
