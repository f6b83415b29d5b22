//! Settling a closed month, following Liberapay's payday (docs/SETTLEMENT.md): a run row per
//! month and a lock, stages that resume after a crash, chunks that commit with their cursor,
//! deterministic ledger keys, and a self-check before the month is marked settled.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use diesel::RunQueryDsl as _;
use rust_decimal::Decimal;

use super::{SettlementError, check, check_closed, input, lock};
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::allocation::{ReaderMonth, fee, split};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::ledger;
use crate::models::settlement::{self as rows, AddToTotals, CreatorTotals, RunRow, ThingTotals};

/// How the run is cut and, for the crash tests, where it stops.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Readers per chunk (one ledger movement and one commit each).
    pub readers_per_chunk: i64,
    /// Creators per chunk of the fee stage.
    pub creators_per_chunk: i64,
    /// Fault injection: stop with `Stopped` after this many committed chunks.
    pub stop_after_chunks: Option<u64>,
    /// Tests only: a pause after each committed chunk, so that a run lasts long enough for a
    /// second process to meet it.
    pub pause_after_chunk: Option<std::time::Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            readers_per_chunk: 1_000,
            creators_per_chunk: 1_000,
            stop_after_chunks: None,
            pause_after_chunk: None,
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

/// Settles `month`. `progress` hears the number of readers settled so far.
pub fn settle(
    conn: &mut DbConnection,
    sqlite_lock_file: Option<&Path>,
    month: Month,
    fee_percent: Decimal,
    now: DateTime<Utc>,
    options: RunOptions,
    progress: &mut dyn FnMut(i64),
) -> Result<Outcome, SettlementError> {
    check_closed(month, now)?;
    let held = lock::acquire(conn, sqlite_lock_file, month)?;
    let outcome = settle_locked(conn, month, fee_percent, now, options, progress);
    lock::release(conn, held);
    outcome
}

fn settle_locked(
    conn: &mut DbConnection,
    month: Month,
    fee_percent: Decimal,
    now: DateTime<Utc>,
    options: RunOptions,
    progress: &mut dyn FnMut(i64),
) -> Result<Outcome, SettlementError> {
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
    if run.stage == "readers" {
        let (mut cursor, mut done) = (run.reader_cursor, run.readers);
        progress(done);
        while let Some(bound) =
            rows::next_reader_bound(conn, month, cursor, options.readers_per_chunk)?
        {
            done +=
                write_transaction(conn, |conn| settle_readers(conn, month, cursor, bound, now))?;
            cursor = bound;
            progress(done);
            stop()?;
        }
        rows::set_stage(conn, month, "fees")?;
    }
    let run = rows::find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)?;
    if run.stage == "fees" {
        let mut cursor = run.creator_cursor;
        loop {
            let creators = rows::next_creators(conn, month, cursor, options.creators_per_chunk)?;
            let Some(&(last, _)) = creators.last() else {
                break;
            };
            write_transaction(conn, |conn| {
                take_fees(conn, month, &creators, fee_percent, now)
            })?;
            cursor = last.0;
            stop()?;
        }
        rows::set_stage(conn, month, "check")?;
    }
    match check::verify(conn, month, fee_percent) {
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

/// One chunk of readers, `(after, up_to]`, in the caller's transaction: one ledger movement
/// (each reader's reserved budget out, each creator's share of it in), the monthly totals,
/// and the cursor. Returns how many readers the chunk settled.
fn settle_readers(
    conn: &mut DbConnection,
    month: Month,
    after: i64,
    up_to: i64,
    now: DateTime<Utc>,
) -> Result<i64, SettlementError> {
    // The chunk is read whole first: `load_iter` holds the connection while it streams.
    let mut readers: Vec<ReaderMonth> = Vec::new();
    input::for_each_reader(conn, month, (after + 1)..=up_to, |reader| {
        readers.push(reader);
        Ok(())
    })?;
    let mut postings: Vec<(AccountRef, Money)> = Vec::new();
    let mut creators: BTreeMap<UserId, (i64, i64)> = BTreeMap::new();
    let mut things: BTreeMap<ThingId, (i64, i64)> = BTreeMap::new();
    let (mut clicks, mut debited) = (0_i64, 0_i64);
    for reader in &readers {
        let ids: Vec<ThingId> = reader.clicks.iter().map(|(thing, _)| *thing).collect();
        let shares = split(reader.budget, &ids, reader.reader, month)?;
        if shares.is_empty() {
            continue;
        }
        postings.push((
            AccountRef::User(reader.reader, AccountKind::Reserved),
            Money::from_micros(-reader.budget),
        ));
        debited += reader.budget;
        for ((thing, owner), share) in reader.clicks.iter().zip(shares) {
            clicks += 1;
            let creator = creators.entry(*owner).or_default();
            creator.0 += 1;
            creator.1 += share;
            let per_thing = things.entry(*thing).or_default();
            per_thing.0 += 1;
            per_thing.1 += share;
        }
    }
    postings.extend(creators.iter().filter(|(_, (_, gross))| *gross > 0).map(
        |(creator, (_, gross))| {
            (
                AccountRef::User(*creator, AccountKind::Revenue),
                Money::from_micros(*gross),
            )
        },
    ));
    if !postings.is_empty() {
        let transfer =
            Transfer::new(MovementKind::Settlement, postings).map_err(SettlementError::Transfer)?;
        let key = format!("settlement:{month}:readers:{after}-{up_to}");
        ledger::post(conn, &transfer, Some(&key), now)?;
    }
    let month_text = month.to_string();
    for (creator, (count, gross)) in &creators {
        AddToTotals {
            table: CreatorTotals,
            id: creator.0,
            month: month_text.clone(),
            clicks: *count,
            amount: *gross,
        }
        .execute(conn)?;
    }
    for (thing, (count, amount)) in &things {
        AddToTotals {
            table: ThingTotals,
            id: thing.0,
            month: month_text.clone(),
            clicks: *count,
            amount: *amount,
        }
        .execute(conn)?;
    }
    let settled = i64::try_from(readers.len()).unwrap_or(i64::MAX);
    rows::advance_readers(conn, month, up_to, settled, clicks, debited)?;
    Ok(settled)
}

/// One chunk of creators in the caller's transaction: each one's fee on the month's gross,
/// from their revenue to the platform's fees, in one movement.
fn take_fees(
    conn: &mut DbConnection,
    month: Month,
    creators: &[(UserId, i64)],
    fee_percent: Decimal,
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    let mut postings = Vec::new();
    let mut total = 0_i64;
    for &(creator, gross) in creators {
        let fee = fee(gross, fee_percent)?;
        rows::set_fee(conn, creator, month, fee)?;
        if fee > 0 {
            total += fee;
            postings.push((
                AccountRef::User(creator, AccountKind::Revenue),
                Money::from_micros(-fee),
            ));
        }
    }
    if total > 0 {
        postings.push((
            AccountRef::Platform(AccountKind::Fees),
            Money::from_micros(total),
        ));
        let transfer = Transfer::new(MovementKind::SettlementFee, postings)
            .map_err(SettlementError::Transfer)?;
        let (first, last) = match (creators.first(), creators.last()) {
            (Some(first), Some(last)) => (first.0.0, last.0.0),
            _ => (0, 0),
        };
        let key = format!("settlement_fee:{month}:creators:{first}-{last}");
        ledger::post(conn, &transfer, Some(&key), now)?;
    }
    let last = creators.last().map_or(0, |(creator, _)| creator.0);
    rows::advance_creators(conn, month, last, total)?;
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
        creators: rows::creator_totals(conn, month)?.len(),
        debited: Money::from_micros(run.debited_micros),
        fees: Money::from_micros(run.fees_micros),
    })
}
