//! Random secrets (API tokens, CSRF tokens) and their digests.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, URL-safe base64 (43 characters).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The hex SHA-256 of a presented token. A fast hash is right here: tokens carry 256 bits of
/// randomness, so there is nothing to brute-force, unlike passwords.
pub fn digest(token: &str) -> String {
    let hash = Sha256::digest(token.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// A freshly issued API token. The prefix lets secret scanners recognise a leaked one.
pub struct ApiToken(String);

impl ApiToken {
    pub fn generate() -> ApiToken {
        ApiToken(format!("obole_{}", random_secret()))
    }

    pub fn digest(&self) -> String {
        digest(&self.0)
    }

    /// The token itself, shown to its owner once.
    pub fn reveal(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_digests_are_stable() {
        let a = ApiToken::generate();
        let b = ApiToken::generate();
        assert_ne!(a.digest(), b.digest());
        assert_eq!(a.digest(), digest(&a.reveal()));
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
