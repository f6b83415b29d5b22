//! The Merkle tree of a settled month, exactly as RFC 6962 §2.1 (= RFC 9162 §2.1) defines it,
//! so that anyone can check a receipt with their own code (PRODUCT.md, "Transparency";
//! docs/TRANSPARENCY.md).
//!
//! Every function here takes *leaf hashes* (`leaf_hash` of each leaf's bytes), never the
//! leaves themselves: settlement hashes each reader's leaf once and keeps only 32 bytes.
//!
//! A month of a million readers is built in aligned chunks of a power of two of leaves (see
//! [`CHUNK_LEAVES`]): settlement keeps each chunk's leaf hashes and root, and a receipt's path
//! is the path inside its chunk followed by the path among the chunk roots. Why that is the
//! same tree, and the same path, is explained at [`root_of_chunks`].

use sha2::{Digest, Sha256};

/// A SHA-256 digest: a leaf hash, a node hash or a root.
pub type Hash = [u8; 32];

/// The chunk size settlement is meant to use: 1,024 leaf hashes (32 KiB) per stored chunk, so
/// a million readers make about a thousand chunk roots, and a receipt reads two small sets of
/// hashes instead of the whole tree. Any power of two gives the same tree.
pub const CHUNK_LEAVES: usize = 1024;

/// Why an inclusion proof was refused, in the order RFC 9162 §2.1.3.2 checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the leaf's index {index} is not inside a tree of {size} leaves")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("the proof has more hashes than a tree of this size needs")]
    PathTooLong,
    #[error("the proof has fewer hashes than a tree of this size needs")]
    PathTooShort,
    #[error("the proof does not lead to the root")]
    RootMismatch,
    #[error(
        "chunks are not aligned: every chunk but the last must hold the same power of two of leaves"
    )]
    UnalignedChunk,
}

/// `SHA-256(0x00 ‖ leaf)`: the prefix keeps a leaf from ever being taken for an inner node.
pub fn leaf_hash(leaf: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(leaf);
    hasher.finalize().into()
}

/// `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The root of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1).
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The largest power of two strictly smaller than `n` (`n >= 2`): where RFC 6962 splits a list.
fn split_point(n: usize) -> usize {
    // For n >= 2, n - 1 >= 1, and the highest bit of n - 1 is the largest power of two below n
    // (for n = 8: 7 = 0b111 gives 4, not 8).
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// MTH: the Merkle Tree Hash over leaf hashes (RFC 6962 §2.1). Recursive, without allocation;
/// its depth is the tree's height (at most 64).
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [only] => *only,
        _ => {
            let (left, right) = leaves.split_at(split_point(leaves.len()));
            node_hash(&root(left), &root(right))
        }
    }
}

/// PATH(index, leaves): the audit path of RFC 6962 §2.1.1, from the leaf's sibling up to the
/// root's children.
pub fn audit_path(leaves: &[Hash], index: usize) -> Result<Vec<Hash>, Error> {
    if index >= leaves.len() {
        return Err(Error::IndexOutOfRange {
            index: u64::try_from(index).unwrap_or(u64::MAX),
            size: u64::try_from(leaves.len()).unwrap_or(u64::MAX),
        });
    }
    let mut path = Vec::new();
    push_path(leaves, index, &mut path);
    Ok(path)
}

/// Appends PATH(index, leaves) to `path`, deepest hash first (`index < leaves.len()`).
fn push_path(leaves: &[Hash], index: usize, path: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let (left, right) = leaves.split_at(split_point(leaves.len()));
    if index < left.len() {
        push_path(left, index, path);
        path.push(root(right));
    } else {
        push_path(right, index - left.len(), path);
        path.push(root(left));
    }
}

/// Checks that `leaf_hash` is leaf `index` of a tree of `size` leaves whose root is `root`,
/// following RFC 9162 §2.1.3.2 step by step (the names `fn`, `sn` and `r` are the RFC's).
///
/// As in every RFC 9162 verifier, the size is only used through the shape of the leaf's
/// path: a proof for leaf 5 of 8 also passes as leaf 5 of 7, whose path has the same shape.
/// The size is authenticated by the published head that carries it beside the root.
pub fn verify_inclusion(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    path: &[Hash],
    root: &Hash,
) -> Result<(), Error> {
    if index >= size {
        return Err(Error::IndexOutOfRange { index, size });
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf_hash;
    for p in path {
        if s_n == 0 {
            return Err(Error::PathTooLong);
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            // When the node is its level's last and a left child (`fn == sn`, LSB clear),
            // it has no sibling on the levels until it becomes a right child: skip them.
            while f_n & 1 == 0 && f_n != 0 {
                f_n >>= 1;
                s_n >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    if s_n != 0 {
        return Err(Error::PathTooShort);
    }
    if r != *root {
        return Err(Error::RootMismatch);
    }
    Ok(())
}

/// The root of one chunk of leaf hashes (a full chunk is a complete subtree of the month's
/// tree; the last chunk may be partial).
pub fn chunk_root(chunk: &[Hash]) -> Hash {
    root(chunk)
}

/// The month's root from its chunks' roots, equal to [`root`] over all the leaves when every
/// chunk but the last holds the same power of two `C` of leaves.
///
/// Why: RFC 6962 splits `n` leaves at `k`, the largest power of two below `n`. If `k >= C`,
/// `k` is a multiple of `C`, so the split falls between chunks, at chunk `k / C`; and
/// `k / C` is the largest power of two below the number of chunks `m = ⌈n / C⌉` (because
/// `k < n <= 2k` gives `k / C < m <= 2k / C`). Each side then holds whole aligned chunks
/// again (the right side starts at a multiple of `C`), so by induction the tree above the
/// chunks splits the chunk roots exactly as MTH splits a list of `m` leaf hashes. If `k < C`,
/// then `n <= 2k <= C`: there is one chunk, and its root is the tree's. Hence MTH over the
/// chunk roots, each taken as a leaf hash, is MTH over the leaves: this is [`root`].
pub fn root_of_chunks(chunk_roots: &[Hash]) -> Hash {
    root(chunk_roots)
}

/// The audit path of leaf `index_in_chunk` of chunk `chunk_index`, from that chunk's leaf
/// hashes and every chunk's root, without the other leaves: equal to [`audit_path`] over all
/// the leaves (chunks as in [`root_of_chunks`]).
///
/// Why: by the argument at [`root_of_chunks`], the chunk is a subtree of the month's tree,
/// and the nodes above it are those of MTH over the chunk roots. RFC 6962's PATH descends
/// from the root to the leaf and lists each sibling on the way; the part of the descent above
/// the chunk is PATH(chunk_index, chunk_roots), the part inside it is
/// PATH(index_in_chunk, chunk), and the path from the leaf up is the second then the first.
pub fn audit_path_in_chunks(
    chunk_leaves: &[Hash],
    index_in_chunk: usize,
    chunk_roots: &[Hash],
    chunk_index: usize,
) -> Result<Vec<Hash>, Error> {
    let mut path = audit_path(chunk_leaves, index_in_chunk)?;
    let is_last = chunk_index.checked_add(1) == Some(chunk_roots.len());
    if !is_last && !chunk_leaves.len().is_power_of_two() {
        return Err(Error::UnalignedChunk);
    }
    path.extend(audit_path(chunk_roots, chunk_index)?);
    Ok(path)
}

#[cfg(test)]
#[path = "merkle_tests.rs"]
mod tests;
