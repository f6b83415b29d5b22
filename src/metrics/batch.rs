//! How many jobs each round of a database batcher took (`db::batcher`): one commit (SQLite's
//! shared commit) or one statement (PostgreSQL's clicks) serves that many requests.

use prometheus::{Histogram, HistogramOpts, Registry};

/// One batcher's sizes. Cloning shares them.
#[derive(Clone)]
pub struct BatchSizes {
    histogram: Histogram,
}

impl BatchSizes {
    /// The sizes of the batcher named `batch` (its thread's name).
    pub fn new(batch: &str) -> prometheus::Result<BatchSizes> {
        let opts = HistogramOpts::new(
            "obole_db_batch_size",
            "Jobs done together in one round of a database write batcher.",
        )
        .const_label("batch", batch)
        // 1 to 256, the largest batch (`db::writes`), doubling.
        .buckets(prometheus::exponential_buckets(1.0, 2.0, 9)?);
        Ok(BatchSizes {
            histogram: Histogram::with_opts(opts)?,
        })
    }

    /// A round took `jobs` jobs. Atomic adds only: the batcher's thread never waits here.
    pub fn observe(&self, jobs: usize) {
        let jobs = u32::try_from(jobs).unwrap_or(u32::MAX);
        self.histogram.observe(f64::from(jobs));
    }

    pub(super) fn register(&self, registry: &Registry) -> prometheus::Result<()> {
        registry.register(Box::new(self.histogram.clone()))
    }
}
