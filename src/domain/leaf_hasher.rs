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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::merkle;
    use crate::domain::receipt::leaf_text;

    #[test]
    fn the_streamed_hash_is_the_hash_of_the_leaf_text() {
        let month = Month::parse("2026-10").expect("month");
        let shares = [
            (ThingId(3), Money::from_micros(666_667)),
            (ThingId(41), Money::from_micros(666_667)),
            (ThingId(1_000_000_007), Money::from_micros(666_666)),
        ];
        for allocations in [&shares[..], &shares[..1]] {
            let debited = Money::checked_sum(allocations.iter().map(|(_, a)| *a)).expect("sum");
            let text = leaf_text(month, UserId(12), debited, allocations);
            assert_eq!(
                leaf_hash(month, UserId(12), debited, allocations.iter().copied()),
                merkle::leaf_hash(text.as_bytes()),
                "{text}"
            );
        }
    }
}
