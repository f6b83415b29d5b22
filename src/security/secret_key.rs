//! The key that encrypts and signs session cookies.
//!
//! `OBOLE_SECRET_KEY` wins; without it a key is generated once and kept in the data folder, so
//! that sessions survive a restart and several processes on one machine agree.

use std::path::Path;

use actix_web::cookie::Key;
use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::config::Settings;

/// The key's file in the data folder (`obole backup` copies it).
pub const KEY_FILE: &str = "secret_key";

pub fn load_or_create(settings: &Settings) -> anyhow::Result<Key> {
    if let Some(secret) = &settings.secret_key {
        // Key::derive_from stretches any ≥ 32-byte secret (checked by the config) with HKDF.
        return Ok(Key::derive_from(secret.expose().as_bytes()));
    }
    let path = settings.data_dir.join(KEY_FILE);
    match read(&path)? {
        Some(key) => Ok(key),
        None => create(&settings.data_dir, &path),
    }
}

fn read(path: &Path) -> anyhow::Result<Option<Key>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let bytes = STANDARD
        .decode(text.trim())
        .with_context(|| format!("{} is not base64", path.display()))?;
    let key = Key::try_from(bytes.as_slice())
        .map_err(|_| anyhow::anyhow!("{} must hold at least 64 bytes", path.display()))?;
    Ok(Some(key))
}

fn create(dir: &Path, path: &Path) -> anyhow::Result<Key> {
    let key = Key::generate();
    if super::key_file::create_once(dir, path, STANDARD.encode(key.master()).as_bytes())? {
        tracing::info!(path = %path.display(), "generated a new session key");
        return Ok(key);
    }
    // Another process started at the same moment and wrote its key first: use that one.
    read(path)?.ok_or_else(|| anyhow::anyhow!("{} vanished", path.display()))
}
