//! Group commit for SQLite: concurrent writes share one transaction, and so one fsync.
//!
//! With `synchronous = FULL` every commit waits for the disk, which caps a one-commit-per-click
//! design at about a thousand clicks a second here. A single writer thread takes whatever jobs
//! are waiting (up to `MAX_BATCH`), runs each in its own savepoint (a failing job rolls back
//! alone), commits once, and only then answers every job: nothing is acknowledged before it
//! is durable. Written by hand because no crate does this over diesel.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};

use tokio::sync::oneshot;

use super::backend::write_transaction;
use super::{DbConnection, DbPool};
use crate::web::error::{AppError, ErrorCode};

const MAX_BATCH: usize = 512;
const QUEUE: usize = 16_384;

/// What a job returns: how to answer once the batch's commit succeeded or failed.
type Reply = Box<dyn FnOnce(Result<(), String>) + Send>;
type Job = Box<dyn FnOnce(&mut DbConnection) -> Reply + Send>;

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

    /// Runs `work` in the next batch and answers after that batch is committed. `work` must
    /// leave nothing behind when it fails: wrap it in `backend::write_transaction`, which is a
    /// savepoint inside the batch (the click use cases do).
    pub async fn run<T, W>(&self, work: W) -> Result<T, AppError>
    where
        T: Send + 'static,
        W: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel::<Result<T, AppError>>();
        let job: Job = Box::new(move |conn| {
            let outcome = work(conn);
            Box::new(move |committed| {
                let result = match committed {
                    Ok(()) => outcome,
                    Err(e) => Err(AppError::Internal(anyhow::anyhow!(
                        "group commit failed: {e}"
                    ))),
                };
                let _ = answer.send(result);
            })
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
        let committed = write_transaction(&mut conn, |conn| -> Result<(), diesel::result::Error> {
            for job in batch {
                replies.push(job(conn));
            }
            Ok(())
        })
        .map_err(|e| e.to_string());
        if let Err(e) = &committed {
            tracing::error!(error = %e, jobs = replies.len(), "a group commit failed");
        }
        for reply in replies {
            reply(committed.clone());
        }
    }
}
