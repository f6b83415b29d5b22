//! Card top-ups through a real Stripe-compatible server (localstripe): funds are credited by
//! the signed webhook only, once per event and once per payment.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::app::spawn_app_with_peer;
use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::stripe::{
    LocalStripe, WEBHOOK_SECRET, a_reader_who_paid_by_card, deliver, now, post_webhook, signature,
    start_top_up, stripe_and_app, wait_for_funds,
};
use crate::helpers::{TestApp, spawn_app};

async fn app_with(stripe: &LocalStripe) -> TestApp {
    spawn_app_with_peer(&stripe.settings()).await
}

async fn events_recorded(app: &TestApp) -> i64 {
    app.db(|conn| {
        obole::db::schema::stripe_events::table
            .count()
            .get_result::<i64>(conn)
            .expect("count")
    })
    .await
}

/// The reader's latest card payment, as the API lists it.
async fn payment(app: &TestApp, token: &str) -> Value {
    app.get_json_as(token, "/api/v1/me/card-payments").await["items"][0].clone()
}

#[tokio::test]
async fn a_card_top_up_is_credited_once_even_when_the_webhook_comes_three_times() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (reader, token) = funded_reader(&app, "1.00", "2.00").await;

    let intent = start_top_up(&app, &token, "10.00").await;
    assert_eq!(
        app.me(&token).await["funds"],
        "1.00",
        "nothing before payment"
    );
    let paid = stripe.pay(&intent, "pm_card_visa").await;
    assert_eq!(paid["status"], "succeeded", "{paid}");
    // localstripe delivers its signed event itself: the first delivery.
    wait_for_funds(&app, &token, "11.00").await;

    // Stripe delivers again (at least once, not exactly once): the same event twice more,
    // then three times at once.
    let event = json!({
        "id": format!("evt_again_{intent}"),
        "type": "payment_intent.succeeded",
        "created": now(),
        "data": { "object": stripe.intent(&intent).await },
    });
    let body = serde_json::to_vec(&event).expect("JSON");
    for _ in 0..2 {
        let (status, answer) = deliver(&app, &body).await;
        assert_eq!(status, 200, "{answer}");
    }
    let mut deliveries = tokio::task::JoinSet::new();
    for _ in 0..3 {
        let (client, url, body) = (app.api(), app.url("/webhooks/stripe"), body.clone());
        deliveries.spawn(async move {
            let header = signature(&body, WEBHOOK_SECRET, now());
            let response = client
                .post(url)
                .header("Stripe-Signature", header)
                .body(body)
                .send()
                .await
                .expect("deliver");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.expect("JSON"))
        });
    }
    while let Some(delivered) = deliveries.join_next().await {
        let (status, answer) = delivered.expect("task");
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["duplicate"], true);
    }
    assert_eq!(app.me(&token).await["funds"], "11.00", "credited once");
    assert_eq!(app.ledger_groups("card_payment").await, 1);
    assert_eq!(
        events_recorded(&app).await,
        2,
        "localstripe's event and ours"
    );
    let payment = payment(&app, &token).await;
    assert_eq!(payment["state"], "succeeded");
    assert_eq!(payment["id"], intent.as_str());
    app.assert_ledger_sound().await;

    // The funds page lists the payment and the movement.
    let visitor = app.logged_in_visitor(&reader).await;
    let page = app.html(&visitor, "/funds", "en").await;
    assert!(page.contains("id=\"card-payments\""), "{page}");
    assert!(page.contains("Credited"), "{page}");
    assert!(page.contains("Card payment"), "{page}");
    assert!(
        page.contains("id=\"card-start\""),
        "the card form is offered"
    );
}

/// A `payment_intent.succeeded` event for `intent`, as Stripe would send it.
fn succeeded_event(id: &str, intent: &str, cents: i64, currency: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": id,
        "type": "payment_intent.succeeded",
        "created": now(),
        "data": { "object": {
            "id": intent, "object": "payment_intent", "amount": cents,
            "currency": currency, "status": "succeeded",
        } },
    }))
    .expect("JSON")
}

#[tokio::test]
async fn webhooks_with_a_modified_body_a_wrong_secret_or_an_old_timestamp_are_refused() {
    let Some(stripe) = LocalStripe::start().await else {
        return;
    };
    let app = app_with(&stripe).await;
    let (_reader, token) = funded_reader(&app, "1.00", "2.00").await;
    let intent = start_top_up(&app, &token, "10.00").await;
    let good = succeeded_event("evt_test_1", &intent, 1_000, "eur");

    let mut modified = good.clone();
    let at = modified
        .windows(4)
        .position(|w| w == b"1000")
        .expect("the amount in the body");
    modified[at] = b'9';
    let refused = [
        (
            "a modified body",
            modified.clone(),
            Some(signature(&good, WEBHOOK_SECRET, now())),
        ),
        (
            "a wrong secret",
            good.clone(),
            Some(signature(&good, "whsec_wrong", now())),
        ),
        (
            "a timestamp 301 s old",
            good.clone(),
            Some(signature(&good, WEBHOOK_SECRET, now() - 301)),
        ),
        (
            "a timestamp 310 s ahead",
            good.clone(),
            Some(signature(&good, WEBHOOK_SECRET, now() + 310)),
        ),
        ("no signature", good.clone(), None),
    ];
    for (what, body, header) in refused {
        let (status, answer) = post_webhook(&app, &body, header).await;
        assert_eq!(status, 400, "{what}: {answer}");
        assert_eq!(
            answer["error"]["code"], "webhook_signature_invalid",
            "{what}"
        );
    }
    // Signed, but not the payment Obole created: refused too.
    for (what, body) in [
        (
            "another amount",
            succeeded_event("evt_test_2", &intent, 100_000, "eur"),
        ),
        (
            "another currency",
            succeeded_event("evt_test_3", &intent, 1_000, "usd"),
        ),
    ] {
        let (status, answer) = deliver(&app, &body).await;
        assert_eq!(status, 400, "{what}: {answer}");
        assert_eq!(answer["error"]["code"], "webhook_mismatch", "{what}");
    }
    assert_eq!(app.me(&token).await["funds"], "1.00", "nothing credited");
    assert_eq!(events_recorded(&app).await, 0, "no refused event recorded");
    assert_eq!(payment(&app, &token).await["state"], "created");
    app.assert_ledger_sound().await;

    // The same event, signed right and 290 s old, is believed: the refusals were the signature's.
    let (status, answer) = post_webhook(
        &app,
        &good,
        Some(signature(&good, WEBHOOK_SECRET, now() - 290)),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(app.me(&token).await["funds"], "11.00");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_declined_card_is_shown_to_the_reader_and_credits_nothing() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (reader, token) = funded_reader(&app, "1.00", "2.00").await;
    let intent = start_top_up(&app, &token, "20.00").await;
    stripe.pay(&intent, "pm_card_chargeCustomerFail").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while payment(&app, &token).await["state"] != "failed" {
        assert!(Instant::now() < deadline, "the failure never arrived");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let failed = payment(&app, &token).await;
    assert!(
        failed["failure_message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{failed}"
    );
    assert_eq!(app.me(&token).await["funds"], "1.00");
    let visitor = app.logged_in_visitor(&reader).await;
    let page = app.html(&visitor, "/funds", "en").await;
    assert!(page.contains("Failed"), "{page}");
    assert!(
        page.contains(failed["failure_message"].as_str().unwrap_or("?")),
        "{page}"
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_refund_debits_the_unspent_funds_and_records_what_was_spent() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    // The reader paid 10.00 and spent 3.00 of it: a click reserved the month's budget.
    let (reader, token, intent) = a_reader_who_paid_by_card(&stripe, &app).await;

    // A partial refund of 4.00, then the rest: Stripe reports the running total.
    stripe.refund(&intent, 400).await;
    let refund = |id: &str, total: i64| {
        serde_json::to_vec(&json!({
            "id": id, "type": "charge.refunded", "created": now(),
            "data": { "object": { "id": "ch_test", "object": "charge", "payment_intent": intent,
                                  "amount": 1_000, "amount_refunded": total, "currency": "eur" } },
        }))
        .expect("JSON")
    };
    let first = refund("evt_refund_1", 400);
    let (status, _) = deliver(&app, &first).await;
    assert_eq!(status, 200);
    assert_eq!(app.me(&token).await["funds"], "3.01");
    // Delivered again, and an older total arriving late: nothing more.
    let (status, _) = deliver(&app, &first).await;
    assert_eq!(status, 200);
    stripe.refund(&intent, 600).await;
    let full = refund("evt_refund_2", 1_000);
    let (status, _) = deliver(&app, &full).await;
    assert_eq!(status, 200);
    let late = refund("evt_refund_0", 400);
    let (status, _) = deliver(&app, &late).await;
    assert_eq!(status, 200);
    // 6.00 more was refunded, but the funds hold 3.01 (3.00 went to the month's budget):
    // the debit takes 3.01 and the platform bears the 2.99 already spent.
    let me_now = app.me(&token).await;
    assert_eq!(me_now["funds"], "0.00", "{me_now}");
    assert_eq!(
        me_now["reserved"], "3.00",
        "the reserved budget is not touched"
    );
    let refunded = payment(&app, &token).await;
    assert_eq!(refunded["refunded"], "10.00");
    let shortfall = app
        .db(|conn| {
            obole::db::schema::card_payments::table
                .select(obole::db::schema::card_payments::refund_shortfall_micros)
                .first::<i64>(conn)
                .expect("row")
        })
        .await;
    assert_eq!(shortfall, 2_990_000);
    assert_eq!(app.ledger_groups("card_refund").await, 2);
    app.assert_ledger_sound().await;
    let visitor = app.logged_in_visitor(&reader).await;
    let page = app.html(&visitor, "/funds", "en").await;
    assert!(page.contains("€10.00 refunded"), "{page}");
    assert!(page.contains("Card refund"), "{page}");
}

#[tokio::test]
async fn without_stripe_settings_there_is_no_card_option_and_nothing_breaks() {
    let app = spawn_app().await;
    let (reader, token) = funded_reader(&app, "5.00", "2.00").await;
    let visitor = app.logged_in_visitor(&reader).await;
    let page = app.html(&visitor, "/funds", "en").await;
    assert!(!page.contains("card-start"), "{page}");
    assert!(page.contains("redeem-title"), "vouchers still work");
    let response = app
        .api()
        .post(app.url("/api/v1/me/card-payments"))
        .bearer_auth(&token)
        .json(&json!({ "amount": "10.00" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "card_payments_unavailable");
    let body = succeeded_event("evt_x", "pi_x", 1_000, "eur");
    let (status, _) = deliver(&app, &body).await;
    assert_eq!(status, 404);
    let login = app.html(&app.visitor(), "/login", "en").await;
    assert!(!login.contains("id=\"providers\""), "no provider buttons");
    let response = app
        .visitor()
        .get(app.url("/auth/github"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 404);
    assert_eq!(app.me(&token).await["funds"], "5.00");
}

#[tokio::test]
async fn card_amounts_below_the_minimum_are_refused_with_a_localized_message() {
    let Some(stripe) = LocalStripe::start().await else {
        return;
    };
    let app = app_with(&stripe).await;
    let (reader, token) = funded_reader(&app, "1.00", "2.00").await;
    for (amount, code) in [
        ("4.99", "top_up_below_minimum"),
        ("5.001", "invalid_amount"),
        ("1000.01", "top_up_above_maximum"),
    ] {
        let response = app
            .api()
            .post(app.url("/api/v1/me/card-payments"))
            .bearer_auth(&token)
            .json(&json!({ "amount": amount }))
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 422, "{amount}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], code, "{amount}");
    }
    let visitor = app.logged_in_visitor(&reader).await;
    app.switch_language(&visitor, "fr").await;
    let response = app
        .submit_form(
            &visitor,
            "/funds",
            "/funds/card",
            &[("amount", "other"), ("other_amount", "4,50")],
            "fr",
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("au moins 5,00"), "{page}");
    assert!(page.contains("value=\"4,50\""), "the typed amount stays");
    // A preset goes to the card form, with Stripe.js allowed by the page's policy only.
    let response = app
        .submit_form(
            &visitor,
            "/funds",
            "/funds/card",
            &[("amount", "10.00")],
            "fr",
        )
        .await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("CSP")
        .to_owned();
    assert!(csp.contains(&stripe.base()), "{csp}");
    let page = response.text().await.expect("page");
    assert!(page.contains("Payer 10,00"), "{page}");
    assert!(page.contains("js.stripe.com"), "{page}");
    assert_eq!(app.me(&token).await["funds"], "1.00");
    let plain = app
        .visitor()
        .get(app.url("/funds"))
        .send()
        .await
        .expect("GET");
    let csp = plain.headers()["content-security-policy"]
        .to_str()
        .expect("CSP");
    assert!(
        !csp.contains(&stripe.base()),
        "other pages keep the strict policy"
    );
}

/// On the way to a tip, a card top-up keeps the way back: the card page returns to the funds
/// page with the path, which offers to continue once the webhook has credited the funds.
#[tokio::test]
async fn a_card_top_up_on_the_way_to_a_tip_comes_back_to_the_path() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "A post").await;
    let tip = format!("/t/{thing}");
    let reader = app.a_user().create().await;
    let token = reader.token(&app).await;
    let visitor = app.logged_in_visitor(&reader).await;
    let response = app
        .submit_form(
            &visitor,
            &format!("/funds?next={tip}"),
            "/funds/card",
            &[("amount", "10.00"), ("next", &tip)],
            "en",
        )
        .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("page");
    assert!(
        page.contains(&format!(
            "data-done=\"/funds?card=confirming&amp;next=%2Ft%2F{thing}\""
        )),
        "{page}"
    );
    let secret = page
        .split("data-client-secret=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("client secret");
    let intent = secret.split("_secret_").next().expect("intent id");
    stripe.pay(intent, "pm_card_visa").await;
    wait_for_funds(&app, &token, "10.00").await;
    let back = app
        .html(
            &visitor,
            &format!("/funds?card=confirming&next=%2Ft%2F{thing}"),
            "en",
        )
        .await;
    assert!(back.contains("id=\"journey-continue\""), "{back}");
    let next = visitor
        .get(app.url(&format!("/continue?next={tip}")))
        .send()
        .await
        .expect("continue");
    assert_eq!(
        next.headers()["location"],
        format!("/budget?next={tip}").as_str()
    );
}
