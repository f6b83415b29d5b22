//! A reader's leaf in a month's Merkle tree: its one spelling, written and read back
//! (docs/TRANSPARENCY.md, "The leaf").

use crate::domain::merkle::{self, Hash};
use crate::domain::{Money, Month, ThingId, UserId};

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

/// Why a text is not a leaf, in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the leaf is not an {LEAF_VERSION} leaf: {0}")]
pub struct LeafError(pub &'static str);

/// Reads a leaf's text back into its facts, accepting only the one spelling [`ReceiptLeaf`]
/// writes (no sign, no leading zero, no space, allocations strictly ascending).
pub fn parse_leaf(text: &str) -> Result<ReceiptLeaf, LeafError> {
    let fields: Vec<&str> = text.split('|').collect();
    let [version, month, reader, debited, allocations] = fields[..] else {
        return Err(LeafError("it does not have five fields"));
    };
    if version != LEAF_VERSION {
        return Err(LeafError("it does not start with the version"));
    }
    let month = Month::parse(month).map_err(|_| LeafError("its month is not YYYY-MM"))?;
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
            .ok_or(LeafError("an allocation is not thing:micros"))?;
        let thing = ThingId(canonical_integer(
            thing,
            "a thing id is not a plain number",
        )?);
        let amount = Money::from_micros(canonical_integer(
            micros,
            "an allocation is not a whole number of micro-units",
        )?);
        if parsed.last().is_some_and(|(last, _)| *last >= thing) {
            return Err(LeafError(
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

/// A non-negative integer written the one way Rust writes it.
fn canonical_integer(text: &str, reason: &'static str) -> Result<i64, LeafError> {
    match text.parse::<i64>() {
        Ok(value) if value >= 0 && value.to_string() == text => Ok(value),
        _ => Err(LeafError(reason)),
    }
}
