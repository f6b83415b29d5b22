//! Embedded migrations, one folder per backend with identical version names
//! (`migrations/sqlite`, `migrations/postgres`; a test checks that they stay in step).

use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Any fixed number: it names the advisory lock that serialises migrations across processes.
const MIGRATION_LOCK_KEY: i64 = 0x0000_b01e_0001;

/// Applies the pending migrations and returns their version names. Idempotent; safe when
/// several processes start at once (an advisory lock on PostgreSQL, an immediate
/// transaction on SQLite).
pub fn run_pending(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConnection::Postgres(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let result = pg.run_pending_migrations(POSTGRES).map(|v| names(&v));
            pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
            result
        }
        DbConnection::Sqlite(lite) => lite
            .immediate_transaction(|c| {
                c.run_pending_migrations(SQLITE)
                    .map(|v| names(&v))
                    .map_err(Wrapped)
            })
            .map_err(|Wrapped(e)| e),
    };
    applied.map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}

fn names(versions: &[diesel::migration::MigrationVersion<'_>]) -> Vec<String> {
    versions.iter().map(ToString::to_string).collect()
}

/// Carries the harness's boxed error through diesel's transaction, which needs
/// `From<diesel::result::Error>`.
struct Wrapped(Box<dyn std::error::Error + Send + Sync>);

impl From<diesel::result::Error> for Wrapped {
    fn from(e: diesel::result::Error) -> Self {
        Wrapped(Box::new(e))
    }
}
