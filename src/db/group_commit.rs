//! Group commit for SQLite: concurrent writes share one transaction, and so one fsync.
//!
//! With `synchronous = FULL` every commit waits for the disk, which caps a one-commit-per-click
//! design at about a thousand clicks a second here. A single writer thread takes whatever jobs
//! are waiting (up to `MAX_BATCH`), runs them one after the other in one transaction, commits
//! once, and only then answers every job: nothing is acknowledged before it is durable.
//!
//! Jobs run without a savepoint of their own (one per click cost the writer a tenth of its
//! time). So a job refused for a reason its user can act on (`AppError::User`) must have
//! written nothing (the click use cases check before they write, or wrap their writes in
//! `backend::write_transaction`, a savepoint inside the batch), and a job that fails otherwise
//! (a database error, which may come after some of its writes) rolls the whole batch back: it
//! gets its error, the other jobs of the batch `unavailable` (503, nothing of theirs was kept:
//! a retry is safe). Written by hand because no crate does this over diesel.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};

use tokio::sync::oneshot;

use super::backend::write_transaction;
use super::{DbConnection, DbPool};
use crate::web::error::{AppError, ErrorCode};

const MAX_BATCH: usize = 512;
const QUEUE: usize = 16_384;

/// How a batch ended, as its jobs are told.
#[derive(Debug, Clone)]
enum Ending {
    Committed,
    /// Another job of the batch failed: everything was rolled back.
    RolledBack,
    /// The commit itself failed.
    Failed(String),
}

/// What a job returns: whether it failed in a way that may have left part of its writes
/// (the batch must then roll back), and how to answer once the batch has ended.
type Reply = Box<dyn FnOnce(Ending) + Send>;
type Job = Box<dyn FnOnce(&mut DbConnection) -> (bool, Reply) + Send>;

pub struct GroupCommit {
    sender: SyncSender<Job>,
}

impl GroupCommit {
    /// Starts the writer thread with a connection of its own from `pool`.
    pub fn start(pool: DbPool) -> anyhow::Result<GroupCommit> {
        let (sender, receiver) = mpsc::sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("obole-group-commit".into())
            .spawn(move || writer(pool, receiver))?;
        Ok(GroupCommit { sender })
    }

    /// Runs `work` in the next batch and answers after that batch is committed. When `work`
    /// refuses with `AppError::User` it must leave nothing behind (see the module's rules);
    /// any other error of it rolls the batch back.
    pub async fn run<T, W>(&self, work: W) -> Result<T, AppError>
    where
        T: Send + 'static,
        W: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel::<Result<T, AppError>>();
        let job: Job = Box::new(move |conn| {
            let outcome = work(conn);
            let poisons = matches!(outcome, Err(AppError::Internal(_)));
            let reply: Reply = Box::new(move |ending| {
                let result = match ending {
                    Ending::Committed => outcome,
                    // This job's own failure rolled the batch back: it hears its error.
                    Ending::RolledBack if poisons => outcome,
                    Ending::RolledBack => Err(ErrorCode::Unavailable.into()),
                    Ending::Failed(e) => Err(AppError::Internal(anyhow::anyhow!(
                        "group commit failed: {e}"
                    ))),
                };
                let _ = answer.send(result);
            });
            (poisons, reply)
        });
        match self.sender.try_send(job) {
            Ok(()) => {}
            // Back-pressure rather than an unbounded queue.
            Err(TrySendError::Full(_)) => return Err(ErrorCode::Unavailable.into()),
            Err(TrySendError::Disconnected(_)) => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "the group-commit writer stopped"
                )));
            }
        }
        answered.await.map_err(|_| {
            AppError::Internal(anyhow::anyhow!("the group-commit writer dropped a job"))
        })?
    }
}

fn writer(pool: DbPool, jobs: Receiver<Job>) {
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(e) => {
            tracing::error!(error = %e, "the group-commit writer has no connection");
            return;
        }
    };
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut replies: Vec<Reply> = Vec::with_capacity(batch.len());
        let mut poisoned = false;
        let committed = write_transaction(&mut conn, |conn| -> Result<(), Rollback> {
            for job in batch {
                let (poisons, reply) = job(conn);
                poisoned |= poisons;
                replies.push(reply);
            }
            if poisoned {
                Err(Rollback::Poisoned)
            } else {
                Ok(())
            }
        });
        let ending = match committed {
            Ok(()) => Ending::Committed,
            Err(Rollback::Poisoned) => {
                tracing::error!(
                    jobs = replies.len(),
                    "a job failed: the group commit rolled its batch back"
                );
                Ending::RolledBack
            }
            Err(Rollback::Database(e)) => {
                tracing::error!(error = %e, jobs = replies.len(), "a group commit failed");
                Ending::Failed(e.to_string())
            }
        };
        for reply in replies {
            reply(ending.clone());
        }
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
