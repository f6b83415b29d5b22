//! Password hashing with Argon2id at OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
//! Both functions are CPU-heavy: call them from blocking threads, never on the async executor.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::NewPassword;

fn hasher() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m = 19456 KiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC-format hash (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash(password: &NewPassword) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// A hash of a password nobody knows, verified when the email is unknown so that a wrong
/// email and a wrong password take the same time.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    NewPassword::parse("decoy password that matches nothing")
        .ok()
        .and_then(|p| hash(&p).ok())
        .unwrap_or_default()
});

/// Whether `candidate` matches `stored`. With no stored hash (unknown email, or an account
/// that only signs in through a provider) a decoy is checked and the answer is `false`.
pub fn verify(stored: Option<&str>, candidate: &str) -> bool {
    let (phc, real) = match stored {
        Some(phc) => (phc, true),
        None => (DECOY_HASH.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    // The parameters are read from the stored hash, so raising them later keeps old hashes valid.
    let matches = Argon2::default()
        .verify_password(candidate.as_bytes(), &parsed)
        .is_ok();
    matches && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_the_right_password_only() {
        let password = NewPassword::parse("correct horse battery").expect("valid");
        let stored = hash(&password).expect("hash");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify(Some(&stored), "correct horse battery"));
        assert!(!verify(Some(&stored), "correct horse battery!"));
        assert!(!verify(None, "decoy password that matches nothing"));
        assert!(!verify(Some("not a hash"), "anything"));
    }
}
