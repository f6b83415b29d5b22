//! Passwords, tokens, CSRF and rate limits: small, separately testable pieces.

pub mod csrf;
pub mod passwords;
pub mod rate_limit;
pub mod secret_key;
pub mod tokens;
