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

/// Crockford's base32 alphabet: no I, L, O or U, which people misread or mistype.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A code a person types from a mail: 8 characters of Crockford's base32 (40 random bits),
/// shown as two groups of four (`7KQ2-M9XD`).
pub fn short_code() -> String {
    let mut bytes = [0u8; 8];
    OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(b % 32)]))
        .collect();
    let (first, second) = chars.split_at(4);
    format!(
        "{}-{}",
        first.iter().collect::<String>(),
        second.iter().collect::<String>()
    )
}

/// A typed code as `short_code` wrote it, without its dash: case, spaces and dashes do not
/// matter, and the letters people put for digits (O, I, L) read as those digits.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
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
    fn short_codes_are_two_groups_of_four_and_read_back_however_typed() {
        let code = short_code();
        assert_eq!(code.len(), 9);
        assert_eq!(code.as_bytes()[4], b'-');
        assert!(
            code.replace('-', "")
                .bytes()
                .all(|b| CODE_ALPHABET.contains(&b))
        );
        assert_ne!(short_code(), short_code());
        let plain = code.replace('-', "");
        assert_eq!(normalize_code(&code), plain);
        assert_eq!(normalize_code(&format!(" {} ", code.to_lowercase())), plain);
        assert_eq!(normalize_code("o1l-i"), "0111");
    }

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
