//! The database: one connection type over SQLite and PostgreSQL, a pool, and migrations.
//!
//! Shared code uses [`DbConnection`] and the hand-kept [`schema`]; what only one backend can do
//! is matched on the connection variant in [`backend`].

pub mod backend;
pub mod bulk;
pub mod group_commit;
pub mod migrations;
pub mod pool;
pub mod schema;
pub mod statement;

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
