//! Helpers every backend shares: errors by kind, whether a transaction is open, a ping. What
//! differs between the backends is in [`super::dialect`]; its most used functions are
//! re-exported here, where callers have always found them.

use diesel::connection::SimpleConnection;
use diesel::result::{DatabaseErrorKind, Error};

use super::DbConnection;
pub use super::dialect::{name, text_range_sql, write_transaction};

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

/// Whether `conn` is inside a transaction (work then joins it).
pub fn in_transaction(conn: &mut DbConnection) -> diesel::QueryResult<bool> {
    use diesel::connection::TransactionManager as _;
    let depth =
        <DbConnection as diesel::Connection>::TransactionManager::transaction_manager_status_mut(
            conn,
        )
        .transaction_depth()?;
    Ok(depth.is_some())
}

/// A CHECK constraint refused the statement (both backends report the same kind).
pub fn is_check_violation(error: &Error) -> bool {
    matches!(
        error,
        Error::DatabaseError(DatabaseErrorKind::CheckViolation, _)
    )
}
