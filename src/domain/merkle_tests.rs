//! The Merkle tree against the Certificate Transparency project's published vectors, and its
//! properties (`merkle.rs`).

use super::*;
use proptest::prelude::*;

/// The CT test leaves (RFC 6962 test data, as in transparency-dev/merkle's `testonly`).
const LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// The published roots of the trees of the first 0 to 8 leaves.
const ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

// The published hashes of the 8-leaf tree's complete subtrees: `N{level}_{i}` covers leaves
// `i·2^level .. (i+1)·2^level` (level 0: the leaf hashes).
const N0_0: &str = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";
const N0_1: &str = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";
const N0_2: &str = "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7";
const N0_3: &str = "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7";
const N0_4: &str = "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b";
const N0_5: &str = "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658";
const N0_6: &str = "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f";
const N0_7: &str = "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1";
const N1_0: &str = "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125";
const N1_1: &str = "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e";
const N1_2: &str = "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a";
const N1_3: &str = "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0";
const N2_0: &str = "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7";
const N2_1: &str = "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4";
/// MTH of leaves 4..7, the one incomplete right subtree of these trees (the 7-leaf tree's);
/// not among the published hashes: computed outside this code with Python's hashlib as
/// `sha256(b"\x01" + sha256(b"\x01" + N0_4 + N0_5) + N0_6)`.
const R4_7: &str = "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e";

/// `(size, index, PATH(index, first size leaves))` for every leaf of the trees of 1 to 8
/// leaves. The CT project publishes `(0, 8)`, `(5, 8)`, `(2, 3)` and `(1, 5)` in full;
/// the others are the same published subtree hashes, placed by RFC 6962 §2.1.1.
const PATHS: [(usize, usize, &[&str]); 36] = [
    (1, 0, &[]),
    (2, 0, &[N0_1]),
    (2, 1, &[N0_0]),
    (3, 0, &[N0_1, N0_2]),
    (3, 1, &[N0_0, N0_2]),
    (3, 2, &[N1_0]),
    (4, 0, &[N0_1, N1_1]),
    (4, 1, &[N0_0, N1_1]),
    (4, 2, &[N0_3, N1_0]),
    (4, 3, &[N0_2, N1_0]),
    (5, 0, &[N0_1, N1_1, N0_4]),
    (5, 1, &[N0_0, N1_1, N0_4]),
    (5, 2, &[N0_3, N1_0, N0_4]),
    (5, 3, &[N0_2, N1_0, N0_4]),
    (5, 4, &[N2_0]),
    (6, 0, &[N0_1, N1_1, N1_2]),
    (6, 1, &[N0_0, N1_1, N1_2]),
    (6, 2, &[N0_3, N1_0, N1_2]),
    (6, 3, &[N0_2, N1_0, N1_2]),
    (6, 4, &[N0_5, N2_0]),
    (6, 5, &[N0_4, N2_0]),
    (7, 0, &[N0_1, N1_1, R4_7]),
    (7, 1, &[N0_0, N1_1, R4_7]),
    (7, 2, &[N0_3, N1_0, R4_7]),
    (7, 3, &[N0_2, N1_0, R4_7]),
    (7, 4, &[N0_5, N0_6, N2_0]),
    (7, 5, &[N0_4, N0_6, N2_0]),
    (7, 6, &[N1_2, N2_0]),
    (8, 0, &[N0_1, N1_1, N2_1]),
    (8, 1, &[N0_0, N1_1, N2_1]),
    (8, 2, &[N0_3, N1_0, N2_1]),
    (8, 3, &[N0_2, N1_0, N2_1]),
    (8, 4, &[N0_5, N1_3, N2_0]),
    (8, 5, &[N0_4, N1_3, N2_0]),
    (8, 6, &[N0_7, N1_2, N2_0]),
    (8, 7, &[N0_6, N1_2, N2_0]),
];

fn h(text: &str) -> Hash {
    let mut hash = [0; 32];
    hex::decode_to_slice(text, &mut hash).expect("a 32-byte hex hash");
    hash
}

fn ct_leaf_hashes() -> Vec<Hash> {
    LEAVES
        .iter()
        .map(|leaf| leaf_hash(&hex::decode(leaf).expect("hex leaf")))
        .collect()
}

fn u(n: usize) -> u64 {
    u64::try_from(n).expect("fits")
}

#[test]
fn leaf_and_node_hashes_are_the_published_ones() {
    let leaves = ct_leaf_hashes();
    for (leaf, expected) in leaves
        .iter()
        .zip([N0_0, N0_1, N0_2, N0_3, N0_4, N0_5, N0_6, N0_7])
    {
        assert_eq!(*leaf, h(expected));
    }
    assert_eq!(node_hash(&leaves[0], &leaves[1]), h(N1_0));
    assert_eq!(node_hash(&h(N1_2), &h(N1_3)), h(N2_1));
}

#[test]
fn roots_of_the_trees_of_0_to_8_leaves_are_the_published_ones() {
    let leaves = ct_leaf_hashes();
    for (size, expected) in ROOTS.iter().enumerate() {
        assert_eq!(root(&leaves[..size]), h(expected), "{size} leaves");
    }
    assert_eq!(empty_root(), h(ROOTS[0]));
}

#[test]
fn every_audit_path_of_the_trees_of_1_to_8_leaves_is_the_published_one() {
    let leaves = ct_leaf_hashes();
    for (size, index, expected) in PATHS {
        let expected: Vec<Hash> = expected.iter().map(|hash| h(hash)).collect();
        let path = audit_path(&leaves[..size], index).expect("path");
        assert_eq!(path, expected, "leaf {index} of {size}");
        let root = h(ROOTS[size]);
        assert_eq!(
            verify_inclusion(&leaves[index], u(index), u(size), &path, &root),
            Ok(())
        );
    }
}

#[test]
fn verification_refuses_what_rfc_9162_refuses() {
    let leaves = ct_leaf_hashes();
    let path = audit_path(&leaves, 5).expect("path");
    let root = h(ROOTS[8]);
    let leaf = leaves[5];
    assert_eq!(
        verify_inclusion(&leaf, 8, 8, &path, &root),
        Err(Error::IndexOutOfRange { index: 8, size: 8 })
    );
    assert_eq!(
        verify_inclusion(&leaf, 0, 0, &[], &empty_root()),
        Err(Error::IndexOutOfRange { index: 0, size: 0 })
    );
    let longer = [path.clone(), vec![root]].concat();
    assert_eq!(
        verify_inclusion(&leaf, 5, 8, &longer, &root),
        Err(Error::PathTooLong)
    );
    assert_eq!(
        verify_inclusion(&leaf, 5, 8, &path[..2], &root),
        Err(Error::PathTooShort)
    );
    assert_eq!(
        verify_inclusion(&leaves[4], 5, 8, &path, &root),
        Err(Error::RootMismatch)
    );
    assert_eq!(
        verify_inclusion(&leaf, 5, 8, &path, &empty_root()),
        Err(Error::RootMismatch)
    );
    // RFC 9162's known limit, kept as every verifier has it: leaf 5's path has the same shape
    // in trees of 7 and 8 leaves, so the size is authenticated by the head, not the proof.
    assert_eq!(verify_inclusion(&leaf, 5, 7, &path, &root), Ok(()));
    assert_eq!(
        audit_path(&leaves, 8),
        Err(Error::IndexOutOfRange { index: 8, size: 8 })
    );
}

#[test]
fn a_partial_middle_chunk_is_refused() {
    let leaves = ct_leaf_hashes();
    let roots = [root(&leaves[..3]), root(&leaves[3..])];
    assert_eq!(
        audit_path_in_chunks(&leaves[..3], 0, &roots, 0),
        Err(Error::UnalignedChunk)
    );
}

/// `n` distinct leaf hashes, different for each `seed`.
fn leaf_hashes(seed: u64, n: usize) -> Vec<Hash> {
    (0..n)
        .map(|i| leaf_hash(format!("{seed}|{i}").as_bytes()))
        .collect()
}

/// Which side each hash of PATH(index, size) joins on (`true`: the hash is on the left), from
/// the leaf up, by RFC 6962 §2.1.1's recursion: the shape a path has, whatever its hashes.
fn sides(index: u64, size: u64) -> Vec<bool> {
    if size <= 1 {
        return Vec::new();
    }
    let k = 1_u64 << (63 - (size - 1).leading_zeros());
    if index < k {
        [sides(index, k), vec![false]].concat()
    } else {
        [sides(index - k, size - k), vec![true]].concat()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_leaf_of_every_tree_verifies(seed: u64, size in 1_usize..=300) {
        let leaves = leaf_hashes(seed, size);
        let root = root(&leaves);
        for (index, leaf) in leaves.iter().enumerate() {
            let path = audit_path(&leaves, index).expect("path");
            prop_assert_eq!(path.len(), sides(u(index), u(size)).len());
            prop_assert_eq!(verify_inclusion(leaf, u(index), u(size), &path, &root), Ok(()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_change_to_a_leaf_a_path_or_an_index_breaks_the_proof(
        seed: u64,
        size in 1_usize..=300,
        pick: prop::sample::Index,
        byte in 0_usize..32,
        bit in 0_u8..8,
        other: prop::sample::Index,
    ) {
        let leaves = leaf_hashes(seed, size);
        let root = root(&leaves);
        let index = pick.index(size);
        let path = audit_path(&leaves, index).expect("path");
        let (i, n) = (u(index), u(size));

        let mut leaf = leaves[index];
        leaf[byte] ^= 1 << bit;
        prop_assert!(verify_inclusion(&leaf, i, n, &path, &root).is_err());

        if !path.is_empty() {
            let mut tampered = path.clone();
            let element = other.index(path.len());
            tampered[element][byte] ^= 1 << bit;
            prop_assert!(verify_inclusion(&leaves[index], i, n, &tampered, &root).is_err());
        }

        // In a tree of a given size every leaf has its own path shape, so another index fails.
        let moved = u(other.index(size));
        if moved != i {
            prop_assert!(verify_inclusion(&leaves[index], moved, n, &path, &root).is_err());
        }
        let mut tampered_root = root;
        tampered_root[byte] ^= 1 << bit;
        prop_assert!(verify_inclusion(&leaves[index], i, n, &path, &tampered_root).is_err());
    }

    #[test]
    fn another_size_passes_only_where_the_path_has_the_same_shape(
        seed: u64,
        size in 1_usize..=300,
        pick: prop::sample::Index,
        claimed in 1_u64..=600,
    ) {
        let leaves = leaf_hashes(seed, size);
        let root = root(&leaves);
        let index = pick.index(size);
        let path = audit_path(&leaves, index).expect("path");
        let (i, n) = (u(index), u(size));
        let outcome = verify_inclusion(&leaves[index], i, claimed, &path, &root);
        let same_shape = claimed > i && sides(i, claimed) == sides(i, n);
        prop_assert_eq!(outcome.is_ok(), same_shape, "leaf {} of {} claimed in {}", i, n, claimed);
    }

    #[test]
    fn chunks_give_the_same_root_and_paths(
        seed: u64,
        size in 0_usize..=2_000,
        chunk_bits in 0_u32..=7,
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..8),
    ) {
        let leaves = leaf_hashes(seed, size);
        let chunk_size = 1_usize << chunk_bits;
        let chunks: Vec<&[Hash]> = leaves.chunks(chunk_size).collect();
        let chunk_roots: Vec<Hash> = chunks.iter().map(|chunk| chunk_root(chunk)).collect();
        prop_assert_eq!(root_of_chunks(&chunk_roots), root(&leaves));
        if size > 0 {
            for pick in picks {
                let index = pick.index(size);
                let (chunk_index, index_in_chunk) = (index / chunk_size, index % chunk_size);
                prop_assert_eq!(
                    audit_path_in_chunks(chunks[chunk_index], index_in_chunk, &chunk_roots, chunk_index),
                    audit_path(&leaves, index)
                );
            }
        }
    }
}
