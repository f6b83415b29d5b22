//! The settlement's tables: `settlement_runs` (one per month, with its stage and cursors) here,
//! the monthly totals per creator and per thing and the held shares in `totals.rs`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::DbConnection;
use crate::db::backend::{is_unique_violation, write_transaction};
use crate::db::schema::{month_budgets, settlement_runs};
use crate::domain::states::{RunStage, RunState};
use crate::domain::{Money, Month};

mod totals;
pub use totals::{
    CreatorTotals, HeldShare, ThingTotals, count_creators, creator_totals, insert_creator_totals,
    insert_holds, insert_thing_totals, month_holds, thing_totals,
};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = settlement_runs)]
pub struct RunRow {
    pub month: String,
    #[diesel(deserialize_as = String)]
    pub state: RunState,
    #[diesel(deserialize_as = String)]
    pub stage: RunStage,
    pub reader_cursor: i64,
    pub creator_cursor: i64,
    pub readers: i64,
    pub clicks: i64,
    pub debited_micros: i64,
    pub fees_micros: i64,
    pub error: Option<String>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    /// The fee rate the run uses, in percent (`None`: recorded before runs kept it).
    pub fee_percent: Option<String>,
}

/// What a run row says it charged and took: the figures the self-check compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunFigures {
    pub readers: i64,
    pub clicks: i64,
    pub debited: Money,
    pub fees: Money,
}

impl RunRow {
    /// The readers, clicks, budgets charged and fees the run recorded.
    pub fn figures(&self) -> RunFigures {
        RunFigures {
            readers: self.readers,
            clicks: self.clicks,
            debited: Money::from_micros(self.debited_micros),
            fees: Money::from_micros(self.fees_micros),
        }
    }

    /// The run's fee rate, if it recorded a readable one.
    pub fn fee_rate(&self) -> Option<Decimal> {
        self.fee_percent.as_deref()?.parse().ok()
    }
}

pub fn find_run(conn: &mut DbConnection, month: Month) -> QueryResult<Option<RunRow>> {
    settlement_runs::table
        .find(month.to_string())
        .select(RunRow::as_select())
        .get_result(conn)
        .optional()
}

/// Creates the month's run row, with the fee rate it will use, unless it exists; returns the
/// row either way. An unfinished run recorded before runs kept their rate takes
/// `fee_percent` now; a finished one keeps none. Call it holding the run's lock
/// (`settlement::lock`), which keeps two claims of a month apart.
pub fn claim_run(
    conn: &mut DbConnection,
    month: Month,
    fee_percent: Decimal,
    now: DateTime<Utc>,
) -> QueryResult<RunRow> {
    let rate = fee_percent.normalize().to_string();
    if find_run(conn, month)?.is_none() {
        // A savepoint, so that a unique violation leaves a caller's transaction usable.
        let inserted = write_transaction(conn, |conn| {
            diesel::insert_into(settlement_runs::table)
                .values((
                    settlement_runs::month.eq(month.to_string()),
                    settlement_runs::state.eq(RunState::Running.as_str()),
                    settlement_runs::stage.eq(RunStage::Readers.as_str()),
                    settlement_runs::started_at.eq(now.naive_utc()),
                    settlement_runs::fee_percent.eq(&rate),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {}
            Err(e) => return Err(e),
        }
    }
    // A month settled before runs kept their rate keeps no rate rather than today's.
    diesel::update(
        settlement_runs::table
            .find(month.to_string())
            .filter(settlement_runs::fee_percent.is_null())
            .filter(settlement_runs::state.ne(RunState::Done.as_str())),
    )
    .set(settlement_runs::fee_percent.eq(&rate))
    .execute(conn)?;
    find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)
}

/// Records the readers' stage on the run: the last reader charged and the readers, clicks
/// and budgets charged. The additions in SQL cannot overflow: the chunks' amounts partition
/// the month's totals, whose sums were checked in memory (`MonthTotals`) before any chunk
/// was written, so each running total stays at or below a checked one.
pub fn advance_readers(
    conn: &mut DbConnection,
    month: Month,
    cursor: i64,
    readers: i64,
    clicks: i64,
    debited: Money,
) -> QueryResult<()> {
    diesel::update(settlement_runs::table.find(month.to_string()))
        .set((
            settlement_runs::reader_cursor.eq(cursor),
            settlement_runs::readers.eq(settlement_runs::readers + readers),
            settlement_runs::clicks.eq(settlement_runs::clicks + clicks),
            settlement_runs::debited_micros.eq(settlement_runs::debited_micros + debited.micros()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the creator cursor and adds a chunk's fees to the run (bounded by the month's checked
/// fee total, as in [`advance_readers`]).
pub fn advance_creators(
    conn: &mut DbConnection,
    month: Month,
    cursor: i64,
    fees: Money,
) -> QueryResult<()> {
    diesel::update(settlement_runs::table.find(month.to_string()))
        .set((
            settlement_runs::creator_cursor.eq(cursor),
            settlement_runs::fees_micros.eq(settlement_runs::fees_micros + fees.micros()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A failed run back to `running`, to be tried again from where it stopped; a run in any
/// other state is left alone.
pub fn reopen_failed(conn: &mut DbConnection, month: Month) -> QueryResult<()> {
    diesel::update(
        settlement_runs::table
            .find(month.to_string())
            .filter(settlement_runs::state.eq(RunState::Failed.as_str())),
    )
    .set((
        settlement_runs::state.eq(RunState::Running.as_str()),
        settlement_runs::error.eq(None::<String>),
        settlement_runs::finished_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Moves the run to its next stage (in the caller's transaction, with what the stage wrote).
pub fn set_stage(conn: &mut DbConnection, month: Month, stage: RunStage) -> QueryResult<()> {
    diesel::update(settlement_runs::table.find(month.to_string()))
        .set(settlement_runs::stage.eq(stage.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Ends the run: `done`, or `failed` with the reason.
pub fn finish(
    conn: &mut DbConnection,
    month: Month,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let (state, stage) = match error {
        None => (RunState::Done, RunStage::Done),
        // A failed run stays at its check: a retry checks again what the run wrote.
        Some(_) => (RunState::Failed, RunStage::Check),
    };
    diesel::update(settlement_runs::table.find(month.to_string()))
        .set((
            settlement_runs::state.eq(state.as_str()),
            settlement_runs::stage.eq(stage.as_str()),
            settlement_runs::error.eq(error),
            settlement_runs::finished_at.eq(Some(now.naive_utc())),
        ))
        .execute(conn)?;
    Ok(())
}

/// The next readers after `cursor` who clicked in `month`, at most `size`, with their
/// reserved budget, in reader order.
pub fn next_readers(
    conn: &mut DbConnection,
    month: Month,
    cursor: i64,
    size: i64,
) -> QueryResult<Vec<(i64, Money)>> {
    let budgets: Vec<(i64, i64)> = month_budgets::table
        .filter(month_budgets::month.eq(month.to_string()))
        .filter(month_budgets::reader_id.gt(cursor))
        .filter(month_budgets::clicks.gt(0))
        .order(month_budgets::reader_id.asc())
        .select((month_budgets::reader_id, month_budgets::amount_micros))
        .limit(size)
        .load(conn)?;
    Ok(budgets
        .into_iter()
        .map(|(reader, micros)| (reader, Money::from_micros(micros)))
        .collect())
}

/// The latest runs, newest month first, for the operators' page.
pub fn latest_runs(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<RunRow>> {
    settlement_runs::table
        .order(settlement_runs::month.desc())
        .select(RunRow::as_select())
        .limit(limit)
        .load(conn)
}

/// How many readers clicked in `month`: the settlement's length.
pub fn readers_to_settle(conn: &mut DbConnection, month: Month) -> QueryResult<i64> {
    month_budgets::table
        .filter(month_budgets::month.eq(month.to_string()))
        .filter(month_budgets::clicks.gt(0))
        .count()
        .get_result(conn)
}
