//! The key that signs each settled month's tree head (docs/TRANSPARENCY.md), so that a copy of
//! a head can be checked offline against the public key published at `/transparency/key`.
//!
//! Kept beside the session key: derived from `OBOLE_SECRET_KEY` when that is set (every
//! process and machine of the instance then signs with the same key), otherwise generated
//! once and kept in the data folder as `head_signing_key` (base64 of the 32-byte Ed25519
//! seed, readable by its owner only).

use std::path::Path;

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::SigningKey;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

use crate::config::Settings;

/// The key's file in the data folder (`obole backup` copies it).
pub const KEY_FILE: &str = "head_signing_key";

/// The instance's head-signing key.
pub fn load_or_create(settings: &Settings) -> anyhow::Result<SigningKey> {
    if let Some(secret) = &settings.secret_key {
        // A label of its own, so that this key says nothing about the session key.
        let seed: [u8; 32] = Sha256::new()
            .chain_update(b"obole head signing key v1\0")
            .chain_update(secret.expose().as_bytes())
            .finalize()
            .into();
        return Ok(SigningKey::from_bytes(&seed));
    }
    let path = settings.data_dir.join(KEY_FILE);
    match read(&path)? {
        Some(key) => Ok(key),
        None => create(&settings.data_dir, &path),
    }
}

fn read(path: &Path) -> anyhow::Result<Option<SigningKey>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let bytes = STANDARD
        .decode(text.trim())
        .with_context(|| format!("{} is not base64", path.display()))?;
    let seed: [u8; 32] = bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("{} must hold a 32-byte seed", path.display()))?;
    Ok(Some(SigningKey::from_bytes(&seed)))
}

fn create(dir: &Path, path: &Path) -> anyhow::Result<SigningKey> {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    if super::key_file::create_once(dir, path, STANDARD.encode(seed).as_bytes())? {
        tracing::info!(path = %path.display(), "generated the key that signs tree heads");
        return Ok(SigningKey::from_bytes(&seed));
    }
    read(path)?.ok_or_else(|| anyhow::anyhow!("{} vanished", path.display()))
}
