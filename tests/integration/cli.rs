//! The `obole` binary itself: configuration errors, `migrate`, and serving pages.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::database::TestDatabase;
use crate::helpers::program::program;

fn obole() -> Command {
    program(env!("CARGO_BIN_EXE_obole"))
}

/// Runs `obole` with `args` in `dir` on the database at `url`.
fn run_in(dir: &std::path::Path, url: &str, args: &[&str]) -> std::process::Output {
    obole()
        .current_dir(dir)
        .args(args)
        .env("OBOLE_DATABASE_URL", url)
        .output()
        .expect("run obole")
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

#[test]
fn vouchers_create_prints_redeemable_codes_and_operators_are_granted() {
    let database = TestDatabase::fresh();
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| run_in(dir.path(), database.url(), args);
    let output = run(&["vouchers", "create", "--amount", "10.00", "--count", "3"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let codes: Vec<&str> = stdout.lines().collect();
    assert_eq!(codes.len(), 3);
    assert!(
        codes
            .iter()
            .all(|c| obole::domain::voucher::VoucherCode::parse(c).is_some()),
        "{codes:?}"
    );
    let unique: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), 3);

    for bad in [["--amount", "10.001"], ["--amount", "abc"]] {
        let output = run(&["vouchers", "create", bad[0], bad[1], "--count", "2"]);
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("--amount"));
    }
    assert!(
        !run(&["vouchers", "create", "--amount", "5", "--count", "0"])
            .status
            .success()
    );

    let missing = run(&["users", "grant-operator", "nobody@example.org"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nobody@example.org"));

    let pool = database.pool(1);
    let mut conn = pool.get().expect("connection");
    let account = obole::domain::NewAccount::parse(
        "op@example.org",
        "correct horse",
        None,
        None,
        Default::default(),
    )
    .expect("account");
    let user =
        obole::use_cases::accounts::sign_up(&mut conn, &account, chrono::Utc::now()).expect("user");
    let funds = obole::use_cases::wallet::redeem_voucher(
        &mut conn,
        user.user_id(),
        codes[1],
        chrono::Utc::now(),
    )
    .expect("redeem");
    assert_eq!(funds.funds.to_api_string(), "10.00");

    let granted = run(&["users", "grant-operator", "OP@example.org"]);
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    let user = obole::models::users::find(&mut conn, user.user_id())
        .expect("query")
        .expect("user");
    assert!(user.is_operator);

    let check = run(&["ledger", "check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("vouchers outstanding 20.00"));
}

#[test]
fn sites_grant_vouches_for_a_creators_site_and_for_existing_things_in_bulk() {
    use obole::domain::thing::{ContentLanguage, ThingInput};
    let database = TestDatabase::fresh();
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| run_in(dir.path(), database.url(), args);
    let pool = database.pool(1);
    let mut conn = pool.get().expect("connection");
    let now = chrono::Utc::now();
    let mut person = |email: &str| {
        let account = obole::domain::NewAccount::parse(
            email,
            "correct horse",
            None,
            None,
            Default::default(),
        )
        .expect("account");
        obole::use_cases::accounts::sign_up(&mut conn, &account, now)
            .expect("user")
            .user_id()
    };
    let (alice, bob, carol) = (
        person("alice@example.org"),
        person("bob@example.org"),
        person("carol@example.org"),
    );
    let mut add = |owner, url: &str| {
        let input = ThingInput::parse(url, "A page", None, None, None, ContentLanguage::French)
            .expect("thing");
        obole::use_cases::things::add(&mut conn, owner, &input, now)
            .expect("add")
            .id
    };
    // Bob added a page of Alice's blog; Carol has a page and a thing at a site's root (an
    // origin, which would also cover Bob's page on that site).
    let squatted = add(bob, "https://alice.example/post");
    let carols = add(carol, "https://carol.example/one");
    let root = add(carol, "https://shared.example/");
    let bobs_there = add(bob, "https://shared.example/bob");
    let owner_and_claim = |conn: &mut obole::db::DbConnection, id: i64| {
        let thing = obole::models::things::find(conn, obole::domain::ThingId(id))
            .expect("query")
            .expect("thing");
        (thing.owner_id, thing.site_id.is_some())
    };

    for (args, says) in [
        (
            vec![
                "sites",
                "grant",
                "--email",
                "nobody@example.org",
                "--url",
                "https://x.example/",
            ],
            "nobody@example.org",
        ),
        (
            vec![
                "sites",
                "grant",
                "--email",
                "alice@example.org",
                "--url",
                "ftp://alice.example/",
            ],
            "--url",
        ),
        (
            vec!["sites", "grant", "--url", "https://alice.example/"],
            "--email",
        ),
    ] {
        let output = run(&args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(says),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let granted = run(&[
        "sites",
        "grant",
        "--email",
        "alice@example.org",
        "--url",
        "https://alice.example/",
    ]);
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    assert!(String::from_utf8_lossy(&granted.stdout).contains("1 thing(s) moved"));
    assert_eq!(owner_and_claim(&mut conn, squatted), (alice.0, true));

    let bulk = run(&["sites", "grant", "--existing-things"]);
    assert!(
        bulk.status.success(),
        "{}",
        String::from_utf8_lossy(&bulk.stderr)
    );
    let said = String::from_utf8_lossy(&bulk.stdout);
    assert!(
        said.contains("Left unclaimed") && said.contains("https://shared.example/"),
        "{said}"
    );
    assert_eq!(owner_and_claim(&mut conn, carols), (carol.0, true));
    assert_eq!(owner_and_claim(&mut conn, bobs_there), (bob.0, true));
    assert_eq!(
        owner_and_claim(&mut conn, root),
        (carol.0, false),
        "the root would take Bob's page"
    );

    let check = run(&["ledger", "check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
