//! Settling a closed month, following Liberapay's payday (docs/SETTLEMENT.md): a run row per
//! month and a lock, stages that resume after a crash, chunks that commit with their cursor,
//! deterministic ledger keys, and a self-check before the month is marked settled.

use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::chunks::{credit_creators, debit_readers, things_by_owner};
use super::input::{Chunk, read_month};
use super::{SettlementError, check, check_closed, lock};
use crate::db::backend::write_transaction;
use crate::db::{DbConnection, DbPool};
use crate::domain::allocation::{Earnings, MonthAccumulator, MonthTotals};
use crate::domain::{Money, Month, UserId};
use crate::models::settlement::{self as rows, RunRow};

/// How the run is cut and, for the crash tests, where it stops.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Readers per chunk (one ledger movement and one commit each).
    pub readers_per_chunk: i64,
    /// Creators per chunk of the creators' stage.
    pub creators_per_chunk: i64,
    /// Fault injection: stop with `Stopped` after this many committed chunks.
    pub stop_after_chunks: Option<u64>,
    /// Tests only: a pause after each committed chunk, so that a run lasts long enough for a
    /// second process to meet it.
    pub pause_after_chunk: Option<std::time::Duration>,
    /// A run that failed its self-check runs again (`obole settle --retry`), from where it
    /// stopped, once an operator has fixed the cause.
    pub retry_failed: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            readers_per_chunk: 10_000,
            creators_per_chunk: 10_000,
            stop_after_chunks: None,
            pause_after_chunk: None,
            retry_failed: false,
        }
    }
}

/// A settled month's totals, from its run row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub month: Month,
    pub readers: i64,
    pub clicks: i64,
    pub creators: usize,
    pub debited: Money,
    pub fees: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This call settled the month (or finished a run that a crash interrupted).
    Settled(Settled),
    /// The month was settled before: nothing changed.
    AlreadySettled(Settled),
}

/// Settles `month`, with two connections of `pool`: one reads the month while the other
/// writes. `progress` hears the number of readers settled so far.
pub fn settle(
    pool: &DbPool,
    sqlite_lock_file: Option<&Path>,
    month: Month,
    fee_percent: Decimal,
    now: DateTime<Utc>,
    options: RunOptions,
    progress: &mut dyn FnMut(i64),
) -> Result<Outcome, SettlementError> {
    check_closed(month, now)?;
    let mut conn = pool.get()?;
    let held = lock::acquire(&mut conn, sqlite_lock_file, month)?;
    let outcome = settle_locked(pool, &mut conn, month, fee_percent, now, options, progress);
    lock::release(&mut conn, held);
    outcome
}

fn settle_locked(
    pool: &DbPool,
    conn: &mut DbConnection,
    month: Month,
    fee_percent: Decimal,
    now: DateTime<Utc>,
    options: RunOptions,
    progress: &mut dyn FnMut(i64),
) -> Result<Outcome, SettlementError> {
    if options.retry_failed {
        rows::reopen_failed(conn, month)?;
    }
    let run = rows::claim_run(conn, month, now)?;
    match run.state.as_str() {
        "done" => return Ok(Outcome::AlreadySettled(summary(conn, month, &run)?)),
        "failed" => {
            return Err(SettlementError::PreviouslyFailed {
                month,
                reason: run.error.unwrap_or_default(),
            });
        }
        _ => {}
    }
    let mut chunks = 0_u64;
    let mut stop = || -> Result<(), SettlementError> {
        chunks += 1;
        if let Some(pause) = options.pause_after_chunk {
            std::thread::sleep(pause);
        }
        match options.stop_after_chunks {
            Some(limit) if chunks >= limit => Err(SettlementError::Stopped(chunks)),
            _ => Ok(()),
        }
    };
    // Every stage needs the month's totals, so every run reads the whole month once, and
    // charges only the readers after the cursor. The month is closed: the same clicks each
    // time. A second connection reads the next chunks, and another thread adds them up, while
    // this one writes.
    let started = Instant::now();
    let debiting = run.stage == "readers";
    let mut settled = run.readers;
    let mut writing = Duration::ZERO;
    progress(settled);
    let mut reading = pool.get()?;
    let totals = std::thread::scope(|scope| -> Result<MonthTotals, SettlementError> {
        // Three steps on their own threads, each handing chunks to the next: read, add up,
        // write. Each step ends when the one after it stops listening.
        let (read_sender, read_chunks) = std::sync::mpsc::sync_channel::<Chunk>(2);
        let (added_sender, added_chunks) = std::sync::mpsc::sync_channel::<Chunk>(2);
        let size = options.readers_per_chunk;
        let reader = scope.spawn(move || read_month(&mut reading, month, size, read_sender));
        let adder = scope.spawn(move || add_up(month, fee_percent, read_chunks, added_sender));
        let mut written = Ok(());
        for chunk in added_chunks.iter() {
            if !debiting || chunk.up_to <= run.reader_cursor {
                continue;
            }
            let write_started = Instant::now();
            written = write_transaction(conn, |conn| {
                debit_readers(conn, month, &chunk, run.reader_cursor, now)
            })
            .and_then(|charged| {
                settled += charged;
                writing += write_started.elapsed();
                progress(settled);
                stop()
            });
            if written.is_err() {
                break;
            }
        }
        drop(added_chunks);
        let totals = adder.join().map_err(|_| SettlementError::ReadingFailed)?;
        // A reading error comes first: the totals of a month read in part are worthless.
        reader
            .join()
            .map_err(|_| SettlementError::ReadingFailed)??;
        written?;
        totals
    })?;
    if debiting {
        rows::set_stage(conn, month, "creators")?;
    }
    tracing::info!(
        %month,
        seconds = started.elapsed().as_secs_f64(),
        writing = writing.as_secs_f64(),
        "settlement: the month read and the readers charged"
    );
    let started = Instant::now();
    let run = rows::find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)?;
    if run.stage == "creators" {
        let things = things_by_owner(&totals);
        let creators: Vec<(UserId, Earnings)> = totals
            .creators
            .range(UserId(run.creator_cursor.saturating_add(1))..)
            .map(|(creator, earnings)| (*creator, *earnings))
            .collect();
        let size = usize::try_from(options.creators_per_chunk.max(1)).unwrap_or(1);
        for chunk in creators.chunks(size) {
            write_transaction(conn, |conn| {
                credit_creators(conn, month, chunk, &things, now)
            })?;
            stop()?;
        }
        rows::set_stage(conn, month, "check")?;
        tracing::info!(%month, seconds = started.elapsed().as_secs_f64(), "settlement: creators credited");
    }
    let started = Instant::now();
    let checked = check::verify(conn, month, &totals);
    tracing::info!(%month, seconds = started.elapsed().as_secs_f64(), "settlement: self-check");
    match checked {
        Ok(()) => {
            rows::finish(conn, month, None, now)?;
            let run = rows::find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)?;
            Ok(Outcome::Settled(summary(conn, month, &run)?))
        }
        Err(SettlementError::CheckFailed { reason, .. }) => {
            tracing::error!(%month, %reason, "the settlement failed its self-check");
            rows::finish(conn, month, Some(&reason), now)?;
            Err(SettlementError::CheckFailed { month, reason })
        }
        Err(other) => Err(other),
    }
}

/// Splits every reader's budget and adds the month up, chunk after chunk, then hands each
/// chunk on to be written.
fn add_up(
    month: Month,
    fee_percent: Decimal,
    read: Receiver<Chunk>,
    added: SyncSender<Chunk>,
) -> Result<MonthTotals, SettlementError> {
    let mut totals = MonthAccumulator::new(month);
    for chunk in read.iter() {
        for reader in &chunk.readers {
            totals.add(reader)?;
        }
        if added.send(chunk).is_err() {
            break;
        }
    }
    Ok(totals.finish(fee_percent)?)
}

fn summary(
    conn: &mut DbConnection,
    month: Month,
    run: &RunRow,
) -> Result<Settled, SettlementError> {
    Ok(Settled {
        month,
        readers: run.readers,
        clicks: run.clicks,
        creators: rows::count_creators(conn, month)?,
        debited: Money::from_micros(run.debited_micros),
        fees: Money::from_micros(run.fees_micros),
    })
}
