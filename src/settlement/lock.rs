//! One settlement at a time per month, whatever the number of processes: a PostgreSQL
//! advisory lock held by the run's connection, or on SQLite an OS lock on a file beside the
//! database. Both vanish with the process that holds them, so a crashed run never blocks the
//! next one.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::SettlementError;
use crate::db::{DbConnection, dialect};
use crate::domain::Month;

/// The month's PostgreSQL advisory lock key: a range of our own, then the month.
pub fn advisory_key(month: Month) -> i64 {
    0x0B01_E500_0000_i64 + i64::from(month.year()) * 12 + i64::from(month.month())
}

/// The lock file beside a SQLite database.
pub fn lock_file_of(database: &Path) -> std::path::PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".settle-lock");
    std::path::PathBuf::from(name)
}

/// The lock file a run on `url` takes: one beside a SQLite database, none for PostgreSQL
/// (which locks with an advisory lock).
pub fn lock_file_for(url: &crate::config::DatabaseUrl) -> Option<std::path::PathBuf> {
    match url {
        crate::config::DatabaseUrl::Sqlite(path) => Some(lock_file_of(path)),
        crate::config::DatabaseUrl::Postgres(_) => None,
    }
}

/// Held for the run; dropping it releases the file lock (the advisory lock goes with the
/// connection, or at `pg_advisory_unlock_all` when the run ends).
pub enum RunLock {
    /// The connection's session lock (PostgreSQL's advisory lock).
    Session,
    /// The OS lock lives as long as the open file.
    File { _held: File },
}

/// Takes the month's lock, or `AlreadyRunning`.
pub fn acquire(
    conn: &mut DbConnection,
    sqlite_lock_file: Option<&Path>,
    month: Month,
) -> Result<RunLock, SettlementError> {
    match dialect::try_session_lock(conn, advisory_key(month))? {
        Some(true) => return Ok(RunLock::Session),
        Some(false) => return Err(SettlementError::AlreadyRunning(month)),
        // No session locks (SQLite): a file lock instead.
        None => {}
    }
    let path = sqlite_lock_file.ok_or_else(|| SettlementError::LockFile {
        path: String::new(),
        source: std::io::Error::other("no lock file for a SQLite database"),
    })?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|source| SettlementError::LockFile {
            path: path.display().to_string(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(RunLock::File { _held: file }),
        Err(TryLockError::WouldBlock) => Err(SettlementError::AlreadyRunning(month)),
        Err(TryLockError::Error(source)) => Err(SettlementError::LockFile {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Releases the advisory lock at the end of a run (a file lock goes when dropped).
pub fn release(conn: &mut DbConnection, lock: RunLock) {
    if let RunLock::Session = lock
        && let Err(e) = dialect::release_session_locks(conn)
    {
        tracing::warn!(error = %e, "could not release the settlement lock");
    }
    drop(lock);
}
