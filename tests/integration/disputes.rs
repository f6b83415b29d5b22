//! Card disputes (chargebacks) through signed Stripe events, after a real payment through
//! localstripe: handled like refunds, applied once, undone when won, shown to operators.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::stripe::{
    a_reader_who_paid_by_card, deliver, now, post_webhook, signature, stripe_and_app,
    stripe_and_app_with,
};

/// Delivers the event `event`, signed; returns the status.
async fn deliver_event(app: &TestApp, event: &Value) -> u16 {
    deliver(app, &serde_json::to_vec(event).expect("JSON"))
        .await
        .0
}

fn dispute(event: &str, kind: &str, id: &str, intent: &str, amount: i64, status: &str) -> Value {
    json!({
        "id": event, "type": kind, "created": now(),
        "data": { "object": { "id": id, "object": "dispute", "charge": "ch_test",
            "payment_intent": intent, "amount": amount, "currency": "eur",
            "status": status, "reason": "fraudulent" } },
    })
}

/// The reader's available funds, as the API says them.
async fn funds(app: &TestApp, token: &str) -> Value {
    app.me(token).await["funds"].clone()
}

async fn dispute_row(app: &TestApp, id: &'static str) -> (String, i64, i64, i64) {
    app.db(move |conn| {
        use obole::db::schema::card_disputes as d;
        d::table
            .filter(d::dispute_id.eq(id))
            .select((
                d::state,
                d::amount_micros,
                d::debited_micros,
                d::shortfall_micros,
            ))
            .first(conn)
            .expect("dispute row")
    })
    .await
}

#[tokio::test]
async fn a_dispute_debits_the_unspent_funds_once_and_a_won_one_gives_them_back() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (reader, token, intent) = a_reader_who_paid_by_card(&stripe, &app).await;

    // Disputed in full: 7.01 is still in the funds, 2.99 was spent (the platform's shortfall).
    let created = dispute(
        "evt_dp_1",
        "charge.dispute.created",
        "dp_1",
        &intent,
        1_000,
        "needs_response",
    );
    assert_eq!(deliver_event(&app, &created).await, 200);
    assert_eq!(
        deliver_event(&app, &created).await,
        200,
        "the same event again"
    );
    assert_eq!(funds(&app, &token).await, "0.00");
    assert_eq!(
        dispute_row(&app, "dp_1").await,
        ("open".into(), 10_000_000, 7_010_000, 2_990_000)
    );
    assert_eq!(app.ledger_groups("card_dispute").await, 1);
    app.assert_ledger_sound().await;
    // The reader is told, once.
    assert_eq!(app.queued_mails("card_dispute").await, 1);
    // The operator sees it, with the reader and the shortfall.
    let operator = app.a_user().operator().create().await;
    let visitor = app.logged_in_visitor(&operator).await;
    let page = app.html(&visitor, "/operator/disputes", "en").await;
    assert!(page.contains(&reader.email), "{page}");
    assert!(page.contains("€2.99"), "{page}");
    let fr = app.html(&visitor, "/operator/disputes", "fr").await;
    assert!(
        fr.contains("Litiges de paiement par carte") || fr.contains("Card disputes"),
        "{fr}"
    );
    // Not for readers.
    let someone = app.logged_in_visitor(&reader).await;
    let refused = someone
        .get(app.url("/operator/disputes"))
        .send()
        .await
        .expect("GET");
    assert_eq!(refused.status(), 403);

    // Won: the 7.01 comes back, the shortfall is cleared; a second closing changes nothing.
    let won = dispute(
        "evt_dp_2",
        "charge.dispute.closed",
        "dp_1",
        &intent,
        1_000,
        "won",
    );
    assert_eq!(deliver_event(&app, &won).await, 200);
    let lost_late = dispute(
        "evt_dp_3",
        "charge.dispute.closed",
        "dp_1",
        &intent,
        1_000,
        "lost",
    );
    assert_eq!(deliver_event(&app, &lost_late).await, 200);
    assert_eq!(funds(&app, &token).await, "7.01");
    assert_eq!(
        dispute_row(&app, "dp_1").await,
        ("won".into(), 10_000_000, 7_010_000, 0)
    );
    assert_eq!(app.ledger_groups("card_dispute_won").await, 1);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_lost_dispute_keeps_the_money_even_when_closed_comes_first() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (_, token, intent) = a_reader_who_paid_by_card(&stripe, &app).await;
    // A partial refund of 4.00 first: only 6.00 is left to dispute.
    let refund = json!({
        "id": "evt_rf", "type": "charge.refunded", "created": now(),
        "data": { "object": { "id": "ch_test", "object": "charge", "payment_intent": intent,
                              "amount": 1_000, "amount_refunded": 400, "currency": "eur" } },
    });
    assert_eq!(deliver_event(&app, &refund).await, 200);
    assert_eq!(funds(&app, &token).await, "3.01");
    // `closed` (lost) before `created`: applied at once; the late `created` changes nothing.
    let closed = dispute(
        "evt_dp_b",
        "charge.dispute.closed",
        "dp_2",
        &intent,
        1_000,
        "lost",
    );
    assert_eq!(deliver_event(&app, &closed).await, 200);
    let created = dispute(
        "evt_dp_a",
        "charge.dispute.created",
        "dp_2",
        &intent,
        1_000,
        "needs_response",
    );
    assert_eq!(deliver_event(&app, &created).await, 200);
    assert_eq!(funds(&app, &token).await, "0.00");
    // The row records what Stripe says is disputed; what it took is at most what the refund
    // left of the payment.
    assert_eq!(
        dispute_row(&app, "dp_2").await,
        ("lost".into(), 10_000_000, 3_010_000, 2_990_000)
    );
    assert_eq!(app.ledger_groups("card_dispute").await, 1);
    // A dispute of a charge this instance did not make is acknowledged and ignored.
    let unknown = dispute(
        "evt_dp_c",
        "charge.dispute.created",
        "dp_3",
        "pi_elsewhere",
        500,
        "needs_response",
    );
    assert_eq!(deliver_event(&app, &unknown).await, 200);
    // A bad signature is refused and changes nothing.
    let body = serde_json::to_vec(&dispute(
        "evt_dp_d",
        "charge.dispute.created",
        "dp_4",
        &intent,
        500,
        "x",
    ))
    .expect("JSON");
    let (forged, _) = post_webhook(&app, &body, Some(signature(&body, "whsec_wrong", now()))).await;
    assert_eq!(forged, 400);
    let rows: i64 = app
        .db(|conn| {
            obole::db::schema::card_disputes::table
                .count()
                .get_result(conn)
                .expect("count")
        })
        .await;
    assert_eq!(rows, 1);
    app.assert_ledger_sound().await;
}

async fn refund(app: &TestApp, event: &str, intent: &str, amount_refunded: i64) -> u16 {
    let refund = json!({
        "id": event, "type": "charge.refunded", "created": now(),
        "data": { "object": { "id": "ch_test", "object": "charge", "payment_intent": intent,
                              "amount": 1_000, "amount_refunded": amount_refunded,
                              "currency": "eur" } },
    });
    deliver_event(app, &refund).await
}

#[tokio::test]
async fn a_dispute_won_before_it_opened_takes_nothing_ever() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (_, token, intent) = a_reader_who_paid_by_card(&stripe, &app).await;
    let won = dispute(
        "evt_w1",
        "charge.dispute.closed",
        "dp_w",
        &intent,
        1_000,
        "won",
    );
    assert_eq!(deliver_event(&app, &won).await, 200);
    // The late `created`, then the bank's withdrawal: both find the dispute closed.
    let created = dispute(
        "evt_w0",
        "charge.dispute.created",
        "dp_w",
        &intent,
        1_000,
        "needs_response",
    );
    assert_eq!(deliver_event(&app, &created).await, 200);
    let withdrawn = dispute(
        "evt_w2",
        "charge.dispute.funds_withdrawn",
        "dp_w",
        &intent,
        1_000,
        "needs_response",
    );
    assert_eq!(deliver_event(&app, &withdrawn).await, 200);
    assert_eq!(funds(&app, &token).await, "7.01");
    assert_eq!(
        dispute_row(&app, "dp_w").await,
        ("won".into(), 10_000_000, 0, 0)
    );
    assert_eq!(app.ledger_groups("card_dispute").await, 0);
    assert_eq!(app.ledger_groups("card_dispute_won").await, 0);
    assert_eq!(
        app.queued_mails("card_dispute").await,
        0,
        "nothing was taken: nothing to tell"
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn an_inquiry_takes_nothing_and_a_refund_then_returns_the_money_once() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (_, token, intent) = a_reader_who_paid_by_card(&stripe, &app).await;
    let inquiry = dispute(
        "evt_i1",
        "charge.dispute.created",
        "dp_i",
        &intent,
        1_000,
        "warning_needs_response",
    );
    assert_eq!(deliver_event(&app, &inquiry).await, 200);
    assert_eq!(
        funds(&app, &token).await,
        "7.01",
        "an inquiry moves no money"
    );
    assert_eq!(
        dispute_row(&app, "dp_i").await,
        ("open".into(), 10_000_000, 0, 0)
    );
    assert_eq!(app.queued_mails("card_dispute").await, 0);
    app.assert_ledger_sound().await;
    // Refunded in full: 7.01 leaves the funds, 2.99 already spent is the platform's.
    assert_eq!(refund(&app, "evt_i2", &intent, 1_000).await, 200);
    assert_eq!(funds(&app, &token).await, "0.00");
    app.assert_ledger_sound().await;
    // The inquiry closes: nothing was taken, nothing comes back (the card got the refund).
    let closed = dispute(
        "evt_i3",
        "charge.dispute.closed",
        "dp_i",
        &intent,
        1_000,
        "warning_closed",
    );
    assert_eq!(deliver_event(&app, &closed).await, 200);
    assert_eq!(funds(&app, &token).await, "0.00");
    assert_eq!(app.ledger_groups("card_dispute").await, 0);
    assert_eq!(app.ledger_groups("card_dispute_won").await, 0);
    assert_eq!(app.ledger_groups("card_refund").await, 1);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_refund_after_a_dispute_never_takes_more_than_the_payment() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (_, token, intent) = a_reader_who_paid_by_card(&stripe, &app).await;
    // An inquiry that becomes a chargeback: the funds leave when the bank takes them.
    let inquiry = dispute(
        "evt_d1",
        "charge.dispute.created",
        "dp_d",
        &intent,
        1_000,
        "warning_under_review",
    );
    assert_eq!(deliver_event(&app, &inquiry).await, 200);
    assert_eq!(funds(&app, &token).await, "7.01");
    let withdrawn = dispute(
        "evt_d2",
        "charge.dispute.funds_withdrawn",
        "dp_d",
        &intent,
        1_000,
        "needs_response",
    );
    assert_eq!(deliver_event(&app, &withdrawn).await, 200);
    assert_eq!(funds(&app, &token).await, "0.00");
    assert_eq!(
        dispute_row(&app, "dp_d").await,
        ("open".into(), 10_000_000, 7_010_000, 2_990_000)
    );
    assert_eq!(app.queued_mails("card_dispute").await, 1);
    app.assert_ledger_sound().await;
    // Refunded in full too: the dispute took it all already, so nothing moves again.
    assert_eq!(refund(&app, "evt_d3", &intent, 1_000).await, 200);
    assert_eq!(funds(&app, &token).await, "0.00");
    assert_eq!(app.ledger_groups("card_refund").await, 0);
    assert_eq!(
        dispute_row(&app, "dp_d").await,
        ("open".into(), 10_000_000, 0, 0)
    );
    app.assert_ledger_sound().await;
    // Won: it gives back only what it still holds (nothing: the card got the refund).
    let won = dispute(
        "evt_d4",
        "charge.dispute.closed",
        "dp_d",
        &intent,
        1_000,
        "won",
    );
    assert_eq!(deliver_event(&app, &won).await, 200);
    assert_eq!(funds(&app, &token).await, "0.00");
    assert_eq!(app.ledger_groups("card_dispute_won").await, 0);
    // The reader is told it was won (a second mail, by its own key).
    assert_eq!(app.queued_mails("card_dispute").await, 2);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_partial_refund_after_a_dispute_is_taken_over_and_the_rest_given_back_when_won() {
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (_, token, intent) = a_reader_who_paid_by_card(&stripe, &app).await;
    let created = dispute(
        "evt_p1",
        "charge.dispute.created",
        "dp_p",
        &intent,
        1_000,
        "needs_response",
    );
    assert_eq!(deliver_event(&app, &created).await, 200);
    assert_eq!(funds(&app, &token).await, "0.00");
    // 4.00 refunded: taken over from what the dispute debited (7.01 → 3.01).
    assert_eq!(refund(&app, "evt_p2", &intent, 400).await, 200);
    assert_eq!(funds(&app, &token).await, "0.00");
    assert_eq!(
        dispute_row(&app, "dp_p").await,
        ("open".into(), 10_000_000, 3_010_000, 2_990_000)
    );
    app.assert_ledger_sound().await;
    let won = dispute(
        "evt_p3",
        "charge.dispute.closed",
        "dp_p",
        &intent,
        1_000,
        "won",
    );
    assert_eq!(deliver_event(&app, &won).await, 200);
    // Back: what the dispute still held, as if only the 4.00 refund had happened.
    assert_eq!(funds(&app, &token).await, "3.01");
    app.assert_ledger_sound().await;
}

/// Both events of a dispute won at once, before the mail worker could send the first mail:
/// the reader is told once that money was taken, with what was taken, and once that it came
/// back. (Each mail once said what the dispute was when it was sent: two "won" mails.)
#[tokio::test]
async fn a_dispute_won_before_its_first_mail_tells_the_taking_once_and_the_win_once() {
    use crate::helpers::mail::{self, MailServer, free_port, smtp_url};
    if std::env::var("OBOLE_TEST_MAILDEV").is_err() && std::env::var_os("CI").is_none() {
        eprintln!("skipped: no OBOLE_TEST_MAILDEV");
        return;
    }
    // Nobody listens on the mail port yet: whatever the worker tries fails and waits.
    let port = free_port();
    let mail_settings = [
        ("OBOLE_SMTP_URL", smtp_url(port)),
        ("OBOLE_MAIL_RETRY_SECONDS", "1".into()),
    ];
    let Some((stripe, app)) = stripe_and_app_with(&mail_settings).await else {
        return;
    };
    let (reader, token, intent) = a_reader_who_paid_by_card(&stripe, &app).await;
    for (event, kind, status) in [
        ("evt_m1", "charge.dispute.created", "needs_response"),
        ("evt_m2", "charge.dispute.closed", "won"),
    ] {
        let event = dispute(event, kind, "dp_m", &intent, 1_000, status);
        assert_eq!(deliver_event(&app, &event).await, 200);
    }
    assert_eq!(funds(&app, &token).await, "7.01");

    // The mail server comes up: both messages go out now, after the dispute was won.
    let server = MailServer::start_on(port).await.expect("maildev");
    let is_dispute = |m: &Value| {
        m["subject"]
            .as_str()
            .is_some_and(|s| s.contains("card payment"))
    };
    let messages = server
        .wait_for(60, |all| {
            mail::to(all, &reader.email)
                .into_iter()
                .filter(|m| is_dispute(m))
                .count()
                >= 2
        })
        .await;
    let mut told: Vec<(String, String)> = mail::to(&messages, &reader.email)
        .into_iter()
        .filter(|m| is_dispute(m))
        .map(|m| {
            (
                m["subject"].as_str().unwrap_or_default().to_owned(),
                m["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    told.sort();
    let subjects: Vec<&str> = told.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        subjects,
        [
            "A card payment of €10.00 was disputed",
            "The dispute of your card payment of €10.00 was settled in its favour",
        ],
        "{told:#?}"
    );
    let (taken, won) = (&told[0].1, &told[1].1);
    assert!(
        taken.contains("€7.01 was taken back from your funds"),
        "{taken}"
    );
    assert!(
        taken.contains("€2.99 of it had already been spent"),
        "{taken}"
    );
    assert!(
        !taken.contains("settled in the payment's favour"),
        "the taking's mail does not tell the win: {taken}"
    );
    assert!(won.contains("€7.01, is back in them"), "{won}");
    // Nothing more is queued for the dispute, and nothing is left to send.
    let unsent: i64 = app
        .db(|conn| {
            use obole::db::schema::mail_outbox as m;
            m::table
                .filter(m::kind.eq("card_dispute"))
                .filter(m::sent_at.is_null())
                .count()
                .get_result(conn)
                .expect("count")
        })
        .await;
    assert_eq!((app.queued_mails("card_dispute").await, unsent), (2, 0));
    app.assert_ledger_sound().await;
}

/// The disputes page with an open and a won dispute, on a phone in French and a desktop in
/// English: both states in the page's language, every column in sight (nothing wider than the
/// window, no table to scroll sideways), French typography, no serious accessibility problem,
/// and screenshots for people to look at.
#[tokio::test]
async fn the_disputes_page_with_an_open_and_a_won_dispute_fits_a_phone_and_a_desktop() {
    use crate::earnings_statement::assert_french_typography;
    use crate::helpers::browser::{logged_in_at, problems_of_page, save_screenshot, wait_for};
    use fantoccini::Locator;
    let Some((stripe, app)) = stripe_and_app().await else {
        return;
    };
    let (_, _, intent) = a_reader_who_paid_by_card(&stripe, &app).await;
    // Won first, then a second dispute of the same payment that stays open.
    for (event, kind, id, status) in [
        (
            "evt_s1",
            "charge.dispute.created",
            "dp_won",
            "needs_response",
        ),
        ("evt_s2", "charge.dispute.closed", "dp_won", "won"),
        (
            "evt_s3",
            "charge.dispute.created",
            "dp_open",
            "needs_response",
        ),
    ] {
        let event = dispute(event, kind, id, &intent, 1_000, status);
        assert_eq!(deliver_event(&app, &event).await, 200);
    }
    assert_eq!(dispute_row(&app, "dp_won").await.0, "won");
    assert_eq!(dispute_row(&app, "dp_open").await.0, "open");
    let operator = app
        .a_user()
        .display_name("Opératrice")
        .operator()
        .create()
        .await;
    for (language, width, states) in [
        ("fr", 390, ["ouvert", "gagné"]),
        ("en", 1280, ["open", "won"]),
    ] {
        let Some(browser) = logged_in_at(&app, &operator, language, width).await else {
            return;
        };
        browser
            .goto(&app.url("/operator/disputes"))
            .await
            .expect("page");
        let table = wait_for(&browser, Locator::Id("disputes")).await;
        let rows = table
            .find_all(Locator::Css("tbody tr"))
            .await
            .expect("rows");
        let mut shown = Vec::new();
        for row in rows {
            let cells = row.find_all(Locator::Css("td")).await.expect("cells");
            let state = cells
                .last()
                .expect("a state cell")
                .text()
                .await
                .expect("text");
            shown.push(state);
        }
        assert_eq!(shown, states, "open first, in {language}");
        // A picture, nothing wider than the window, no serious accessibility problem.
        let name = format!("operator-disputes-two-{language}-{width}");
        let problems = problems_of_page(&browser, &name).await;
        assert!(problems.is_empty(), "{problems:#?}");
        if width < 1000 {
            // On a phone the rows are below the fold: a second picture shows them.
            browser
                .execute(
                    "document.getElementById('disputes').scrollIntoView();",
                    vec![],
                )
                .await
                .expect("scroll");
            save_screenshot(
                &browser,
                &format!("operator-disputes-two-rows-{language}-{width}"),
            )
            .await;
        }
        // Nor does the table scroll inside its box: every column of a dispute is in sight.
        let hidden = browser
            .execute(
                "const box = document.getElementById('disputes').closest('.table-wrap'); \
                 return box.scrollWidth > box.clientWidth;",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(
            hidden,
            Value::Bool(false),
            "the table scrolls at {width} px"
        );
        if language == "fr" {
            let text = browser
                .execute("return document.body.innerText;", vec![])
                .await
                .expect("script");
            let text = text.as_str().unwrap_or_default();
            assert_french_typography(text);
            for english in ["Shortfall", "Disputed", "Reader", "open", "won"] {
                assert!(
                    !text.contains(english),
                    "{english:?} on the French page: {text}"
                );
            }
        }
        browser.close().await;
    }
}
