//! `OBOLE_TIME_ZONE`: an instance in Paris counts its months in Paris. At 2026-10-31T23:30Z
//! it is already November there: a click lands in November, while October is closed and may
//! be settled; an hour earlier (23:30 in Paris) a click still lands in October.

use std::process::Command;
use std::time::{Duration, Instant};

use obole::domain::states::RunState;
use obole::domain::{Month, ThingId, UserId, Zone};
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::program::program;

const PARIS: &str = "Europe/Paris";
/// 00:30 on 1 November in Paris; still 31 October in UTC.
const NOVEMBER_IN_PARIS: &str = "2026-10-31T23:30:00Z";
/// 00:02 on 1 November in Paris: October is over, its 5-minute grace is not.
const IN_THE_GRACE: &str = "2026-10-31T23:02:00Z";
/// 23:30 on 31 October in Paris.
const OCTOBER_IN_PARIS: &str = "2026-10-31T22:30:00Z";

fn month(text: &str) -> Month {
    Month::parse(text).expect("month")
}

/// `obole settle --month 2026-10` on `app`'s database, with the clock at `clock` in `zone`.
fn settle_october(app: &TestApp, clock: &str, zone: &str) -> (bool, String) {
    let output: std::process::Output = obole()
        .args(["settle", "--month", "2026-10"])
        .env("OBOLE_DATABASE_URL", app.database_url())
        .env("OBOLE_DATA_DIR", app.data_dir())
        .env("OBOLE_CLOCK", clock)
        .env("OBOLE_TIME_ZONE", zone)
        .output()
        .expect("run obole settle");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn obole() -> Command {
    program(env!("CARGO_BIN_EXE_obole"))
}

async fn october_run(app: &TestApp) -> Option<RunState> {
    app.db(|conn| {
        obole::models::settlement::find_run(conn, month("2026-10"))
            .expect("run")
            .map(|run| run.state)
    })
    .await
}

#[tokio::test]
async fn a_paris_instance_counts_its_months_in_paris() {
    let app = spawn_app_with(&[
        ("OBOLE_TIME_ZONE", PARIS),
        ("OBOLE_CLOCK", NOVEMBER_IN_PARIS),
    ])
    .await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://example.org/paris", "Paris").await;
    let late = a_thing(&app, &creator, "https://example.org/late", "Late").await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;

    // A click now lands in November, and "my clicks" says so.
    let response = app
        .api()
        .post(app.url(&format!("/api/v1/things/{thing}/click")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("click");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["month"], "2026-11", "{body}");
    let mine = app.get_json_as(&token, "/api/v1/me/clicks").await;
    assert_eq!(mine["month"], "2026-11", "{mine}");
    assert_eq!(mine["clicks"][0]["thing_id"], thing, "{mine}");

    // An hour earlier it was 23:30 on 31 October in Paris: that click lands in October.
    let reader_id = UserId(reader.id);
    let clicked = app
        .db(move |conn| {
            obole::use_cases::clicks::click_in(
                conn,
                reader_id,
                ThingId(late),
                OCTOBER_IN_PARIS.parse().expect("instant"),
                Zone::parse(PARIS).expect("zone"),
            )
            .expect("click")
        })
        .await;
    assert_eq!(clicked.month, month("2026-10"));
    let october = app
        .get_json_as(&token, "/api/v1/me/clicks?month=2026-10")
        .await;
    assert_eq!(october["clicks"][0]["thing_id"], late, "{october}");

    // October closed at midnight in Paris: within the grace it is refused, after it settled.
    let (ok, text) = settle_october(&app, IN_THE_GRACE, PARIS);
    assert!(!ok, "{text}");
    assert!(text.contains("not over yet"), "{text}");
    assert!(text.contains("2026-11-01 00:05:00 +01:00"), "{text}");
    // The same instant in UTC is still October there.
    let (ok, text) = settle_october(&app, NOVEMBER_IN_PARIS, "UTC");
    assert!(!ok, "{text}");
    assert_eq!(october_run(&app).await, None);
    let (ok, text) = settle_october(&app, NOVEMBER_IN_PARIS, PARIS);
    assert!(ok, "{text}");
    assert_eq!(october_run(&app).await, Some(RunState::Done));
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn the_server_settles_a_month_once_local_midnight_and_the_grace_are_past() {
    // Within the grace: the server leaves October alone.
    let early = spawn_app_with(&[
        ("OBOLE_TIME_ZONE", PARIS),
        ("OBOLE_CLOCK", IN_THE_GRACE),
        ("OBOLE_AUTO_SETTLE", "true"),
    ])
    .await;
    // Past it: the server settles October by itself (its worker looks at once).
    let late = spawn_app_with(&[
        ("OBOLE_TIME_ZONE", PARIS),
        ("OBOLE_CLOCK", NOVEMBER_IN_PARIS),
        ("OBOLE_AUTO_SETTLE", "true"),
    ])
    .await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while october_run(&late).await != Some(RunState::Done) {
        assert!(Instant::now() < deadline, "October was not settled");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The early server has had as long to look, and its one look came at its start.
    assert_eq!(october_run(&early).await, None);
}

#[test]
fn an_unknown_time_zone_stops_the_program_with_its_name() {
    let dir = tempfile::tempdir().expect("dir");
    let output = obole()
        .current_dir(dir.path())
        .arg("serve")
        .env("OBOLE_TIME_ZONE", "Europe/Atlantis")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run obole");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("OBOLE_TIME_ZONE"), "{stderr}");
    assert!(stderr.contains("Europe/Atlantis"), "{stderr}");
}
