//! PostgreSQL's click writer: the clicks that arrive together are recorded by one statement.
//!
//! One click per statement and per commit kept PostgreSQL at about 3,000 clicks a second on
//! this machine, its CPU spent on per-statement work and WAL flushes. A writer thread takes
//! the clicks waiting (up to `MAX_BATCH`), sends them to `models::clicks_pg::click_batch` (one
//! autocommitted statement: one round trip, one flush), and answers each click only after that
//! commit, so nothing is acknowledged before it is durable. The month's first click, which
//! moves money into the reservation, is answered `None` and takes the general path
//! (`clicks::click`). Written by hand because no crate batches diesel statements.

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};

use diesel::result::{DatabaseErrorKind, Error};
use tokio::sync::oneshot;

use crate::db::pool::PooledConnection;
use crate::db::{DbConnection, DbPool};
use crate::domain::Month;
use crate::models::clicks_pg::{self, BatchedClick, ClickRequest};
use crate::use_cases::clicks::{self, ClickError, Clicked};

/// Bounded so that a batch stays a few milliseconds of work.
const MAX_BATCH: usize = 256;
const QUEUE: usize = 16_384;
/// Batches that lost a deadlock against another process's batch are sent again.
const ATTEMPTS: usize = 3;

/// `Ok(None)`: the month's first click, for the general path.
type Answer = Result<Option<Clicked>, ClickError>;

struct Pending {
    request: ClickRequest,
    answer: oneshot::Sender<Answer>,
}

pub struct ClickWriter {
    sender: SyncSender<Pending>,
}

impl ClickWriter {
    /// Starts the writer thread; it takes a connection from `pool` (PostgreSQL only).
    pub fn start(pool: DbPool) -> anyhow::Result<ClickWriter> {
        let (sender, receiver) = mpsc::sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("obole-click-writer".into())
            .spawn(move || writer(pool, receiver))?;
        Ok(ClickWriter { sender })
    }

    /// Records `request` with the next batch; `None` when it is the month's first click.
    pub async fn click(&self, request: ClickRequest) -> Answer {
        let (answer, answered) = oneshot::channel();
        match self.sender.try_send(Pending { request, answer }) {
            Ok(()) => {}
            // Back-pressure rather than an unbounded queue.
            Err(TrySendError::Full(_)) => return Err(ClickError::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(ClickError::Writer("the click writer stopped".into()));
            }
        }
        answered
            .await
            .map_err(|_| ClickError::Writer("the click writer dropped a click".into()))?
    }
}

/// One writer: a second one, measured, only waited for the first's row locks (the counter
/// shards that both batches update) and lowered the throughput.
fn writer(pool: DbPool, jobs: Receiver<Pending>) {
    let mut connection = None;
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // The statement locks rows in input order: the same order in every batch.
        batch.sort_by_key(|p| (p.request.reader, p.request.thing));
        let requests: Vec<ClickRequest> = batch.iter().map(|p| p.request.clone()).collect();
        let recorded = record(&pool, &mut connection, &requests);
        if let Err(e) = &recorded {
            tracing::error!(error = %e, clicks = batch.len(), "a click batch failed");
            // A broken connection is not reused.
            connection = None;
        }
        match recorded {
            Ok(rows) => {
                for (pending, row) in batch.into_iter().zip(rows) {
                    let reader = pending.request.reader;
                    let month = Month::containing(pending.request.at);
                    let answer = match clicks::batched_outcome(reader, month, &row) {
                        None => Ok(None),
                        Some(outcome) => outcome.map(Some),
                    };
                    let _ = pending.answer.send(answer);
                }
            }
            Err(e) => {
                for pending in batch {
                    let _ = pending.answer.send(Err(ClickError::Writer(e.clone())));
                }
            }
        }
    }
}

/// Runs the batch statement, again after a deadlock; one row per request, in order.
fn record(
    pool: &DbPool,
    connection: &mut Option<PooledConnection>,
    requests: &[ClickRequest],
) -> Result<Vec<BatchedClick>, String> {
    let conn = match connection {
        Some(conn) => conn,
        None => connection.insert(pool.get().map_err(|e| e.to_string())?),
    };
    let DbConnection::Postgres(pg) = &mut **conn else {
        return Err("the click writer is PostgreSQL's".into());
    };
    let mut attempt = 0;
    let rows = loop {
        attempt += 1;
        match clicks_pg::click_batch(pg, requests) {
            Err(e) if attempt < ATTEMPTS && is_deadlock(&e) => continue,
            other => break other.map_err(|e| e.to_string())?,
        }
    };
    let in_order =
        rows.len() == requests.len() && rows.iter().zip(1_i64..).all(|(row, ord)| row.ord == ord);
    if !in_order {
        return Err("the click batch answered out of order".into());
    }
    Ok(rows)
}

/// PostgreSQL's `deadlock_detected` (40P01), which diesel does not name.
fn is_deadlock(error: &Error) -> bool {
    match error {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(_, info) => info.message().contains("deadlock detected"),
        _ => false,
    }
}
