//! Everything that differs between SQLite and PostgreSQL, behind one interface: feature code
//! never matches on the connection.
//!
//! - [`Dialect`] (with [`SearchSql`]) is the SQL text and the capabilities that differ, one
//!   implementation per backend ([`sqlite::Sqlite`], [`postgres::Postgres`]); [`of`] gives a
//!   connection's.
//! - The functions of this module and of [`bulk`] and [`search`] are the statements that
//!   differ in more than their text (a lock, a share-locked read, arrays against JSON): each
//!   matches on the connection once and calls its backend's module.
//!
//! A new difference goes here: a method of [`Dialect`] when only the SQL text differs, else a
//! function here with its two implementations in `sqlite.rs` and `postgres.rs`.

pub mod bulk;
pub(crate) mod postgres;
mod rows;
pub mod search;
mod sqlite;

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection as _;
use diesel::result::Error;

/// A closed month read through PostgreSQL's `COPY … TO STDOUT`, for settlement (on the
/// connection [`copy_connection`] gives).
pub use postgres::month_copy;
pub use search::SearchSql;

use super::DbConnection;

/// The SQL text and capabilities that differ between the backends.
pub trait Dialect: SearchSql + Sync {
    /// The backend's name, for logs and health output.
    fn name(&self) -> &'static str;

    /// SQL that selects the rows whose text `column` lies in [`$1`, `$2`): with a prefix and
    /// the prefix whose last character is the next one, the keys that start with that prefix.
    fn text_range_sql(&self, column: &str) -> String;

    /// Whether a second connection may write while another one's write transaction is open
    /// (PostgreSQL's row locks); SQLite has one writer at a time.
    fn concurrent_writers(&self) -> bool;

    /// The statement that makes a just-begun transaction read one moment of the database,
    /// if the backend needs one: PostgreSQL's default isolation takes a new snapshot per
    /// statement; SQLite's read transaction already sees one (WAL).
    fn snapshot_sql(&self) -> Option<&'static str>;

    /// The live API token `$1` of user `$2`, its row share-locked until the transaction ends
    /// where the backend has row locks (`None`: SQLite, whose writes are serialised anyway).
    fn live_token_locked_sql(&self) -> Option<&'static str>;

    /// The clause that ends a queue's `SELECT … LIMIT n` so that several processes each take
    /// other rows: PostgreSQL's `FOR UPDATE SKIP LOCKED` (the rows locked until the
    /// statement's transaction ends, those another holds skipped); empty on SQLite, whose one
    /// writer runs the taking statement alone.
    fn skip_locked_sql(&self) -> &'static str;
}

/// The dialect `conn` speaks.
pub fn of(conn: &DbConnection) -> &'static dyn Dialect {
    match conn {
        DbConnection::Postgres(_) => &postgres::Postgres,
        DbConnection::Sqlite(_) => &sqlite::Sqlite,
    }
}

/// Which backend a connection speaks, for logs and health output.
pub fn name(conn: &DbConnection) -> &'static str {
    of(conn).name()
}

/// See [`Dialect::text_range_sql`].
pub fn text_range_sql(conn: &DbConnection, column: &str) -> String {
    of(conn).text_range_sql(column)
}

/// Runs `work` in a transaction that writes. On SQLite it starts with `BEGIN IMMEDIATE`,
/// taking the write lock first: a deferred transaction that reads and then writes fails with
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
    if super::backend::in_transaction(conn)? || matches!(conn, DbConnection::Postgres(_)) {
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

/// Runs `work` in a read transaction that sees the database as it was at one moment, so that
/// the parts of a report read by several statements agree (an export, say).
pub fn snapshot<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<Error>,
{
    use diesel::Connection as _;
    use diesel::RunQueryDsl as _;

    // Only as a transaction's first statement: inside a caller's, the caller's snapshot holds.
    let statement = of(conn)
        .snapshot_sql()
        .filter(|_| !matches!(super::backend::in_transaction(conn), Ok(true)));
    conn.transaction(|conn| {
        if let Some(sql) = statement {
            diesel::sql_query(sql).execute(conn)?;
        }
        work(conn)
    })
}

/// Takes the lock named `key` for this connection's session, until [`release_session_locks`]
/// or the connection closes: PostgreSQL's advisory lock. `Some(false)` when another session
/// holds it; `None` on SQLite, which has no such lock (callers lock a file instead).
pub fn try_session_lock(conn: &mut DbConnection, key: i64) -> diesel::QueryResult<Option<bool>> {
    match conn {
        DbConnection::Postgres(pg) => postgres::try_advisory_lock(pg, key).map(Some),
        DbConnection::Sqlite(_) => Ok(None),
    }
}

/// Releases every lock [`try_session_lock`] took on this connection.
pub fn release_session_locks(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Postgres(pg) => pg.batch_execute("SELECT pg_advisory_unlock_all()"),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// A month's `closed_at` (`None`: no row), read so that it holds for the rest of the caller's
/// write transaction. On PostgreSQL the row is share-locked: a concurrent close waits for the
/// transaction, and a lock taken after a close committed reads the closed row (under read
/// committed, a locking read follows a concurrent update). SQLite has one writer at a time:
/// reading the row inside the write transaction is enough.
pub fn month_closed_at_held(
    conn: &mut DbConnection,
    month: &str,
) -> diesel::QueryResult<Option<Option<NaiveDateTime>>> {
    use diesel::prelude::*;

    use super::schema::months;
    let query = months::table.find(month).select(months::closed_at);
    match conn {
        DbConnection::Postgres(pg) => query.for_share().get_result(pg).optional(),
        DbConnection::Sqlite(lite) => query.get_result(lite).optional(),
    }
}

/// The connection, when it can stream a table out with `COPY … TO STDOUT` (PostgreSQL); `None`
/// where reading chunk by chunk with ordinary queries is the fast way (SQLite, in process).
pub fn copy_connection(conn: &mut DbConnection) -> Option<&mut diesel::PgConnection> {
    match conn {
        DbConnection::Postgres(pg) => Some(pg),
        DbConnection::Sqlite(_) => None,
    }
}
