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
    // A hard link, unlike a rename, fails when the name was taken meanwhile.
    if let Err(e) = std::fs::hard_link(partial, to) {
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
