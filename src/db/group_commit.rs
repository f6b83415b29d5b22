//! Group commit for SQLite: concurrent writes share one transaction, and so one fsync.
//!
//! With `synchronous = FULL` every commit waits for the disk, which caps a one-commit-per-click
//! design at about a thousand clicks a second here. A [`Batcher`] takes whatever jobs are
//! waiting, [`SharedCommit`] runs them one after the other in one transaction and commits once,
//! and only then is every job answered: nothing is acknowledged before it is durable.
//!
//! Jobs run without a savepoint of their own (one per click cost the writer a tenth of its
//! time). So a job refused for a reason its user can act on (an error that does not
//! [`JobError::poisons`]) must have written nothing (the click use cases check before they
//! write, or wrap their writes in `backend::write_transaction`, a savepoint inside the batch),
//! and a job that fails otherwise (a database error, which may come after some of its writes)
//! rolls the whole batch back: it gets its error, the other jobs of the batch
//! [`BatchError::RolledBack`] (nothing of theirs was kept: a retry is safe).

use tokio::sync::oneshot;

use super::backend::write_transaction;
use super::batcher::{Batch, BatchError, Batcher, JobError, KeptConnection, Limits};
use super::{DbConnection, DbPool};

const LIMITS: Limits = Limits {
    max_batch: 512,
    queue: 16_384,
};

/// What a job's run means for its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Done, or refused having written nothing: the batch may commit.
    Keep,
    /// Failed, perhaps after some writes: the batch must roll back.
    Poison,
}

/// How a batch ended, as its jobs are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    Committed,
    /// A job of the batch failed: everything was rolled back.
    RolledBack,
    /// The connection or the commit itself failed.
    Failed(String),
}

/// One job: it runs inside the shared transaction and says whether the batch may keep it.
pub type Job = Box<dyn FnOnce(&mut DbConnection) -> Verdict + Send>;

/// SQLite's shared commit: every job of a batch in one transaction.
pub struct SharedCommit {
    conn: KeptConnection,
}

impl Batch for SharedCommit {
    type Job = Job;
    type Answer = Ending;

    fn name(&self) -> &'static str {
        "group-commit"
    }

    fn run(&mut self, jobs: Vec<Job>) -> Vec<Ending> {
        let count = jobs.len();
        let ending = match self.conn.get() {
            Ok(conn) => commit(conn, jobs),
            Err(e) => Ending::Failed(e),
        };
        match &ending {
            Ending::Committed => {}
            Ending::RolledBack => {
                tracing::error!(
                    jobs = count,
                    "a job failed: the group commit rolled its batch back"
                );
            }
            Ending::Failed(e) => {
                tracing::error!(error = %e, jobs = count, "a group commit failed");
                self.conn.discard();
            }
        }
        vec![ending; count]
    }
}

/// Runs `jobs` in one write transaction, rolled back if one of them poisons it.
fn commit(conn: &mut DbConnection, jobs: Vec<Job>) -> Ending {
    let committed = write_transaction(conn, |conn| -> Result<(), Rollback> {
        let mut verdict = Verdict::Keep;
        for job in jobs {
            if job(conn) == Verdict::Poison {
                verdict = Verdict::Poison;
            }
        }
        match verdict {
            Verdict::Keep => Ok(()),
            Verdict::Poison => Err(Rollback::Poisoned),
        }
    });
    match committed {
        Ok(()) => Ending::Committed,
        Err(Rollback::Poisoned) => Ending::RolledBack,
        Err(Rollback::Database(e)) => Ending::Failed(e.to_string()),
    }
}

/// Why a batch did not commit.
enum Rollback {
    /// A job failed: the batch is rolled back on purpose.
    Poisoned,
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for Rollback {
    fn from(e: diesel::result::Error) -> Self {
        Rollback::Database(e)
    }
}

/// The running shared commit.
pub struct GroupCommit {
    batcher: Batcher<SharedCommit>,
}

impl GroupCommit {
    /// Starts the writer thread; it takes a connection of its own from `pool`.
    pub fn start(pool: DbPool) -> std::io::Result<GroupCommit> {
        let batch = SharedCommit {
            conn: KeptConnection::new(pool),
        };
        Ok(GroupCommit {
            batcher: Batcher::start(batch, LIMITS)?,
        })
    }

    /// How many writes its commits took (`GET /metrics`).
    pub fn sizes(&self) -> &crate::metrics::BatchSizes {
        self.batcher.sizes()
    }

    /// Runs `work` in the next batch and answers after that batch is committed. When `work`
    /// fails with an error that does not poison the batch it must leave nothing behind (see
    /// the module's rules); any other error of it rolls the batch back.
    pub async fn run<T, E, W>(&self, work: W) -> Result<T, E>
    where
        T: Send + 'static,
        E: JobError,
        W: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    {
        // The outcome waits here, unread, until the batch has ended.
        let (outcome_sender, outcome) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn| {
            let result = work(conn);
            let verdict = match &result {
                Err(e) if e.poisons() => Verdict::Poison,
                _ => Verdict::Keep,
            };
            // Closed only when the caller stopped waiting: nobody is left to tell.
            let _ = outcome_sender.send(result);
            verdict
        });
        let ending = self.batcher.submit(job).await.map_err(E::from_batch)?;
        if let Ending::Failed(e) = ending {
            let reason = format!("group commit failed: {e}");
            return Err(E::from_batch(BatchError::Failed(reason)));
        }
        let outcome = outcome
            .await
            .map_err(|_| E::from_batch(BatchError::Failed("a job did not run".into())))?;
        match (ending, outcome) {
            (Ending::Committed, outcome) => outcome,
            // This job's own failure rolled the batch back: it hears its error.
            (_, Err(e)) if e.poisons() => Err(e),
            _ => Err(E::from_batch(BatchError::RolledBack)),
        }
    }
}
