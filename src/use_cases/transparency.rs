//! What a settled month publishes (PRODUCT.md, "Transparency"; docs/TRANSPARENCY.md): its
//! tree head, its things' totals, and each charged reader's receipt, which proves their leaf
//! is in the published tree. A receipt recomputes the reader's leaf from their month (the
//! settlement's own split, as "where my budget went" shows it) and must find the very hash
//! the settlement stored: the two come from independent reads of the month.

use crate::db::DbConnection;
use crate::domain::hold::ShareStatus;
use crate::domain::merkle::{self, Hash};
use crate::domain::receipt;
use crate::domain::tree_chunks::{self, LEAVES_PER_CHUNK};
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::transparency::{self as rows, HeadRow, ThingLine};
use crate::use_cases::statements::{self, StatementError};

/// How many things a page of a month's totals lists.
pub const THINGS_PER_PAGE: i64 = 100;

#[derive(Debug, thiserror::Error)]
pub enum TransparencyError {
    /// The month has no published head: not settled (yet).
    #[error("the month is not settled")]
    NotSettled,
    /// The reader was not charged in the month.
    #[error("no receipt for this reader and month")]
    NoReceipt,
    /// The stored tree and the month's data disagree (a bug or a hand edit).
    #[error("the month's receipt is inconsistent: {0}")]
    Inconsistent(String),
    #[error(transparent)]
    Statement(#[from] StatementError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// A reader's receipt for a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub month: Month,
    pub reader: UserId,
    pub debited: Money,
    /// By ascending thing id, as the leaf lists them, with where each share went.
    pub allocations: Vec<(ThingId, Money, ShareStatus)>,
    pub leaf: String,
    pub leaf_hash: Hash,
    pub index: u64,
    pub tree_size: u64,
    pub proof: Vec<Hash>,
    pub root: String,
}

/// The month's published head: once its run is done. A head written by a run that is still
/// checking it, or that failed its check, is not published.
pub fn head(conn: &mut DbConnection, month: Month) -> Result<HeadRow, TransparencyError> {
    if !crate::models::statements::is_settled(conn, month)? {
        return Err(TransparencyError::NotSettled);
    }
    rows::head(conn, month)?.ok_or(TransparencyError::NotSettled)
}

/// A page (from 1) of the month's things' totals, and how many things there are.
pub fn things(
    conn: &mut DbConnection,
    month: Month,
    page: i64,
) -> Result<(Vec<ThingLine>, i64), TransparencyError> {
    head(conn, month)?;
    let offset = page.saturating_sub(1).saturating_mul(THINGS_PER_PAGE);
    Ok(rows::thing_lines(conn, month, offset, THINGS_PER_PAGE)?)
}

/// `reader`'s receipt for `month`.
pub fn receipt(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> Result<Receipt, TransparencyError> {
    let head = head(conn, month)?;
    let chunk = rows::chunk_of(conn, month, reader)?.ok_or(TransparencyError::NoReceipt)?;
    let at = tree_chunks::position(&chunk.readers, reader).ok_or(TransparencyError::NoReceipt)?;
    let hashes = tree_chunks::hashes(&chunk.hashes);
    let stored = *hashes
        .get(at)
        .ok_or_else(|| TransparencyError::Inconsistent("a leaf row is short".to_owned()))?;
    let month_of = statements::contributions(conn, reader, month)?;
    let mut allocations: Vec<(ThingId, Money, ShareStatus)> = month_of
        .allocations
        .iter()
        .map(|a| (ThingId(a.thing_id), a.amount, a.status))
        .collect();
    allocations.sort_unstable_by_key(|(thing, _, _)| *thing);
    let shares: Vec<(ThingId, Money)> = allocations
        .iter()
        .map(|(thing, amount, _)| (*thing, *amount))
        .collect();
    let leaf = receipt::leaf_text(month, reader, month_of.debited, &shares);
    let leaf_hash = merkle::leaf_hash(leaf.as_bytes());
    if leaf_hash != stored {
        return Err(TransparencyError::Inconsistent(format!(
            "reader {}'s month {month} is not the leaf settled",
            reader.0
        )));
    }
    let roots = tree_chunks::hashes(&head.chunk_roots);
    let chunk_index = usize::try_from(chunk.chunk).unwrap_or(usize::MAX);
    let proof = merkle::audit_path_in_chunks(&hashes, at, &roots, chunk_index)
        .map_err(|e| TransparencyError::Inconsistent(e.to_string()))?;
    let index = chunk_index
        .saturating_mul(LEAVES_PER_CHUNK)
        .saturating_add(at);
    Ok(Receipt {
        month,
        reader,
        debited: month_of.debited,
        allocations,
        leaf,
        leaf_hash,
        index: u64::try_from(index).unwrap_or(u64::MAX),
        tree_size: u64::try_from(head.tree_size).unwrap_or(0),
        proof,
        root: head.root,
    })
}
