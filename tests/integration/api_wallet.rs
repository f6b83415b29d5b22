//! Vouchers, budgets and idempotency through the JSON API.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn redeem(app: &TestApp, token: &str, code: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = app
        .api()
        .post(app.url("/api/v1/me/vouchers"))
        .bearer_auth(token)
        .json(&json!({ "code": code }));
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("redeem")
}

async fn me(app: &TestApp, token: &str) -> Value {
    app.api()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json")
}

fn code_of(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<none>")
}

#[tokio::test]
async fn a_voucher_credits_funds_once_and_then_is_used() {
    let app = spawn_app().await;
    let token = app.a_user().create().await.direct_token(&app).await;
    let codes = app.vouchers("10.00", 1).await;

    let first = redeem(&app, &token, &codes[0].to_lowercase(), None).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(
        first.json::<Value>().await.expect("json"),
        json!({"funds": "10.00"})
    );
    let again = redeem(&app, &token, &codes[0], None).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(code_of(&again.json().await.expect("json")), "voucher_used");

    let unknown = redeem(&app, &token, "AAAAA-BBBBB-CCCCC-DDDDD", None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        code_of(&unknown.json().await.expect("json")),
        "voucher_not_found"
    );
    let garbage = redeem(&app, &token, "'; DROP TABLE vouchers; --", None).await;
    assert_eq!(garbage.status(), StatusCode::NOT_FOUND);

    let me = me(&app, &token).await;
    assert_eq!(me["funds"], "10.00");
    assert_eq!(me["reserved"], "0.00");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn sixty_four_concurrent_redemptions_credit_exactly_once() {
    let app = spawn_app().await;
    let code = app.vouchers("10.00", 1).await.remove(0);
    let mut tokens = Vec::new();
    for n in 0..64 {
        let user = app
            .a_user()
            .email(&format!("racer{n}@example.org"))
            .create()
            .await;
        tokens.push(user.direct_token(&app).await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for token in tokens.clone() {
        let client = app.api();
        let url = app.url("/api/v1/me/vouchers");
        let code = code.clone();
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "code": code }))
                .send()
                .await
                .expect("redeem");
            response.status()
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("task"));
    }
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let lost = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, lost), (1, 63), "{statuses:?}");

    let mut total = 0;
    for token in &tokens {
        let funds = me(&app, token).await["funds"]
            .as_str()
            .expect("funds")
            .to_owned();
        total += obole::domain::Money::parse_user_amount(&funds)
            .expect("amount")
            .micros();
    }
    assert_eq!(total, 10_000_000, "exactly one credit of 10.00 in all");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_retried_redemption_with_the_same_key_returns_the_first_response() {
    let app = spawn_app().await;
    let token = app.a_user().create().await.direct_token(&app).await;
    let codes = app.vouchers("7.50", 2).await;

    let first = redeem(&app, &token, &codes[0], Some("retry-1")).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert!(!first.headers().contains_key("idempotent-replayed"));
    let first_body = first.text().await.expect("body");
    for _ in 0..3 {
        let retry = redeem(&app, &token, &codes[0], Some("retry-1")).await;
        assert_eq!(
            retry.status(),
            StatusCode::OK,
            "the first response, not voucher_used"
        );
        assert_eq!(retry.headers()["idempotent-replayed"], "true");
        assert_eq!(retry.text().await.expect("body"), first_body);
    }
    let reused = redeem(&app, &token, &codes[1], Some("retry-1")).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        code_of(&reused.json().await.expect("json")),
        "idempotency_key_reused"
    );
    for bad in ["", &"k".repeat(256), "with space"] {
        let response = redeem(&app, &token, &codes[1], Some(bad)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad:?}");
    }
    assert_eq!(me(&app, &token).await["funds"], "7.50", "money moved once");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn concurrent_retries_with_one_key_move_money_once() {
    let app = spawn_app().await;
    let token = app.a_user().create().await.direct_token(&app).await;
    let code = app.vouchers("5.00", 1).await.remove(0);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (client, url, token, code) = (
            app.api(),
            app.url("/api/v1/me/vouchers"),
            token.clone(),
            code.clone(),
        );
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .header("Idempotency-Key", "same-key")
                .json(&json!({ "code": code }))
                .send()
                .await
                .expect("redeem");
            (response.status(), response.text().await.expect("body"))
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("task");
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, r#"{"funds":"5.00"}"#)
        );
    }
    assert_eq!(me(&app, &token).await["funds"], "5.00");
}

#[tokio::test]
async fn guessing_voucher_codes_is_rate_limited() {
    let app = spawn_app().await;
    let token = app.a_user().create().await.direct_token(&app).await;
    let mut last = StatusCode::OK;
    for n in 0..12 {
        last = redeem(&app, &token, &format!("AAAAA-AAAAA-AAAAA-AAA{n:02}"), None)
            .await
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn budgets_follow_the_contract_and_refusals_write_nothing() {
    let app = spawn_app().await;
    let token = app.a_user().create().await.direct_token(&app).await;
    let put = |amount: Value| {
        let request = app
            .api()
            .put(app.url("/api/v1/me/budget"))
            .bearer_auth(&token)
            .json(&json!({ "amount": amount }));
        async move {
            let response = request.send().await.expect("put");
            let status = response.status();
            (status, response.json::<Value>().await.expect("json"))
        }
    };
    let refused = [
        (json!("1.99"), "budget_below_minimum"),
        (json!("2.005"), "invalid_amount"),
        (json!("abc"), "invalid_amount"),
        (json!("-5"), "invalid_amount"),
        (json!("1e3"), "invalid_amount"),
        (json!(""), "invalid_amount"),
        (json!(2.5), "invalid_amount"),
        (json!(null), "invalid_amount"),
        (json!("100.01"), "budget_above_maximum"),
    ];
    for (amount, expected) in refused {
        let (status, body) = put(amount.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        assert_eq!(code_of(&body), expected, "{amount}");
    }
    let budgets: i64 = app
        .db(|conn| {
            use diesel::prelude::*;
            obole::db::schema::budgets::table
                .count()
                .get_result(conn)
                .expect("count")
        })
        .await;
    assert_eq!(budgets, 0, "nothing was written on a rejected request");
    assert_eq!(me(&app, &token).await["budget"], Value::Null);

    for (amount, expected) in [
        (json!("2.00"), "2.00"),
        (json!("2"), "2.00"),
        (json!(5), "5.00"),
        (json!("12,50"), "12.50"),
    ] {
        let (status, body) = put(amount.clone()).await;
        assert_eq!(status, StatusCode::OK, "{amount}");
        assert_eq!(
            body,
            json!({"amount": expected, "paused": false, "unspent": "keep"})
        );
    }
    let paused = app
        .api()
        .put(app.url("/api/v1/me/budget"))
        .bearer_auth(&token)
        .json(&json!({"amount": "3.00", "paused": true}))
        .send()
        .await
        .expect("pause");
    assert_eq!(
        paused.json::<Value>().await.expect("json"),
        json!({"amount": "3.00", "paused": true, "unspent": "keep"})
    );
    let (_, kept) = put(json!("4.00")).await;
    assert_eq!(
        kept,
        json!({"amount": "4.00", "paused": true, "unspent": "keep"}),
        "omitting paused keeps it"
    );
    assert_eq!(
        me(&app, &token).await["budget"],
        json!({"amount": "4.00", "paused": true, "unspent": "keep"})
    );
}
