//! A fresh database per test: a SQLite file in a temporary folder, or a PostgreSQL database
//! cloned from a template migrated once per test run (`CREATE DATABASE … TEMPLATE`).

use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use obole::db::DbConnection;
use rand::Rng as _;
use tempfile::TempDir;

/// The template's and the test databases' names: `obole_test_template` and `obole_t_…`, or,
/// with `OBOLE_TEST_PG_NAMESPACE=x`, `obole_x_template` and `obole_x_t_…`, so that two test
/// runs can share one server (each clears only its own leftovers).
fn names() -> &'static (String, String) {
    static NAMES: OnceLock<(String, String)> = OnceLock::new();
    NAMES.get_or_init(|| match std::env::var("OBOLE_TEST_PG_NAMESPACE") {
        Ok(ns) if !ns.is_empty() && ns.chars().all(|c| c.is_ascii_lowercase()) => {
            (format!("obole_{ns}_template"), format!("obole_{ns}_t_"))
        }
        Ok(ns) if !ns.is_empty() => {
            panic!("OBOLE_TEST_PG_NAMESPACE takes lowercase letters only, not {ns:?}")
        }
        _ => ("obole_test_template".to_owned(), "obole_t_".to_owned()),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backend this run tests, from `OBOLE_TEST_DB` (`sqlite`, the default, or `postgres`).
pub fn backend() -> Backend {
    match std::env::var("OBOLE_TEST_DB").as_deref() {
        Ok("postgres") | Ok("postgresql") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("OBOLE_TEST_DB must be sqlite or postgres, not {other:?}"),
    }
}

/// The server tests connect to as an administrator.
fn admin_url() -> String {
    std::env::var("OBOLE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &base[..path_start])
}

pub enum TestDatabase {
    Sqlite { _dir: TempDir, url: String },
    Postgres { name: String, url: String },
}

impl TestDatabase {
    pub fn fresh() -> TestDatabase {
        match backend() {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = dir
                    .path()
                    .join("obole.sqlite3")
                    .to_string_lossy()
                    .into_owned();
                TestDatabase::Sqlite { _dir: dir, url }
            }
            Backend::Postgres => {
                ensure_template();
                let (template, prefix) = names();
                let name = format!("{prefix}{:016x}", rand::thread_rng().r#gen::<u64>());
                let mut admin =
                    PgConnection::establish(&admin_url()).expect("PostgreSQL for tests");
                admin
                    .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .expect("clone the template database");
                TestDatabase::Postgres {
                    url: with_database(&admin_url(), &name),
                    name,
                }
            }
        }
    }

    /// A pool on this database with the migrations applied, for tests that write through the
    /// library rather than a running app.
    pub fn pool(&self, size: u32) -> obole::db::DbPool {
        let settings = obole::config::Settings::from_pairs(&[("OBOLE_DATABASE_URL", self.url())])
            .expect("settings");
        let pool = obole::db::connect_pool(&settings.database_url, size).expect("pool");
        obole::startup::migrate(&pool).expect("migrate");
        pool
    }

    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite { url, .. } | TestDatabase::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { name, .. } = self
            && let Ok(mut admin) = PgConnection::establish(&admin_url())
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Creates and migrates the template once per test process, after clearing what an
/// interrupted earlier run left behind.
fn ensure_template() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let (template, prefix) = names();
        let mut admin = PgConnection::establish(&admin_url()).unwrap_or_else(|e| {
            panic!("cannot reach PostgreSQL at OBOLE_TEST_PG_URL ({}): {e}", admin_url())
        });
        let leftovers: Vec<String> = diesel::sql_query(format!(
            "SELECT datname AS name FROM pg_database WHERE starts_with(datname, '{prefix}') OR datname = '{template}'"
        ))
        .load::<DatabaseName>(&mut admin)
        .expect("list databases")
        .into_iter()
        .map(|d| d.name)
        .collect();
        for name in leftovers {
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).expect("drop leftover");
        }
        admin.batch_execute(&format!("CREATE DATABASE {template}")).expect("create template");
        let pg = PgConnection::establish(&with_database(&admin_url(), template)).expect("connect to template");
        let mut conn = DbConnection::Postgres(pg);
        obole::db::migrations::run_pending(&mut conn).expect("migrate template");
        // Dropping `conn` closes it: CREATE DATABASE … TEMPLATE needs the template idle.
    });
}

#[derive(QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[test]
fn database_urls_are_rewritten_without_losing_options() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres", "x"),
        "postgres://u:p@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://h/postgres?sslmode=disable", "x"),
        "postgres://h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}
