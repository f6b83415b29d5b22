//! Whose API token is whose, remembered so that a click, the hot path, needs no query before
//! its write.
//!
//! Only the owner is cached, never whether the token still works: a click checks that inside
//! its own write (`web::db::click`, and PostgreSQL's click statement), and every other request
//! asks the database (`api::auth`). A token's owner never changes, so a remembered answer is
//! never wrong, and a revoked token stops working at once, in every process.

use std::collections::HashMap;
use std::sync::RwLock;

use crate::domain::UserId;

/// Enough for every active reader of a large instance; past it the map starts again.
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub struct TokenOwners {
    owners: RwLock<HashMap<String, UserId>>,
}

impl TokenOwners {
    /// The owner of the token with this digest, if remembered.
    pub fn get(&self, digest: &str) -> Option<UserId> {
        self.owners.read().ok()?.get(digest).copied()
    }

    pub fn put(&self, digest: String, owner: UserId) {
        if let Ok(mut owners) = self.owners.write() {
            if owners.len() >= MAX_ENTRIES {
                owners.clear();
            }
            owners.insert(digest, owner);
        }
    }
}

/// The SHA-256 of a presented API token, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDigest(pub String);
