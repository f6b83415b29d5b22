//! The month's Merkle tree head (PRODUCT.md, "Transparency"; docs/TRANSPARENCY.md): one leaf
//! per charged reader, in reader order, hashed while the month was added up
//! (`MonthTotals::leaves`); written in one transaction during the creators stage (beside the
//! statements, on their connection), so a crash leaves all of it or none and a resumed run
//! writes it again; then proved by the self-check (`tree_check.rs`) and signed. It is
//! published only once the run is done.

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use rust_decimal::Decimal;

use super::add_up::{read_and_add_up, run_fee};
use super::input::MonthInput;
use super::run::RunOptions;
use super::tree_check::problems;
use super::{SettlementError, sum};
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::Month;
use crate::domain::allocation::MonthTotals;
use crate::domain::merkle::{self, Hash};
use crate::domain::tree_chunks;
use crate::models::settlement::{RunFigures, RunRow};
use crate::models::transparency::{self as rows, HeadRow, LeafChunk};

/// Writes the month's head and leaves, in the caller's transaction.
pub(super) fn publish(
    conn: &mut DbConnection,
    month: Month,
    totals: &MonthTotals,
    fee_percent: Decimal,
    key: Option<&SigningKey>,
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    let chunks = tree_chunks::chunks(&totals.leaves);
    let roots: Vec<Hash> = chunks.iter().map(|chunk| chunk.root).collect();
    let gross = sum(totals.creators.values().map(|earned| earned.gross))?;
    let mut head = HeadRow {
        month: month.to_string(),
        tree_size: count(totals.leaves.len()),
        root: hex::encode(merkle::root_of_chunks(&roots)),
        chunk_roots: roots.concat(),
        readers: count(totals.leaves.len()),
        clicks: i64::try_from(totals.clicks).map_err(|_| SettlementError::Overflow)?,
        debited_micros: totals.debited.micros(),
        gross_micros: gross.micros(),
        fees_micros: totals.fees.micros(),
        held_micros: totals.held.micros(),
        fee_percent: fee_text(fee_percent),
        signature: None,
        signing_key: None,
        created_at: now.naive_utc(),
    };
    let stored: Vec<LeafChunk> = chunks
        .into_iter()
        .enumerate()
        .map(|(at, chunk)| LeafChunk {
            chunk: count(at),
            first_reader_id: chunk.first_reader.0,
            readers: chunk.readers,
            hashes: chunk.hashes,
        })
        .collect();
    if let Some(key) = key {
        head.signature = Some(head.tree_head().sign(key));
        head.signing_key = Some(hex::encode(key.verifying_key().as_bytes()));
    }
    rows::replace(conn, &head, &stored)?;
    Ok(())
}

/// The self-check's part for the tree, in one transaction: a run that began before heads
/// existed writes its head now; the stored head must be the run's (`tree_check.rs`), or the
/// check fails and nothing of this step stays; and a head this run's key did not sign is
/// signed again (a resumed run under another key must not fail a month whose money is
/// right: the signature attests the figures, which were just proved).
pub(super) fn ensure(
    conn: &mut DbConnection,
    month: Month,
    totals: &MonthTotals,
    fee_percent: Decimal,
    key: Option<&SigningKey>,
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    write_transaction(conn, |conn| {
        if rows::head(conn, month)?.is_none() {
            publish(conn, month, totals, fee_percent, key, now)?;
        }
        let found = problems(conn, month, totals, &fee_text(fee_percent))?;
        if !found.is_empty() {
            return Err(SettlementError::CheckFailed {
                month,
                reason: found.join("; "),
            });
        }
        match (key, rows::head(conn, month)?) {
            (Some(key), Some(head)) => sign_again_if_needed(conn, month, &head, key),
            _ => Ok(()),
        }
    })
}

fn sign_again_if_needed(
    conn: &mut DbConnection,
    month: Month,
    head: &HeadRow,
    key: &SigningKey,
) -> Result<(), SettlementError> {
    let ours = hex::encode(key.verifying_key().as_bytes());
    let signed_by_us = head.signing_key.as_deref() == Some(ours.as_str())
        && head
            .signature
            .as_deref()
            .is_some_and(|signature| head.tree_head().verify(&key.verifying_key(), signature));
    if !signed_by_us {
        tracing::warn!(%month, previous_key = ?head.signing_key, "the tree head is signed again with this instance's key");
        rows::set_signature(conn, month, &head.tree_head().sign(key), &ours)?;
    }
    Ok(())
}

/// Publishes the head of a month settled before heads were (an instance upgraded): the month
/// is read and added up again as its run did, must give the figures the run recorded, and
/// its tree is written and checked; nothing else changes. A month with a head is left as is.
pub(super) fn publish_missing(
    conn: &mut DbConnection,
    month: Month,
    run: &RunRow,
    configured_fee: Decimal,
    options: &RunOptions,
    now: DateTime<Utc>,
) -> Result<(), SettlementError> {
    if rows::head(conn, month)?.is_some() {
        return Ok(());
    }
    let fee = run_fee(run, month, configured_fee);
    let input = MonthInput::load(conn, month)?;
    let totals = read_and_add_up(conn, input, fee, options.readers_per_chunk, &mut |_| {})?;
    // A run from before fee rates were kept is read at today's rate: the fees must still be
    // the ones it took, like every other figure, or nothing is published.
    let computed = RunFigures {
        readers: count_u64(totals.readers),
        clicks: count_u64(totals.clicks),
        debited: totals.debited,
        fees: totals.fees,
    };
    if computed != run.figures() {
        return Err(SettlementError::Inconsistent(format!(
            "the month read again gives {computed:?}, its run recorded {:?}: no head published",
            run.figures()
        )));
    }
    ensure(conn, month, &totals, fee, options.head_key.as_ref(), now)?;
    tracing::info!(%month, readers = totals.readers, "settlement: the month's tree head published");
    Ok(())
}

/// The fee rate as the head states it (`10`, `7.5`).
pub(super) fn fee_text(fee_percent: Decimal) -> String {
    fee_percent.normalize().to_string()
}

pub(super) fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn count_u64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
