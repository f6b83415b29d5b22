//! A reader's receipt for a settled month: their leaf of the month's Merkle tree and its proof
//! (PRODUCT.md, "Transparency"; docs/TRANSPARENCY.md), and the check anyone can run offline.
//! The leaf's text is `receipt/leaf.rs`.

mod leaf;

use serde::{Deserialize, Serialize};

use super::merkle::{self, Hash};
use super::{Money, Month, ThingId, UserId};
pub use leaf::{LEAF_VERSION, LeafError, ReceiptLeaf, leaf_text, parse_leaf};

/// The receipt as the API gives it and a reader saves it (`GET /api/v1/me/receipts/{month}`):
/// amounts as the API's decimal strings, hashes as lower-case hex. Its fields are whatever a
/// file said until [`Receipt::check`] passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub month: String,
    pub reader_id: UserId,
    pub debited: String,
    pub allocations: Vec<ReceiptAllocation>,
    pub leaf: String,
    pub leaf_hash: String,
    pub index: u64,
    pub tree_size: u64,
    pub proof: Vec<String>,
    pub root: String,
}

/// One thing's share of the reader's debit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptAllocation {
    pub thing_id: ThingId,
    pub amount: String,
}

/// Why a receipt does not hold, in plain words (the command line prints them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error(transparent)]
    MalformedLeaf(#[from] LeafError),
    #[error("the receipt's month {0:?} is not a month written YYYY-MM")]
    BadMonth(String),
    #[error("the leaf is for month {leaf} but the receipt says {field}")]
    MonthMismatch { leaf: String, field: String },
    #[error("the leaf is for reader {leaf} but the receipt says {field}")]
    ReaderMismatch { leaf: String, field: UserId },
    #[error("the leaf debits {leaf} but the receipt says {field}")]
    DebitedMismatch { leaf: String, field: String },
    #[error("the leaf's allocations ({leaf}) are not the receipt's ({field})")]
    AllocationsMismatch { leaf: String, field: String },
    #[error("the allocations add up to {sum}, not to the {debited} debited")]
    AllocationsDoNotAddUp { sum: String, debited: String },
    #[error("{0} is not a lower-case hex SHA-256 hash")]
    BadHash(String),
    #[error("leaf_hash is not the hash of the leaf (SHA-256 of 0x00 and the leaf's text)")]
    LeafHashMismatch,
    #[error("the proof does not place this leaf in the tree: {0}")]
    Proof(#[from] merkle::Error),
    #[error("the receipt's root {receipt} is not the published root {published}")]
    NotThePublishedRoot { receipt: String, published: String },
}

impl Receipt {
    /// The receipt of `leaf`, leaf `index` of a tree of `tree_size` leaves with this `proof`
    /// (its audit path) and `root`.
    pub fn new(
        leaf: &ReceiptLeaf,
        index: u64,
        tree_size: u64,
        proof: &[Hash],
        root: &Hash,
    ) -> Receipt {
        let text = leaf.text();
        Receipt {
            month: leaf.month.to_string(),
            reader_id: leaf.reader,
            debited: leaf.debited.to_api_string(),
            allocations: leaf
                .allocations()
                .iter()
                .map(|(thing_id, amount)| ReceiptAllocation {
                    thing_id: *thing_id,
                    amount: amount.to_api_string(),
                })
                .collect(),
            leaf_hash: hex::encode(merkle::leaf_hash(text.as_bytes())),
            leaf: text,
            index,
            tree_size,
            proof: proof.iter().map(hex::encode).collect(),
            root: hex::encode(root),
        }
    }

    /// Proves the receipt: its leaf says what its fields say, the allocations add up to the
    /// debit, `leaf_hash` is the leaf's, the proof leads from it to `root`, and `root` is
    /// `published_root` when one is given (hex, either case, as a person may paste it).
    pub fn check(&self, published_root: Option<&str>) -> Result<(), ReceiptError> {
        let leaf = parse_leaf(&self.leaf)?;
        self.check_fields(&leaf)?;
        let leaf_hash = lower_hex_hash("leaf_hash", &self.leaf_hash)?;
        if leaf_hash != merkle::leaf_hash(self.leaf.as_bytes()) {
            return Err(ReceiptError::LeafHashMismatch);
        }
        let proof = self
            .proof
            .iter()
            .enumerate()
            .map(|(i, hash)| lower_hex_hash(&format!("proof[{i}]"), hash))
            .collect::<Result<Vec<Hash>, _>>()?;
        let root = lower_hex_hash("root", &self.root)?;
        merkle::verify_inclusion(&leaf_hash, self.index, self.tree_size, &proof, &root)?;
        if let Some(published) = published_root {
            let mut expected = [0; 32];
            let same =
                hex::decode_to_slice(published.trim(), &mut expected).is_ok() && expected == root;
            if !same {
                return Err(ReceiptError::NotThePublishedRoot {
                    receipt: self.root.clone(),
                    published: published.trim().to_owned(),
                });
            }
        }
        Ok(())
    }

    /// The leaf's facts against the receipt's fields, and the allocations' sum.
    fn check_fields(&self, leaf: &ReceiptLeaf) -> Result<(), ReceiptError> {
        Month::parse(&self.month).map_err(|_| ReceiptError::BadMonth(self.month.clone()))?;
        if leaf.month.to_string() != self.month {
            return Err(ReceiptError::MonthMismatch {
                leaf: leaf.month.to_string(),
                field: self.month.clone(),
            });
        }
        if leaf.reader != self.reader_id {
            return Err(ReceiptError::ReaderMismatch {
                leaf: leaf.reader.to_string(),
                field: self.reader_id,
            });
        }
        // A field must be the one spelling the API gives the leaf's amount ("2.00", never
        // "2" or "2.0"), so that equal texts mean equal amounts.
        if leaf.debited.to_api_string() != self.debited {
            return Err(ReceiptError::DebitedMismatch {
                leaf: leaf.debited.to_api_string(),
                field: self.debited.clone(),
            });
        }
        let from_leaf: Vec<(ThingId, String)> = leaf
            .allocations()
            .iter()
            .map(|(thing, amount)| (*thing, amount.to_api_string()))
            .collect();
        let from_fields: Vec<(ThingId, String)> = self
            .allocations
            .iter()
            .map(|allocation| (allocation.thing_id, allocation.amount.clone()))
            .collect();
        if from_leaf != from_fields {
            return Err(ReceiptError::AllocationsMismatch {
                leaf: listed(&from_leaf),
                field: listed(&from_fields),
            });
        }
        let sum = Money::checked_sum(leaf.allocations().iter().map(|(_, amount)| *amount))
            .ok_or(LeafError("its allocations overflow"))?;
        if sum != leaf.debited {
            return Err(ReceiptError::AllocationsDoNotAddUp {
                sum: sum.to_api_string(),
                debited: leaf.debited.to_api_string(),
            });
        }
        Ok(())
    }
}

/// Allocations as an error message shows them: `thing 7: 2.00, thing 9: 1.00`.
fn listed(allocations: &[(ThingId, String)]) -> String {
    let parts: Vec<String> = allocations
        .iter()
        .map(|(thing, amount)| format!("thing {thing}: {amount}"))
        .collect();
    parts.join(", ")
}

/// A hash field: 64 lower-case hex digits, as the contract writes them.
fn lower_hex_hash(field: &str, text: &str) -> Result<Hash, ReceiptError> {
    let mut hash = [0; 32];
    match hex::decode_to_slice(text, &mut hash) {
        Ok(()) if hex::encode(hash) == text => Ok(hash),
        _ => Err(ReceiptError::BadHash(field.to_owned())),
    }
}

#[cfg(test)]
#[path = "receipt_tests.rs"]
mod tests;
