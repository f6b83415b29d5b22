//! `obole backup --to FILE`, run as the real binary: an online SQLite copy taken while the
//! server serves, restored into a fresh data folder and served again; an existing file is
//! never replaced; what a killed run left is cleared; on PostgreSQL the command explains
//! `pg_dump` and fails.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::database::{Backend, TestDatabase, backend};
use crate::helpers::html::{cookie_pair, session_cookie};
use crate::helpers::program::program;
use crate::helpers::spawn_app;

fn obole() -> Command {
    program(env!("CARGO_BIN_EXE_obole"))
}

/// `obole backup --to to` on the instance whose database and data folder are given.
fn backup(database_url: &str, data_dir: &Path, to: &Path) -> Output {
    obole()
        .arg("backup")
        .arg("--to")
        .arg(to)
        .env("OBOLE_DATABASE_URL", database_url)
        .env("OBOLE_DATA_DIR", data_dir)
        .output()
        .expect("run obole backup")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The files of `dir`, sorted by name.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An `obole serve` process on the data folder `data_dir` alone (its default SQLite file),
/// killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(data_dir: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let address = format!("http://127.0.0.1:{port}");
    let child = obole()
        .env("OBOLE_DATA_DIR", data_dir)
        .env("OBOLE_BIND", format!("127.0.0.1:{port}"))
        .env("OBOLE_BASE_URL", &address)
        .env("OBOLE_AUTO_SETTLE", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start obole");
    let server = Server { child, address };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(response) = reqwest::get(format!("{}/healthz", server.address)).await
            && response.status() == StatusCode::OK
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the restored instance did not answer within 30 s");
}

#[tokio::test]
async fn a_backup_taken_while_serving_is_served_again_from_a_fresh_data_folder() {
    if backend() == Backend::Postgres {
        return; // PostgreSQL is backed up with pg_dump: the test below.
    }
    let app = spawn_app().await;
    let (reader, token) = funded_reader(&app, "10.00", "4.00").await;
    let creator = app.a_user().create().await;
    let before = a_thing(&app, &creator, "https://before.example/", "Before").await;
    let after = a_thing(&app, &creator, "https://after.example/", "After").await;
    let click = |thing: i64| {
        app.api()
            .post(app.url(&format!("/api/v1/things/{thing}/click")))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(click(before).await.expect("click").status(), 201);
    let logged_in = app.log_in(&app.visitor(), &reader).await;
    let cookie = cookie_pair(&session_cookie(&logged_in).expect("session cookie")).to_owned();
    let me_then = app.get_json_as(&token, "/api/v1/me").await;

    let folder = tempfile::tempdir().expect("backup folder");
    let file = folder.path().join("obole-backup.sqlite3");
    let (url, data_dir) = (app.database_url(), app.data_dir());
    let output = tokio::task::spawn_blocking({
        let file = file.clone();
        move || backup(&url, &data_dir, &file)
    })
    .await
    .expect("backup");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(&format!("Wrote {}", file.display())),
        "{stdout}"
    );
    assert!(stdout.contains("secret_key") && stdout.contains("head_signing_key"));
    assert_eq!(
        names(folder.path()),
        ["obole-backup.sqlite3", "obole-backup.sqlite3.keys"],
        "no temporary file is left beside the backup"
    );
    let keys = folder.path().join("obole-backup.sqlite3.keys");
    for key in ["secret_key", "head_signing_key"] {
        assert_eq!(
            std::fs::read(keys.join(key)).expect("copied key"),
            std::fs::read(app.data_dir().join(key)).expect("live key"),
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(keys.join(key))
                .expect("meta")
                .permissions();
            assert_eq!(mode.mode() & 0o777, 0o600, "{key} is private");
        }
    }
    // After the backup: the copy must not have it.
    assert_eq!(click(after).await.expect("click").status(), 201);

    // Restore as docs/OPERATIONS.md says: the file as obole.sqlite3, the keys beside it.
    let restored = tempfile::tempdir().expect("restored data folder");
    std::fs::copy(&file, restored.path().join("obole.sqlite3")).expect("restore database");
    for key in ["secret_key", "head_signing_key"] {
        std::fs::copy(keys.join(key), restored.path().join(key)).expect("restore key");
    }
    drop(app);
    let server = serve(restored.path()).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    let response = client
        .post(format!("{}/api/v1/tokens", server.address))
        .json(&serde_json::json!({ "email": reader.email, "password": reader.password }))
        .send()
        .await
        .expect("log in");
    assert_eq!(response.status(), 201, "the same password logs in");
    let body: serde_json::Value = response.json().await.expect("json");
    let new_token = body["token"].as_str().expect("token");
    let me_now: serde_json::Value = client
        .get(format!("{}/api/v1/me", server.address))
        .bearer_auth(new_token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me_now["funds"], me_then["funds"]);
    assert_eq!(me_now["reserved"], me_then["reserved"]);
    let clicks: serde_json::Value = client
        .get(format!("{}/api/v1/me/clicks", server.address))
        .bearer_auth(new_token)
        .send()
        .await
        .expect("clicks")
        .json()
        .await
        .expect("json");
    let clicked: Vec<i64> = clicks["clicks"]
        .as_array()
        .expect("clicks")
        .iter()
        .map(|c| c["thing_id"].as_i64().expect("thing id"))
        .collect();
    assert_eq!(
        clicked,
        [before],
        "the click before the backup, not the one after"
    );

    let dashboard = |cookie: Option<&str>| {
        let mut request = client.get(format!("{}/dashboard", server.address));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send()
    };
    assert_ne!(dashboard(None).await.expect("dashboard").status(), 200);
    assert_eq!(
        dashboard(Some(&cookie)).await.expect("dashboard").status(),
        StatusCode::OK,
        "the restored session key opens the sessions of the original instance"
    );

    let check = tokio::task::spawn_blocking({
        let dir = restored.path().to_owned();
        move || {
            obole()
                .args(["ledger", "check"])
                .env("OBOLE_DATA_DIR", dir)
                .output()
                .expect("ledger check")
        }
    })
    .await
    .expect("ledger check");
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("The ledger is sound"));
}

#[tokio::test]
async fn a_backup_never_replaces_an_existing_file() {
    if backend() == Backend::Postgres {
        return; // Nothing is written on PostgreSQL at all: the test below.
    }
    let app = spawn_app().await;
    app.a_user().create().await;
    let folder = tempfile::tempdir().expect("backup folder");
    let file = folder.path().join("precious.sqlite3");
    std::fs::write(&file, b"last week's backup").expect("an earlier file");
    let (url, data_dir) = (app.database_url(), app.data_dir());
    let output = tokio::task::spawn_blocking({
        let file = file.clone();
        move || backup(&url, &data_dir, &file)
    })
    .await
    .expect("backup");
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read(&file).expect("still there"),
        b"last week's backup"
    );
    assert_eq!(
        names(folder.path()),
        ["precious.sqlite3"],
        "nothing written"
    );
}

#[tokio::test]
async fn a_killed_runs_leftovers_are_removed_and_nothing_else() {
    if backend() == Backend::Postgres {
        return; // Nothing is written on PostgreSQL at all.
    }
    let app = spawn_app().await;
    app.a_user().create().await;
    let folder = tempfile::tempdir().expect("backup folder");
    let file = folder.path().join("obole.sqlite3");
    // A PID above Linux's largest: no process has it.
    let stale = folder.path().join(".obole.sqlite3.partial-999999999");
    let stale_keys = folder.path().join(".obole.sqlite3.keys.partial-999999999");
    std::fs::write(&stale, b"half a copy").expect("a leftover");
    std::fs::create_dir(&stale_keys).expect("a leftover folder");
    std::fs::write(stale_keys.join("secret.key"), b"k").expect("a leftover key");
    // Near misses, someone else's files: kept.
    let kept = [
        ".obole.sqlite3.partial-12x",
        ".other.sqlite3.partial-999999999",
        "obole.sqlite3.partial-999999999",
    ];
    for name in kept {
        std::fs::write(folder.path().join(name), b"mine").expect("a file");
    }
    let (url, data_dir) = (app.database_url(), app.data_dir());
    let output = tokio::task::spawn_blocking({
        let file = file.clone();
        move || backup(&url, &data_dir, &file)
    })
    .await
    .expect("backup");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("interrupted backup"));
    let mut expected: Vec<String> = kept.iter().map(|name| (*name).to_owned()).collect();
    expected.push("obole.sqlite3".to_owned());
    expected.push("obole.sqlite3.keys".to_owned());
    expected.sort();
    assert_eq!(names(folder.path()), expected);
}

#[tokio::test]
async fn on_postgresql_the_backup_explains_pg_dump_and_fails() {
    let database = match backend() {
        Backend::Postgres => Some(
            tokio::task::spawn_blocking(TestDatabase::fresh)
                .await
                .expect("database"),
        ),
        Backend::Sqlite => None,
    };
    // Never connected to: its password must not be printed all the same.
    let mut urls = vec![
        "postgres://obole:hunter2-do-not-print@db.internal:5432/obole".to_owned(),
        "postgres://obole@db.internal:5432/obole?password=hunter2-do-not-print".to_owned(),
    ];
    urls.extend(database.as_ref().map(|d| d.url().to_owned()));
    let folder = tempfile::tempdir().expect("backup folder");
    let data_dir = tempfile::tempdir().expect("data folder");
    let file = folder.path().join("obole.dump");
    for url in urls {
        let output = backup(&url, data_dir.path(), &file);
        assert_eq!(output.status.code(), Some(1), "{url}");
        let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
        assert!(said.contains("pg_dump --format=custom"), "{said}");
        assert!(
            said.contains(&format!("--file={}", file.display())),
            "{said}"
        );
        assert!(said.contains("pg_restore"), "{said}");
        assert!(!said.contains("hunter2"), "{said}");
        assert!(names(folder.path()).is_empty(), "nothing written");
    }
}
