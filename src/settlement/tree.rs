//! The month's Merkle tree head (PRODUCT.md, "Transparency"; docs/TRANSPARENCY.md): one leaf
//! per charged reader, in reader order, hashed while the month was added up
//! (`MonthTotals::leaves`); written with the creators stage's last transaction, so a crash
//! leaves all of it or none, and read back by the self-check, which proves that the stored
//! leaves are the run's and that their tree has the published root.

use chrono::{DateTime, Utc};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rust_decimal::Decimal;

use super::add_up::{read_and_add_up, run_fee};
use super::input::MonthInput;
use super::run::RunOptions;
use super::{SettlementError, sum};
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::allocation::MonthTotals;
use crate::domain::merkle::{self, Hash};
use crate::domain::tree_chunks::{self, LEAVES_PER_CHUNK};
use crate::domain::{Month, UserId};
use crate::models::settlement::RunRow;
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
        fee_percent: fee_percent.normalize().to_string(),
        signature: None,
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
    head.signature = key.map(|key| head.tree_head().sign(key));
    rows::replace(conn, &head, &stored)?;
    Ok(())
}

/// Publishes the head of a month settled before heads were (an instance upgraded): the month
/// is read and added up again as its run did, and the tree written and checked; nothing
/// else changes. A month with a head is left as it is.
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
    let key = options.head_key.as_ref().map(SigningKey::verifying_key);
    // Checked in the transaction that writes it: a head that fails is never published.
    write_transaction(conn, |conn| {
        publish(conn, month, &totals, fee, options.head_key.as_ref(), now)?;
        verify(conn, month, &totals, key.as_ref())
    })?;
    tracing::info!(%month, readers = totals.readers, "settlement: the month's tree head published");
    Ok(())
}

/// The self-check of the stored tree: its leaves must be the run's, in order, and their
/// tree must have the head's size, chunk roots and root.
pub(super) fn verify(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
    key: Option<&VerifyingKey>,
) -> Result<(), SettlementError> {
    let mut problems = problems(conn, month, expected)?;
    // A run that signs proves its signature too (a resumed run without the key cannot).
    if let (Some(key), Some(head)) = (key, rows::head(conn, month)?) {
        let signed = head
            .signature
            .as_deref()
            .is_some_and(|signature| head.tree_head().verify(key, signature));
        if !signed {
            problems.push("the tree head's signature is missing or not the instance's".to_owned());
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(SettlementError::CheckFailed {
        month,
        reason: problems.join("; "),
    })
}

fn problems(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
) -> Result<Vec<String>, SettlementError> {
    let Some(head) = rows::head(conn, month)? else {
        return Ok(vec!["the month's tree head is missing".to_owned()]);
    };
    let mut problems = Vec::new();
    let mut leaves: Vec<(UserId, Hash)> = Vec::with_capacity(expected.leaves.len());
    let mut roots: Vec<Hash> = Vec::new();
    for chunk in rows::chunks(conn, month)? {
        let hashes = tree_chunks::hashes(&chunk.hashes);
        let readers = tree_chunks::readers(&chunk.readers);
        if readers.len() != hashes.len()
            || chunk.chunk != count(roots.len())
            || (hashes.len() != LEAVES_PER_CHUNK && leaves.len() + hashes.len() != head_size(&head))
        {
            problems.push(format!("the tree's chunk {} is malformed", chunk.chunk));
        }
        roots.push(merkle::chunk_root(&hashes));
        leaves.extend(readers.into_iter().zip(hashes));
    }
    if leaves != expected.leaves {
        problems.push(format!(
            "the tree's {} stored leaves are not the run's {}",
            leaves.len(),
            expected.leaves.len()
        ));
    }
    if head_size(&head) != expected.leaves.len() || head.chunk_roots != roots.concat() {
        problems.push("the tree head's size or chunk roots are not its leaves'".to_owned());
    }
    if head.root != hex::encode(merkle::root_of_chunks(&roots)) {
        problems.push("the tree head's root is not its leaves' root".to_owned());
    }
    if head.debited() != expected.debited
        || head.held() != expected.held
        || head.fees() != expected.fees
    {
        problems.push("the tree head's totals are not the run's".to_owned());
    }
    Ok(problems)
}

fn head_size(head: &HeadRow) -> usize {
    usize::try_from(head.tree_size).unwrap_or(usize::MAX)
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
