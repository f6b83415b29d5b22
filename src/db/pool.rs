//! The r2d2 pool. Connections are opened according to the configured URL, and every SQLite
//! connection gets the PRAGMAs that make it safe for concurrent use.

use std::time::Duration;

use anyhow::Context as _;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};

use super::DbConnection;
use crate::config::DatabaseUrl;

pub type DbPool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Per-connection SQLite settings. The busy timeout comes first so that the others wait
/// instead of failing with "database is locked" (switching to WAL needs a brief exclusive
/// lock while the pool opens several connections at once). Foreign keys are off by default
/// in SQLite; WAL lets readers proceed while one writer commits; `synchronous = FULL` because
/// an acknowledged click or payment must survive a power cut, not only a crash. A 16 MiB page
/// cache and memory-mapped reads keep hot pages out of read(2) calls (the group-commit
/// writer spent its time there).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 15000;
PRAGMA foreign_keys = ON;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -16384;
PRAGMA mmap_size = 268435456;";

#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        ConnectionManager { url }
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => PgConnection::establish(url.expose())
                .map(DbConnection::Postgres)
                .map_err(r2d2::Error::ConnectionError),
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_str().ok_or_else(|| {
                    r2d2::Error::ConnectionError(ConnectionError::InvalidConnectionUrl(
                        "the SQLite path is not valid UTF-8".into(),
                    ))
                })?;
                let mut conn =
                    SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// Opens the pool, creating the SQLite file's folder if needed. Fails when the database
/// cannot be reached, so a misconfigured server stops at start.
pub fn connect_pool(url: &DatabaseUrl, size: u32) -> anyhow::Result<DbPool> {
    if let DatabaseUrl::Sqlite(path) = url
        && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(15))
        .test_on_check_out(false)
        .build(ConnectionManager::new(url.clone()))
        .with_context(|| format!("cannot connect to the {} database", url.backend_name()))
}
