//! What a run writes, one transaction per chunk: a chunk of readers charged into the clearing
//! account, or a chunk of creators credited from it with their monthly totals. Each commits
//! together with its cursor, so a crash leaves whole chunks or nothing.

use chrono::{DateTime, Utc};

use super::SettlementError;
use super::input::Chunk;
use crate::db::DbConnection;
use crate::db::bulk::Rows;
use crate::domain::allocation::{Earnings, MonthTotals};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::{Money, Month, UserId};
use crate::models::ledger_bulk;
use crate::models::settlement as rows;

/// One chunk of readers, those after `cursor`, in the caller's transaction: one ledger
/// movement that takes each reader's reserved budget into the clearing account, and the run's
/// cursor. Returns how many readers the chunk charged.
pub(super) fn debit_readers(
    conn: &mut DbConnection,
    month: Month,
    chunk: &Chunk,
    cursor: i64,
    now: DateTime<Utc>,
) -> Result<i64, SettlementError> {
    let mut postings: Vec<(AccountRef, Money)> = Vec::with_capacity(chunk.readers.len() + 1);
    let (mut charged, mut clicks, mut debited) = (0_i64, 0_i64, 0_i64);
    // Readers without a click in the month are not charged (their reservation was released).
    for reader in chunk
        .readers
        .iter()
        .filter(|r| r.reader.0 > cursor && !r.clicks.is_empty())
    {
        postings.push((
            AccountRef::User(reader.reader, AccountKind::Reserved),
            Money::from_micros(-reader.budget),
        ));
        charged += 1;
        clicks += i64::try_from(reader.clicks.len()).unwrap_or(i64::MAX);
        debited += reader.budget;
    }
    if debited > 0 {
        postings.push((
            AccountRef::Platform(AccountKind::SettlementClearing),
            Money::from_micros(debited),
        ));
        let transfer =
            Transfer::new(MovementKind::Settlement, postings).map_err(SettlementError::Transfer)?;
        let key = format!(
            "settlement:{month}:readers:{}-{}",
            chunk.after.max(cursor),
            chunk.up_to
        );
        ledger_bulk::post_many(conn, &transfer, &key, now)?;
    }
    rows::advance_readers(conn, month, chunk.up_to, charged, clicks, debited)?;
    Ok(charged)
}

/// The month's things, ordered by owner then thing: (owner, thing, clicks, amount).
pub(super) fn things_by_owner(totals: &MonthTotals) -> Vec<(i64, i64, i64, i64)> {
    let mut things: Vec<(i64, i64, i64, i64)> = totals
        .things
        .iter()
        .map(|(thing, earned)| {
            let clicks = i64::try_from(earned.clicks).unwrap_or(i64::MAX);
            (earned.owner.0, thing.0, clicks, earned.amount)
        })
        .collect();
    things.sort_unstable();
    things
}

/// One chunk of creators in the caller's transaction: their totals and their things' totals
/// for statements, one ledger movement from the clearing account (each creator's net to their
/// revenue, the fees to the platform), and the creator cursor.
pub(super) fn credit_creators(
    conn: &mut DbConnection,
    month: Month,
    creators: &[(UserId, Earnings)],
    things: &[(i64, i64, i64, i64)],
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    let (Some((first, _)), Some((last, _))) = (creators.first(), creators.last()) else {
        return Ok(());
    };
    let mut creator_rows = Rows::new(4);
    let mut postings: Vec<(AccountRef, Money)> = Vec::with_capacity(creators.len() + 2);
    let (mut gross, mut fees) = (0_i64, 0_i64);
    for (creator, earnings) in creators {
        let clicks = i64::try_from(earnings.clicks).unwrap_or(i64::MAX);
        creator_rows.push(&[creator.0, clicks, earnings.gross, earnings.fee]);
        gross += earnings.gross;
        fees += earnings.fee;
        if earnings.net > 0 {
            postings.push((
                AccountRef::User(*creator, AccountKind::Revenue),
                Money::from_micros(earnings.net),
            ));
        }
    }
    let from = things.partition_point(|thing| thing.0 < first.0);
    let to = things.partition_point(|thing| thing.0 <= last.0);
    let mut thing_rows = Rows::new(3);
    for &(_, thing, clicks, amount) in things.get(from..to).unwrap_or_default() {
        thing_rows.push(&[thing, clicks, amount]);
    }
    rows::insert_creator_totals(conn, month, &creator_rows)?;
    rows::insert_thing_totals(conn, month, &thing_rows)?;
    if gross > 0 {
        if fees > 0 {
            postings.push((
                AccountRef::Platform(AccountKind::Fees),
                Money::from_micros(fees),
            ));
        }
        postings.push((
            AccountRef::Platform(AccountKind::SettlementClearing),
            Money::from_micros(-gross),
        ));
        let transfer = Transfer::new(MovementKind::SettlementCredit, postings)
            .map_err(SettlementError::Transfer)?;
        let key = format!("settlement:{month}:creators:{}-{}", first.0, last.0);
        ledger_bulk::post_many(conn, &transfer, &key, now)?;
    }
    rows::advance_creators(conn, month, last.0, fees)?;
    Ok(())
}
