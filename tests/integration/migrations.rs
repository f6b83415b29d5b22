//! Migration folders stay in step across backends.

use std::collections::BTreeSet;
use std::path::Path;

fn versions(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_have_identical_names() {
    let sqlite = versions("sqlite");
    let postgres = versions("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "every migration needs a twin in the other backend's folder"
    );
    for version in &sqlite {
        for backend in ["sqlite", "postgres"] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(backend)
                .join(version);
            assert!(
                dir.join("up.sql").is_file() && dir.join("down.sql").is_file(),
                "{}",
                dir.display()
            );
        }
    }
}

/// An instance from before claims (migration 000012) with a settled month upgrades without
/// changing anything paid: its things keep their owners, unclaimed; each thing's settled
/// month names the creator it was paid to; the statements read the same; the ledger is sound
/// with the new held account.
#[test]
fn an_instance_from_before_claims_upgrades_and_nothing_paid_changes() {
    use diesel::connection::SimpleConnection as _;
    use diesel_migrations::{FileBasedMigrations, MigrationHarness as _};
    use obole::db::DbConnection;

    use crate::helpers::database::{Backend, TestDatabase, backend};

    let database = TestDatabase::fresh();
    // A pool that migrates nothing by itself (the test's helper would migrate to the end).
    let settings = obole::config::Settings::from_pairs(&[("OBOLE_DATABASE_URL", database.url())])
        .expect("settings");
    let pool = obole::db::connect_pool(&settings.database_url, 1).expect("pool");
    let mut conn = pool.get().expect("connection");
    let folder = match backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let source = FileBasedMigrations::from_path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(folder),
    )
    .expect("migrations");
    // An empty database, migrated one step at a time up to the hardening migration.
    let before_claims = "20261204000012";
    let mut applied = String::new();
    while applied != before_claims {
        applied = match &mut *conn {
            DbConnection::Postgres(pg) => {
                if applied.is_empty() {
                    pg.batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                        .expect("empty");
                }
                pg.run_next_migration(source.clone())
            }
            DbConnection::Sqlite(lite) => lite.run_next_migration(source.clone()),
        }
        .expect("migration")
        .to_string();
    }
    // A creator, their thing and a settled October that paid them, as 000012 stored it.
    conn.batch_execute(
        "INSERT INTO users (id, email, display_name, locale, is_operator, session_epoch, created_at) \
         VALUES (1, 'camille@example.org', 'Camille', 'fr', false, 0, '2026-09-01 00:00:00');
         INSERT INTO ledger_accounts (kind, owner_id) VALUES ('funds', 1), ('revenue', 1);
         INSERT INTO things (id, owner_id, url, url_key, title, description, category, language, hidden, created_at) \
         VALUES (7, 1, 'https://camille.example/', 'camille.example/', 'Carnet', '', 'writing', 'fr', false, '2026-09-01 00:00:00');
         INSERT INTO settlement_runs (month, state, stage, reader_cursor, creator_cursor, readers, clicks, debited_micros, fees_micros, started_at, finished_at, fee_percent) \
         VALUES ('2026-10', 'done', 'done', 0, 0, 1, 1, 2000000, 200000, '2026-11-01 00:10:00', '2026-11-01 00:11:00', '10');
         INSERT INTO creator_month_totals (creator_id, month, clicks, gross_micros, fee_micros) VALUES (1, '2026-10', 1, 2000000, 200000);
         INSERT INTO thing_month_totals (thing_id, month, clicks, amount_micros) VALUES (7, '2026-10', 1, 2000000);",
    )
    .expect("an instance's rows");
    let creator = obole::domain::UserId(1);
    let october = obole::domain::Month::parse("2026-10").expect("month");

    let upgraded = obole::db::migrations::run_pending(&mut conn).expect("upgrade");
    assert!(
        upgraded.iter().any(|v| v.contains("000013")),
        "{upgraded:?}"
    );

    let thing = obole::models::things::find(&mut conn, obole::domain::ThingId(7))
        .expect("query")
        .expect("thing");
    assert_eq!(
        (thing.owner_id, thing.site_id),
        (1, None),
        "unclaimed until proven"
    );
    let paid =
        obole::use_cases::statements::earnings(&mut conn, creator, october).expect("statement");
    assert_eq!(
        (paid.gross.micros(), paid.fee.micros(), paid.held.micros()),
        (2_000_000, 200_000, 0)
    );
    assert_eq!(paid.things.len(), 1);
    assert_eq!(
        (
            paid.things[0].thing_id,
            paid.things[0].amount.micros(),
            paid.things[0].claimed
        ),
        (7, 2_000_000, true),
        "October's line stays with its creator, as paid"
    );
    let report = obole::models::ledger::check(&mut conn).expect("check");
    assert!(report.is_sound(), "{report:?}");
}
