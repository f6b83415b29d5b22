//! A settled month's totals as settlement writes them and its self-check reads them back:
//! per creator (`creator_month_totals`), per thing (`thing_month_totals`) and the held shares
//! of unclaimed things (`holds`). Written in bulk, a few thousand rows per statement.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::bulk::{self, Rows};
use crate::db::schema::creator_month_totals;
use crate::domain::{Money, Month, ThingId, UserId};

/// A creator's totals of a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreatorTotals {
    pub creator: UserId,
    pub clicks: i64,
    pub gross: Money,
    pub fee: Money,
}

/// A thing's totals of a month, with the creator it was settled for (its owner that month,
/// so that a statement stays with its creator when the thing changes hands later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThingTotals {
    pub thing: ThingId,
    pub clicks: i64,
    pub amount: Money,
    pub creator: UserId,
}

/// The share of an unclaimed thing held in a month, for its owner of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldShare {
    pub thing: ThingId,
    pub creator: UserId,
    pub amount: Money,
}

/// Writes creators' totals of `month`.
pub fn insert_creator_totals(
    conn: &mut DbConnection,
    month: Month,
    totals: &[CreatorTotals],
) -> QueryResult<usize> {
    let mut rows = Rows::new(4);
    for t in totals {
        rows.push(&[t.creator.0, t.clicks, t.gross.micros(), t.fee.micros()]);
    }
    bulk::insert_month_rows(
        conn,
        "creator_month_totals",
        &["creator_id", "clicks", "gross_micros", "fee_micros"],
        &month.to_string(),
        &rows,
    )
}

/// Writes things' totals of `month`.
pub fn insert_thing_totals(
    conn: &mut DbConnection,
    month: Month,
    totals: &[ThingTotals],
) -> QueryResult<usize> {
    let mut rows = Rows::new(4);
    for t in totals {
        rows.push(&[t.thing.0, t.clicks, t.amount.micros(), t.creator.0]);
    }
    bulk::insert_month_rows(
        conn,
        "thing_month_totals",
        &["thing_id", "clicks", "amount_micros", "creator_id"],
        &month.to_string(),
        &rows,
    )
}

/// All creators' totals of `month`, by creator.
pub fn creator_totals(conn: &mut DbConnection, month: Month) -> QueryResult<Vec<CreatorTotals>> {
    let rows: Vec<(i64, i64, i64, i64)> = creator_month_totals::table
        .filter(creator_month_totals::month.eq(month.to_string()))
        .order(creator_month_totals::creator_id.asc())
        .select((
            creator_month_totals::creator_id,
            creator_month_totals::clicks,
            creator_month_totals::gross_micros,
            creator_month_totals::fee_micros,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(creator, clicks, gross, fee)| CreatorTotals {
            creator: UserId(creator),
            clicks,
            gross: Money::from_micros(gross),
            fee: Money::from_micros(fee),
        })
        .collect())
}

/// All things' totals of `month`, by thing.
pub fn thing_totals(conn: &mut DbConnection, month: Month) -> QueryResult<Vec<ThingTotals>> {
    use crate::db::schema::thing_month_totals as t;
    let rows: Vec<(i64, i64, i64, i64)> = t::table
        .filter(t::month.eq(month.to_string()))
        .order(t::thing_id.asc())
        .select((t::thing_id, t::clicks, t::amount_micros, t::creator_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(thing, clicks, amount, creator)| ThingTotals {
            thing: ThingId(thing),
            clicks,
            amount: Money::from_micros(amount),
            creator: UserId(creator),
        })
        .collect())
}

/// Records the month's held shares. Rows already there are kept (a resumed run writes the
/// same ones).
pub fn insert_holds(
    conn: &mut DbConnection,
    month: Month,
    shares: &[HeldShare],
) -> QueryResult<usize> {
    let mut rows = Rows::new(3);
    for share in shares {
        rows.push(&[share.thing.0, share.creator.0, share.amount.micros()]);
    }
    bulk::insert_month_rows(
        conn,
        "holds",
        &["thing_id", "creator_id", "amount_micros"],
        &month.to_string(),
        &rows,
    )
}

/// The month's held shares as settlement wrote them, by thing.
pub fn month_holds(conn: &mut DbConnection, month: Month) -> QueryResult<Vec<HeldShare>> {
    use crate::db::schema::holds as h;
    let rows: Vec<(i64, i64, i64)> = h::table
        .filter(h::month.eq(month.to_string()))
        .order(h::thing_id.asc())
        .select((h::thing_id, h::creator_id, h::amount_micros))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(thing, creator, amount)| HeldShare {
            thing: ThingId(thing),
            creator: UserId(creator),
            amount: Money::from_micros(amount),
        })
        .collect())
}

/// How many creators earned in `month`.
pub fn count_creators(conn: &mut DbConnection, month: Month) -> QueryResult<usize> {
    let count: i64 = creator_month_totals::table
        .filter(creator_month_totals::month.eq(month.to_string()))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(count).unwrap_or(0))
}
