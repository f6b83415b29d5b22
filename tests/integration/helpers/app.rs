//! `spawn_app()`: the real application, on a random port, with its own database and data
//! folder, served from a thread of its own until the test ends.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Once};
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use obole::config::Settings;
use obole::db::{DbConnection, DbPool};
use tempfile::TempDir;

use super::database::TestDatabase;

pub struct TestApp {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub address: String,
    pub pool: DbPool,
    /// Kept so a restarted app can reuse them.
    database: Option<TestDatabase>,
    data_dir: Option<Arc<TempDir>>,
    extra_env: Vec<(String, String)>,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the app with extra `OBOLE_*` settings on top of the test defaults.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let extra: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    let database = tokio::task::spawn_blocking(TestDatabase::fresh)
        .await
        .expect("database");
    let data_dir = Arc::new(tempfile::tempdir().expect("data folder"));
    let url = database.url().to_owned();
    start(Some(database), url, data_dir, extra).await
}

/// Starts the app with the settings a peer gives (`LocalStripe::settings`, …).
pub async fn spawn_app_with_peer(settings: &[(&str, String)]) -> TestApp {
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    spawn_app_with(&pairs).await
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A client without cookies, as API clients are.
    pub fn api(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// A client with a cookie jar that does not follow redirects, like a browser whose every
    /// step the test checks.
    pub fn visitor(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// The JSON body of an anonymous `GET path` (panics on anything but JSON).
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self
            .api()
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        response
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: not JSON: {e}"))
    }

    /// The JSON body of `GET path` with a bearer `token` (panics on anything but JSON).
    pub async fn get_json_as(&self, token: &str, path: &str) -> serde_json::Value {
        self.api()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: not JSON: {e}"))
    }

    /// `GET /api/v1/me` as `token`: the account and its balances (`funds`, `reserved`,
    /// `revenue`).
    pub async fn me(&self, token: &str) -> serde_json::Value {
        self.get_json_as(token, "/api/v1/me").await
    }

    /// Runs `work` on a database connection off the async runtime.
    pub async fn db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> T + Send + 'static,
    ) -> T {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || work(&mut pool.get().expect("test connection")))
            .await
            .expect("database work")
    }

    /// How many accounts exist: tests check that refused requests wrote nothing.
    pub async fn count_users(&self) -> i64 {
        use diesel::prelude::*;
        self.db(|conn| {
            obole::db::schema::users::table
                .count()
                .get_result(conn)
                .expect("count users")
        })
        .await
    }

    /// Issues vouchers through the library, as `obole vouchers create` does.
    pub async fn vouchers(&self, amount: &str, count: u32) -> Vec<String> {
        let amount = obole::domain::Money::parse_user_amount(amount).expect("amount");
        self.db(move |conn| {
            obole::use_cases::wallet::issue_vouchers(conn, amount, count, None, chrono::Utc::now())
                .expect("issue vouchers")
                .iter()
                .map(|code| code.display())
                .collect()
        })
        .await
    }

    /// Proves the ledger sound (every group balances, caches equal sums, no negative holding).
    pub async fn assert_ledger_sound(&self) {
        let report = self
            .db(|conn| obole::models::ledger::check(conn).expect("ledger check"))
            .await;
        assert!(report.is_sound(), "{report:?}");
    }

    /// Stops this server and starts a new one on the same database and data folder, as an
    /// operator restarting Obole would.
    pub async fn restart(mut self) -> TestApp {
        let database = self.database.take().expect("database");
        let data_dir = self.data_dir.take().expect("data folder");
        let extra = std::mem::take(&mut self.extra_env);
        self.stop();
        let url = database.url().to_owned();
        start(Some(database), url, data_dir, extra).await
    }

    /// A second process of the same instance (the same database and data folder, its own
    /// port and memory), as several processes behind a load balancer are.
    pub async fn beside(&self) -> TestApp {
        let url = self.database.as_ref().expect("database").url().to_owned();
        let data_dir = self.data_dir.clone().expect("data folder");
        start(None, url, data_dir, self.extra_env.clone()).await
    }

    /// The database this app runs on, for another process to open.
    pub fn database_url(&self) -> String {
        self.database.as_ref().expect("database").url().to_owned()
    }

    /// The file a SQLite settlement run locks (`None` on PostgreSQL), as `obole settle` uses.
    pub fn settlement_lock_file(&self) -> Option<PathBuf> {
        let url = self.database.as_ref().expect("database").url().to_owned();
        let settings = Settings::from_pairs(&[("OBOLE_DATABASE_URL", &url)]).expect("settings");
        obole::settlement::lock::lock_file_for(&settings.database_url)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.data_dir
            .as_ref()
            .expect("data folder")
            .path()
            .to_path_buf()
    }

    fn stop(&mut self) {
        let handle = self.handle.clone();
        // `stop` is async; Drop is not, so it runs on a throwaway runtime of its own.
        let stopper =
            std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false)));
        let _ = stopper.join();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts a server on the database at `url`; `database`, when given, is owned (and dropped)
/// with it.
async fn start(
    database: Option<TestDatabase>,
    url: String,
    data_dir: Arc<TempDir>,
    extra: Vec<(String, String)>,
) -> TestApp {
    init_logging();
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let mut pairs: Vec<(String, String)> = vec![
        ("OBOLE_DATABASE_URL".into(), url),
        (
            "OBOLE_DATA_DIR".into(),
            data_dir.path().to_string_lossy().into_owned(),
        ),
        ("OBOLE_BASE_URL".into(), address.clone()),
        ("OBOLE_DB_POOL_SIZE".into(), "4".into()),
        // Tests settle months when they mean to (one test turns it on).
        ("OBOLE_AUTO_SETTLE".into(), "false".into()),
    ];
    pairs.extend(extra.iter().cloned());
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let settings = Settings::from_pairs(&borrowed).expect("test settings");
    let prepared = tokio::task::spawn_blocking(move || obole::startup::prepare(settings))
        .await
        .expect("prepare")
        .expect("the application starts");
    let pool = prepared.state.pool.clone();
    let (sender, receiver) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = obole::startup::serve(prepared, listener, Some(2)).expect("server");
            sender.send(server.handle()).expect("report the handle");
            let _ = server.await;
        });
    });
    let handle = receiver.recv().expect("server handle");
    TestApp {
        address,
        pool,
        database,
        data_dir: Some(data_dir),
        extra_env: extra,
        handle,
        thread: Some(thread),
    }
}

fn init_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let filter = std::env::var("OBOLE_TEST_LOG").unwrap_or_else(|_| "warn".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    });
}
