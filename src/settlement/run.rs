//! Settling a closed month, following Liberapay's payday (docs/SETTLEMENT.md): a run row per
//! month and a lock, stages that resume after a crash, chunks that commit with their cursor,
//! deterministic ledger keys, and a self-check before the month is marked settled.

use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::input::{Chunk, MonthInput};
use super::{SettlementError, check, check_closed, lock};
use crate::db::backend::write_transaction;
use crate::db::bulk::Rows;
use crate::db::{DbConnection, DbPool};
use crate::domain::allocation::{Earnings, MonthAccumulator, MonthTotals};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::{Money, Month, UserId};
use crate::models::ledger_bulk;
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

/// Reads every chunk of the month, in reader order, for the next step. Stops early, without
/// an error, when that step stops listening.
pub(super) fn read_month(
    conn: &mut DbConnection,
    month: Month,
    size: i64,
    chunks: SyncSender<Chunk>,
) -> Result<(), SettlementError> {
    let input = MonthInput::load(conn, month)?;
    let mut after = 0;
    while let Some(chunk) = input.chunk_after(conn, after, size)? {
        after = chunk.up_to;
        if chunks.send(chunk).is_err() {
            break;
        }
    }
    Ok(())
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

/// One chunk of readers, those after `cursor`, in the caller's transaction: one ledger
/// movement that takes each reader's reserved budget into the clearing account, and the run's
/// cursor. Returns how many readers the chunk charged.
fn debit_readers(
    conn: &mut DbConnection,
    month: Month,
    chunk: &Chunk,
    cursor: i64,
    now: DateTime<Utc>,
) -> Result<i64, SettlementError> {
    let mut postings: Vec<(AccountRef, Money)> = Vec::with_capacity(chunk.readers.len() + 1);
    let (mut charged, mut clicks, mut debited) = (0_i64, 0_i64, 0_i64);
    // Readers without a click in the month are not charged (their reservation was released).
    for reader in chunk
        .readers
        .iter()
        .filter(|r| r.reader.0 > cursor && !r.clicks.is_empty())
    {
        postings.push((
            AccountRef::User(reader.reader, AccountKind::Reserved),
            Money::from_micros(-reader.budget),
        ));
        charged += 1;
        clicks += i64::try_from(reader.clicks.len()).unwrap_or(i64::MAX);
        debited += reader.budget;
    }
    if debited > 0 {
        postings.push((
            AccountRef::Platform(AccountKind::SettlementClearing),
            Money::from_micros(debited),
        ));
        let transfer =
            Transfer::new(MovementKind::Settlement, postings).map_err(SettlementError::Transfer)?;
        let key = format!(
            "settlement:{month}:readers:{}-{}",
            chunk.after.max(cursor),
            chunk.up_to
        );
        ledger_bulk::post_many(conn, &transfer, &key, now)?;
    }
    rows::advance_readers(conn, month, chunk.up_to, charged, clicks, debited)?;
    Ok(charged)
}

/// The month's things, ordered by owner then thing: (owner, thing, clicks, amount).
fn things_by_owner(totals: &MonthTotals) -> Vec<(i64, i64, i64, i64)> {
    let mut things: Vec<(i64, i64, i64, i64)> = totals
        .things
        .iter()
        .map(|(thing, earned)| {
            let clicks = i64::try_from(earned.clicks).unwrap_or(i64::MAX);
            (earned.owner.0, thing.0, clicks, earned.amount)
        })
        .collect();
    things.sort_unstable();
    things
}

/// One chunk of creators in the caller's transaction: their totals and their things' totals
/// for statements, one ledger movement from the clearing account (each creator's net to their
/// revenue, the fees to the platform), and the creator cursor.
fn credit_creators(
    conn: &mut DbConnection,
    month: Month,
    creators: &[(UserId, Earnings)],
    things: &[(i64, i64, i64, i64)],
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    let (Some((first, _)), Some((last, _))) = (creators.first(), creators.last()) else {
        return Ok(());
    };
    let mut creator_rows = Rows::new(4);
    let mut postings: Vec<(AccountRef, Money)> = Vec::with_capacity(creators.len() + 2);
    let (mut gross, mut fees) = (0_i64, 0_i64);
    for (creator, earnings) in creators {
        let clicks = i64::try_from(earnings.clicks).unwrap_or(i64::MAX);
        creator_rows.push(&[creator.0, clicks, earnings.gross, earnings.fee]);
        gross += earnings.gross;
        fees += earnings.fee;
        if earnings.net > 0 {
            postings.push((
                AccountRef::User(*creator, AccountKind::Revenue),
                Money::from_micros(earnings.net),
            ));
        }
    }
    let from = things.partition_point(|thing| thing.0 < first.0);
    let to = things.partition_point(|thing| thing.0 <= last.0);
    let mut thing_rows = Rows::new(3);
    for &(_, thing, clicks, amount) in things.get(from..to).unwrap_or_default() {
        thing_rows.push(&[thing, clicks, amount]);
    }
    rows::insert_creator_totals(conn, month, &creator_rows)?;
    rows::insert_thing_totals(conn, month, &thing_rows)?;
    if gross > 0 {
        if fees > 0 {
            postings.push((
                AccountRef::Platform(AccountKind::Fees),
                Money::from_micros(fees),
            ));
        }
        postings.push((
            AccountRef::Platform(AccountKind::SettlementClearing),
            Money::from_micros(-gross),
        ));
        let transfer = Transfer::new(MovementKind::SettlementCredit, postings)
            .map_err(SettlementError::Transfer)?;
        let key = format!("settlement:{month}:creators:{}-{}", first.0, last.0);
        ledger_bulk::post_many(conn, &transfer, &key, now)?;
    }
    rows::advance_creators(conn, month, last.0, fees)?;
    Ok(())
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
