//! A receipt's leaf hash computed as settlement streams the month: the same bytes as
//! `receipt::leaf_text` (PRODUCT.md, "Transparency"), fed to SHA-256 piece by piece with a
//! reused number buffer, so a month of a million readers builds no million strings. A test
//! proves it equals hashing the leaf text.

use sha2::{Digest, Sha256};

use super::merkle::Hash;
use super::{Money, Month, ThingId, UserId};

/// `H(0x00 ‖ leaf)` of the reader's leaf; `allocations` in ascending thing id.
pub fn leaf_hash(
    month: Month,
    reader: UserId,
    debited: Money,
    allocations: impl IntoIterator<Item = (ThingId, Money)>,
) -> Hash {
    let mut numbers = itoa::Buffer::new();
    let mut hasher = Sha256::new();
    hasher.update([0u8]);
    hasher.update(b"obole-receipt-v1|");
    hasher.update(month.to_string().as_bytes());
    hasher.update(b"|");
    hasher.update(numbers.format(reader.0).as_bytes());
    hasher.update(b"|");
    hasher.update(numbers.format(debited.micros()).as_bytes());
    hasher.update(b"|");
    for (at, (thing, amount)) in allocations.into_iter().enumerate() {
        if at > 0 {
            hasher.update(b",");
        }
        hasher.update(numbers.format(thing.0).as_bytes());
        hasher.update(b":");
        hasher.update(numbers.format(amount.micros()).as_bytes());
    }
    hasher.finalize().into()
}
