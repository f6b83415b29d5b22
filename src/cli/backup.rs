//! `obole backup --to FILE`: an online copy of the database, taken while the server runs, with
//! the instance's key files beside it in `FILE.keys/` (docs/OPERATIONS.md, "Backups").
//!
//! Nothing is ever overwritten, and nothing half-written ever carries the final names: the copy
//! and the keys are written under temporary names in the same folder, synced, then moved into
//! place, the database last, so that a `FILE` that exists is a whole backup.

use std::ffi::OsString;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use indicatif::HumanBytes;

use crate::config::Settings;
use crate::db::backup::{self, Method};
use crate::security::{head_key, secret_key};

/// The key files a data folder may hold, as the server names them, and what each is.
const KEY_FILES: [(&str, &str); 2] = [
    (secret_key::KEY_FILE, "the session key"),
    (
        head_key::KEY_FILE,
        "the key that signs settled months' tree heads",
    ),
];

pub(super) fn run(settings: &Settings, to: &Path) -> anyhow::Result<()> {
    let live = match backup::method(&settings.database_url, to) {
        Method::VacuumInto { live } => live,
        Method::PgDump {
            example,
            had_password,
        } => anyhow::bail!("{}", pg_dump_explanation(&example, had_password)),
    };
    let keys = with_suffix(to, ".keys");
    for path in [to, keys.as_path()] {
        if path.exists() {
            anyhow::bail!(
                "{} already exists: a backup never replaces a file; choose another name. Nothing was written.",
                path.display()
            );
        }
    }
    let folder = to.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = folder.unwrap_or(Path::new("."));
    let name = to
        .file_name()
        .with_context(|| format!("{} is not a file name", to.display()))?;
    remove_stale_partials(folder, name);
    let partial = folder.join(partial_name(name, ""));
    let partial_keys = folder.join(partial_name(name, ".keys"));
    let outcome = write_all(settings, &partial, &partial_keys, to, &keys);
    // The temporary names go whatever happened: only the final names are a backup.
    let _ = std::fs::remove_file(&partial);
    let _ = std::fs::remove_dir_all(&partial_keys);
    let copied_keys = outcome?;

    let size = std::fs::metadata(to)?.len();
    println!(
        "Wrote {} ({}): a consistent copy of the SQLite database {}.",
        to.display(),
        HumanBytes(size),
        live.display()
    );
    for (file, what, size) in &copied_keys {
        println!(
            "Wrote {} ({}): {what}.",
            keys.join(file).display(),
            HumanBytes(*size)
        );
    }
    if settings.secret_key.is_some() {
        println!(
            "The keys are not in the backup: this instance derives them from OBOLE_SECRET_KEY. \
             Keep that secret yourself; a restored instance needs the same value."
        );
    } else if copied_keys.is_empty() {
        eprintln!(
            "obole: warning: no key file in {} (OBOLE_DATA_DIR): the backup holds the database only. \
             A server started on it would make new keys, logging everyone out.",
            settings.data_dir.display()
        );
    }
    println!(
        "Keep the backup as private as the data folder (its files are readable by their owner only). \
         To restore it: docs/OPERATIONS.md, \"Backups\"."
    );
    Ok(())
}

/// Copies the database and the key files under their temporary names, then moves them into
/// place; returns the key files copied with their sizes.
fn write_all(
    settings: &Settings,
    partial: &Path,
    partial_keys: &Path,
    to: &Path,
    keys: &Path,
) -> anyhow::Result<Vec<(&'static str, &'static str, u64)>> {
    // An empty private file first: `VACUUM INTO` accepts an empty file, and the copy, which
    // holds password hashes and addresses, is then never readable by others, not even briefly.
    private_file(partial)?;
    backup::vacuum_into(&settings.database_url, partial)?;
    File::open(partial)?.sync_all()?;
    let copied_keys = if settings.secret_key.is_some() {
        Vec::new()
    } else {
        copy_keys(&settings.data_dir, partial_keys)?
    };
    if !copied_keys.is_empty() {
        std::fs::rename(partial_keys, keys)
            .with_context(|| format!("cannot write {}", keys.display()))?;
    }
    if let Err(e) = move_into_place(partial, to) {
        if !copied_keys.is_empty() {
            let _ = std::fs::remove_dir_all(keys);
        }
        return Err(e).with_context(|| format!("cannot write {}", to.display()));
    }
    if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        // The new names must survive a power cut too.
        File::open(folder)?.sync_all()?;
    }
    Ok(copied_keys)
}

/// Gives `partial` the name `to`, never replacing a file of that name. A hard link, unlike a
/// rename, fails when the name was taken meanwhile; vfat, exFAT and some network shares (a
/// USB disk, a NAS) have no hard links, and there the name is checked, then the file renamed.
/// That fallback leaves a moment in which another program could create `to` and see it
/// replaced: acceptable for a backup an operator names and starts by hand, where the other
/// choice is no backup on such disks at all. (`renameat2`'s `RENAME_NOREPLACE` would close it,
/// but it is Linux-only and not offered by the crates this build already has.)
fn move_into_place(partial: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(partial, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(link_error) => {
            if to.exists() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("{} appeared meanwhile", to.display()),
                ));
            }
            tracing::debug!(%link_error, "no hard links here: renaming the backup into place");
            std::fs::rename(partial, to)
        }
    }
}

/// Removes what a killed run left beside `name`: `.NAME.partial-PID` files and
/// `.NAME.keys.partial-PID` folders whose process is gone. Only names of exactly that form, so
/// that nothing else in the folder is touched; a run still going (its PID alive) is left alone.
fn remove_stale_partials(folder: &Path, name: &std::ffi::OsStr) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let Some(name) = name.to_str() else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|found| stale_pid(found, name)) else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match removed {
            Ok(()) => eprintln!(
                "obole: removed {}, left by an interrupted backup",
                path.display()
            ),
            Err(e) => eprintln!("obole: warning: cannot remove {}: {e}", path.display()),
        }
    }
}

/// The PID in `found` if it is `.NAME.partial-PID` or `.NAME.keys.partial-PID`.
fn stale_pid(found: &str, name: &str) -> Option<u32> {
    let rest = found.strip_prefix('.')?.strip_prefix(name)?;
    let digits = rest
        .strip_prefix(".partial-")
        .or_else(|| rest.strip_prefix(".keys.partial-"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether a process of that PID runs (Linux's `/proc`; elsewhere every PID counts as gone).
fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Copies the key files the data folder holds into `into` (a new private folder), each
/// readable by its owner only.
fn copy_keys(
    data_dir: &Path,
    into: &Path,
) -> anyhow::Result<Vec<(&'static str, &'static str, u64)>> {
    let mut copied = Vec::new();
    for (file, what) in KEY_FILES {
        let source = data_dir.join(file);
        let bytes = match std::fs::read(&source) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", source.display())),
        };
        if copied.is_empty() {
            let mut builder = DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(into)
                .with_context(|| format!("cannot create {}", into.display()))?;
        }
        let target = into.join(file);
        let mut out = private_file(&target)?;
        out.write_all(&bytes)?;
        out.sync_all()?;
        copied.push((file, what, u64::try_from(bytes.len())?));
    }
    if !copied.is_empty() {
        File::open(into)?.sync_all()?;
    }
    Ok(copied)
}

/// A new file readable and writable by its owner only; fails if the name exists.
fn private_file(path: &Path) -> anyhow::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A hidden name beside the target that says what it is and whose it is.
fn partial_name(name: &std::ffi::OsStr, suffix: &str) -> OsString {
    let mut partial = OsString::from(".");
    partial.push(name);
    partial.push(format!("{suffix}.partial-{}", std::process::id()));
    partial
}

fn pg_dump_explanation(example: &str, had_password: bool) -> String {
    let password = if had_password {
        "\n  (the password is left out: give it in PGPASSWORD or ~/.pgpass)"
    } else {
        ""
    };
    format!(
        "no backup written. This instance runs on PostgreSQL, whose own tool takes consistent \
         online backups: pg_dump. For example:\n  {example}{password}\n\
         Restore with pg_restore into an empty database. Keep the keys as well: \
         OBOLE_SECRET_KEY, or the data folder's {} and {} files (docs/OPERATIONS.md, \"Backups\").",
        secret_key::KEY_FILE,
        head_key::KEY_FILE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_partial_names_are_stale() {
        assert_eq!(stale_pid(".obole.db.partial-123", "obole.db"), Some(123));
        assert_eq!(stale_pid(".obole.db.keys.partial-9", "obole.db"), Some(9));
        for other in [
            "obole.db",
            ".obole.db.partial-",
            ".obole.db.partial-12x",
            ".obole.db.partial-12.bak",
            ".other.db.partial-12",
            ".obole.db.old.partial-12",
            "x.obole.db.partial-12",
        ] {
            assert_eq!(stale_pid(other, "obole.db"), None, "{other}");
        }
    }
}
