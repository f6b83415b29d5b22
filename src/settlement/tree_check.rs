//! The self-check of a month's stored tree: its leaves, read back one row at a time, must be
//! the run's in order; their tree must have the head's size, chunk roots and root; and every
//! figure the head publishes (and signs) must be the run's.

use super::tree::count;
use super::{SettlementError, sum};
use crate::db::DbConnection;
use crate::domain::Month;
use crate::domain::allocation::MonthTotals;
use crate::domain::merkle::{self, Hash};
use crate::domain::tree_chunks::{self, LEAVES_PER_CHUNK};
use crate::models::transparency as rows;

/// What is wrong with the stored tree of `month`, compared with the run's totals and rate.
pub(super) fn problems(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
    fee_percent: &str,
) -> Result<Vec<String>, SettlementError> {
    let Some(head) = rows::head(conn, month)? else {
        return Ok(vec!["the month's tree head is missing".to_owned()]);
    };
    let mut problems = Vec::new();
    let mut roots: Vec<Hash> = Vec::new();
    let mut read = 0_usize;
    let mut same = true;
    rows::for_each_chunk(conn, month, |chunk| {
        let hashes = tree_chunks::hashes(&chunk.hashes);
        let readers = tree_chunks::readers(&chunk.readers);
        let last = read + hashes.len() == expected.leaves.len();
        if readers.len() != hashes.len()
            || chunk.chunk != count(roots.len())
            || (hashes.len() != LEAVES_PER_CHUNK && !last)
        {
            problems.push(format!("the tree's chunk {} is malformed", chunk.chunk));
        }
        let runs = expected.leaves.get(read..read + hashes.len());
        same &= runs.is_some_and(|runs| {
            runs.iter().zip(readers.iter().zip(&hashes)).all(
                |((reader, hash), (stored_reader, stored_hash))| {
                    reader == stored_reader && hash == stored_hash
                },
            )
        });
        read += hashes.len();
        roots.push(merkle::chunk_root(&hashes));
    })?;
    if !same || read != expected.leaves.len() {
        problems.push(format!(
            "the tree's {read} stored leaves are not the run's {}",
            expected.leaves.len()
        ));
    }
    let size = count(expected.leaves.len());
    if head.tree_size != size || head.readers != size || head.chunk_roots != roots.concat() {
        problems
            .push("the tree head's size, readers or chunk roots are not its leaves'".to_owned());
    }
    if head.root != hex::encode(merkle::root_of_chunks(&roots)) {
        problems.push("the tree head's root is not its leaves' root".to_owned());
    }
    let gross = sum(expected.creators.values().map(|earned| earned.gross))?;
    if head.clicks != i64::try_from(expected.clicks).unwrap_or(i64::MAX)
        || head.debited() != expected.debited
        || head.gross() != gross
        || head.held() != expected.held
        || head.fees() != expected.fees
        || head.fee_percent != fee_percent
    {
        problems.push("the tree head's totals or fee rate are not the run's".to_owned());
    }
    Ok(problems)
}
