//! The settlement's tables: `settlement_runs` (one per month, with its stage and cursors) and
//! the monthly totals per creator and per thing.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Text};

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::{creator_month_totals, month_budgets, settlement_runs};
use crate::domain::{Month, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = settlement_runs)]
pub struct RunRow {
    pub month: String,
    pub state: String,
    pub stage: String,
    pub reader_cursor: i64,
    pub creator_cursor: i64,
    pub readers: i64,
    pub clicks: i64,
    pub debited_micros: i64,
    pub fees_micros: i64,
    pub error: Option<String>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

pub fn find_run(conn: &mut DbConnection, month: Month) -> QueryResult<Option<RunRow>> {
    settlement_runs::table
        .find(month.to_string())
        .select(RunRow::as_select())
        .first(conn)
        .optional()
}

/// Creates the month's run row unless it exists; returns the row either way.
pub fn claim_run(conn: &mut DbConnection, month: Month, now: DateTime<Utc>) -> QueryResult<RunRow> {
    let inserted = diesel::insert_into(settlement_runs::table)
        .values((
            settlement_runs::month.eq(month.to_string()),
            settlement_runs::state.eq("running"),
            settlement_runs::stage.eq("readers"),
            settlement_runs::started_at.eq(now.naive_utc()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {}
        Err(e) => return Err(e),
    }
    find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)
}

/// Moves the reader cursor and adds a chunk's counts to the run.
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

pub fn set_stage(conn: &mut DbConnection, month: Month, stage: &str) -> QueryResult<()> {
    diesel::update(settlement_runs::table.find(month.to_string()))
        .set(settlement_runs::stage.eq(stage))
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
        None => ("done", "done"),
        Some(_) => ("failed", "check"),
    };
    diesel::update(settlement_runs::table.find(month.to_string()))
        .set((
            settlement_runs::state.eq(state),
            settlement_runs::stage.eq(stage),
            settlement_runs::error.eq(error),
            settlement_runs::finished_at.eq(Some(now.naive_utc())),
        ))
        .execute(conn)?;
    Ok(())
}

/// The last reader of the next chunk of at most `size` readers after `cursor` who clicked in
/// `month`; `None` when none is left.
pub fn next_reader_bound(
    conn: &mut DbConnection,
    month: Month,
    cursor: i64,
    size: i64,
) -> QueryResult<Option<i64>> {
    let ids: Vec<i64> = month_budgets::table
        .filter(month_budgets::month.eq(month.to_string()))
        .filter(month_budgets::reader_id.gt(cursor))
        .filter(month_budgets::clicks.gt(0))
        .order(month_budgets::reader_id.asc())
        .select(month_budgets::reader_id)
        .limit(size)
        .load(conn)?;
    Ok(ids.last().copied())
}

/// The creators of `month` after `cursor`, at most `size`, with their gross.
pub fn next_creators(
    conn: &mut DbConnection,
    month: Month,
    cursor: i64,
    size: i64,
) -> QueryResult<Vec<(UserId, i64)>> {
    let rows: Vec<(i64, i64)> = creator_month_totals::table
        .filter(creator_month_totals::month.eq(month.to_string()))
        .filter(creator_month_totals::creator_id.gt(cursor))
        .order(creator_month_totals::creator_id.asc())
        .select((
            creator_month_totals::creator_id,
            creator_month_totals::gross_micros,
        ))
        .limit(size)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, gross)| (UserId(id), gross))
        .collect())
}

pub fn set_fee(
    conn: &mut DbConnection,
    creator: UserId,
    month: Month,
    fee: i64,
) -> QueryResult<()> {
    diesel::update(creator_month_totals::table.find((creator.0, month.to_string())))
        .set(creator_month_totals::fee_micros.eq(fee))
        .execute(conn)?;
    Ok(())
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
pub fn thing_totals(conn: &mut DbConnection, month: Month) -> QueryResult<Vec<(i64, i64, i64)>> {
    use crate::db::schema::thing_month_totals as t;
    t::table
        .filter(t::month.eq(month.to_string()))
        .order(t::thing_id.asc())
        .select((t::thing_id, t::clicks, t::amount_micros))
        .load(conn)
}

/// Adds a chunk's clicks and amount to a creator's (`CreatorTotals`) or a thing's
/// (`ThingTotals`) totals of the month, creating the row at the first chunk: one portable
/// upsert. One type per table, because diesel caches a prepared statement by its type.
#[derive(Debug, Clone, QueryId)]
pub struct AddToTotals<T> {
    pub table: T,
    pub id: i64,
    pub month: String,
    pub clicks: i64,
    pub amount: i64,
}

/// Where `AddToTotals` adds.
pub trait TotalsTable {
    /// Table, id column, amount column.
    const NAMES: (&'static str, &'static str, &'static str);
}

#[derive(Debug, Clone, Copy, QueryId)]
pub struct CreatorTotals;

impl TotalsTable for CreatorTotals {
    const NAMES: (&'static str, &'static str, &'static str) =
        ("creator_month_totals", "creator_id", "gross_micros");
}

#[derive(Debug, Clone, Copy, QueryId)]
pub struct ThingTotals;

impl TotalsTable for ThingTotals {
    const NAMES: (&'static str, &'static str, &'static str) =
        ("thing_month_totals", "thing_id", "amount_micros");
}

impl<T, Conn> RunQueryDsl<Conn> for AddToTotals<T> {}

impl<T, DB> QueryFragment<DB> for AddToTotals<T>
where
    T: TotalsTable,
    DB: Backend + HasSqlType<BigInt> + HasSqlType<Text>,
    i64: ToSql<BigInt, DB>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let (table, id, amount) = T::NAMES;
        out.push_sql(&format!(
            "INSERT INTO {table} ({id}, month, clicks, {amount}) VALUES ("
        ));
        out.push_bind_param::<BigInt, _>(&self.id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.month)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.clicks)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.amount)?;
        out.push_sql(&format!(
            ") ON CONFLICT ({id}, month) DO UPDATE SET clicks = {table}.clicks + excluded.clicks, \
             {amount} = {table}.{amount} + excluded.{amount}"
        ));
        Ok(())
    }
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
