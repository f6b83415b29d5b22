//! Subscriptions across a month boundary with two real `obole serve` processes on one
//! database: each subscription is clicked exactly once in the new month, each budget reserved
//! once, whichever process gets there first.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use obole::db::schema::{clicks, month_budgets, subscriptions};
use obole::domain::{ThingId, UserId};

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::program::program;

const NOVEMBER: &str = "2026-11";

/// `obole serve` on the app's database, its clock a few minutes into November.
fn serve(app: &TestApp, data_dir: &std::path::Path) -> Child {
    program(env!("CARGO_BIN_EXE_obole"))
        .arg("serve")
        .env("OBOLE_DATABASE_URL", app.database_url())
        .env("OBOLE_CLOCK", "2026-11-01T00:10:00Z")
        .env("OBOLE_BIND", "127.0.0.1:0")
        .env("OBOLE_DATA_DIR", data_dir)
        .env("OBOLE_AUTO_SETTLE", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("obole serve")
}

/// November's clicks by subscription, the subscriptions taken in November, and the readers'
/// November reservations: (reader, clicks counted in it).
async fn november(app: &TestApp) -> (Vec<(i64, i64)>, i64, Vec<(i64, i64)>) {
    app.db(|conn| {
        let clicked: Vec<(i64, i64)> = clicks::table
            .filter(clicks::month.eq(NOVEMBER))
            .filter(clicks::via.eq("subscription"))
            .order((clicks::reader_id, clicks::thing_id))
            .select((clicks::reader_id, clicks::thing_id))
            .load(conn)
            .expect("clicks");
        let taken: i64 = subscriptions::table
            .filter(subscriptions::last_month.eq(NOVEMBER))
            .count()
            .get_result(conn)
            .expect("subscriptions");
        let reserved: Vec<(i64, i64)> = month_budgets::table
            .filter(month_budgets::month.eq(NOVEMBER))
            .order(month_budgets::reader_id)
            .select((month_budgets::reader_id, month_budgets::clicks))
            .load(conn)
            .expect("reservations");
        (clicked, taken, reserved)
    })
    .await
}

#[tokio::test]
async fn two_obole_serve_processes_click_each_subscription_once_on_the_first_of_the_month() {
    // October: readers subscribe (which clicks October for them at once).
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-10-20T08:00:00Z")]).await;
    let creator = app.a_user().create().await;
    let mut things = Vec::new();
    for n in 0..3 {
        let url = format!("https://camille.example/{n}");
        things.push(a_thing(&app, &creator, &url, &format!("Page {n}")).await);
    }
    let mut readers = Vec::new();
    for _ in 0..5 {
        let (reader, _) = funded_reader(&app, "20.00", "3.00").await;
        let (id, at) = (
            UserId(reader.id),
            "2026-10-20T08:00:00Z".parse().expect("at"),
        );
        let mine = things.clone();
        app.db(move |conn| {
            for thing in mine {
                obole::use_cases::subscriptions::subscribe(conn, id, ThingId(thing), at)
                    .expect("subscribe");
            }
        })
        .await;
        readers.push(reader.id);
    }
    let expected: Vec<(i64, i64)> = readers
        .iter()
        .flat_map(|r| things.iter().map(move |t| (*r, *t)))
        .collect();
    let (before, _, _) = november(&app).await;
    assert!(before.is_empty(), "nothing in November yet: {before:?}");

    // Midnight has passed: two servers start at once on the same database.
    let folders = [
        tempfile::tempdir().expect("data folder"),
        tempfile::tempdir().expect("data folder"),
    ];
    let mut servers: Vec<Child> = folders.iter().map(|d| serve(&app, d.path())).collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = november(&app).await;
    while seen.1 < i64::try_from(expected.len()).expect("count") && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        seen = november(&app).await;
    }
    // A moment more, for a late second click to show if there were one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (clicked, taken, reserved) = november(&app).await;
    for server in &mut servers {
        let _ = server.kill();
        let _ = server.wait();
    }
    assert_eq!(clicked, expected, "exactly one click per subscription");
    assert_eq!(taken, i64::try_from(expected.len()).expect("count"));
    let once: Vec<(i64, i64)> = readers.iter().map(|r| (*r, 3)).collect();
    assert_eq!(
        reserved, once,
        "each budget reserved once, for its three clicks"
    );
    app.assert_ledger_sound().await;
}
