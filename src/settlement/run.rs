//! Settling a closed month, following Liberapay's payday (docs/SETTLEMENT.md): a run row per
//! month and a lock, stages that resume after a crash, chunks that commit with their cursor,
//! deterministic ledger keys, and a self-check before the month is marked settled.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::add_up::{read_and_add_up, run_fee};
use super::chunks::{
    charge_readers, credit_creators, hold_unclaimed, thing_totals, write_statements,
};
use super::input::MonthInput;
use super::outcome::summary;
pub use super::outcome::{Outcome, Settled};
use super::{SettlementError, check, check_closed, donations, lock, returns, tree};
use crate::db::backend::write_transaction;
use crate::db::{DbConnection, DbPool};
use crate::domain::allocation::Earnings;
use crate::domain::states::{RunStage, RunState};
use crate::domain::{Month, ThingId, UserId, Zone};
use crate::metrics::{SettlementStage as Stage, SettlementStages};
use crate::models::settlement as rows;
use crate::models::{months, sites};
use crate::use_cases::claims::ownership::drop_own_clicks;
use crate::use_cases::claims::release::{lock_holds, release_held};

/// How the run is cut and, for the crash tests, where it stops.
#[derive(Debug, Clone)]
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
    /// How long after the month's end a run may start (`OBOLE_SETTLE_GRACE_SECONDS`).
    pub grace: TimeDelta,
    /// How many months a share of an unclaimed thing is held before it goes back to its
    /// readers (`OBOLE_CLAIM_HOLD_MONTHS`): the run of month M returns what months up to
    /// M − this still hold.
    pub hold_months: u32,
    /// The charity the instance names (`OBOLE_CHARITY_NAME`): the idle months of readers who
    /// chose so, and their returned held shares, go to it. `None`: everything stays with
    /// the readers.
    pub charity: Option<String>,
    /// The key that signs the month's tree head (`security::head_key`); `None`: unsigned.
    pub head_key: Option<ed25519_dalek::SigningKey>,
    /// Where the stages' durations go (`GET /metrics`, for the server's own runs).
    pub stages: SettlementStages,
    /// The instance's time zone (`OBOLE_TIME_ZONE`): the month closes at its local midnight.
    pub zone: Zone,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            readers_per_chunk: 10_000,
            creators_per_chunk: 10_000,
            stop_after_chunks: None,
            pause_after_chunk: None,
            retry_failed: false,
            grace: crate::config::DEFAULT_GRACE,
            hold_months: crate::config::DEFAULT_HOLD_MONTHS,
            charity: None,
            head_key: None,
            stages: SettlementStages::default(),
            zone: Zone::UTC,
        }
    }
}

/// Settles `month` with a connection of `pool`, which holds the run's lock, reads the month
/// and writes the ledger (and, on PostgreSQL, another that writes the statements meanwhile).
/// `progress` hears the number of readers read so far.
pub fn settle(
    pool: &DbPool,
    sqlite_lock_file: Option<&Path>,
    month: Month,
    fee_percent: Decimal,
    now: DateTime<Utc>,
    options: RunOptions,
    progress: &mut dyn FnMut(i64),
) -> Result<Outcome, SettlementError> {
    check_closed(month, now, options.grace, options.zone)?;
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
    configured_fee: Decimal,
    now: DateTime<Utc>,
    options: RunOptions,
    progress: &mut dyn FnMut(i64),
) -> Result<Outcome, SettlementError> {
    if options.retry_failed {
        rows::reopen_failed(conn, month)?;
    }
    // The month closes before anything of it is read: no click or undo of it commits after
    // this transaction (on PostgreSQL, closing waits for the clicks in flight to commit), so
    // what the run reads next is final. The run row records the fee rate it will use.
    let (run, input) = write_transaction(conn, |conn| -> Result<_, SettlementError> {
        lock_holds(conn)?;
        if months::close(conn, month, now)? {
            drop_own_clicks(conn, month, now)?;
        }
        let run = rows::claim_run(conn, month, configured_fee, now)?;
        let input = match run.state {
            RunState::Done | RunState::Failed => None,
            RunState::Running => Some(MonthInput::load(conn, month)?),
        };
        Ok((run, input))
    })?;
    match run.state {
        RunState::Done => {
            // A month settled before heads were published gets its head now, once.
            tree::publish_missing(conn, month, &run, configured_fee, &options, now)?;
            return Ok(Outcome::AlreadySettled(summary(conn, month, &run)?));
        }
        RunState::Failed => {
            return Err(SettlementError::PreviouslyFailed {
                month,
                reason: run.error.unwrap_or_default(),
            });
        }
        RunState::Running => {}
    }
    let input = input.ok_or(diesel::result::Error::NotFound)?;
    let charity = options.charity.as_deref();
    let fee_percent = run_fee(&run, month, configured_fee);
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
    // Every stage needs the month's totals, so every run reads the whole month once. The
    // month is closed: the same clicks each time.
    let started = Instant::now();
    let totals = read_and_add_up(
        conn,
        input,
        fee_percent,
        options.readers_per_chunk,
        progress,
    )?;
    if run.stage == RunStage::Readers {
        write_transaction(conn, |conn| charge_readers(conn, month, &totals, now))?;
        stop()?;
    }
    tracing::info!(
        %month,
        seconds = started.elapsed().as_secs_f64(),
        "settlement: the month read and the readers charged"
    );
    let stages = &options.stages;
    stages.observe(Stage::Readers, started.elapsed());
    let started = Instant::now();
    let run = rows::find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)?;
    if run.stage == RunStage::Creators {
        let size = usize::try_from(options.creators_per_chunk.max(1)).unwrap_or(1);
        let things = thing_totals(&totals);
        let creators: Vec<(UserId, Earnings)> = totals
            .creators
            .range(UserId(run.creator_cursor.saturating_add(1))..)
            .map(|(creator, earnings)| (*creator, *earnings))
            .collect();
        // On PostgreSQL a second connection writes the month's statements and its tree head
        // while this one credits the creators; SQLite has one writer at a time, so it writes
        // them first. The head is published only once the run is done, and a resumed run
        // writes the same one again.
        let beside = match crate::db::dialect::of(conn).concurrent_writers() {
            true => Some(pool.get()?),
            false => None,
        };
        let key = options.head_key.as_ref();
        let statements_and_tree = |conn: &mut DbConnection| -> Result<(), SettlementError> {
            let started = Instant::now();
            write_statements(conn, month, &totals, &things, size)?;
            tracing::info!(%month, seconds = started.elapsed().as_secs_f64(), "settlement: statements written");
            stages.observe(Stage::Statements, started.elapsed());
            let started = Instant::now();
            write_transaction(conn, |conn| {
                tree::publish(conn, month, &totals, fee_percent, key, now)
            })?;
            tracing::info!(%month, seconds = started.elapsed().as_secs_f64(), "settlement: tree written");
            stages.observe(Stage::Tree, started.elapsed());
            Ok(())
        };
        if beside.is_none() {
            statements_and_tree(conn)?;
        }
        std::thread::scope(|scope| -> Result<(), SettlementError> {
            let statements = beside.map(|mut other| {
                let write = &statements_and_tree;
                scope.spawn(move || write(&mut other))
            });
            let crediting = Instant::now();
            let credited = creators.chunks(size).try_for_each(|chunk| {
                write_transaction(conn, |conn| credit_creators(conn, month, chunk, now))?;
                stop()
            });
            tracing::info!(%month, seconds = crediting.elapsed().as_secs_f64(), "settlement: creators' ledger written");
            stages.observe(Stage::CreatorsLedger, crediting.elapsed());
            if let Some(writing) = statements {
                writing
                    .join()
                    .map_err(|_| SettlementError::ThreadFailed)??;
            }
            credited
        })?;
        // The unclaimed things' shares go to the held account, the holds that ended
        // unclaimed go back to their readers (or the charity), and the idle months of those
        // who chose so go to the charity, with the stage: all or nothing.
        write_transaction(conn, |conn| -> Result<(), SettlementError> {
            lock_holds(conn)?;
            // Under the lock: no claim releases an expiring hold between reading and writing.
            let expired = returns::prepare(conn, month, options.hold_months)?;
            hold_unclaimed(conn, month, &totals, now)?;
            // A thing claimed since the month closed gets its share at once: the claim's own
            // release could not see this hold. Only things changed since can be such.
            let seq = months::claims_seq(conn, month)?.unwrap_or(0);
            let claimed_since: Vec<ThingId> = sites::state_before_changes_after(conn, seq)?
                .into_iter()
                .map(|(thing, _, _)| ThingId(thing))
                .filter(|thing| totals.things.get(thing).is_some_and(|t| !t.claimed))
                .collect();
            release_held(conn, &claimed_since, now)?;
            returns::write(conn, &expired, charity, now)?;
            donations::give(conn, month, &totals, charity, now, options.zone)?;
            rows::set_stage(conn, month, RunStage::Check)?;
            Ok(())
        })?;
        tracing::info!(%month, seconds = started.elapsed().as_secs_f64(), "settlement: creators credited");
        stages.observe(Stage::Creators, started.elapsed());
    }
    let started = Instant::now();
    let checked = check::verify(conn, month, &totals).and_then(|()| {
        tracing::info!(%month, seconds = started.elapsed().as_secs_f64(), "settlement: ledger checked");
        tree::ensure(
            conn,
            month,
            &totals,
            fee_percent,
            options.head_key.as_ref(),
            now,
        )
    });
    tracing::info!(%month, seconds = started.elapsed().as_secs_f64(), "settlement: self-check");
    stages.observe(Stage::Check, started.elapsed());
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
