//! What a run writes: the month's readers charged into the clearing account, then chunks of
//! creators credited from it, each one transaction committed together with the run's stage
//! or cursor, so that a crash leaves whole steps or nothing; and the month's statements.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::SettlementError;
use crate::db::DbConnection;
use crate::domain::allocation::{Earnings, MonthTotals};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer, reservation_shard};
use crate::domain::states::RunStage;
use crate::domain::{Money, Month, UserId};
use crate::models::settlement::{self as rows, CreatorTotals, HeldShare, ThingTotals};
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
    let by_shard = charges_by_shard(&totals.charges)?;
    let mut postings: Vec<(AccountRef, Money)> = by_shard
        .into_iter()
        .map(|(shard, sum)| {
            let account = AccountRef::Shard(AccountKind::ReservedBudgets, shard);
            sum.checked_neg()
                .map(|taken| (account, taken))
                .ok_or(SettlementError::Overflow)
        })
        .collect::<Result<_, _>>()?;
    if totals.debited > Money::ZERO {
        postings.push((
            AccountRef::Platform(AccountKind::SettlementClearing),
            totals.debited,
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

/// What each shard of the reserved budgets gives: the budgets of its readers who clicked.
pub(super) fn charges_by_shard(
    charges: &[(UserId, Money)],
) -> Result<BTreeMap<i32, Money>, SettlementError> {
    let mut by_shard: BTreeMap<i32, Money> = BTreeMap::new();
    for (reader, charge) in charges {
        let sum = by_shard.entry(reservation_shard(reader.0)).or_default();
        *sum = sum.checked_add(*charge).ok_or(SettlementError::Overflow)?;
    }
    Ok(by_shard)
}

/// A count of the month as the database keeps it (a `BIGINT`).
pub(super) fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The month's things' totals, ordered by thing, each with the owner it is settled for.
pub(super) fn thing_totals(totals: &MonthTotals) -> Vec<ThingTotals> {
    totals
        .things
        .iter()
        .map(|(thing, earned)| ThingTotals {
            thing: *thing,
            clicks: count(earned.clicks),
            amount: earned.amount,
            creator: earned.owner,
        })
        .collect()
}

/// The month's creators' totals, ordered by creator.
pub(super) fn creator_totals(totals: &MonthTotals) -> impl Iterator<Item = CreatorTotals> + '_ {
    totals
        .creators
        .iter()
        .map(|(creator, earnings)| CreatorTotals {
            creator: *creator,
            clicks: count(earnings.clicks),
            gross: earnings.gross,
            fee: earnings.fee,
        })
}

/// The month's held shares: one per unclaimed thing that earned something, by thing.
pub(super) fn held_shares(totals: &MonthTotals) -> impl Iterator<Item = HeldShare> + '_ {
    totals
        .things
        .iter()
        .filter(|(_, earned)| !earned.claimed && earned.amount > Money::ZERO)
        .map(|(thing, earned)| HeldShare {
            thing: *thing,
            creator: earned.owner,
            amount: earned.amount,
        })
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
    things: &[ThingTotals],
    size: usize,
) -> Result<(), SettlementError> {
    let creators: Vec<CreatorTotals> = creator_totals(totals).collect();
    for chunk in creators.chunks(size.max(1)) {
        rows::insert_creator_totals(conn, month, chunk)?;
    }
    for chunk in things.chunks(size.max(1)) {
        rows::insert_thing_totals(conn, month, chunk)?;
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
    if totals.held == Money::ZERO {
        return Ok(());
    }
    let shares: Vec<HeldShare> = held_shares(totals).collect();
    rows::insert_holds(conn, month, &shares)?;
    let transfer = Transfer::new(
        MovementKind::SettlementHold,
        vec![
            (
                AccountRef::Platform(AccountKind::SettlementClearing),
                totals.held.checked_neg().ok_or(SettlementError::Overflow)?,
            ),
            (AccountRef::Platform(AccountKind::Held), totals.held),
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
    let gross = super::sum(creators.iter().map(|(_, earnings)| earnings.gross))?;
    let fees = super::sum(creators.iter().map(|(_, earnings)| earnings.fee))?;
    for (creator, earnings) in creators {
        if earnings.net > Money::ZERO {
            postings.push((
                AccountRef::User(*creator, AccountKind::Revenue),
                earnings.net,
            ));
        }
    }
    if gross > Money::ZERO {
        if fees > Money::ZERO {
            postings.push((AccountRef::Platform(AccountKind::Fees), fees));
        }
        postings.push((
            AccountRef::Platform(AccountKind::SettlementClearing),
            gross.checked_neg().ok_or(SettlementError::Overflow)?,
        ));
        let transfer = Transfer::new(MovementKind::SettlementCredit, postings)
            .map_err(SettlementError::Transfer)?;
        let key = format!("settlement:{month}:creators:{}-{}", first.0, last.0);
        ledger_bulk::post_many(conn, &transfer, &key, now)?;
    }
    rows::advance_creators(conn, month, last.0, fees)?;
    Ok(())
}
