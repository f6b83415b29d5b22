//! How a month's Merkle tree is stored: its leaves in aligned chunks of [`LEAVES_PER_CHUNK`]
//! (a power of two, so each full chunk is a node of the RFC 6962 tree and the tree's root is
//! the tree over the chunks' roots), each chunk a row holding its readers' ids and their leaf
//! hashes as bytes. A thousand rows for a million readers: a receipt reads one row and the
//! head's chunk roots, and never rebuilds the tree.

use super::UserId;
use super::merkle::{self, Hash};

/// Leaves per stored chunk.
pub const LEAVES_PER_CHUNK: usize = merkle::CHUNK_LEAVES;

/// One chunk as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub first_reader: UserId,
    /// 8 bytes per reader id, big-endian.
    pub readers: Vec<u8>,
    /// 32 bytes per leaf hash.
    pub hashes: Vec<u8>,
    pub root: Hash,
}

/// Cuts the month's leaves (by reader) into chunks.
pub fn chunks(leaves: &[(UserId, Hash)]) -> Vec<Chunk> {
    leaves
        .chunks(LEAVES_PER_CHUNK)
        .filter_map(|part| {
            let (first, _) = part.first()?;
            let hashes: Vec<Hash> = part.iter().map(|(_, hash)| *hash).collect();
            Some(Chunk {
                first_reader: *first,
                readers: part
                    .iter()
                    .flat_map(|(reader, _)| reader.0.to_be_bytes())
                    .collect(),
                hashes: hashes.concat(),
                root: merkle::chunk_root(&hashes),
            })
        })
        .collect()
}

/// The hashes a chunk's bytes hold (a trailing partial hash is a corrupted row: dropped, and
/// the caller's comparison with the head then fails).
pub fn hashes(bytes: &[u8]) -> Vec<Hash> {
    bytes
        .chunks_exact(32)
        .filter_map(|hash| Hash::try_from(hash).ok())
        .collect()
}

/// Where `reader` stands in a chunk's readers, if they are there.
pub fn position(readers: &[u8], reader: UserId) -> Option<usize> {
    let ids: Vec<i64> = readers
        .chunks_exact(8)
        .filter_map(|id| <[u8; 8]>::try_from(id).ok().map(i64::from_be_bytes))
        .collect();
    ids.binary_search(&reader.0).ok()
}

/// The readers' ids a chunk's bytes hold.
pub fn readers(bytes: &[u8]) -> Vec<UserId> {
    bytes
        .chunks_exact(8)
        .filter_map(|id| {
            <[u8; 8]>::try_from(id)
                .ok()
                .map(|id| UserId(i64::from_be_bytes(id)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<(UserId, Hash)> {
        (0..n)
            .map(|i| {
                let id = i64::try_from(i * 3 + 7).expect("small");
                (UserId(id), merkle::leaf_hash(&id.to_be_bytes()))
            })
            .collect()
    }

    #[test]
    fn the_tree_over_the_chunks_is_the_tree_over_the_leaves() {
        for n in [1, 2, 1023, 1024, 1025, 2048, 3000] {
            let all = leaves(n);
            let every: Vec<Hash> = all.iter().map(|(_, h)| *h).collect();
            let stored = chunks(&all);
            let roots: Vec<Hash> = stored.iter().map(|c| c.root).collect();
            assert_eq!(
                merkle::root_of_chunks(&roots),
                merkle::root(&every),
                "{n} leaves"
            );
            for index in [0, n / 2, n - 1] {
                let (chunk, at) = (index / LEAVES_PER_CHUNK, index % LEAVES_PER_CHUNK);
                let found = stored.get(chunk).expect("chunk");
                assert_eq!(position(&found.readers, all[index].0), Some(at));
                let path = merkle::audit_path_in_chunks(&hashes(&found.hashes), at, &roots, chunk)
                    .expect("a path");
                assert_eq!(
                    path,
                    merkle::audit_path(&every, index).expect("a path"),
                    "{n} leaves, leaf {index}"
                );
            }
        }
    }

    #[test]
    fn a_reader_without_a_leaf_is_not_found() {
        let stored = chunks(&leaves(10));
        assert_eq!(position(&stored[0].readers, UserId(8)), None);
        assert_eq!(readers(&stored[0].readers).len(), 10);
    }
}
