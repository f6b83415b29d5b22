//! Account deletion (PRODUCT.md flow 10, docs/PRIVACY.md): `DELETE /api/v1/me` proves the
//! password, refuses while money waits for the person, gives the funds left where they chose,
//! releases this month's clicks, hides things, releases sites and erases personal data; the
//! ledger keeps its entries under the account's id, and the month still settles.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use obole::domain::{Money, Month, UserId};
use obole::settlement::run::{Outcome, RunOptions, settle};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{TestUser, a_thing, funded_reader};
use crate::helpers::month::{click_in_october, october, settle_october, verify_email};
use crate::helpers::spawn_app;

const IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";

/// `DELETE /api/v1/me` with `body`: the status and the error code, if any.
async fn delete_me(app: &TestApp, token: &str, body: Value) -> (StatusCode, Option<String>) {
    let response = app
        .api()
        .delete(app.url("/api/v1/me"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("delete");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let code = body["error"]["code"].as_str().map(str::to_owned);
    (status, code)
}

async fn me(app: &TestApp, token: &str) -> (StatusCode, Value) {
    let response = app
        .api()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

/// Settles `month` as the month-end job would at `at`, with a 10 % fee.
async fn settle_month(app: &TestApp, month: &str, at: &str) {
    let pool = app.pool.clone();
    let lock_file = app.settlement_lock_file();
    let (month, at) = (Month::parse(month).expect("month"), instant(at));
    let outcome = tokio::task::spawn_blocking(move || {
        settle(
            &pool,
            lock_file.as_deref(),
            month,
            Decimal::TEN,
            at,
            RunOptions::default(),
            &mut |_| {},
        )
    })
    .await
    .expect("settlement thread")
    .expect("settle");
    assert!(matches!(outcome, Outcome::Settled(_)), "{outcome:?}");
}

async fn platform_balance(app: &TestApp, kind: obole::domain::ledger::AccountKind) -> Money {
    app.db(move |conn| {
        obole::models::ledger::balance(conn, obole::domain::ledger::AccountRef::Platform(kind))
            .expect("balance")
    })
    .await
}

async fn ledger_entries(app: &TestApp) -> i64 {
    app.db(|conn| {
        obole::db::schema::ledger_entries::table
            .count()
            .get_result(conn)
            .expect("count")
    })
    .await
}

/// A creator whose October earned 1.80 net (a reader's 2.00 budget), and their token.
async fn creator_with_revenue(app: &TestApp) -> (TestUser, String) {
    let creator = app.a_user().create().await;
    let thing = a_thing(app, &creator, "https://camille.example/", "Camille’s page").await;
    let (reader, _) = funded_reader(app, "2.00", "2.00").await;
    click_in_october(app, &reader, thing).await;
    settle_october(app).await;
    verify_email(app, &creator).await;
    let token = creator.direct_token(app).await;
    (creator, token)
}

#[tokio::test]
async fn a_wrong_password_deletes_nothing() {
    let app = spawn_app().await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    let (status, code) = delete_me(
        &app,
        &token,
        json!({"password": "not it", "funds": "platform"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code.as_deref(), Some("invalid_credentials"));
    // A hostile, huge password is just as wrong.
    let huge = "x".repeat(10_000);
    let (status, _) = delete_me(&app, &token, json!({"password": huge, "funds": "platform"})).await;
    assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::PAYLOAD_TOO_LARGE);
    let (status, body) = me(&app, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["email"], reader.email);
    assert_eq!(body["funds"], "10.00");
}

#[tokio::test]
async fn a_waiting_payout_refuses_deletion() {
    let app = spawn_app_with(&[("OBOLE_PAYOUT_MINIMUM", "1.00")]).await;
    let (creator, token) = creator_with_revenue(&app).await;
    let payout = app
        .api()
        .post(app.url("/api/v1/me/payouts"))
        .bearer_auth(&token)
        .json(&json!({"iban": IBAN, "holder": "Camille"}))
        .send()
        .await
        .expect("payout");
    assert_eq!(payout.status(), StatusCode::CREATED);
    let (status, code) = delete_me(
        &app,
        &token,
        json!({"password": creator.password, "funds": "platform"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code.as_deref(), Some("payout_waiting"));
    assert_eq!(me(&app, &token).await.0, StatusCode::OK);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn revenue_left_refuses_deletion_until_it_is_moved_to_funds() {
    let app = spawn_app().await;
    let (creator, token) = creator_with_revenue(&app).await;
    let body = json!({"password": creator.password, "funds": "platform"});
    let (status, code) = delete_me(&app, &token, body.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code.as_deref(), Some("revenue_left"));
    let moved = app
        .api()
        .post(app.url("/api/v1/me/revenue/transfer"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("transfer");
    assert_eq!(moved.status(), StatusCode::OK);
    let fees_before = platform_balance(&app, obole::domain::ledger::AccountKind::Fees).await;
    let (status, _) = delete_me(&app, &token, body).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let fees_after = platform_balance(&app, obole::domain::ledger::AccountKind::Fees).await;
    assert_eq!(
        fees_after,
        fees_before
            .checked_add(Money::from_micros(1_800_000))
            .expect("sum")
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn funds_left_need_an_explicit_choice() {
    let app = spawn_app().await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    let (status, code) = delete_me(&app, &token, json!({"password": reader.password})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code.as_deref(), Some("funds_choice_required"));
    let hostile = json!({"password": reader.password, "funds": "<script>alert(1)</script>"});
    let (status, code) = delete_me(&app, &token, hostile).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code.as_deref(), Some("invalid_funds_choice"));
    let (status, body) = me(&app, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["funds"], "10.00");
}

#[tokio::test]
async fn the_charity_is_refused_where_the_instance_names_none() {
    let app = spawn_app().await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    let (status, code) = delete_me(
        &app,
        &token,
        json!({"password": reader.password, "funds": "charity"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code.as_deref(), Some("no_charity"));
    assert_eq!(me(&app, &token).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_account_without_money_needs_no_choice() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let token = user.direct_token(&app).await;
    let (status, _) = delete_me(&app, &token, json!({"password": user.password})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(me(&app, &token).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn two_deletions_at_once_give_the_funds_away_once() {
    let app = spawn_app_with(&[("OBOLE_CHARITY_NAME", "Les Restos du Cœur")]).await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    let body = json!({"password": reader.password, "funds": "charity"});
    let (a, b) = tokio::join!(
        delete_me(&app, &token, body.clone()),
        delete_me(&app, &token, body.clone())
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::NO_CONTENT, StatusCode::UNAUTHORIZED]);
    let charity = platform_balance(&app, obole::domain::ledger::AccountKind::Charity).await;
    assert_eq!(charity, Money::from_micros(10_000_000));
    app.assert_ledger_sound().await;
}

/// The whole story: a reader who is also a creator, with a settled September, clicks in
/// October, deletes the account, and October still settles.
#[tokio::test]
async fn a_deleted_account_is_erased_and_its_month_settles_without_it() {
    let app = spawn_app_with(&[
        ("OBOLE_CLOCK", "2026-10-20T12:00:00Z"),
        ("OBOLE_CHARITY_NAME", "Les Restos du Cœur"),
    ])
    .await;
    let creator = app.a_user().create().await;
    let theirs = a_thing(&app, &creator, "https://camille.example/", "Camille’s page").await;
    let (leaving, token) = funded_reader(&app, "10.00", "2.00").await;
    let own = a_thing(
        &app,
        &leaving,
        "https://leaving.example/",
        "A page of the leaver",
    )
    .await;
    let (other, _) = funded_reader(&app, "10.00", "2.00").await;
    // September, settled: the leaver's statement must survive.
    let (leaver_id, at) = (UserId(leaving.id), instant("2026-09-15T12:00:00Z"));
    app.db(move |conn| {
        obole::use_cases::clicks::click(conn, leaver_id, obole::domain::ThingId(theirs), at)
            .expect("click")
    })
    .await;
    settle_month(&app, "2026-09", "2026-10-02T08:00:00Z").await;
    click_in_october(&app, &leaving, theirs).await;
    click_in_october(&app, &other, theirs).await;
    click_in_october(&app, &other, own).await;
    // A subscription and a public note on September's click: personal choices, erased.
    let subscribed = app
        .api()
        .post(app.url("/api/v1/me/subscriptions"))
        .bearer_auth(&token)
        .json(&json!({"thing_id": theirs}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(subscribed.status(), StatusCode::CREATED);
    let noted = app
        .api()
        .put(app.url(&format!("/api/v1/things/{theirs}/click?month=2026-09")))
        .bearer_auth(&token)
        .json(&json!({"visibility": "public", "note": "Merci Camille"}))
        .send()
        .await
        .expect("note");
    assert_eq!(noted.status(), StatusCode::OK);
    let creator_token = creator.direct_token(&app).await;
    let supporters = app
        .get_json_as(&creator_token, "/api/v1/me/supporters?month=2026-09")
        .await;
    assert_eq!(supporters["supporters"][0]["note"], "Merci Camille");
    let entries_before = ledger_entries(&app).await;

    let (status, _) = delete_me(
        &app,
        &token,
        json!({"password": leaving.password, "funds": "charity"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Tokens are dead, log-in fails, and the address signs up again as someone new.
    assert_eq!(me(&app, &token).await.0, StatusCode::UNAUTHORIZED);
    let log_in = app
        .api()
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"email": leaving.email, "password": leaving.password}))
        .send()
        .await
        .expect("log in");
    assert_eq!(log_in.status(), StatusCode::UNAUTHORIZED);
    let again = app
        .api()
        .post(app.url("/api/v1/accounts"))
        .json(&json!({"email": leaving.email, "password": "another long password"}))
        .send()
        .await
        .expect("sign up");
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = again.json().await.expect("json");
    assert_ne!(again["id"].as_i64(), Some(leaving.id));

    // The row is a pseudonym now.
    let row = app
        .db(move |conn| {
            obole::models::users::find(conn, leaver_id)
                .expect("find")
                .expect("row")
        })
        .await;
    assert_eq!(row.email, format!("deleted-{}@deleted.invalid", leaving.id));
    assert_eq!(row.display_name, "deleted");
    assert!(row.password_hash.is_none());

    // The thing is hidden, the site released, this month's click gone with its reservation.
    let shown = app
        .api()
        .get(app.url(&format!("/api/v1/things/{own}")))
        .send()
        .await
        .expect("thing");
    assert_eq!(shown.status(), StatusCode::NOT_FOUND);
    let listed = app.get_json("/api/v1/things?sort=new").await;
    let ids: Vec<i64> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["id"].as_i64())
        .collect();
    assert!(ids.contains(&theirs) && !ids.contains(&own), "{ids:?}");
    let (sites, clicks, reservation) = app
        .db(move |conn| {
            (
                obole::models::sites::live_of(conn, leaver_id)
                    .expect("sites")
                    .len(),
                obole::models::clicks::count_for_reader(conn, leaver_id, october())
                    .expect("clicks"),
                obole::models::clicks::reservation(conn, leaver_id, october())
                    .expect("reservation"),
            )
        })
        .await;
    assert_eq!((sites, clicks, reservation), (0, 0, None));
    let (notes, subscriptions) = app
        .db(move |conn| {
            use obole::db::schema::{click_notes, subscriptions};
            let notes: i64 = click_notes::table
                .filter(click_notes::reader_id.eq(leaver_id.0))
                .count()
                .get_result(conn)
                .expect("notes");
            let subscriptions: i64 = subscriptions::table
                .filter(subscriptions::reader_id.eq(leaver_id.0))
                .count()
                .get_result(conn)
                .expect("subscriptions");
            (notes, subscriptions)
        })
        .await;
    assert_eq!((notes, subscriptions), (0, 0));
    let supporters = app
        .get_json_as(&creator_token, "/api/v1/me/supporters?month=2026-09")
        .await;
    assert_eq!(supporters["supporters"], json!([]));
    // 10.00 less September's 2.00 went to the charity, October's reservation included.
    let charity = platform_balance(&app, obole::domain::ledger::AccountKind::Charity).await;
    assert_eq!(charity, Money::from_micros(8_000_000));
    assert!(ledger_entries(&app).await > entries_before);
    app.assert_ledger_sound().await;

    // October settles: the leaver pays nothing, their September still adds up.
    settle_october(&app).await;
    app.assert_ledger_sound().await;
    let (september, october_paid) = app
        .db(move |conn| {
            let september = Month::parse("2026-09").expect("month");
            (
                obole::use_cases::statements::contributions(conn, leaver_id, september)
                    .expect("september"),
                obole::use_cases::statements::contributions(conn, leaver_id, october())
                    .expect("october"),
            )
        })
        .await;
    assert_eq!(october_paid.debited, Money::ZERO);
    assert!(september.settled);
    assert_eq!(september.debited, Money::from_micros(2_000_000));
    let total = september
        .allocations
        .iter()
        .try_fold(Money::ZERO, |sum, a| sum.checked_add(a.amount))
        .expect("sum");
    assert_eq!(total, september.debited);
    // Statements queued again (the deletion removed the account's mails) skip the account.
    let to_leaver = app
        .db(move |conn| {
            let september = Month::parse("2026-09").expect("month");
            obole::models::mail_outbox::enqueue_statements(conn, september, Utc::now())
                .expect("queue");
            use obole::db::schema::mail_outbox as m;
            let to_leaver: i64 = m::table
                .filter(m::user_id.eq(leaver_id.0))
                .count()
                .get_result(conn)
                .expect("count");
            to_leaver
        })
        .await;
    assert_eq!(to_leaver, 0);
}

/// The page's path on a phone, in French: the settings link, the password and an explicit
/// funds choice, a confirmation that sums it up, then the account gone and the person out.
#[tokio::test]
async fn a_reader_deletes_the_account_on_the_page_after_a_confirmation() {
    use crate::helpers::browser::{self, click, fill, problems_of_page, wait_for, wait_for_url};
    use fantoccini::Locator;
    let app = spawn_app().await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let Some(browser) = browser::open_at("fr", 390).await else {
        return;
    };
    browser::log_in(&browser, &app, &reader).await;
    browser
        .goto(&app.url("/lang/fr?next=/settings"))
        .await
        .expect("settings");
    click(&browser, Locator::Id("settings-delete")).await;
    wait_for(&browser, Locator::Id("delete-form")).await;
    // No default: going on without a choice is refused, and says so.
    fill(&browser, "delete-password", &reader.password).await;
    click(&browser, Locator::Id("delete-next")).await;
    let error = wait_for(&browser, Locator::Id("form-error")).await;
    assert!(
        browser::text_of(&error)
            .await
            .contains("association ou à la plateforme")
    );
    fill(&browser, "delete-password", &reader.password).await;
    click(&browser, Locator::Id("funds-platform")).await;
    click(&browser, Locator::Id("delete-next")).await;
    let summary = wait_for(&browser, Locator::Id("delete-summary-list")).await;
    assert!(browser::text_of(&summary).await.contains("10,00"));
    let mut problems =
        problems_of_page(&browser, "page-reader_settings_delete_confirm-fr-390").await;
    click(&browser, Locator::Id("delete-confirm")).await;
    wait_for_url(&browser, "/account-deleted").await;
    wait_for(&browser, Locator::Id("account-deleted")).await;
    problems.extend(problems_of_page(&browser, "page-visitor_account-deleted-after-fr-390").await);
    // Logged out: the settings ask for a log-in again.
    browser.goto(&app.url("/settings")).await.expect("settings");
    wait_for_url(&browser, "/login").await;
    browser.close().await;
    let id = UserId(reader.id);
    assert!(
        app.db(move |conn| obole::models::users::is_deleted(conn, id).expect("deleted"))
            .await
    );
    let fees = platform_balance(&app, obole::domain::ledger::AccountKind::Fees).await;
    assert_eq!(fees, Money::from_micros(10_000_000));
    app.assert_ledger_sound().await;
    assert!(problems.is_empty(), "{problems:#?}");
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// An account opened through a provider has no password: a provider log-in of the last
/// minutes proves the person, and the page deletes the account after its confirmation.
#[tokio::test]
async fn an_account_without_a_password_deletes_itself_after_a_fresh_provider_log_in() {
    use crate::helpers::html::csrf_token;
    let Some(provider) = crate::helpers::oauth::OAuthProvider::start().await else {
        return;
    };
    let app = crate::helpers::app::spawn_app_with_peer(&provider.settings()).await;
    provider
        .will_say(json!({"sub": "alice-1", "email": "alice@example.org", "email_verified": true, "name": "Alice"}))
        .await;
    let visitor = app.visitor();
    let start = visitor
        .get(app.url("/auth/local"))
        .send()
        .await
        .expect("start");
    let answer = visitor
        .get(location(&start))
        .send()
        .await
        .expect("provider");
    let done = visitor
        .get(location(&answer))
        .send()
        .await
        .expect("callback");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);

    let page = app.html(&visitor, "/settings/delete", "en").await;
    assert!(
        page.contains("id=\"delete-fresh\"") && !page.contains("delete-password"),
        "{page}"
    );
    let token = csrf_token(&page);
    // Without the form's token nothing happens.
    let forged = visitor
        .post(app.url("/settings/delete"))
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .expect("forged");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let step = visitor
        .post(app.url("/settings/delete"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("step");
    assert_eq!(step.status(), StatusCode::OK);
    let confirm = step.text().await.expect("confirm page");
    assert!(confirm.contains("delete-confirm-form"), "{confirm}");
    let deleted = visitor
        .post(app.url("/settings/delete/confirm"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("confirm");
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&deleted), "/account-deleted");
    let identities: i64 = app
        .db(|conn| {
            obole::db::schema::oauth_identities::table
                .count()
                .get_result(conn)
                .expect("count")
        })
        .await;
    assert_eq!(identities, 0);
    // The same provider identity later opens a new account, with the same address.
    let again = app.visitor();
    let start = again
        .get(app.url("/auth/local"))
        .send()
        .await
        .expect("start");
    let answer = again.get(location(&start)).send().await.expect("provider");
    let done = again.get(location(&answer)).send().await.expect("callback");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count_users().await, 2);
}
