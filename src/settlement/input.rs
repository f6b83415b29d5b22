//! Reading a closed month: its clicks in reader order, one reader at a time, straight from the
//! clicks' UNIQUE key `(month, reader_id, thing_id)`, so that memory holds one reader's clicks
//! and never the month's.

use diesel::prelude::*;

use super::SettlementError;
use crate::db::DbConnection;
use crate::db::schema::{clicks, month_budgets, things};
use crate::domain::allocation::ReaderMonth;
use crate::domain::{Month, ThingId, UserId};

/// Calls `each` with every reader who clicked in `month` (those with an id in `readers`), in
/// reader order, with their reserved budget and their clicks (thing, owner).
pub fn for_each_reader<F>(
    conn: &mut DbConnection,
    month: Month,
    readers: std::ops::RangeInclusive<i64>,
    mut each: F,
) -> Result<(), SettlementError>
where
    F: FnMut(ReaderMonth) -> Result<(), SettlementError>,
{
    let month_text = month.to_string();
    let rows = clicks::table
        .inner_join(
            month_budgets::table.on(month_budgets::reader_id
                .eq(clicks::reader_id)
                .and(month_budgets::month.eq(clicks::month))),
        )
        .inner_join(things::table.on(things::id.eq(clicks::thing_id)))
        .filter(clicks::month.eq(&month_text))
        .filter(clicks::reader_id.between(*readers.start(), *readers.end()))
        .order((clicks::reader_id.asc(), clicks::thing_id.asc()))
        .select((
            clicks::reader_id,
            month_budgets::amount_micros,
            clicks::thing_id,
            things::owner_id,
        ))
        .load_iter::<(i64, i64, i64, i64), diesel::connection::DefaultLoadingMode>(conn)?;
    let mut current: Option<ReaderMonth> = None;
    for row in rows {
        let (reader, budget, thing, owner) = row?;
        if current.as_ref().is_some_and(|r| r.reader.0 != reader)
            && let Some(done) = current.take()
        {
            each(done)?;
        }
        current
            .get_or_insert_with(|| ReaderMonth {
                reader: UserId(reader),
                budget,
                clicks: Vec::new(),
            })
            .clicks
            .push((ThingId(thing), UserId(owner)));
    }
    if let Some(done) = current {
        each(done)?;
    }
    Ok(())
}
