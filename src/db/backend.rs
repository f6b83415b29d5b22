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

/// Runs `work` in a transaction that writes. On SQLite it starts with `BEGIN IMMEDIATE`, taking
/// the write lock first: a deferred transaction that reads and then writes fails with
/// "database is locked" when another writer committed in between, whatever the busy timeout.
/// PostgreSQL's row locks make an ordinary transaction right there.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<Error>,
{
    use diesel::Connection as _;
    use diesel::connection::{AnsiTransactionManager, TransactionManager as _};

    // Inside a caller's transaction the work nests as a savepoint, so use cases compose.
    if in_transaction(conn)? || matches!(conn, DbConnection::Postgres(_)) {
        return conn.transaction(work);
    }
    if let DbConnection::Sqlite(lite) = conn {
        AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN IMMEDIATE")?;
    }
    let outcome = work(conn);
    let DbConnection::Sqlite(lite) = conn else {
        return outcome;
    };
    match outcome {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(lite)?;
            Ok(value)
        }
        Err(error) => {
            AnsiTransactionManager::rollback_transaction(lite)?;
            Err(error)
        }
    }
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

/// SQL that selects the rows whose text `column` lies in [`$1`, `$2`): with a prefix and the
/// prefix whose last character is the next one, the keys that start with that prefix. SQLite
/// compares text byte by byte, so the range reads the column's index; PostgreSQL compares by
/// the database's collation, which may ignore punctuation, so the range is compared in the
/// "C" collation (a scan of the column there).
pub fn text_range_sql(conn: &DbConnection, column: &str) -> String {
    match conn {
        DbConnection::Postgres(_) => {
            format!("({column} COLLATE \"C\") >= $1 AND ({column} COLLATE \"C\") < $2")
        }
        DbConnection::Sqlite(_) => format!("{column} >= $1 AND {column} < $2"),
    }
}
