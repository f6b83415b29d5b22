//! The `obole` binary itself: configuration errors, `migrate`, and serving pages.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::database::TestDatabase;

fn obole() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_obole"));
    // Start from a clean slate: only what each test sets.
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("OBOLE_")) {
        command.env_remove(name);
    }
    command.env("OBOLE_LOG", "warn");
    command
}

#[test]
fn an_invalid_setting_stops_the_program_with_its_name() {
    let dir = tempfile::tempdir().expect("dir");
    for (variable, value) in [
        ("OBOLE_BIND", "nonsense"),
        ("OBOLE_DATABASE_URL", "mysql://localhost/obole"),
        ("OBOLE_FEE_PERCENT", "ten"),
        ("OBOLE_CLOCK", "tomorrow"),
    ] {
        let output = obole()
            .current_dir(dir.path())
            .arg("serve")
            .env(variable, value)
            .stdin(Stdio::null())
            .output()
            .expect("run obole");
        assert!(
            !output.status.success(),
            "{variable}={value} must stop the program"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(variable), "{variable}: {stderr}");
    }
}

#[test]
fn migrate_is_idempotent() {
    let database = TestDatabase::fresh();
    let dir = tempfile::tempdir().expect("dir");
    for run in 1..=2 {
        let output = obole()
            .current_dir(dir.path())
            .arg("migrate")
            .env("OBOLE_DATABASE_URL", database.url())
            .output()
            .expect("run obole migrate");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        if run == 2 {
            assert!(stdout.contains("up to date"), "{stdout}");
        }
    }
}

#[tokio::test]
async fn the_binary_serves_the_home_page_on_the_configured_database() {
    let database = tokio::task::spawn_blocking(TestDatabase::fresh)
        .await
        .expect("database");
    let dir = tempfile::tempdir().expect("dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let mut child = obole()
        .current_dir(dir.path())
        .env("OBOLE_DATABASE_URL", database.url())
        .env("OBOLE_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start obole");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut html = None;
    while Instant::now() < deadline {
        if let Ok(response) = client.get(format!("http://127.0.0.1:{port}/")).send().await {
            html = Some(response.text().await.expect("html"));
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let html = html.expect("obole answered within 30 s");
    assert!(html.contains("Obole") && html.contains("<h1>"), "{html}");
    assert!(
        dir.path().join("data").join("secret_key").exists(),
        "the key lives under ./data/"
    );
}
