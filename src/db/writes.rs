//! The batched writes of this database, behind one handle: SQLite shares one commit among the
//! short writes that arrive together (`group_commit`), PostgreSQL records the clicks that
//! arrive together in one statement (`dialect::postgres::click_batch`). Both run on a [`Batcher`]; the code
//! above asks [`Writes`] and never which backend is behind it.

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error};

use super::batcher::{Batch, BatchError, Batcher, JobError, KeptConnection, Limits};
pub use super::dialect::postgres::click_batch::ClickRow;
use super::dialect::postgres::click_batch::{self, ClickBatch};
use super::group_commit::GroupCommit;
use super::{DbConnection, DbPool};
use crate::config::DatabaseUrl;
use crate::domain::{Month, ThingId, UserId};

/// One click to record: who, what, when (and so in which month), the reader's counter shard,
/// and the digest of the API token it came with, which must still be live.
#[derive(Debug, Clone)]
pub struct ClickRequest {
    pub reader: UserId,
    pub thing: ThingId,
    pub month: Month,
    pub shard: i32,
    pub at: DateTime<Utc>,
    pub token: Option<String>,
}

/// The started batchers of this database; they stop when it is dropped.
pub struct Writes {
    way: Way,
}

enum Way {
    /// SQLite: one writer, whose batches of short writes share one commit.
    SharedCommit(GroupCommit),
    /// PostgreSQL: row locks let writers run side by side; clicks share one statement.
    ClickStatement(Batcher<ClickStatement>),
}

impl Writes {
    /// Starts the batcher `url`'s backend uses, with a connection of its own from `pool`.
    pub fn start(pool: &DbPool, url: &DatabaseUrl) -> std::io::Result<Writes> {
        let way = match url {
            DatabaseUrl::Sqlite(_) => Way::SharedCommit(GroupCommit::start(pool.clone())?),
            DatabaseUrl::Postgres(_) => {
                let batch = ClickStatement {
                    conn: KeptConnection::new(pool.clone()),
                };
                Way::ClickStatement(Batcher::start(batch, CLICK_LIMITS)?)
            }
        };
        Ok(Writes { way })
    }

    /// The shared commit short writes should join, if this database has one (SQLite); else
    /// they run on their own connection.
    pub fn shared_commit(&self) -> Option<&GroupCommit> {
        match &self.way {
            Way::SharedCommit(commit) => Some(commit),
            Way::ClickStatement(_) => None,
        }
    }

    /// How many jobs this database's batcher did together, round by round (`GET /metrics`).
    pub fn batch_sizes(&self) -> &crate::metrics::BatchSizes {
        match &self.way {
            Way::SharedCommit(commit) => commit.sizes(),
            Way::ClickStatement(batcher) => batcher.sizes(),
        }
    }

    /// Records a click with its neighbours: on SQLite `in_commit` runs in the shared commit; on
    /// PostgreSQL `request` goes to the batched statement, whose row for it `from_row` reads.
    /// Either way the answer comes once the click is durable.
    pub async fn click<T, E, W, R>(
        &self,
        request: ClickRequest,
        in_commit: W,
        from_row: R,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: JobError,
        W: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        R: FnOnce(ClickRow) -> Result<T, E>,
    {
        match &self.way {
            Way::SharedCommit(commit) => commit.run(in_commit).await,
            Way::ClickStatement(batcher) => {
                let row = batcher.submit(request).await.map_err(E::from_batch)?;
                from_row(row.map_err(E::from_batch)?)
            }
        }
    }
}

/// Bounded so that a batch stays a few milliseconds of work.
const CLICK_LIMITS: Limits = Limits {
    max_batch: 256,
    queue: 16_384,
};

/// Batches that lost a deadlock against another process's batch are sent again.
const ATTEMPTS: usize = 3;

/// PostgreSQL's batched click statement. One of them: a second one, measured, only waited for
/// the first's row locks (the counter shards that both batches update).
struct ClickStatement {
    conn: KeptConnection,
}

impl Batch for ClickStatement {
    type Job = ClickRequest;
    type Answer = Result<ClickRow, BatchError>;

    fn name(&self) -> &'static str {
        "click-batch"
    }

    fn run(&mut self, jobs: Vec<ClickRequest>) -> Vec<Self::Answer> {
        let count = jobs.len();
        // The statement locks rows in input order: the same order in every batch.
        let mut indexed: Vec<(usize, ClickRequest)> = jobs.into_iter().enumerate().collect();
        indexed.sort_by_key(|(_, c)| (c.reader, c.thing));
        let (positions, requests): (Vec<usize>, Vec<ClickRequest>) = indexed.into_iter().unzip();
        let rows = match self.record(&requests) {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, clicks = count, "a click batch failed");
                self.conn.discard();
                return vec![Err(BatchError::Failed(e)); count];
            }
        };
        let mut answers: Vec<Option<Self::Answer>> = (0..count).map(|_| None).collect();
        for (position, row) in positions.into_iter().zip(rows) {
            if let Some(answer) = answers.get_mut(position) {
                *answer = Some(Ok(row));
            }
        }
        let missing = || Err(BatchError::Failed("the click batch lost a row".into()));
        answers
            .into_iter()
            .map(|a| a.unwrap_or_else(missing))
            .collect()
    }
}

impl ClickStatement {
    /// Runs the batch statement, again after a deadlock; one row per request, in order.
    fn record(&mut self, requests: &[ClickRequest]) -> Result<Vec<ClickRow>, String> {
        let DbConnection::Postgres(pg) = self.conn.get()? else {
            return Err("the click statement is PostgreSQL's".into());
        };
        let mut attempt = 0;
        let rows = loop {
            attempt += 1;
            match click_batch::click_batch(pg, batch_of(requests)) {
                Err(e) if attempt < ATTEMPTS && is_deadlock(&e) => continue,
                other => break other.map_err(|e| e.to_string())?,
            }
        };
        let in_order = rows.len() == requests.len()
            && rows.iter().zip(1_i64..).all(|(row, ord)| row.ord == ord);
        if !in_order {
            return Err("the click batch answered out of order".into());
        }
        Ok(rows)
    }
}

/// The batch statement's arrays, one per column.
fn batch_of(requests: &[ClickRequest]) -> ClickBatch {
    ClickBatch {
        readers: requests.iter().map(|c| c.reader.0).collect(),
        things: requests.iter().map(|c| c.thing.0).collect(),
        shards: requests.iter().map(|c| c.shard).collect(),
        months: requests.iter().map(|c| c.month.to_string()).collect(),
        created: requests.iter().map(|c| c.at.naive_utc()).collect(),
        tokens: requests.iter().map(|c| c.token.clone()).collect(),
    }
}

/// PostgreSQL's `deadlock_detected` (40P01), which diesel does not name.
fn is_deadlock(error: &Error) -> bool {
    match error {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(_, info) => info.message().contains("deadlock detected"),
        _ => false,
    }
}
