//! The month added up: read on a thread of its own (`input.rs`) while this one splits each
//! reader's budget (`domain::allocation`), and the fee rate a run keeps.

use rust_decimal::Decimal;

use super::SettlementError;
use super::input::{Chunk, MonthInput, read_month};
use crate::db::DbConnection;
use crate::domain::Month;
use crate::domain::allocation::{MonthAccumulator, MonthTotals};
use crate::models::settlement::RunRow;

/// Reads the month on a thread of its own while this one splits every reader's budget and
/// adds the month up; `progress` hears how many readers were added so far.
pub(super) fn read_and_add_up(
    conn: &mut DbConnection,
    input: MonthInput,
    fee_percent: Decimal,
    readers_per_chunk: i64,
    progress: &mut dyn FnMut(i64),
) -> Result<MonthTotals, SettlementError> {
    std::thread::scope(|scope| {
        let (sender, chunks) = std::sync::mpsc::sync_channel::<Chunk>(2);
        let month = input.month();
        let reading = scope.spawn(move || read_month(conn, input, readers_per_chunk, sender));
        let mut totals = MonthAccumulator::new(month);
        let mut added = 0_i64;
        let mut adding = Ok(());
        for chunk in chunks.iter() {
            adding = chunk
                .readers
                .iter()
                .try_for_each(|reader| totals.add(reader).map(|_| ()));
            if adding.is_err() {
                break;
            }
            added += i64::try_from(chunk.readers.len()).unwrap_or(i64::MAX);
            progress(added);
        }
        drop(chunks);
        // A reading error comes first: the totals of a month read in part are worthless.
        let input = reading
            .join()
            .map_err(|_| SettlementError::ThreadFailed)??;
        adding?;
        Ok(totals.finish(fee_percent, |thing| input.owner_of(thing))?)
    })
}

/// The fee rate of the run: the one it started with, even if `OBOLE_FEE_PERCENT` changed
/// since (a resumed run must not charge two rates in one month).
pub(super) fn run_fee(run: &RunRow, month: Month, configured: Decimal) -> Decimal {
    match run.fee_rate() {
        Some(rate) => {
            if rate != configured {
                tracing::warn!(
                    %month,
                    run_fee_percent = %rate,
                    configured_fee_percent = %configured,
                    "the run keeps the fee rate it started with"
                );
            }
            rate
        }
        None => configured,
    }
}
