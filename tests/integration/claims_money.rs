//! Claims, where things and money go (PRODUCT.md, "Claims"): a proof makes the things under
//! a site its prover's, whoever added them; the shares of unclaimed things are held, released
//! to whoever proves the site (less the fee) or, unclaimed in time, given back to the readers.

use std::str::FromStr as _;

use diesel::prelude::*;
use obole::domain::Month;
use obole::settlement::run::{Outcome, RunOptions, settle};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;
use serde_json::{Value, json};

use crate::claims::{
    a_person, add_site, add_thing, call, my_sites, page_with_token, private_fetching_app, thing,
    token_of, verify_site,
};
use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{a_thing, an_unclaimed_thing, funded_reader};
use crate::helpers::month::{OCTOBER, click_in_october, settle_october};
use crate::helpers::site::{Reply, SiteServer};

/// The reader's budget in these tests, split over two clicks.
const BUDGET: &str = "2.00";
const MICROS_PER_UNIT: i64 = 1_000_000;

/// An API amount (`"0.90"`, `"0.666667"`) in micro-units.
fn micros(amount: &Value) -> i64 {
    let text = amount
        .as_str()
        .unwrap_or_else(|| panic!("an amount: {amount}"));
    let value = Decimal::from_str(text).expect("a decimal amount") * Decimal::from(MICROS_PER_UNIT);
    assert!(value.fract().is_zero(), "{text} is finer than a micro-unit");
    value.to_i64().expect("an amount that fits")
}

/// One share of the budget when it is split over `clicks` that divide it exactly.
fn share_of_budget(clicks: i64) -> i64 {
    let budget = micros(&json!(BUDGET));
    assert_eq!(budget % clicks, 0, "these tests split the budget exactly");
    budget / clicks
}

/// The platform's 10 % on `gross`, rounded down to the micro-unit.
fn ten_percent_of(gross: i64) -> i64 {
    gross * 10 / 100
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = call(app, Method::GET, path, token, None, None).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

async fn me(app: &TestApp, token: &str) -> Value {
    get(app, token, "/api/v1/me").await
}

/// The reader's October allocation for `thing_id`.
async fn october_share(app: &TestApp, token: &str, thing_id: i64) -> Value {
    let path = format!("/api/v1/me/contributions?month={OCTOBER}");
    let body = get(app, token, &path).await;
    body["allocations"]
        .as_array()
        .expect("allocations")
        .iter()
        .find(|a| a["thing_id"] == thing_id)
        .cloned()
        .unwrap_or_else(|| panic!("no allocation for thing {thing_id}: {body}"))
}

async fn october_earnings(app: &TestApp, token: &str) -> Value {
    get(app, token, &format!("/api/v1/me/earnings?month={OCTOBER}")).await
}

/// Adds the site at `site`'s root for the person with `token`, serves its meta tag and
/// has Obole check it; panics unless proven.
async fn prove_origin(app: &TestApp, token: &str, site: &SiteServer) -> Value {
    let added = add_site(app, token, &site.url("/")).await;
    site.serve("/", Reply::html(page_with_token(token_of(&added))));
    let (status, proven) = verify_site(app, token, &added).await;
    assert_eq!(status, StatusCode::OK, "{proven}");
    proven
}

/// `things_claimed` mails queued: (recipient, payload).
async fn things_claimed_mails(app: &TestApp) -> Vec<(Option<i64>, Value)> {
    use obole::db::schema::mail_outbox;
    let rows: Vec<(Option<i64>, String)> = app
        .db(|conn| {
            mail_outbox::table
                .filter(mail_outbox::kind.eq("things_claimed"))
                .order(mail_outbox::id.asc())
                .select((mail_outbox::user_id, mail_outbox::payload))
                .load(conn)
                .expect("the mail outbox")
        })
        .await;
    rows.into_iter()
        .map(|(user, payload)| {
            (
                user,
                serde_json::from_str(&payload).expect("a JSON payload"),
            )
        })
        .collect()
}

fn id_of(body: &Value) -> i64 {
    body["id"].as_i64().expect("an id")
}

#[tokio::test]
async fn things_under_a_site_become_its_provers_and_their_adder_is_told() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (alice, alice_token) = a_person(&app).await;
    let (bob, bob_token) = a_person(&app).await;
    let post = add_thing(&app, &bob_token, &site.url("/posts/1"), "Le billet d’Alice").await;
    let before = thing(&app, id_of(&post)).await;
    assert_eq!(
        (&before["owner_id"], &before["claimed"]),
        (&json!(bob.id), &json!(false))
    );
    assert!(things_claimed_mails(&app).await.is_empty());

    prove_origin(&app, &alice_token, &site).await;

    let after = thing(&app, id_of(&post)).await;
    assert_eq!(
        (&after["owner_id"], &after["claimed"]),
        (&json!(alice.id), &json!(true))
    );
    let mails = things_claimed_mails(&app).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, Some(bob.id), "the previous owner is told");
    assert_eq!(
        mails[0].1["things"],
        json!([id_of(&post)]),
        "{:?}",
        mails[0]
    );
    assert_eq!(mails[0].1["site"], site.url("/"));
}

#[tokio::test]
async fn a_thing_added_under_a_proven_site_is_its_provers_at_once() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (alice, alice_token) = a_person(&app).await;
    let (_, carol_token) = a_person(&app).await;
    prove_origin(&app, &alice_token, &site).await;

    let post = add_thing(
        &app,
        &carol_token,
        &site.url("/posts/2"),
        "Encore un billet",
    )
    .await;

    let shown = thing(&app, id_of(&post)).await;
    assert_eq!(
        (&shown["owner_id"], &shown["claimed"]),
        (&json!(alice.id), &json!(true))
    );
    // Nobody owned it before Alice: there is nobody to tell.
    assert!(things_claimed_mails(&app).await.is_empty());
}

#[tokio::test]
async fn a_later_proof_of_the_same_site_supersedes_the_earlier_one() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (alice, alice_token) = a_person(&app).await;
    let (dave, dave_token) = a_person(&app).await;
    let first = prove_origin(&app, &alice_token, &site).await;
    let post = add_thing(&app, &alice_token, &site.url("/posts/1"), "Billet").await;
    assert_eq!(thing(&app, id_of(&post)).await["owner_id"], alice.id);

    // The domain changed hands: its new holder puts their own token on the page.
    let second = prove_origin(&app, &dave_token, &site).await;

    assert_ne!(second["id"], first["id"]);
    let alices = my_sites(&app, &alice_token).await;
    assert_eq!(alices.len(), 1, "{alices:?}");
    assert_eq!(alices[0]["verified"], false, "{}", alices[0]);
    assert_eq!(alices[0]["superseded"], true, "{}", alices[0]);
    let daves = my_sites(&app, &dave_token).await;
    assert_eq!(
        (&daves[0]["verified"], &daves[0]["superseded"]),
        (&json!(true), &json!(false))
    );
    let moved = thing(&app, id_of(&post)).await;
    assert_eq!(
        (&moved["owner_id"], &moved["claimed"]),
        (&json!(dave.id), &json!(true))
    );
    let mails = things_claimed_mails(&app).await;
    assert!(
        mails.iter().any(|(to, _)| *to == Some(alice.id)),
        "Alice is told: {mails:?}"
    );
}

#[tokio::test]
async fn held_shares_are_released_to_whoever_proves_the_site_less_the_fee() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let bob = app.a_user().create().await;
    let bob_token = bob.direct_token(&app).await;
    let carol = app.a_user().create().await;
    let carol_token = carol.direct_token(&app).await;
    let (_, alice_token) = a_person(&app).await;
    // Bob adds Alice's page before she is on Obole; Carol's page is claimed.
    let unclaimed = an_unclaimed_thing(&app, &bob, &site.url("/posts/1"), "Chez Alice").await;
    let claimed = a_thing(&app, &carol, "https://carol.example.org/post", "Chez Carol").await;
    let (reader, reader_token) = funded_reader(&app, "10.00", BUDGET).await;
    click_in_october(&app, &reader, unclaimed).await;
    click_in_october(&app, &reader, claimed).await;
    settle_october(&app).await;
    // 2.00 over two clicks: 1.00 each; the fee is 10 % of it, rounded down.
    let share = share_of_budget(2);
    let net = share - ten_percent_of(share);

    let held = october_share(&app, &reader_token, unclaimed).await;
    assert_eq!(
        (&held["status"], micros(&held["amount"])),
        (&json!("held"), share)
    );
    assert_eq!(
        october_share(&app, &reader_token, claimed).await["status"],
        "paid"
    );
    let bobs = october_earnings(&app, &bob_token).await;
    assert_eq!(micros(&bobs["held"]), share, "{bobs}");
    assert_eq!(
        micros(&bobs["gross"]),
        0,
        "a held share is nobody's earning: {bobs}"
    );
    let line = &bobs["things"][0];
    assert_eq!(
        (&line["thing_id"], &line["claimed"]),
        (&json!(unclaimed), &json!(false))
    );
    let carols = october_earnings(&app, &carol_token).await;
    assert_eq!(micros(&carols["net"]), net, "paid at settlement: {carols}");
    assert_eq!(carols["things"][0]["claimed"], true, "{carols}");
    app.assert_ledger_sound().await;
    let revenue_before = micros(&me(&app, &alice_token).await["revenue"]);

    prove_origin(&app, &alice_token, &site).await;

    let revenue_after = micros(&me(&app, &alice_token).await["revenue"]);
    assert_eq!(
        revenue_after - revenue_before,
        net,
        "the held share less the fee"
    );
    let released = october_share(&app, &reader_token, unclaimed).await;
    assert_eq!(released["status"], "paid", "{released}");
    assert_eq!(micros(&october_earnings(&app, &bob_token).await["held"]), 0);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn proving_a_page_does_not_pay_the_prover_their_own_clicks_on_it() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    // Alice adds her own page before proving it, and may click it while it is unclaimed.
    let (alice, alice_token) = funded_reader(&app, "10.00", BUDGET).await;
    let page = an_unclaimed_thing(&app, &alice, &site.url("/posts/1"), "Chez Alice").await;
    let (rita, _) = funded_reader(&app, "10.00", BUDGET).await;
    click_in_october(&app, &rita, page).await;
    click_in_october(&app, &alice, page).await;
    settle_october(&app).await;
    // Each budget went whole to the one thing clicked: 2.00 from Rita, 2.00 from Alice.
    let ritas_share = share_of_budget(1);
    let revenue_before = micros(&me(&app, &alice_token).await["revenue"]);

    prove_origin(&app, &alice_token, &site).await;

    // Clicks are never on one's own things: only Rita's share is Alice's earning.
    let revenue_after = micros(&me(&app, &alice_token).await["revenue"]);
    assert_eq!(
        revenue_after - revenue_before,
        ritas_share - ten_percent_of(ritas_share),
        "Alice's own budget came back to her as revenue"
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn settlement_does_not_pay_a_reader_for_a_click_on_a_page_they_proved_since() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (alice, alice_token) = funded_reader(&app, "10.00", BUDGET).await;
    let page = an_unclaimed_thing(&app, &alice, &site.url("/posts/1"), "Chez Alice").await;
    let (rita, _) = funded_reader(&app, "10.00", BUDGET).await;
    click_in_october(&app, &rita, page).await;
    click_in_october(&app, &alice, page).await;
    // Alice proves the page before October is settled: settlement finds it claimed.
    prove_origin(&app, &alice_token, &site).await;
    let revenue_before = micros(&me(&app, &alice_token).await["revenue"]);

    settle_october(&app).await;

    let ritas_share = share_of_budget(1);
    let revenue_after = micros(&me(&app, &alice_token).await["revenue"]);
    assert_eq!(
        revenue_after - revenue_before,
        ritas_share - ten_percent_of(ritas_share),
        "Alice's own budget was paid to her as revenue"
    );
    app.assert_ledger_sound().await;
}

/// Settles `month` as on `at`, with the holds ending after `hold_months`.
async fn settle_month(app: &TestApp, month: &str, at: &str, hold_months: u32) -> Outcome {
    let (pool, lock_file) = (app.pool.clone(), app.settlement_lock_file());
    let month = Month::parse(month).expect("month");
    let now: chrono::DateTime<chrono::Utc> = at.parse().expect("instant");
    tokio::task::spawn_blocking(move || {
        let options = RunOptions {
            hold_months,
            ..RunOptions::default()
        };
        settle(
            &pool,
            lock_file.as_deref(),
            month,
            Decimal::TEN,
            now,
            options,
            &mut |_| {},
        )
    })
    .await
    .expect("settlement thread")
    .expect("settle")
}

async fn ledger_entries(app: &TestApp) -> i64 {
    use obole::db::schema::ledger_entries;
    app.db(|conn| {
        ledger_entries::table
            .count()
            .get_result(conn)
            .expect("count entries")
    })
    .await
}

#[tokio::test]
async fn held_shares_nobody_claims_in_time_go_back_to_the_readers() {
    let app = spawn_app_with(&[("OBOLE_CLAIM_HOLD_MONTHS", "1")]).await;
    let bob = app.a_user().create().await;
    let bob_token = bob.direct_token(&app).await;
    let carol = app.a_user().create().await;
    let unclaimed = an_unclaimed_thing(&app, &bob, "https://alice.example.org/post", "Alice").await;
    let claimed = a_thing(&app, &carol, "https://carol.example.org/post", "Carol").await;
    let (reader, reader_token) = funded_reader(&app, "10.00", BUDGET).await;
    click_in_october(&app, &reader, unclaimed).await;
    click_in_october(&app, &reader, claimed).await;
    settle_october(&app).await;
    let share = share_of_budget(2);
    let funds_before = micros(&me(&app, &reader_token).await["funds"]);
    assert_eq!(
        october_share(&app, &reader_token, unclaimed).await["status"],
        "held"
    );

    // One month of hold: November's run gives back what October still holds.
    let outcome = settle_month(&app, "2026-11", "2026-12-02T08:00:00Z", 1).await;

    assert!(matches!(outcome, Outcome::Settled(_)), "{outcome:?}");
    let funds_after = micros(&me(&app, &reader_token).await["funds"]);
    assert_eq!(funds_after - funds_before, share, "the held share, in full");
    let returned = october_share(&app, &reader_token, unclaimed).await;
    assert_eq!(returned["status"], "returned", "{returned}");
    assert_eq!(
        october_share(&app, &reader_token, claimed).await["status"],
        "paid"
    );
    let bobs = october_earnings(&app, &bob_token).await;
    assert_eq!(micros(&bobs["held"]), 0, "{bobs}");
    assert_eq!(bobs["things"][0]["hold"], "returned", "{bobs}");
    app.assert_ledger_sound().await;

    let entries = ledger_entries(&app).await;
    let again = settle_month(&app, "2026-11", "2026-12-03T08:00:00Z", 1).await;
    assert!(matches!(again, Outcome::AlreadySettled(_)), "{again:?}");
    assert_eq!(ledger_entries(&app).await, entries, "nothing written again");
    assert_eq!(micros(&me(&app, &reader_token).await["funds"]), funds_after);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_tipped_thing_keeps_its_address_so_nobody_moves_its_held_money_to_their_site() {
    let app = private_fetching_app().await;
    let bob = app.a_user().create().await;
    // Bob has proven his own site, and added someone else's page.
    let bobs = a_thing(&app, &bob, "https://bob.example/", "Bob's blog").await;
    let victims = an_unclaimed_thing(&app, &bob, "https://victim.example/post", "Not Bob's").await;
    let (reader, _) = funded_reader(&app, "10.00", BUDGET).await;
    click_in_october(&app, &reader, victims).await;
    settle_october(&app).await;
    let owner = obole::domain::UserId(bob.id);
    let moved = obole::domain::thing::ThingInput::parse(
        "https://bob.example/post",
        "Now Bob's?",
        None,
        None,
        None,
        obole::domain::thing::ContentLanguage::French,
    )
    .expect("input");
    let again = moved.clone();
    let edited = app
        .db(move |conn| {
            obole::use_cases::things::edit(
                conn,
                owner,
                obole::domain::ThingId(victims),
                &moved,
                false,
                chrono::Utc::now(),
            )
        })
        .await;
    assert!(
        matches!(edited, Err(obole::use_cases::things::ThingError::UrlLocked)),
        "{edited:?}"
    );
    // The held share is still held, for whoever proves the victim's page.
    let held: Vec<String> = app
        .db(move |conn| {
            obole::db::schema::holds::table
                .filter(obole::db::schema::holds::thing_id.eq(victims))
                .select(obole::db::schema::holds::state)
                .load(conn)
                .expect("holds")
        })
        .await;
    assert_eq!(held, ["held"]);
    // An untipped thing may still move.
    let edited = app
        .db(move |conn| {
            obole::use_cases::things::edit(
                conn,
                owner,
                obole::domain::ThingId(bobs),
                &again,
                false,
                chrono::Utc::now(),
            )
        })
        .await;
    assert!(edited.is_ok(), "{edited:?}");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_settlement_resumed_after_a_claim_computes_the_month_it_started_with() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    // Alice (the lower id) has an unclaimed page; Bob a claimed one.
    let (alice, alice_token) = a_person(&app).await;
    let bob = app.a_user().create().await;
    let alices = an_unclaimed_thing(&app, &alice, &site.url("/a"), "Chez Alice").await;
    let bobs = a_thing(&app, &bob, "https://bob.example/post", "Chez Bob").await;
    let (reader, _) = funded_reader(&app, "10.00", BUDGET).await;
    click_in_october(&app, &reader, alices).await;
    click_in_october(&app, &reader, bobs).await;
    // The run stops after the readers' stage and one creator, as a crash would.
    let (pool, lock_file) = (app.pool.clone(), app.settlement_lock_file());
    let stopped = tokio::task::spawn_blocking(move || {
        let options = RunOptions {
            creators_per_chunk: 1,
            stop_after_chunks: Some(2),
            ..RunOptions::default()
        };
        let now = "2026-11-02T08:00:00Z".parse().expect("instant");
        settle(
            &pool,
            lock_file.as_deref(),
            Month::parse(OCTOBER).expect("month"),
            Decimal::TEN,
            now,
            options,
            &mut |_| {},
        )
    })
    .await
    .expect("thread");
    assert!(stopped.is_err(), "{stopped:?}");
    // Alice proves her page meanwhile.
    prove_origin(&app, &alice_token, &site).await;
    let revenue_before = micros(&me(&app, &alice_token).await["revenue"]);

    let outcome = settle_month(&app, OCTOBER, "2026-11-02T09:00:00Z", 6).await;

    assert!(matches!(outcome, Outcome::Settled(_)), "{outcome:?}");
    // October was closed with Alice's page unclaimed: its share was held, and released to
    // her by the run's last step, less the fee.
    let share = share_of_budget(2);
    let revenue_after = micros(&me(&app, &alice_token).await["revenue"]);
    assert_eq!(
        revenue_after - revenue_before,
        share - ten_percent_of(share)
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_handle_given_up_stays_its_owners_so_nobody_proves_their_site_with_it() {
    let app = spawn_app_with(&[]).await;
    let alice = app.a_user().create().await;
    let mallory = app.a_user().create().await;
    let save = |user: i64, handle: &'static str| {
        let profile = obole::domain::profile::ProfileInput::parse(handle, "Someone", "", "", false)
            .expect("profile");
        move |conn: &mut obole::db::DbConnection| {
            obole::use_cases::creators::save(
                conn,
                obole::domain::UserId(user),
                &profile,
                chrono::Utc::now(),
            )
        }
    };
    app.db(save(alice.id, "alice")).await.expect("Alice's page");
    app.db(save(alice.id, "alice-art")).await.expect("renamed");
    let taken = app.db(save(mallory.id, "alice")).await;
    assert!(
        matches!(
            taken,
            Err(obole::models::creator_profiles::SaveProfileError::HandleTaken)
        ),
        "{taken:?}"
    );
    app.db(save(alice.id, "alice"))
        .await
        .expect("Alice takes it back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_site_added_at_once_by_several_requests_is_one_site() {
    let app = private_fetching_app().await;
    let (_, token) = a_person(&app).await;
    let requests: Vec<_> = (0..8)
        .map(|_| {
            let request = app
                .api()
                .post(app.url("/api/v1/me/sites"))
                .bearer_auth(&token)
                .json(&json!({ "url": "https://same.example/" }));
            tokio::spawn(async move {
                let response = request.send().await.expect("add");
                let status = response.status();
                (
                    status,
                    response.json::<Value>().await.unwrap_or(Value::Null),
                )
            })
        })
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    for request in requests {
        let (status, body) = request.await.expect("request");
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.insert(id_of(&body));
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
}

#[tokio::test]
async fn a_click_left_by_a_race_with_its_owners_claim_is_dropped_when_the_month_closes() {
    let app = private_fetching_app().await;
    // Alice clicked her page while nobody had claimed it; then the page became hers and
    // claimed without her click being undone, as a click racing the claim on PostgreSQL can
    // leave it (the click read the thing just before the claim committed).
    let (alice, alice_token) = funded_reader(&app, "10.00", BUDGET).await;
    let (rita, _) = funded_reader(&app, "10.00", BUDGET).await;
    let page = an_unclaimed_thing(&app, &alice, "https://alice.example/a", "Chez Alice").await;
    click_in_october(&app, &alice, page).await;
    click_in_october(&app, &rita, page).await;
    let owner = obole::domain::UserId(alice.id);
    app.db(move |conn| {
        let url = obole::domain::site::SiteUrl::parse("https://alice.example/").expect("site");
        let site =
            obole::models::sites::insert(conn, owner, &url, "obole-race", chrono::Utc::now())
                .expect("site");
        obole::models::sites::mark_verified(
            conn,
            site,
            obole::domain::site::ProofMethod::Operator,
            None,
            chrono::Utc::now(),
        )
        .expect("proven");
        obole::models::sites::set_claim(
            conn,
            page,
            (owner, None),
            (owner, Some(site)),
            chrono::Utc::now(),
        )
        .expect("claimed, the click left");
    })
    .await;
    let revenue_before = micros(&me(&app, &alice_token).await["revenue"]);
    let funds_before = micros(&me(&app, &alice_token).await["funds"]);

    settle_october(&app).await;

    // Only Rita's budget paid Alice; Alice's own reservation went back to her funds.
    let ritas_share = share_of_budget(1);
    let after = me(&app, &alice_token).await;
    assert_eq!(
        micros(&after["revenue"]) - revenue_before,
        ritas_share - ten_percent_of(ritas_share)
    );
    assert_eq!(micros(&after["funds"]) - funds_before, share_of_budget(1));
    app.assert_ledger_sound().await;
}
