//! Reading a closed month, a chunk of readers at a time: their reserved budgets, and their
//! clicks in reader order straight from the clicks' UNIQUE key `(month, reader_id,
//! thing_id)`, so that memory holds one chunk's clicks and never the month's. Each thing's
//! owner comes from a map loaded once: a join would cost a lookup per click.

use std::sync::mpsc::SyncSender;

use diesel::prelude::*;
use rustc_hash::FxHashMap;

use super::SettlementError;
use crate::db::DbConnection;
use crate::db::schema::{clicks, things};
use crate::domain::allocation::ReaderMonth;
use crate::domain::{Month, ThingId, UserId};
use crate::models::settlement as rows;

/// Readers `(after, up_to]` of the month who clicked, in reader order.
#[derive(Debug)]
pub struct Chunk {
    pub after: i64,
    pub up_to: i64,
    pub readers: Vec<ReaderMonth>,
}

/// What settlement reads of a month.
pub struct MonthInput {
    month: Month,
    owners: FxHashMap<i64, i64>,
}

impl MonthInput {
    pub fn load(conn: &mut DbConnection, month: Month) -> Result<MonthInput, SettlementError> {
        let owners = things::table
            .select((things::id, things::owner_id))
            .load_iter::<(i64, i64), diesel::connection::DefaultLoadingMode>(conn)?
            .collect::<QueryResult<FxHashMap<i64, i64>>>()?;
        Ok(MonthInput { month, owners })
    }

    /// The next `size` readers after `after` who clicked in the month; `None` after the last.
    pub fn chunk_after(
        &self,
        conn: &mut DbConnection,
        after: i64,
        size: i64,
    ) -> Result<Option<Chunk>, SettlementError> {
        let budgets = rows::next_readers(conn, self.month, after, size)?;
        let Some(&(up_to, _)) = budgets.last() else {
            return Ok(None);
        };
        let clicked: Vec<(i64, i64)> = clicks::table
            .filter(clicks::month.eq(self.month.to_string()))
            .filter(clicks::reader_id.gt(after))
            .filter(clicks::reader_id.le(up_to))
            .order((clicks::reader_id.asc(), clicks::thing_id.asc()))
            .select((clicks::reader_id, clicks::thing_id))
            .load(conn)?;
        let mut readers: Vec<ReaderMonth> = budgets
            .into_iter()
            .map(|(reader, budget)| ReaderMonth {
                reader: UserId(reader),
                budget,
                clicks: Vec::new(),
            })
            .collect();
        // Both lists are in reader order: one walk pairs them.
        let mut at = 0;
        for (reader, thing) in clicked {
            while readers.get(at).is_some_and(|r| r.reader.0 < reader) {
                at += 1;
            }
            let Some(month) = readers.get_mut(at).filter(|r| r.reader.0 == reader) else {
                return Err(SettlementError::Inconsistent(format!(
                    "reader {reader} clicked in {} without a reserved budget",
                    self.month
                )));
            };
            let Some(owner) = self.owners.get(&thing) else {
                return Err(SettlementError::Inconsistent(format!(
                    "a click on thing {thing}, which does not exist"
                )));
            };
            month.clicks.push((ThingId(thing), UserId(*owner)));
        }
        Ok(Some(Chunk {
            after,
            up_to,
            readers,
        }))
    }
}

/// Reads every chunk of the month, in reader order, for the next step. Stops early, without
/// an error, when that step stops listening.
pub fn read_month(
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
