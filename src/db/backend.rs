//! The few statements that differ between SQLite and PostgreSQL, kept in one place.

use diesel::connection::SimpleConnection;
use diesel::result::{DatabaseErrorKind, Error};

use super::DbConnection;

/// Which backend a connection speaks, for logs and health output.
pub fn name(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Postgres(_) => "PostgreSQL",
        DbConnection::Sqlite(_) => "SQLite",
    }
}

/// A cheap round trip that proves the database answers.
pub fn ping(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

/// Both backends report a UNIQUE violation with the same diesel kind.
pub fn is_unique_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}
