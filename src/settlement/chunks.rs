//! What a run writes: the month's readers charged into the clearing account, then chunks of
//! creators credited from it, each one transaction committed together with the run's stage
//! or cursor, so that a crash leaves whole steps or nothing; and the month's statements.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::SettlementError;
use crate::db::DbConnection;
use crate::db::bulk::Rows;
use crate::domain::allocation::{Earnings, MonthTotals};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer, reservation_shard};
use crate::domain::states::RunStage;
use crate::domain::{Money, Month, UserId};
use crate::models::settlement as rows;
use crate::models::{ledger, ledger_bulk};

/// The readers' stage, in the caller's transaction: one ledger movement takes the month's
/// budgets from the shards of the reserved budgets into the clearing account (a shard gives
/// the sum of its readers' budgets), and the run records its readers, clicks and total and
/// moves to the creators' stage. Each reader's charge is their `month_budgets` row, reserved
/// by their first click; the self-check proves the shards agree with those rows.
pub(super) fn charge_readers(
    conn: &mut DbConnection,
    month: Month,
    totals: &MonthTotals,
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    let mut by_shard: BTreeMap<i32, i64> = BTreeMap::new();
    for (reader, charge) in &totals.charges {
        *by_shard.entry(reservation_shard(reader.0)).or_default() += charge;
    }
    let mut postings: Vec<(AccountRef, Money)> = by_shard
        .into_iter()
        .map(|(shard, sum)| {
            let account = AccountRef::Shard(AccountKind::ReservedBudgets, shard);
            (account, Money::from_micros(-sum))
        })
        .collect();
    if totals.debited > 0 {
        postings.push((
            AccountRef::Platform(AccountKind::SettlementClearing),
            Money::from_micros(totals.debited),
        ));
        let transfer =
            Transfer::new(MovementKind::Settlement, postings).map_err(SettlementError::Transfer)?;
        ledger::post(
            conn,
            &transfer,
            Some(&format!("settlement:{month}:readers")),
            now,
        )?;
    }
    let last_reader = totals.charges.last().map_or(0, |(reader, _)| reader.0);
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    rows::advance_readers(
        conn,
        month,
        last_reader,
        count(totals.readers),
        count(totals.clicks),
        totals.debited,
    )?;
    rows::set_stage(conn, month, RunStage::Creators)?;
    Ok(())
}

/// The month's things, ordered by thing: (thing, clicks, amount, owner).
pub(super) fn thing_rows(totals: &MonthTotals) -> Vec<[i64; 4]> {
    totals
        .things
        .iter()
        .map(|(thing, earned)| {
            let clicks = i64::try_from(earned.clicks).unwrap_or(i64::MAX);
            [thing.0, clicks, earned.amount, earned.owner.0]
        })
        .collect()
}

/// The month's statements: each creator's totals (clicks, gross, fee) and each thing's
/// (clicks, amount, and the owner it was settled for, so that a statement stays with its
/// creator when the thing changes hands later), `size` rows per statement. Rows already
/// written by an earlier, interrupted run are kept: they came from the same closed month, and
/// the self-check compares every row with this run's computation anyway. Independent of the
/// ledger's chunks, so that another connection can write them meanwhile.
pub(super) fn write_statements(
    conn: &mut DbConnection,
    month: Month,
    totals: &MonthTotals,
    things: &[[i64; 4]],
    size: usize,
) -> Result<(), SettlementError> {
    let creators: Vec<(&UserId, &Earnings)> = totals.creators.iter().collect();
    for chunk in creators.chunks(size.max(1)) {
        let mut creator_rows = Rows::new(4);
        for (creator, earnings) in chunk {
            let clicks = i64::try_from(earnings.clicks).unwrap_or(i64::MAX);
            creator_rows.push(&[creator.0, clicks, earnings.gross, earnings.fee]);
        }
        rows::insert_creator_totals(conn, month, &creator_rows)?;
    }
    for chunk in things.chunks(size.max(1)) {
        let mut thing_rows = Rows::new(4);
        for row in chunk {
            thing_rows.push(row);
        }
        rows::insert_thing_totals(conn, month, &thing_rows)?;
    }
    Ok(())
}

/// The shares of the month's unclaimed things, in the caller's transaction: one `holds` row
/// per thing (its owner of the day, its amount) and one ledger movement from the clearing
/// account into the held account, keyed `settlement:M:held`, so that a resumed run finds
/// both written or neither.
pub(super) fn hold_unclaimed(
    conn: &mut DbConnection,
    month: Month,
    totals: &MonthTotals,
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    if totals.held == 0 {
        return Ok(());
    }
    let mut held_rows = Rows::new(3);
    for (thing, earned) in &totals.things {
        if !earned.claimed && earned.amount > 0 {
            held_rows.push(&[thing.0, earned.owner.0, earned.amount]);
        }
    }
    rows::insert_holds(conn, month, &held_rows)?;
    let transfer = Transfer::new(
        MovementKind::SettlementHold,
        vec![
            (
                AccountRef::Platform(AccountKind::SettlementClearing),
                Money::from_micros(-totals.held),
            ),
            (
                AccountRef::Platform(AccountKind::Held),
                Money::from_micros(totals.held),
            ),
        ],
    )
    .map_err(SettlementError::Transfer)?;
    ledger::post(
        conn,
        &transfer,
        Some(&format!("settlement:{month}:held")),
        now,
    )?;
    Ok(())
}

/// One chunk of creators in the caller's transaction: one ledger movement from the clearing
/// account (each creator's net to their revenue, the fees to the platform), and the creator
/// cursor.
pub(super) fn credit_creators(
    conn: &mut DbConnection,
    month: Month,
    creators: &[(UserId, Earnings)],
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    let (Some((first, _)), Some((last, _))) = (creators.first(), creators.last()) else {
        return Ok(());
    };
    let mut postings: Vec<(AccountRef, Money)> = Vec::with_capacity(creators.len() + 2);
    let (mut gross, mut fees) = (0_i64, 0_i64);
    for (creator, earnings) in creators {
        gross += earnings.gross;
        fees += earnings.fee;
        if earnings.net > 0 {
            postings.push((
                AccountRef::User(*creator, AccountKind::Revenue),
                Money::from_micros(earnings.net),
            ));
        }
    }
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
