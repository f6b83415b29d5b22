//! The database: one connection type over SQLite and PostgreSQL, a pool, and migrations.
//!
//! Shared code uses [`DbConnection`] and the hand-kept [`schema`]; everything that differs
//! between the backends is in [`dialect`] (docs/ARCHITECTURE.md, "Backends"), and no code
//! outside this folder matches on the connection.

pub mod backend;
pub mod backup;
pub mod batcher;
pub mod dialect;
pub mod group_commit;
pub mod migrations;
pub mod pool;
pub mod schema;
pub mod sql;
pub mod statement;
pub mod writes;

pub use dialect::bulk;

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

pub use pool::{DbPool, connect_pool};

/// A connection to either database. Built by [`pool::ConnectionManager`] from the URL's
/// scheme, never by trying one backend after the other (a PostgreSQL outage must not silently
/// create a SQLite file named like the URL).
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}
