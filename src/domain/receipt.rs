//! A reader's receipt for a settled month: their leaf of the month's Merkle tree and its proof
//! (PRODUCT.md, "Transparency"; docs/TRANSPARENCY.md), and the check anyone can run offline.

use serde::{Deserialize, Serialize};

use super::merkle::{self, Hash};
use super::{Money, Month, ThingId, UserId};

/// The first field of every leaf: the format's name and version.
pub const LEAF_VERSION: &str = "obole-receipt-v1";

/// What a reader's leaf says: the month, the reader, what they were debited and how it was
/// shared out, each thing once, in ascending thing id (settlement records one share per
/// reader, thing and month, so a thing never appears twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLeaf {
    pub month: Month,
    pub reader: UserId,
    pub debited: Money,
    allocations: Vec<(ThingId, Money)>,
}

impl ReceiptLeaf {
    pub fn new(
        month: Month,
        reader: UserId,
        debited: Money,
        allocations: &[(ThingId, Money)],
    ) -> ReceiptLeaf {
        let mut allocations = allocations.to_vec();
        allocations.sort_by_key(|(thing, _)| *thing);
        ReceiptLeaf {
            month,
            reader,
            debited,
            allocations,
        }
    }

    /// The allocations, in ascending thing id.
    pub fn allocations(&self) -> &[(ThingId, Money)] {
        &self.allocations
    }

    /// `obole-receipt-v1|{month}|{reader_id}|{debited_micros}|{thing_id}:{micros},…`: integer
    /// micro-units, no spaces, so that the text (and its hash) has exactly one spelling.
    pub fn text(&self) -> String {
        let allocations: Vec<String> = self
            .allocations
            .iter()
            .map(|(thing, amount)| format!("{thing}:{}", amount.micros()))
            .collect();
        format!(
            "{LEAF_VERSION}|{}|{}|{}|{}",
            self.month,
            self.reader,
            self.debited.micros(),
            allocations.join(",")
        )
    }

    /// The leaf's hash in the month's tree: `SHA-256(0x00 ‖ text)`.
    pub fn hash(&self) -> Hash {
        merkle::leaf_hash(self.text().as_bytes())
    }
}

/// The leaf text of a reader's month (allocations sorted by ascending thing id).
pub fn leaf_text(
    month: Month,
    reader: UserId,
    debited: Money,
    allocations: &[(ThingId, Money)],
) -> String {
    ReceiptLeaf::new(month, reader, debited, allocations).text()
}

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
    #[error("the leaf is not an {LEAF_VERSION} leaf: {0}")]
    MalformedLeaf(&'static str),
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
                .allocations
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
            .allocations
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
        let sum = Money::checked_sum(leaf.allocations.iter().map(|(_, amount)| *amount))
            .ok_or(ReceiptError::MalformedLeaf("the allocations overflow"))?;
        if sum != leaf.debited {
            return Err(ReceiptError::AllocationsDoNotAddUp {
                sum: sum.to_api_string(),
                debited: leaf.debited.to_api_string(),
            });
        }
        Ok(())
    }
}

/// Reads a leaf's text back into its facts, accepting only the one spelling [`ReceiptLeaf`]
/// writes (no sign, no leading zero, no space, allocations strictly ascending).
pub fn parse_leaf(text: &str) -> Result<ReceiptLeaf, ReceiptError> {
    let fields: Vec<&str> = text.split('|').collect();
    let [version, month, reader, debited, allocations] = fields[..] else {
        return Err(ReceiptError::MalformedLeaf("it does not have five fields"));
    };
    if version != LEAF_VERSION {
        return Err(ReceiptError::MalformedLeaf(
            "it does not start with the version",
        ));
    }
    let month =
        Month::parse(month).map_err(|_| ReceiptError::MalformedLeaf("its month is not YYYY-MM"))?;
    let reader = UserId(canonical_integer(
        reader,
        "its reader id is not a plain number",
    )?);
    let debited = Money::from_micros(canonical_integer(
        debited,
        "its debit is not a whole number of micro-units",
    )?);
    let mut parsed = Vec::new();
    for allocation in allocations.split(',').filter(|_| !allocations.is_empty()) {
        let (thing, micros) = allocation
            .split_once(':')
            .ok_or(ReceiptError::MalformedLeaf(
                "an allocation is not thing:micros",
            ))?;
        let thing = ThingId(canonical_integer(
            thing,
            "a thing id is not a plain number",
        )?);
        let amount = Money::from_micros(canonical_integer(
            micros,
            "an allocation is not a whole number of micro-units",
        )?);
        if parsed.last().is_some_and(|(last, _)| *last >= thing) {
            return Err(ReceiptError::MalformedLeaf(
                "its allocations are not in ascending thing id, each once",
            ));
        }
        parsed.push((thing, amount));
    }
    Ok(ReceiptLeaf {
        month,
        reader,
        debited,
        allocations: parsed,
    })
}

/// Allocations as an error message shows them: `thing 7: 2.00, thing 9: 1.00`.
fn listed(allocations: &[(ThingId, String)]) -> String {
    let parts: Vec<String> = allocations
        .iter()
        .map(|(thing, amount)| format!("thing {thing}: {amount}"))
        .collect();
    parts.join(", ")
}

/// A non-negative integer written the one way Rust writes it.
fn canonical_integer(text: &str, reason: &'static str) -> Result<i64, ReceiptError> {
    match text.parse::<i64>() {
        Ok(value) if value >= 0 && value.to_string() == text => Ok(value),
        _ => Err(ReceiptError::MalformedLeaf(reason)),
    }
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
