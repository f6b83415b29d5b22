//! A settled month's tree head as it is signed (docs/TRANSPARENCY.md): one line of text that
//! names the month, the tree and the month's totals, so that a signature binds the root to
//! the figures published beside it and a copy of the head can be checked offline against the
//! instance's public key (`/transparency/key`).

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};

/// The figures a head publishes, in micro-units for amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeHead {
    pub month: String,
    pub tree_size: i64,
    /// Lower-case hex.
    pub root: String,
    pub readers: i64,
    pub clicks: i64,
    pub debited_micros: i64,
    pub gross_micros: i64,
    pub fees_micros: i64,
    pub held_micros: i64,
    pub fee_percent: String,
}

impl TreeHead {
    /// The signed text: `obole-head-v1|{month}|{tree_size}|{root}|{readers}|{clicks}|
    /// {debited}|{gross}|{fees}|{held}|{fee_percent}`, amounts in micro-units.
    pub fn text(&self) -> String {
        format!(
            "obole-head-v1|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            self.month,
            self.tree_size,
            self.root,
            self.readers,
            self.clicks,
            self.debited_micros,
            self.gross_micros,
            self.fees_micros,
            self.held_micros,
            self.fee_percent
        )
    }

    /// The Ed25519 signature of the text, lower-case hex.
    pub fn sign(&self, key: &SigningKey) -> String {
        hex::encode(key.sign(self.text().as_bytes()).to_bytes())
    }

    /// Whether `signature` (hex) is `key`'s signature of this head.
    pub fn verify(&self, key: &VerifyingKey, signature: &str) -> bool {
        let Ok(bytes) = hex::decode(signature) else {
            return false;
        };
        let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
            return false;
        };
        key.verify(self.text().as_bytes(), &Signature::from_bytes(&bytes))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> TreeHead {
        TreeHead {
            month: "2026-10".into(),
            tree_size: 2,
            root: "ab".repeat(32),
            readers: 2,
            clicks: 4,
            debited_micros: 5_000_000,
            gross_micros: 4_333_334,
            fees_micros: 433_333,
            held_micros: 666_666,
            fee_percent: "10".into(),
        }
    }

    #[test]
    fn a_signed_head_verifies_and_any_change_breaks_it() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let signature = head().sign(&key);
        assert_eq!(signature.len(), 128);
        assert!(head().verify(&key.verifying_key(), &signature));
        let mut changed = head();
        changed.held_micros += 1;
        assert!(!changed.verify(&key.verifying_key(), &signature));
        let other = SigningKey::from_bytes(&[8; 32]);
        assert!(!head().verify(&other.verifying_key(), &signature));
        assert!(!head().verify(&key.verifying_key(), "zz"));
        assert_eq!(
            head().text(),
            format!(
                "obole-head-v1|2026-10|2|{}|2|4|5000000|4333334|433333|666666|10",
                "ab".repeat(32)
            )
        );
    }
}
