//! Recently seen API tokens, so that an authenticated request usually costs no query.
//!
//! An entry lives `FRESH`; revoking a token (or logging out everywhere) in this process removes
//! it at once, and other processes forget it within `FRESH`.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use crate::domain::UserId;
use crate::models::users::UserRow;

const FRESH: Duration = Duration::from_secs(10);
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub struct TokenCache {
    entries: RwLock<HashMap<String, (UserRow, Instant)>>,
}

impl TokenCache {
    pub fn get(&self, digest: &str) -> Option<UserRow> {
        let entries = self.entries.read().ok()?;
        entries
            .get(digest)
            .filter(|(_, at)| at.elapsed() < FRESH)
            .map(|(user, _)| user.clone())
    }

    pub fn put(&self, digest: String, user: UserRow) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.retain(|_, (_, at)| at.elapsed() < FRESH);
            }
            entries.insert(digest, (user, Instant::now()));
        }
    }

    pub fn forget(&self, digest: &str) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(digest);
        }
    }

    pub fn forget_user(&self, user: UserId) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, (row, _)| row.id != user.0);
        }
    }
}
