//! How long each stage of a settlement run takes, for the runs of the serving process (its
//! month-end worker). `obole settle` is a process of its own: its stages are in its log, and
//! its success shows in `obole_settlement_last_success_timestamp_seconds`, which comes from
//! the database.

use std::fmt;
use std::time::Duration;

use prometheus::{HistogramOpts, HistogramVec, Registry};

/// A timed part of a run (`settlement::run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettlementStage {
    /// The month read and added up, and the readers charged.
    Readers,
    /// The statements written.
    Statements,
    /// The month's tree written.
    Tree,
    /// The creators' ledger entries written.
    CreatorsLedger,
    /// The whole creators' stage: ledger, statements, tree, held shares and returns.
    Creators,
    /// The self-check.
    Check,
}

impl SettlementStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SettlementStage::Readers => "readers",
            SettlementStage::Statements => "statements",
            SettlementStage::Tree => "tree",
            SettlementStage::CreatorsLedger => "creators_ledger",
            SettlementStage::Creators => "creators",
            SettlementStage::Check => "check",
        }
    }
}

/// Where a run's stage durations go. The default records nothing (the command line, tests).
#[derive(Clone, Default)]
pub struct SettlementStages {
    histogram: Option<HistogramVec>,
}

impl fmt::Debug for SettlementStages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.histogram {
            Some(_) => "SettlementStages(recorded)",
            None => "SettlementStages(off)",
        })
    }
}

impl SettlementStages {
    pub(super) fn new() -> prometheus::Result<SettlementStages> {
        let opts = HistogramOpts::new(
            "obole_settlement_stage_duration_seconds",
            "Time each stage of a settlement run took, in the serving process.",
        )
        // From 10 ms to about three hours.
        .buckets(prometheus::exponential_buckets(0.01, 4.0, 10)?);
        Ok(SettlementStages {
            histogram: Some(HistogramVec::new(opts, &["stage"])?),
        })
    }

    pub(super) fn register(&self, registry: &Registry) -> prometheus::Result<()> {
        match &self.histogram {
            Some(histogram) => registry.register(Box::new(histogram.clone())),
            None => Ok(()),
        }
    }

    /// `stage` took `took`.
    pub fn observe(&self, stage: SettlementStage, took: Duration) {
        if let Some(histogram) = &self.histogram {
            histogram
                .with_label_values(&[stage.as_str()])
                .observe(took.as_secs_f64());
        }
    }
}
