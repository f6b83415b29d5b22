//! Passwords, tokens, CSRF, rate limits and webhook signatures: small, separately testable
//! pieces.

pub mod csrf;
pub mod head_key;
pub mod key_file;
pub mod passwords;
pub mod rate_limit;
pub mod secret_key;
pub mod stripe_signature;
pub mod tokens;
