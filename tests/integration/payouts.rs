//! Payouts: a creator asks for their revenue with an IBAN; refusals are localized and move
//! nothing; concurrent identical requests make one payout; an operator sends or rejects it
//! and the creator is told by mail; revenue can also go into one's own funds.

use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::builders::TestUser;
use crate::helpers::mail::{self, MailServer};
use crate::helpers::month::verify_email;
use crate::helpers::payouts::a_creator_with_revenue;
use crate::helpers::spawn_app;

const IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";

/// A creator whose October earned 18.00 net (a reader's 20.00 budget, 10 % fee), with a
/// verified address, and their API token.
async fn creator_with_revenue(app: &TestApp) -> (TestUser, String) {
    a_creator_with_revenue(app, "Camille", "20.00").await
}

async fn request(
    app: &TestApp,
    token: &str,
    body: serde_json::Value,
    key: Option<&str>,
    language: &str,
) -> reqwest::Response {
    let mut builder = app
        .api()
        .post(app.url("/api/v1/me/payouts"))
        .bearer_auth(token)
        .header("Accept-Language", language)
        .json(&body);
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    builder.send().await.expect("request")
}

/// The creator's revenue, as the API says it.
async fn revenue(app: &TestApp, token: &str) -> serde_json::Value {
    app.me(token).await["revenue"].clone()
}

async fn payout_count(app: &TestApp) -> i64 {
    app.db(|conn| {
        use diesel::prelude::*;
        obole::db::schema::payouts::table
            .count()
            .get_result(conn)
            .expect("count")
    })
    .await
}

#[tokio::test]
async fn a_bad_request_is_refused_in_the_readers_language_and_moves_nothing() {
    let app = spawn_app().await;
    let (_, token) = creator_with_revenue(&app).await;
    assert_eq!(revenue(&app, &token).await, "18.00");
    let cases = [
        (
            serde_json::json!({"iban": IBAN, "holder": "Camille", "amount": "9.99"}),
            "payout_below_minimum",
            "Un versement doit atteindre au moins le montant minimum.",
        ),
        (
            serde_json::json!({"iban": "FR76 3000 6000 0112 3456 7890 188", "holder": "Camille"}),
            "invalid_iban",
            "Cet IBAN n’est pas valide. Veuillez le comparer à votre RIB.",
        ),
        (
            serde_json::json!({"iban": IBAN, "holder": ""}),
            "invalid_holder",
            "Veuillez indiquer le nom du titulaire du compte (70 caractères au plus).",
        ),
        (
            serde_json::json!({"iban": IBAN, "holder": "Camille", "amount": "18.01"}),
            "payout_above_revenue",
            "C’est plus que vos revenus disponibles.",
        ),
        (
            serde_json::json!({"iban": IBAN, "holder": "Camille", "amount": "12.345"}),
            "invalid_amount",
            "",
        ),
    ];
    for (body, code, message) in cases {
        let response = request(&app, &token, body.clone(), None, "fr-FR,fr;q=0.9").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error: serde_json::Value = response.json().await.expect("json");
        assert_eq!(error["error"]["code"], code, "{body}");
        if !message.is_empty() {
            assert_eq!(error["error"]["message"], message);
        }
    }
    assert_eq!(payout_count(&app).await, 0);
    assert_eq!(revenue(&app, &token).await, "18.00", "nothing moved");

    // The page says the same, in French, and keeps what was typed.
    let creator = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&creator).await;
    verify_email(&app, &creator).await;
    app.switch_language(&visitor, "fr").await;
    let refused = app
        .submit_form(
            &visitor,
            "/payouts",
            "/payouts",
            &[("iban", "FR00 1234"), ("holder", "Moi"), ("amount", "")],
            "fr",
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.expect("page");
    assert!(page.contains("Cet IBAN n’est pas valide."), "{page}");
    assert!(page.contains("value=\"FR00 1234\""), "{page}");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_payout_needs_a_verified_address() {
    let app = spawn_app().await;
    let (creator, token) = creator_with_revenue(&app).await;
    let id = obole::domain::UserId(creator.id);
    app.db(move |conn| {
        use diesel::prelude::*;
        diesel::update(obole::db::schema::users::table.find(id.0))
            .set(obole::db::schema::users::email_verified_at.eq(None::<chrono::NaiveDateTime>))
            .execute(conn)
            .expect("unverify")
    })
    .await;
    let response = request(
        &app,
        &token,
        serde_json::json!({"iban": IBAN, "holder": "Camille"}),
        None,
        "en",
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let error: serde_json::Value = response.json().await.expect("json");
    assert_eq!(error["error"]["code"], "email_not_verified");
    assert_eq!(payout_count(&app).await, 0);
}

#[tokio::test]
async fn twenty_concurrent_identical_requests_make_one_payout() {
    let app = spawn_app().await;
    let (_, token) = creator_with_revenue(&app).await;
    let body = serde_json::json!({"iban": IBAN, "holder": "Camille Martin"});
    let mut ids = std::collections::BTreeSet::new();
    let mut created = 0;
    for (status, replayed, payout) in at_once(&app, &token, &body, Some("payout-1"), 20).await {
        assert_eq!(
            status,
            StatusCode::CREATED,
            "a replay repeats the first answer"
        );
        if !replayed {
            created += 1;
        }
        assert_eq!(payout["amount"], "18.00");
        assert_eq!(payout["state"], "pending");
        assert_eq!(
            payout["iban"], "FR76…0189",
            "the IBAN is never sent back whole"
        );
        ids.insert(payout["id"].as_i64().expect("id"));
    }
    assert_eq!(
        created, 1,
        "one request recorded it, the others were answered with it"
    );
    assert_eq!(ids.len(), 1);
    assert_eq!(payout_count(&app).await, 1);
    assert_eq!(revenue(&app, &token).await, "0.00");

    // Without a key, twenty more requests find the waiting one and make nothing.
    for (status, _, error) in at_once(&app, &token, &body, None, 20).await {
        assert_eq!(status, StatusCode::CONFLICT, "{error}");
        assert_eq!(error["error"]["code"], "payout_waiting");
    }
    assert_eq!(payout_count(&app).await, 1);
    app.assert_ledger_sound().await;
}

/// A payout request (in English, with `key`) that the test expects to be recorded: its body.
async fn requested(
    app: &TestApp,
    token: &str,
    body: serde_json::Value,
    key: &str,
) -> serde_json::Value {
    request(app, token, body, Some(key), "en")
        .await
        .json()
        .await
        .expect("json")
}

/// Sends `count` copies of a payout request at once, each on a task of its own.
async fn at_once(
    app: &TestApp,
    token: &str,
    body: &serde_json::Value,
    key: Option<&str>,
    count: usize,
) -> Vec<(StatusCode, bool, serde_json::Value)> {
    let tasks: Vec<_> = (0..count)
        .map(|_| {
            let mut builder = app
                .api()
                .post(app.url("/api/v1/me/payouts"))
                .bearer_auth(token)
                .json(body);
            if let Some(key) = key {
                builder = builder.header("Idempotency-Key", key);
            }
            tokio::spawn(async move {
                let response = builder.send().await.expect("request");
                let status = response.status();
                let replayed = response.headers().contains_key("Idempotent-Replayed");
                (status, replayed, response.json().await.expect("json"))
            })
        })
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.expect("task"));
    }
    out
}

/// An operator's decision on payout `id` (`sent` or `rejected`, with its note), through the
/// operators' page in `language`.
async fn decide(
    app: &TestApp,
    operator: &reqwest::Client,
    id: i64,
    decision: &str,
    note: &str,
    language: &str,
) -> reqwest::Response {
    app.submit_form(
        operator,
        "/operator/payouts",
        &format!("/operator/payouts/{id}"),
        &[("decision", decision), ("note", note)],
        language,
    )
    .await
}

#[tokio::test]
async fn an_operator_sends_or_rejects_a_payout_and_the_creator_is_told() {
    let Some(server) = MailServer::start().await else {
        return;
    };
    let app = mail::app_mailing_to(server.smtp_port).await;
    let (creator, token) = creator_with_revenue(&app).await;
    let operator = app.a_user().operator().create().await;
    let operator_visitor = app.logged_in_visitor(&operator).await;

    // First request: 10.00, rejected; the money comes back.
    let first = requested(
        &app,
        &token,
        serde_json::json!({"iban": IBAN, "holder": "Camille", "amount": "10.00"}),
        "a",
    )
    .await;
    assert_eq!(revenue(&app, &token).await, "8.00");
    let pending = app.html(&operator_visitor, "/operator/payouts", "en").await;
    assert!(
        pending.contains("FR76 3000 6000 0112 3456 7890 189"),
        "{pending}"
    );
    let id = first["id"].as_i64().expect("id");
    let rejected = decide(
        &app,
        &operator_visitor,
        id,
        "rejected",
        "Holder name differs",
        "en",
    )
    .await;
    assert_eq!(rejected.status(), StatusCode::SEE_OTHER);
    assert_eq!(revenue(&app, &token).await, "18.00");

    // Second request: all of it, sent with a reference.
    let second = requested(
        &app,
        &token,
        serde_json::json!({"iban": IBAN, "holder": "Camille Martin"}),
        "b",
    )
    .await;
    let id = second["id"].as_i64().expect("id");
    let sent = decide(
        &app,
        &operator_visitor,
        id,
        "sent",
        "SEPA-2026-11-0042",
        "en",
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    // Deciding twice changes nothing.
    let twice = decide(&app, &operator_visitor, id, "rejected", "", "en").await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    assert_eq!(revenue(&app, &token).await, "0.00");
    let list: serde_json::Value = app
        .api()
        .get(app.url("/api/v1/me/payouts"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let states: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["state"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(states, vec!["sent", "rejected"]);

    let messages = server
        .wait_for(30, |all| {
            mail::to(all, &creator.email)
                .iter()
                .filter(|m| m["subject"].as_str().unwrap_or_default().contains("payout"))
                .count()
                >= 2
        })
        .await;
    let mut subjects: Vec<String> = mail::to(&messages, &creator.email)
        .iter()
        .map(|m| m["subject"].as_str().unwrap_or_default().to_owned())
        .filter(|s| s.contains("payout"))
        .collect();
    subjects.sort();
    assert_eq!(
        subjects,
        vec![
            "Your payout of €10.00: rejected",
            "Your payout of €18.00: sent"
        ]
    );
    let sent_mail = mail::to(&messages, &creator.email)
        .into_iter()
        .find(|m| m["subject"].as_str().unwrap_or_default().ends_with("sent"))
        .expect("sent mail");
    assert!(
        sent_mail["text"]
            .as_str()
            .unwrap_or_default()
            .contains("SEPA-2026-11-0042")
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn revenue_moves_into_ones_own_funds() {
    let app = spawn_app().await;
    let (_, token) = creator_with_revenue(&app).await;
    let moved: serde_json::Value = app
        .api()
        .post(app.url("/api/v1/me/revenue/transfer"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"amount": "5.00"}))
        .send()
        .await
        .expect("transfer")
        .json()
        .await
        .expect("json");
    assert_eq!(moved["moved"], "5.00");
    assert_eq!(moved["funds"], "5.00");
    assert_eq!(moved["revenue"], "13.00");
    let too_much = app
        .api()
        .post(app.url("/api/v1/me/revenue/transfer"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"amount": "13.01"}))
        .send()
        .await
        .expect("transfer");
    assert_eq!(too_much.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(revenue(&app, &token).await, "13.00");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn the_ledger_check_catches_pending_payouts_that_differ_from_the_requests() {
    let app = spawn_app().await;
    let (_, token) = creator_with_revenue(&app).await;
    let body = serde_json::json!({"iban": IBAN, "holder": "Camille", "amount": "10.00"});
    let response = request(&app, &token, body, None, "en").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    app.assert_ledger_sound().await;
    // A request whose amount no longer matches what the ledger set aside.
    app.db(|conn| {
        use diesel::prelude::*;
        use obole::db::schema::payouts;
        diesel::update(payouts::table)
            .set(payouts::amount_micros.eq(payouts::amount_micros + 10_000))
            .execute(conn)
            .expect("tamper")
    })
    .await;
    let report = app
        .db(|conn| obole::models::ledger::check(conn).expect("check"))
        .await;
    assert_eq!(report.pending_payout_mismatches.len(), 1, "{report:?}");
    assert!(!report.is_sound());
}

/// `POST /api/v1/me/revenue/transfer` with an `Idempotency-Key`.
async fn transfer(
    app: &TestApp,
    token: &str,
    body: serde_json::Value,
    key: &str,
) -> reqwest::Response {
    app.api()
        .post(app.url("/api/v1/me/revenue/transfer"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .expect("transfer")
}

#[tokio::test]
async fn a_transfer_retried_with_its_key_moves_the_money_once() {
    let app = spawn_app().await;
    let (_, token) = creator_with_revenue(&app).await;
    let body = serde_json::json!({"amount": "5.00"});
    let first = transfer(&app, &token, body.clone(), "move-1").await;
    assert_eq!(first.status(), StatusCode::OK);
    assert!(!first.headers().contains_key("Idempotent-Replayed"));
    let first: serde_json::Value = first.json().await.expect("json");
    assert_eq!(first["revenue"], "13.00");

    // A retry (the same object, written differently) gets the first answer back.
    let retry = app
        .api()
        .post(app.url("/api/v1/me/revenue/transfer"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "move-1")
        .header("Content-Type", "application/json")
        .body("{ \"amount\" : \"5.00\" }")
        .send()
        .await
        .expect("retry");
    assert_eq!(retry.status(), StatusCode::OK);
    assert_eq!(retry.headers()["Idempotent-Replayed"], "true");
    assert_eq!(
        retry.json::<serde_json::Value>().await.expect("json"),
        first
    );
    assert_eq!(revenue(&app, &token).await, "13.00", "moved once");

    // Ten retries at once still move it once.
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let request = app
                .api()
                .post(app.url("/api/v1/me/revenue/transfer"))
                .bearer_auth(&token)
                .header("Idempotency-Key", "move-2")
                .json(&serde_json::json!({"amount": "1.00"}));
            tokio::spawn(async move { request.send().await.expect("transfer").status() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("task"), StatusCode::OK);
    }
    assert_eq!(
        revenue(&app, &token).await,
        "12.00",
        "ten retries moved 1.00 once"
    );

    // The same key with another body is refused and moves nothing.
    let reused = transfer(
        &app,
        &token,
        serde_json::json!({"amount": "2.00"}),
        "move-1",
    )
    .await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = reused.json().await.expect("json");
    assert_eq!(error["error"]["code"], "idempotency_key_reused");
    assert_eq!(revenue(&app, &token).await, "12.00");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_payout_key_reused_with_another_body_is_refused() {
    let app = spawn_app().await;
    let (_, token) = creator_with_revenue(&app).await;
    let first = request(
        &app,
        &token,
        serde_json::json!({"iban": IBAN, "holder": "Camille", "amount": "10.00"}),
        Some("k"),
        "en",
    )
    .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: serde_json::Value = first.json().await.expect("json");
    let replay = request(
        &app,
        &token,
        serde_json::json!({"iban": IBAN, "holder": "Camille", "amount": "10.00"}),
        Some("k"),
        "en",
    )
    .await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(replay.headers()["Idempotent-Replayed"], "true");
    assert_eq!(
        replay.json::<serde_json::Value>().await.expect("json"),
        first
    );
    let reused = request(
        &app,
        &token,
        serde_json::json!({"iban": IBAN, "holder": "Camille", "amount": "12.00"}),
        Some("k"),
        "fr",
    )
    .await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = reused.json().await.expect("json");
    assert_eq!(error["error"]["code"], "idempotency_key_reused");
    assert_eq!(payout_count(&app).await, 1);
    assert_eq!(revenue(&app, &token).await, "8.00");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn the_to_funds_form_sent_twice_moves_the_money_once() {
    let app = spawn_app().await;
    let (creator, token) = creator_with_revenue(&app).await;
    let visitor = app.logged_in_visitor(&creator).await;
    let page = app.html(&visitor, "/payouts", "en").await;
    let csrf = crate::helpers::html::csrf_token(&page);
    let key = page
        .split("name=\"idempotency_key\" value=\"")
        .nth(2)
        .and_then(|rest| rest.split('"').next())
        .expect("the to-funds form's key")
        .to_owned();
    for _ in 0..2 {
        let response = visitor
            .post(app.url("/payouts/to-funds"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("amount", "3.00"),
                ("idempotency_key", key.as_str()),
            ])
            .send()
            .await
            .expect("to funds");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(revenue(&app, &token).await, "15.00", "moved once");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn an_operator_cannot_decide_their_own_payout_another_must() {
    let app = spawn_app().await;
    let (creator, token) = creator_with_revenue(&app).await;
    let other = app.a_user().operator().create().await;
    creator.make_operator(&app).await;
    let payout = requested(
        &app,
        &token,
        serde_json::json!({"iban": IBAN, "holder": "Camille"}),
        "mine",
    )
    .await;
    let id = payout["id"].as_i64().expect("id");
    let own = app.logged_in_visitor(&creator).await;
    app.switch_language(&own, "fr").await;
    let page = app.html(&own, "/operator/payouts", "fr").await;
    assert!(page.contains("Votre propre demande"), "{page}");
    let refused = decide(&app, &own, id, "sent", "SEPA-SELF", "fr").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let html = refused.text().await.expect("html");
    assert!(
        html.contains("un autre opérateur doit la traiter"),
        "{html}"
    );
    assert_eq!(revenue(&app, &token).await, "0.00", "still pending");
    let second = app.logged_in_visitor(&other).await;
    let sent = decide(&app, &second, id, "sent", "SEPA-2026-12-0001", "en").await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn statements_name_the_fee_rate_the_month_was_settled_at() {
    let app = spawn_app().await;
    let (creator, token) = creator_with_revenue(&app).await;
    let earnings = app
        .api()
        .get(app.url("/api/v1/me/earnings?month=2026-10"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("earnings")
        .json::<serde_json::Value>()
        .await
        .expect("json");
    assert_eq!(earnings["fee_percent"], "10");
    assert_eq!(earnings["fee"], "2.00");
    let visitor = app.logged_in_visitor(&creator).await;
    let statement = app
        .html(&visitor, "/earnings/2026-10/statement", "en")
        .await;
    assert!(statement.contains("Platform fee (10%)"), "{statement}");
    app.switch_language(&visitor, "fr").await;
    let statement = app
        .html(&visitor, "/earnings/2026-10/statement", "fr")
        .await;
    assert!(
        statement.contains("Commission de la plateforme (10\u{a0}%)"),
        "{statement}"
    );
}
