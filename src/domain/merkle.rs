//! STAND-IN, replaced by the full RFC 6962 module at merge.
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

pub fn leaf_hash(leaf: &[u8]) -> Hash {
    Sha256::new()
        .chain_update([0u8])
        .chain_update(leaf)
        .finalize()
        .into()
}

pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    Sha256::new()
        .chain_update([1u8])
        .chain_update(left)
        .chain_update(right)
        .finalize()
        .into()
}

fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

fn subtree(nodes: &[Hash]) -> Hash {
    match nodes.len() {
        0 => Sha256::digest([]).into(),
        1 => nodes[0],
        n => {
            let k = split(n);
            node_hash(&subtree(&nodes[..k]), &subtree(&nodes[k..]))
        }
    }
}

pub fn root(leaves: &[Hash]) -> Hash {
    subtree(leaves)
}

pub fn chunk_root(chunk: &[Hash]) -> Hash {
    subtree(chunk)
}

pub fn root_of_chunks(chunk_roots: &[Hash]) -> Hash {
    subtree(chunk_roots)
}

fn path(nodes: &[Hash], index: usize, out: &mut Vec<Hash>) {
    let n = nodes.len();
    if n <= 1 {
        return;
    }
    let k = split(n);
    if index < k {
        path(&nodes[..k], index, out);
        out.push(subtree(&nodes[k..]));
    } else {
        path(&nodes[k..], index - k, out);
        out.push(subtree(&nodes[..k]));
    }
}

pub fn audit_path(leaves: &[Hash], index: usize) -> Vec<Hash> {
    let mut out = Vec::new();
    path(leaves, index, &mut out);
    out
}

pub fn audit_path_in_chunks(
    chunk_leaves: &[Hash],
    index_in_chunk: usize,
    chunk_roots: &[Hash],
    chunk_index: usize,
) -> Vec<Hash> {
    let mut out = audit_path(chunk_leaves, index_in_chunk);
    path(chunk_roots, chunk_index, &mut out);
    out
}
