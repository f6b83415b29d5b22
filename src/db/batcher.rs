//! Batched writes: the jobs that arrive together are done as one unit of durable work.
//!
//! Every commit waits for the disk (SQLite's `synchronous = FULL`, PostgreSQL's WAL flush) and
//! every statement is a round trip, so one commit per click caps the click rate far below what
//! the machine can do. A [`Batcher`] runs a [`Batch`] on a worker thread (the shape of
//! `crate::workers`: one round is one batch): it takes the jobs waiting in a bounded queue, up
//! to a maximum, hands them to the batch as one (one commit, or one statement), and answers
//! each job only once the batch has returned, that is once its work is durable. A full queue
//! refuses new jobs at once (back-pressure rather than an unbounded backlog). Its two uses are
//! SQLite's shared commit (`group_commit`) and PostgreSQL's click statement (`dialect::postgres::click_batch`).
//! Written by hand: no crate batches blocking diesel work behind an async API.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::time::Duration;

use tokio::sync::oneshot;

use super::pool::PooledConnection;
use super::{DbConnection, DbPool};
use crate::metrics::BatchSizes;
use crate::workers::{self, Round, Running, Worker};

/// How long a round waits for a first job before it lets the worker see whether it was stopped.
const WAIT: Duration = Duration::from_millis(50);

/// One kind of batched work.
pub trait Batch: Send + 'static {
    /// What a caller asks for.
    type Job: Send + 'static;
    /// What a caller is told once the batch is durable.
    type Answer: Send + 'static;

    /// The worker thread's name, also used in logs.
    fn name(&self) -> &'static str;

    /// Does `jobs` as one unit (one commit, one statement) and returns one answer per job, in
    /// their order, once that unit is durable. A job left without an answer hears
    /// [`BatchError::Failed`].
    fn run(&mut self, jobs: Vec<Self::Job>) -> Vec<Self::Answer>;
}

/// Why a job was not done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// The queue is full: the server is overloaded, the caller may retry later.
    Busy,
    /// Another job of the batch failed and the whole batch was rolled back: nothing of this
    /// job was kept, a retry is safe.
    RolledBack,
    /// The batch, or the thread that runs it, failed.
    Failed(String),
}

/// What a job's own error type must tell a batcher.
pub trait JobError: Send + 'static {
    /// Whether the job may have left part of its writes behind, so that a shared commit must
    /// roll back (a refusal the user can act on writes nothing and does not).
    fn poisons(&self) -> bool;

    /// The error for a job the batcher could not do.
    fn from_batch(error: BatchError) -> Self;
}

/// How many jobs a batch takes and how many may wait.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bounded so that a batch stays a few milliseconds of work.
    pub max_batch: usize,
    pub queue: usize,
}

struct Pending<B: Batch> {
    job: B::Job,
    answer: oneshot::Sender<B::Answer>,
}

/// A started batch: jobs go in with [`Batcher::submit`]. Dropping it stops its thread.
pub struct Batcher<B: Batch> {
    sender: SyncSender<Pending<B>>,
    sizes: BatchSizes,
    _running: Running,
}

impl<B: Batch> Batcher<B> {
    /// Starts `batch`'s thread.
    pub fn start(batch: B, limits: Limits) -> std::io::Result<Batcher<B>> {
        let (sender, jobs) = mpsc::sync_channel(limits.queue);
        let sizes = BatchSizes::new(batch.name()).map_err(std::io::Error::other)?;
        let feeder = Feeder {
            batch,
            jobs,
            max_batch: limits.max_batch.max(1),
            sizes: sizes.clone(),
        };
        // No rest between rounds: a round's own wait for a first job is the rest.
        let running = workers::start(feeder, Duration::ZERO)?;
        Ok(Batcher {
            sender,
            sizes,
            _running: running,
        })
    }

    /// How many jobs its rounds took (`GET /metrics`).
    pub fn sizes(&self) -> &BatchSizes {
        &self.sizes
    }

    /// Does `job` with the next batch and answers once that batch is durable.
    pub async fn submit(&self, job: B::Job) -> Result<B::Answer, BatchError> {
        let (answer, answered) = oneshot::channel();
        match self.sender.try_send(Pending { job, answer }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(BatchError::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(BatchError::Failed("the batcher stopped".into()));
            }
        }
        answered
            .await
            .map_err(|_| BatchError::Failed("the batcher dropped a job".into()))
    }
}

/// The worker that feeds a batch from the queue.
struct Feeder<B: Batch> {
    batch: B,
    jobs: Receiver<Pending<B>>,
    max_batch: usize,
    sizes: BatchSizes,
}

impl<B: Batch> Worker for Feeder<B> {
    fn name(&self) -> &'static str {
        self.batch.name()
    }

    fn round(&mut self) -> anyhow::Result<Round> {
        let first = match self.jobs.recv_timeout(WAIT) {
            Ok(first) => first,
            // Disconnected: the batcher was dropped, and the worker is being stopped with it.
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                return Ok(Round::Idle);
            }
        };
        let mut pending = vec![first];
        while pending.len() < self.max_batch {
            match self.jobs.try_recv() {
                Ok(job) => pending.push(job),
                Err(_) => break,
            }
        }
        self.sizes.observe(pending.len());
        let (jobs, answers): (Vec<B::Job>, Vec<oneshot::Sender<B::Answer>>) =
            pending.into_iter().map(|p| (p.job, p.answer)).unzip();
        let done = self.batch.run(jobs);
        for (answer, outcome) in answers.into_iter().zip(done) {
            // A caller that gave up waiting no longer needs its answer.
            let _ = answer.send(outcome);
        }
        Ok(Round::Busy)
    }
}

/// A batch's connection, taken from the pool when first needed and given back after a failure
/// (a broken connection is not reused).
pub struct KeptConnection {
    pool: DbPool,
    conn: Option<PooledConnection>,
}

impl KeptConnection {
    pub fn new(pool: DbPool) -> KeptConnection {
        KeptConnection { pool, conn: None }
    }

    /// The connection, taken from the pool if need be.
    pub fn get(&mut self) -> Result<&mut DbConnection, String> {
        if self.conn.is_none() {
            self.conn = Some(self.pool.get().map_err(|e| e.to_string())?);
        }
        let conn = self
            .conn
            .as_mut()
            .ok_or_else(|| "no connection".to_string())?;
        Ok(&mut **conn)
    }

    /// Gives the connection back after a failure; the next batch takes a fresh one.
    pub fn discard(&mut self) {
        self.conn = None;
    }
}

#[cfg(test)]
#[path = "batcher_tests.rs"]
mod tests;
