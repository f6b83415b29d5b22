//! The settlement's tables: `settlement_runs` (one per month, with its stage and cursors) and
//! the monthly totals per creator and per thing.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::DbConnection;
use crate::db::backend::{is_unique_violation, write_transaction};
use crate::db::bulk::{self, Rows};
use crate::db::schema::{creator_month_totals, month_budgets, settlement_runs};
use crate::domain::Month;
use crate::domain::states::{RunStage, RunState};

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

impl RunRow {
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
/// and budgets charged.
pub fn advance_readers(
    conn: &mut DbConnection,
    month: Month,
    cursor: i64,
    readers: i64,
    clicks: i64,
    debited: i64,
) -> QueryResult<()> {
    diesel::update(settlement_runs::table.find(month.to_string()))
        .set((
            settlement_runs::reader_cursor.eq(cursor),
            settlement_runs::readers.eq(settlement_runs::readers + readers),
            settlement_runs::clicks.eq(settlement_runs::clicks + clicks),
            settlement_runs::debited_micros.eq(settlement_runs::debited_micros + debited),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the creator cursor and adds a chunk's fees to the run.
pub fn advance_creators(
    conn: &mut DbConnection,
    month: Month,
    cursor: i64,
    fees: i64,
) -> QueryResult<()> {
    diesel::update(settlement_runs::table.find(month.to_string()))
        .set((
            settlement_runs::creator_cursor.eq(cursor),
            settlement_runs::fees_micros.eq(settlement_runs::fees_micros + fees),
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
) -> QueryResult<Vec<(i64, i64)>> {
    month_budgets::table
        .filter(month_budgets::month.eq(month.to_string()))
        .filter(month_budgets::reader_id.gt(cursor))
        .filter(month_budgets::clicks.gt(0))
        .order(month_budgets::reader_id.asc())
        .select((month_budgets::reader_id, month_budgets::amount_micros))
        .limit(size)
        .load(conn)
}

/// Writes creators' totals of `month`: rows of (creator, clicks, gross, fee).
pub fn insert_creator_totals(
    conn: &mut DbConnection,
    month: Month,
    rows: &Rows,
) -> QueryResult<usize> {
    bulk::insert_month_rows(
        conn,
        "creator_month_totals",
        &["creator_id", "clicks", "gross_micros", "fee_micros"],
        &month.to_string(),
        rows,
    )
}

/// Writes things' totals of `month`: rows of (thing, clicks, amount).
pub fn insert_thing_totals(
    conn: &mut DbConnection,
    month: Month,
    rows: &Rows,
) -> QueryResult<usize> {
    bulk::insert_month_rows(
        conn,
        "thing_month_totals",
        &["thing_id", "clicks", "amount_micros", "creator_id"],
        &month.to_string(),
        rows,
    )
}

/// All creators' totals of `month`: (creator, clicks, gross, fee), by creator.
pub fn creator_totals(
    conn: &mut DbConnection,
    month: Month,
) -> QueryResult<Vec<(i64, i64, i64, i64)>> {
    creator_month_totals::table
        .filter(creator_month_totals::month.eq(month.to_string()))
        .order(creator_month_totals::creator_id.asc())
        .select((
            creator_month_totals::creator_id,
            creator_month_totals::clicks,
            creator_month_totals::gross_micros,
            creator_month_totals::fee_micros,
        ))
        .load(conn)
}

/// All things' totals of `month`: (thing, clicks, amount), by thing.
/// All things' totals of `month`: (thing, clicks, amount, creator), by thing.
pub fn thing_totals(
    conn: &mut DbConnection,
    month: Month,
) -> QueryResult<Vec<(i64, i64, i64, i64)>> {
    use crate::db::schema::thing_month_totals as t;
    t::table
        .filter(t::month.eq(month.to_string()))
        .order(t::thing_id.asc())
        .select((t::thing_id, t::clicks, t::amount_micros, t::creator_id))
        .load(conn)
}

/// Records the month's held shares: rows of (thing, owner of the day, amount). Rows already
/// there are kept (a resumed run writes the same ones).
pub fn insert_holds(conn: &mut DbConnection, month: Month, rows: &Rows) -> QueryResult<usize> {
    bulk::insert_month_rows(
        conn,
        "holds",
        &["thing_id", "creator_id", "amount_micros"],
        &month.to_string(),
        rows,
    )
}

/// The month's held shares as settlement wrote them: (thing, creator, amount), by thing.
pub fn month_holds(conn: &mut DbConnection, month: Month) -> QueryResult<Vec<(i64, i64, i64)>> {
    use crate::db::schema::holds as h;
    h::table
        .filter(h::month.eq(month.to_string()))
        .order(h::thing_id.asc())
        .select((h::thing_id, h::creator_id, h::amount_micros))
        .load(conn)
}

/// How many creators earned in `month`.
pub fn count_creators(conn: &mut DbConnection, month: Month) -> QueryResult<usize> {
    let count: i64 = creator_month_totals::table
        .filter(creator_month_totals::month.eq(month.to_string()))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(count).unwrap_or(0))
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
