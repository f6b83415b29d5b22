//! Subscriptions (PRODUCT.md flow 9): a thing clicked for its reader by the server once a
//! month, at its first chance, by exactly one process; undoable, cancellable, never on one's
//! own thing, never charged without funds (the reader is told by mail).

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use obole::db::schema::{clicks, month_budgets};
use obole::domain::{ThingId, UserId};
use obole::use_cases::subscriptions::{Taken, subscribe, take_for_month};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{a_thing, an_unclaimed_thing, funded_reader};
use crate::helpers::mail::{MailServer, smtp_url, to};
use crate::helpers::month::settle_october;
use crate::helpers::subscriptions::taken_months;

/// The first day of November, a few minutes after midnight.
const NOVEMBER_FIRST: &str = "2026-11-01T00:10:00Z";

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

/// Subscribes through the library at `at` (as the API does at that instant).
async fn subscribe_at(app: &TestApp, reader: i64, thing: i64, at: &str) -> Taken {
    let at = instant(at);
    app.db(move |conn| {
        subscribe(conn, UserId(reader), ThingId(thing), at)
            .expect("subscribe")
            .1
    })
    .await
}

/// A reader's clicks of `month`: (thing, via).
async fn clicks_of(app: &TestApp, reader: i64, month: &str) -> Vec<(i64, String)> {
    let month = month.to_owned();
    app.db(move |conn| {
        clicks::table
            .filter(clicks::reader_id.eq(reader))
            .filter(clicks::month.eq(month))
            .order(clicks::thing_id.asc())
            .select((clicks::thing_id, clicks::via))
            .load(conn)
            .expect("clicks")
    })
    .await
}

async fn reserved(app: &TestApp, reader: i64, month: &str) -> Option<(i64, i64)> {
    let month = month.to_owned();
    app.db(move |conn| {
        month_budgets::table
            .find((reader, month))
            .select((month_budgets::amount_micros, month_budgets::clicks))
            .get_result(conn)
            .optional()
            .expect("reservation")
    })
    .await
}

/// Waits (at most 20 s) until `reader` has `n` clicks in `month`.
async fn wait_for_clicks(app: &TestApp, reader: i64, month: &str, n: usize) -> Vec<(i64, String)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = clicks_of(app, reader, month).await;
        if found.len() >= n || Instant::now() >= deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app.api().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn post_subscription(app: &TestApp, token: &str, thing: Value) -> (StatusCode, Value) {
    send(
        app,
        reqwest::Method::POST,
        token,
        "/api/v1/me/subscriptions",
        Some(json!({ "thing_id": thing })),
    )
    .await
}

#[tokio::test]
async fn a_reader_subscribes_sees_the_click_marked_and_cancels_keeping_it() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-11-10T09:00:00Z")]).await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "Chroniques").await;
    let other = a_thing(&app, &creator, "https://camille.example/b", "Autre").await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;

    let (status, body) = post_subscription(&app, &token, json!(thing)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["thing_id"], thing);
    assert!(
        body["since"]
            .as_str()
            .is_some_and(|s| s.starts_with("2026-11-10"))
    );

    // Subscribing is the month's first chance: it is clicked at once, and reserves the budget.
    let (_, mine) = send(
        &app,
        reqwest::Method::GET,
        &token,
        "/api/v1/me/clicks",
        None,
    )
    .await;
    assert_eq!(mine["clicks"][0]["thing_id"], thing);
    assert_eq!(mine["clicks"][0]["via"], "subscription");
    assert_eq!(
        reserved(&app, reader.id, "2026-11").await,
        Some((2_000_000, 1))
    );
    // A click of one's own is marked so.
    let (status, _) = send(
        &app,
        reqwest::Method::POST,
        &token,
        &format!("/api/v1/things/{other}/click"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, mine) = send(
        &app,
        reqwest::Method::GET,
        &token,
        "/api/v1/me/clicks",
        None,
    )
    .await;
    let vias: Vec<&str> = mine["clicks"]
        .as_array()
        .expect("clicks")
        .iter()
        .map(|c| c["via"].as_str().expect("via"))
        .collect();
    assert_eq!(vias, ["subscription", "click"]);

    let (_, list) = send(
        &app,
        reqwest::Method::GET,
        &token,
        "/api/v1/me/subscriptions",
        None,
    )
    .await;
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
    assert_eq!(list["items"][0]["title"], "Chroniques");
    let shown = app.get_json(&format!("/api/v1/things/{thing}")).await;
    assert_eq!(shown["subscribers"], 1);

    let (status, _) = send(
        &app,
        reqwest::Method::DELETE,
        &token,
        &format!("/api/v1/me/subscriptions/{thing}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = send(
        &app,
        reqwest::Method::GET,
        &token,
        "/api/v1/me/subscriptions",
        None,
    )
    .await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(
        app.get_json(&format!("/api/v1/things/{thing}")).await["subscribers"],
        0
    );
    // The month's click stays, undoable as any click.
    assert_eq!(clicks_of(&app, reader.id, "2026-11").await.len(), 2);
    let (status, _) = send(
        &app,
        reqwest::Method::DELETE,
        &token,
        &format!("/api/v1/things/{thing}/click"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(
        &app,
        reqwest::Method::DELETE,
        &token,
        &format!("/api/v1/me/subscriptions/{thing}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn ones_own_claimed_thing_twice_hidden_or_hostile_ids_are_refused() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-11-10T09:00:00Z")]).await;
    let (creator, creator_token) = funded_reader(&app, "10.00", "2.00").await;
    let own = a_thing(&app, &creator, "https://camille.example/a", "Mine").await;
    let (status, body) = post_subscription(&app, &creator_token, json!(own)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "own_thing");

    let (_, token) = funded_reader(&app, "10.00", "2.00").await;
    assert_eq!(
        post_subscription(&app, &token, json!(own)).await.0,
        StatusCode::CREATED
    );
    let (status, body) = post_subscription(&app, &token, json!(own)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "already_subscribed");

    for hostile in [
        json!(999_999),
        json!(-1),
        json!(0),
        json!("9223372036854775807"),
    ] {
        let (status, body) = post_subscription(&app, &token, hostile.clone()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{hostile}: {body}");
    }
    for hostile in [
        json!("1; DROP TABLE clicks"),
        json!(null),
        json!([1]),
        json!(1.5),
    ] {
        let (status, body) = post_subscription(&app, &token, hostile.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{hostile}: {body}");
    }
    let hidden = a_thing(&app, &creator, "https://camille.example/hidden", "Hidden").await;
    app.db(move |conn| {
        diesel::update(obole::db::schema::things::table.find(hidden))
            .set(obole::db::schema::things::hidden.eq(true))
            .execute(conn)
            .expect("hide")
    })
    .await;
    assert_eq!(
        post_subscription(&app, &token, json!(hidden)).await.0,
        StatusCode::NOT_FOUND
    );
    // Whoever merely added a thing nobody claimed may subscribe to it, as they may click it.
    let unclaimed =
        an_unclaimed_thing(&app, &creator, "https://elsewhere.example/", "Unclaimed").await;
    assert_eq!(
        post_subscription(&app, &creator_token, json!(unclaimed))
            .await
            .0,
        StatusCode::CREATED
    );
    // Without a token: 401.
    let response = app
        .api()
        .post(app.url("/api/v1/me/subscriptions"))
        .json(&json!({"thing_id": own}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn someone_elses_cancel_is_not_found_and_changes_nothing() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-11-10T09:00:00Z")]).await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "A").await;
    let (alice, alice_token) = funded_reader(&app, "10.00", "2.00").await;
    let (_, mallory_token) = funded_reader(&app, "10.00", "2.00").await;
    assert_eq!(
        post_subscription(&app, &alice_token, json!(thing)).await.0,
        StatusCode::CREATED
    );
    for path in [
        format!("/api/v1/me/subscriptions/{thing}"),
        "/api/v1/me/subscriptions/abc".into(),
        "/api/v1/me/subscriptions/-3".into(),
    ] {
        let (status, _) = send(&app, reqwest::Method::DELETE, &mallory_token, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, list) = send(
        &app,
        reqwest::Method::GET,
        &alice_token,
        "/api/v1/me/subscriptions",
        None,
    )
    .await;
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
    let (_, list) = send(
        &app,
        reqwest::Method::GET,
        &mallory_token,
        "/api/v1/me/subscriptions",
        None,
    )
    .await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(clicks_of(&app, alice.id, "2026-11").await.len(), 1);
}

/// Subscribed in October; on 1 November the server clicks it once, reserving the budget; an
/// undone subscription click is not made again that month, even after a restart.
#[tokio::test]
async fn across_the_month_boundary_the_server_clicks_once_and_an_undo_sticks() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", NOVEMBER_FIRST)]).await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "A").await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    assert_eq!(
        subscribe_at(&app, reader.id, thing, "2026-10-15T12:00:00Z").await,
        Taken::Clicked
    );
    assert_eq!(
        clicks_of(&app, reader.id, "2026-10").await,
        [(thing, "subscription".into())]
    );

    // The server's next start (its worker's first round) takes November.
    let app = app.restart().await;
    let november = wait_for_clicks(&app, reader.id, "2026-11", 1).await;
    assert_eq!(november, [(thing, "subscription".to_owned())]);
    assert_eq!(
        reserved(&app, reader.id, "2026-11").await,
        Some((2_000_000, 1))
    );
    let me = app.get_json_as(&token, "/api/v1/me").await;
    assert_eq!(me["funds"], "6.00", "{me}");
    // October's (not settled yet) and November's budgets.
    assert_eq!(me["reserved"], "4.00", "{me}");

    let (status, _) = send(
        &app,
        reqwest::Method::DELETE,
        &token,
        &format!("/api/v1/things/{thing}/click"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let app = app.restart().await;
    // Whatever a round does now, the month is taken.
    let again = app
        .db(move |conn| {
            take_for_month(
                conn,
                UserId(reader.id),
                ThingId(thing),
                instant(NOVEMBER_FIRST),
            )
            .expect("take")
        })
        .await;
    assert_eq!(again, Taken::AlreadyTaken);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(clicks_of(&app, reader.id, "2026-11").await, []);
    assert_eq!(reserved(&app, reader.id, "2026-11").await, None);
    app.assert_ledger_sound().await;
}

/// Several processes of one instance start on 1 November: each subscription is clicked
/// exactly once, each budget reserved once.
#[tokio::test]
async fn two_more_processes_on_the_first_of_the_month_click_each_subscription_once() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", NOVEMBER_FIRST)]).await;
    let creator = app.a_user().create().await;
    let things = [
        a_thing(&app, &creator, "https://camille.example/a", "A").await,
        a_thing(&app, &creator, "https://camille.example/b", "B").await,
        a_thing(&app, &creator, "https://camille.example/c", "C").await,
    ];
    let mut readers = Vec::new();
    for _ in 0..4 {
        let (reader, _) = funded_reader(&app, "10.00", "3.00").await;
        for thing in things {
            subscribe_at(&app, reader.id, thing, "2026-10-20T08:00:00Z").await;
        }
        readers.push(reader.id);
    }
    let (second, third) = tokio::join!(app.beside(), app.beside());
    for reader in &readers {
        let found = wait_for_clicks(&app, *reader, "2026-11", 3).await;
        assert_eq!(found.len(), 3, "reader {reader}: {found:?}");
        assert!(found.iter().all(|(_, via)| via == "subscription"));
        assert_eq!(
            reserved(&app, *reader, "2026-11").await,
            Some((3_000_000, 3))
        );
    }
    let months = taken_months(&app).await;
    assert!(
        months.iter().all(|m| m.as_deref() == Some("2026-11")),
        "{months:?}"
    );
    drop((second, third));
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_reader_without_funds_for_the_month_is_told_by_mail_once_and_not_charged() {
    let Some(mail) = MailServer::start().await else {
        return;
    };
    let app = spawn_app_with(&[
        ("OBOLE_CLOCK", NOVEMBER_FIRST),
        ("OBOLE_SMTP_URL", &smtp_url(mail.smtp_port)),
        ("OBOLE_MAIL_RETRY_SECONDS", "1"),
    ])
    .await;
    let creator = app.a_user().create().await;
    let a = a_thing(&app, &creator, "https://camille.example/a", "A").await;
    let b = a_thing(&app, &creator, "https://camille.example/b", "B").await;
    let (reader, token) = funded_reader(&app, "2.00", "5.00").await;
    assert_eq!(
        post_subscription(&app, &token, json!(a)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        post_subscription(&app, &token, json!(b)).await.0,
        StatusCode::CREATED
    );

    let about = |m: &&Value| m["subject"].as_str().is_some_and(|s| s.contains("2026-11"));
    mail.wait_for(20, |m| to(m, &reader.email).iter().any(about))
        .await;
    // Given time for a second one, which must not come.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let messages = mail.messages().await;
    let mine: Vec<&Value> = to(&messages, &reader.email)
        .into_iter()
        .filter(about)
        .collect();
    assert_eq!(mine.len(), 1, "one mail a month: {mine:?}");
    assert!(
        mine[0]["subject"]
            .as_str()
            .is_some_and(|s| s.contains("2026-11")),
        "{}",
        mine[0]["subject"]
    );
    assert!(
        mine[0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("2.00") && t.contains("5.00"))
    );
    assert_eq!(clicks_of(&app, reader.id, "2026-11").await, []);
    let me = app.get_json_as(&token, "/api/v1/me").await;
    assert_eq!(me["funds"], "2.00");
    assert_eq!(me["reserved"], "0.00");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_paused_budget_pauses_the_subscriptions() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", NOVEMBER_FIRST)]).await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "A").await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    let (status, _) = send(
        &app,
        reqwest::Method::PUT,
        &token,
        "/api/v1/me/budget",
        Some(json!({"amount": "2.00", "paused": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        post_subscription(&app, &token, json!(thing)).await.0,
        StatusCode::CREATED
    );
    let app = app.restart().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(clicks_of(&app, reader.id, "2026-11").await, []);
    assert_eq!(
        app.get_json_as(&token, "/api/v1/me").await["funds"],
        "10.00"
    );
}

/// A subscription click is a click like any other for settlement: it pays the thing.
#[tokio::test]
async fn the_settlement_of_a_month_pays_the_subscribed_thing() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-11-02T08:00:00Z")]).await;
    let (creator, creator_token) = funded_reader(&app, "10.00", "2.00").await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "A").await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    assert_eq!(
        subscribe_at(&app, reader.id, thing, "2026-10-03T08:00:00Z").await,
        Taken::Clicked
    );
    settle_october(&app).await;
    let earnings = app
        .get_json_as(&creator_token, "/api/v1/me/earnings?month=2026-10")
        .await;
    assert_eq!(earnings["gross"], "2.00", "{earnings}");
    assert_eq!(earnings["things"][0]["thing_id"], thing);
    app.assert_ledger_sound().await;
}

/// The thing page's form subscribes (with its CSRF token); "my clicks" lists it, marks the
/// click and cancels it.
#[tokio::test]
async fn the_pages_subscribe_list_and_cancel() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-11-10T09:00:00Z")]).await;
    let creator = app.a_user().create().await;
    let thing = a_thing(
        &app,
        &creator,
        "https://camille.example/a",
        "Chroniques <b>",
    )
    .await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let visitor = app.logged_in_visitor(&reader).await;
    let page = format!("/t/{thing}");
    assert!(
        app.html(&visitor, &page, "en")
            .await
            .contains("id=\"subscribe\"")
    );
    // Without the CSRF token: refused, nothing written.
    let forged = visitor
        .post(app.url(&format!("/t/{thing}/subscribe")))
        .form(&[("csrf_token", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let response = app
        .submit_form(&visitor, &page, &format!("/t/{thing}/subscribe"), &[], "fr")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let shown = app
        .html(&visitor, &format!("/t/{thing}?subscribed=1"), "fr")
        .await;
    assert!(shown.contains("id=\"subscribed\"") && shown.contains("id=\"unsubscribe\""));
    let clicks = app.html(&visitor, "/clicks", "fr").await;
    assert!(clicks.contains(&format!("id=\"via-subscription-{thing}\"")));
    assert!(clicks.contains("Chroniques &lt;b&gt;"));
    let response = app
        .submit_form(
            &visitor,
            "/clicks",
            &format!("/t/{thing}/unsubscribe"),
            &[("back", "clicks")],
            "fr",
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        app.html(&visitor, "/clicks", "fr")
            .await
            .contains("id=\"no-subscriptions\"")
    );
    // The creator sees nobody subscribes any more; the page says "1 subscriber" while one does.
    subscribe_at(&app, reader.id, thing, "2026-11-10T09:00:00Z").await;
    let creator_visitor = app.logged_in_visitor(&creator).await;
    assert!(
        app.html(&creator_visitor, "/things", "en")
            .await
            .contains("1 subscriber")
    );
}
