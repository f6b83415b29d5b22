//! Reading a closed month, a chunk of readers at a time: their reserved budgets, and their
//! clicks in reader order straight from the clicks' UNIQUE key `(month, reader_id,
//! thing_id)`, so that memory holds one chunk's clicks and never the month's. Each thing's
//! owner comes from a map loaded once, used once per thing when the month is added up: a
//! join would cost a lookup per click.

use std::sync::mpsc::SyncSender;

use diesel::prelude::*;
use rustc_hash::FxHashMap;

use super::SettlementError;
use crate::db::DbConnection;
use crate::db::dialect::month_copy;
use crate::db::schema::{clicks, things};
use crate::domain::allocation::{ReaderMonth, ThingOwner};
use crate::domain::{Month, ThingId, UserId};
use crate::models::settlement as rows;
use crate::models::{months, sites};

/// The next readers of the month who clicked, up to reader `up_to`, in reader order.
#[derive(Debug)]
pub struct Chunk {
    pub up_to: i64,
    pub readers: Vec<ReaderMonth>,
}

/// What settlement reads of a month.
pub struct MonthInput {
    month: Month,
    owners: FxHashMap<i64, ThingOwner>,
}

impl MonthInput {
    /// The month's things, their owners and claims as they were when the month closed (the
    /// changes since, recorded in `claim_changes`, are undone): every run of the month, a
    /// resumed one too, computes the same month. Claims and the close take the held
    /// account's lock, so a claim either came before the close (its owner's clicks of the
    /// month were undone with it) or after (the thing is held, and released by the run's
    /// last step).
    pub fn load(conn: &mut DbConnection, month: Month) -> Result<MonthInput, SettlementError> {
        // A thing is claimed when a verified site of its owner covers it: the site is kept on
        // the thing (`site_id`) by whatever verifies, removes or moves sites and things.
        let owners = things::table
            .select((things::id, things::owner_id, things::site_id.is_not_null()))
            .load_iter::<(i64, i64, bool), diesel::connection::DefaultLoadingMode>(conn)?
            .map(|row| {
                row.map(|(thing, owner, claimed)| {
                    let owner = UserId(owner);
                    (thing, ThingOwner { owner, claimed })
                })
            })
            .collect::<QueryResult<FxHashMap<i64, ThingOwner>>>()?;
        let mut owners = owners;
        // As they were when the month closed: the changes made since are undone here.
        let changed_since = match months::claims_seq(conn, month)? {
            Some(seq) => sites::state_before_changes_after(conn, seq)?,
            None => Vec::new(),
        };
        for (thing, owner, claimed) in changed_since {
            owners.insert(
                thing,
                ThingOwner {
                    owner: UserId(owner),
                    claimed,
                },
            );
        }
        Ok(MonthInput { month, owners })
    }

    pub fn month(&self) -> Month {
        self.month
    }

    /// A thing's owner and whether it is claimed, `None` for a thing that does not exist.
    pub fn owner_of(&self, thing: ThingId) -> Option<ThingOwner> {
        self.owners.get(&thing.0).copied()
    }

    /// Gives `reader`'s click on `thing` to their month among `readers` (in reader order),
    /// walking on from `at`, where the previous click was placed: clicks come in reader order.
    fn pair(
        &self,
        readers: &mut [ReaderMonth],
        at: &mut usize,
        reader: i64,
        thing: i64,
    ) -> Result<(), SettlementError> {
        while readers.get(*at).is_some_and(|r| r.reader.0 < reader) {
            *at += 1;
        }
        let Some(month) = readers.get_mut(*at).filter(|r| r.reader.0 == reader) else {
            return Err(self.without_budget(reader));
        };
        month.clicks.push(ThingId(thing));
        Ok(())
    }

    fn without_budget(&self, reader: i64) -> SettlementError {
        SettlementError::Inconsistent(format!(
            "reader {reader} clicked in {} without a reserved budget",
            self.month
        ))
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
            self.pair(&mut readers, &mut at, reader, thing)?;
        }
        Ok(Some(Chunk { up_to, readers }))
    }
}

/// Reads every chunk of the month, in reader order, for the next step, and gives back the
/// month's things (`input`, loaded when the month closed). Stops early, without an error, when that step stops listening.
pub fn read_month(
    conn: &mut DbConnection,
    input: MonthInput,
    size: i64,
    chunks: SyncSender<Chunk>,
) -> Result<MonthInput, SettlementError> {
    let started = std::time::Instant::now();
    if let Some(pg) = crate::db::dialect::copy_connection(conn) {
        input.copy_chunks(pg, size, &chunks)?;
        tracing::debug!(
            seconds = started.elapsed().as_secs_f64(),
            "settlement: month read"
        );
        return Ok(input);
    }
    let mut after = 0;
    while let Some(chunk) = input.chunk_after(conn, after, size)? {
        after = chunk.up_to;
        if chunks.send(chunk).is_err() {
            break;
        }
    }
    Ok(input)
}

impl MonthInput {
    /// The same chunks as [`MonthInput::chunk_after`], from one COPY of the month's budgets
    /// and one stream of its clicks (PostgreSQL).
    fn copy_chunks(
        &self,
        pg: &mut diesel::PgConnection,
        size: i64,
        chunks: &SyncSender<Chunk>,
    ) -> Result<(), SettlementError> {
        let budgets = month_copy::budgets(pg, self.month)?;
        tracing::debug!(readers = budgets.len(), "settlement: budgets read");
        let size = usize::try_from(size.max(1)).unwrap_or(usize::MAX);
        let mut pending = budgets.chunks(size).map(|budgets| Chunk {
            up_to: budgets.last().map_or(0, |&(reader, _)| reader),
            readers: budgets
                .iter()
                .map(|&(reader, budget)| ReaderMonth {
                    reader: UserId(reader),
                    budget,
                    clicks: Vec::new(),
                })
                .collect(),
        });
        let mut filling = pending.next();
        let mut at = 0;
        let mut listening = true;
        month_copy::clicks(pg, self.month, |reader, thing| {
            while filling.as_ref().is_some_and(|chunk| chunk.up_to < reader) {
                listening = filling.take().is_some_and(|full| chunks.send(full).is_ok());
                if !listening {
                    return Ok(false);
                }
                filling = pending.next();
                at = 0;
            }
            let Some(chunk) = filling.as_mut() else {
                return Err(self.without_budget(reader));
            };
            self.pair(&mut chunk.readers, &mut at, reader, thing)?;
            Ok(true)
        })?;
        // Readers without a click row, after the last click, still make their chunks.
        for chunk in filling.into_iter().chain(pending) {
            if !listening || chunks.send(chunk).is_err() {
                break;
            }
        }
        Ok(())
    }
}
