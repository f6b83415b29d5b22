//! No click or undo lands in a month whose settlement has begun: 409 `month_closed`, nothing
//! written, whatever the server's clock says and however requests race the settlement's start.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use obole::domain::Month;
use obole::settlement::run::{Outcome, RunOptions, settle};
use reqwest::StatusCode;
use rust_decimal::Decimal;

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::html::csrf_token;
use crate::helpers::month::{OCTOBER, click_in_october, settle_october};

/// The server's clock still says October: a slow clock, or a request queued at midnight.
const LAST_SECOND_OF_OCTOBER: &str = "2026-10-31T23:59:59Z";

/// What one request asked and got.
#[derive(Debug)]
struct Answer {
    undo: bool,
    status: StatusCode,
    code: Option<String>,
}

async fn send(app: &TestApp, token: &str, thing: i64, undo: bool) -> Answer {
    send_to(app.api(), app.url(""), token.to_owned(), thing, undo).await
}

/// `send`, with what it needs owned, for a task of its own.
async fn send_to(
    client: reqwest::Client,
    base: String,
    token: String,
    thing: i64,
    undo: bool,
) -> Answer {
    let url = format!("{base}/api/v1/things/{thing}/click");
    let request = if undo {
        client.delete(url)
    } else {
        client.post(url)
    };
    let response = request.bearer_auth(token).send().await.expect("request");
    let status = response.status();
    let code = if status.is_success() {
        None
    } else {
        let body: serde_json::Value = response.json().await.expect("error json");
        body["error"]["code"].as_str().map(str::to_owned)
    };
    Answer { undo, status, code }
}

/// October's clicks in the database.
async fn october_clicks(app: &TestApp) -> i64 {
    app.db(|conn| {
        use obole::db::schema::clicks;
        clicks::table
            .filter(clicks::month.eq(OCTOBER))
            .count()
            .get_result(conn)
            .expect("count")
    })
    .await
}

async fn settled_clicks(app: &TestApp, month: &str) -> i64 {
    let month = Month::parse(month).expect("month");
    app.db(move |conn| {
        obole::models::settlement::find_run(conn, month)
            .expect("run")
            .expect("a run")
            .clicks
    })
    .await
}

async fn settle_month(app: &TestApp, month: &str, now: &str) -> Outcome {
    let pool = app.pool.clone();
    let lock_file = app.settlement_lock_file();
    let month = Month::parse(month).expect("month");
    let now: DateTime<Utc> = now.parse().expect("instant");
    tokio::task::spawn_blocking(move || {
        settle(
            &pool,
            lock_file.as_deref(),
            month,
            Decimal::TEN,
            now,
            RunOptions::default(),
            &mut |_| {},
        )
    })
    .await
    .expect("settlement thread")
    .expect("settle")
}

#[tokio::test]
async fn clicks_racing_the_start_of_settlement_land_before_it_or_are_refused() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", LAST_SECOND_OF_OCTOBER)]).await;
    let creator = app.a_user().create().await;
    let mut things = Vec::new();
    for n in 0..21 {
        let url = format!("https://creator.example/{n}");
        things.push(a_thing(&app, &creator, &url, &format!("Page {n}")).await);
    }
    // Half the readers clicked earlier in October (their next click is the usual one, the
    // batched statement on PostgreSQL), half did not (their first click reserves the budget).
    let mut readers = Vec::new();
    for n in 0..24 {
        let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
        if n % 2 == 0 {
            click_in_october(&app, &reader, things[0]).await;
        }
        readers.push((n, token));
    }
    let before = october_clicks(&app).await;
    assert_eq!(before, 12);

    // Waves of clicks and undos, three milliseconds apart, from before the settlement starts
    // until after it has closed the month (a supply of 492 requests, over a third of a
    // second of waves).
    let requests: Vec<(String, i64, bool)> = readers
        .iter()
        .flat_map(|(n, token)| {
            let mut mine: Vec<(String, i64, bool)> = things[1..]
                .iter()
                .map(|thing| (token.clone(), *thing, false))
                .collect();
            if n % 2 == 0 {
                mine.push((token.clone(), things[0], true));
            }
            mine
        })
        .collect();
    // The race is made certain at both ends, whatever the machine's load: the settlement
    // starts only once a click has been acknowledged, and the last wave is sent only once
    // the month has closed. Between the two, waves race the close for real.
    let (racing, late) = requests.split_at(requests.len() - 4);
    let closed = std::sync::atomic::AtomicBool::new(false);
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let spawn_one = |(token, thing, undo): (String, i64, bool)| {
        let acknowledged = acknowledged.clone();
        let sent = send_to(app.api(), app.url(""), token, thing, undo);
        tokio::spawn(async move {
            let answer = sent.await;
            if answer.status.is_success() {
                acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            answer
        })
    };
    let clicking = async {
        let mut tasks = Vec::new();
        let mut waves_after_close = 0;
        for wave in racing.chunks(4) {
            tasks.extend(wave.iter().cloned().map(spawn_one));
            tokio::time::sleep(std::time::Duration::from_millis(3)).await;
            if closed.load(std::sync::atomic::Ordering::SeqCst) {
                waves_after_close += 1;
                if waves_after_close == 3 {
                    break;
                }
            }
        }
        for _ in 0..6000 {
            if closed.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        tasks.extend(late.iter().cloned().map(spawn_one));
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.expect("task"));
        }
        answers
    };
    let settling = async {
        for _ in 0..6000 {
            if acknowledged.load(std::sync::atomic::Ordering::SeqCst) > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        settle_october(&app).await;
        closed.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let (answers, ()) = tokio::join!(clicking, settling);
    assert!(
        closed.load(std::sync::atomic::Ordering::SeqCst),
        "the settlement finished"
    );

    let mut accepted_clicks = 0_usize;
    let mut accepted_undos = 0_usize;
    for answer in &answers {
        match (answer.undo, answer.status) {
            (false, StatusCode::CREATED) => accepted_clicks += 1,
            (true, StatusCode::NO_CONTENT) => accepted_undos += 1,
            (_, StatusCode::CONFLICT) => {
                assert_eq!(answer.code.as_deref(), Some("month_closed"), "{answer:?}");
            }
            _ => panic!("unexpected answer {answer:?}"),
        }
    }
    // The race happened: some requests landed before the close, some met it.
    let refused = answers.len() - accepted_clicks - accepted_undos;
    assert!(
        accepted_clicks > 0 && refused > 0,
        "{accepted_clicks} accepted, {refused} refused"
    );
    let (accepted_clicks, accepted_undos) = (
        i64::try_from(accepted_clicks).expect("count"),
        i64::try_from(accepted_undos).expect("count"),
    );
    // Every acknowledged click and undo is in the settled month, and nothing else is.
    let expected = before + accepted_clicks - accepted_undos;
    assert_eq!(october_clicks(&app).await, expected);
    assert_eq!(settled_clicks(&app, OCTOBER).await, expected);
    app.assert_ledger_sound().await;

    // After the settlement began, every click and undo of October is refused, on the API...
    for (n, token) in &readers {
        let click = send(&app, token, things[1], false).await;
        let undo = send(&app, token, things[0], true).await;
        for answer in [click, undo] {
            assert_eq!(
                answer.status,
                StatusCode::CONFLICT,
                "reader {n}: {answer:?}"
            );
            assert_eq!(answer.code.as_deref(), Some("month_closed"));
        }
    }
    assert_eq!(october_clicks(&app).await, expected);
    // ... and November settles cleanly: no stray reservation was left in October.
    let november = settle_month(&app, "2026-11", "2026-12-02T08:00:00Z").await;
    assert!(matches!(november, Outcome::Settled(_)), "{november:?}");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn the_thing_page_says_the_month_is_closed_in_the_readers_language() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", LAST_SECOND_OF_OCTOBER)]).await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://creator.example/", "Carnet").await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let (other, _) = funded_reader(&app, "10.00", "2.00").await;
    click_in_october(&app, &other, thing).await;
    settle_october(&app).await;

    let visitor = app.logged_in_visitor(&reader).await;
    app.switch_language(&visitor, "fr").await;
    let page = app.html(&visitor, &format!("/t/{thing}"), "fr").await;
    assert!(
        page.contains("id=\"month-closed\""),
        "said before anyone clicks: {page}"
    );
    assert!(!page.contains("id=\"confirm-tip\""), "{page}");
    let response = visitor
        .post(app.url(&format!("/t/{thing}/click")))
        .form(&[("csrf_token", csrf_token(&page).as_str())])
        .send()
        .await
        .expect("click");
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.expect("html");
    assert!(html.contains("Ce mois est clos"), "{html}");

    // The reader who clicked cannot undo either, and nothing moved.
    let undoer = app.logged_in_visitor(&other).await;
    let page = app.html(&undoer, &format!("/t/{thing}"), "en").await;
    let response = undoer
        .post(app.url(&format!("/t/{thing}/undo")))
        .header("Accept-Language", "en")
        .form(&[("csrf_token", csrf_token(&page).as_str())])
        .send()
        .await
        .expect("undo");
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.expect("html");
    assert!(html.contains("This month is closed"), "{html}");
    assert_eq!(october_clicks(&app).await, 1);
    app.assert_ledger_sound().await;
}
