//! A Stripe-compatible API for tests: localstripe 1.15.10 (installed by `tests/run.sh`, which
//! exports `OBOLE_TEST_LOCALSTRIPE`, the Python that has it), one per test, on loopback.

use std::process::Command;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac as _};
use serde_json::{Value, json};
use sha2::Sha256;

use super::app::{TestApp, spawn_app_with_peer};
use super::builders::{TestUser, a_thing, funded_reader};
use super::mail::free_port;
use super::peers::{self, Peer};

pub const SECRET_KEY: &str = "sk_test_obole";
pub const PUBLISHABLE_KEY: &str = "pk_test_obole";
pub const WEBHOOK_SECRET: &str = "whsec_obole_test_secret";

pub struct LocalStripe {
    peer: Peer,
    http: reqwest::Client,
}

impl LocalStripe {
    pub async fn start() -> Option<LocalStripe> {
        let python = peers::program("OBOLE_TEST_LOCALSTRIPE", "localstripe")?;
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/tools/localstripe_server.py"
        );
        let port = free_port();
        let mut command = Command::new(python);
        command.arg(script).arg(port.to_string());
        let peer = peers::start(command, port, "/js.stripe.com/v3/").await;
        Some(LocalStripe {
            peer,
            http: reqwest::Client::new(),
        })
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.peer.port)
    }

    /// The settings that point Obole at this server.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("OBOLE_STRIPE_SECRET_KEY", SECRET_KEY.into()),
            ("OBOLE_STRIPE_PUBLISHABLE_KEY", PUBLISHABLE_KEY.into()),
            ("OBOLE_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET.into()),
            ("OBOLE_STRIPE_API_BASE", self.base()),
        ]
    }

    /// Makes localstripe deliver its signed events to `url` (Obole's webhook).
    pub async fn deliver_webhooks_to(&self, url: &str) {
        let response = self
            .http
            .post(format!("{}/_config/webhooks/obole", self.base()))
            .form(&[("url", url), ("secret", WEBHOOK_SECRET)])
            .send()
            .await
            .expect("configure the webhook");
        assert!(response.status().is_success(), "{response:?}");
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.base()))
            .bearer_auth(SECRET_KEY)
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        response.json().await.expect("JSON from localstripe")
    }

    /// What Stripe.js does in the payer's browser: attach a card and confirm the intent.
    /// `pm_card_visa` succeeds; `pm_card_chargeCustomerFail` is declined when charged
    /// (localstripe lets `pm_card_visa_chargeDeclined` through).
    pub async fn pay(&self, intent: &str, card: &str) -> Value {
        self.post(
            &format!("/v1/payment_intents/{intent}"),
            &[("payment_method", card)],
        )
        .await;
        self.post(&format!("/v1/payment_intents/{intent}/confirm"), &[])
            .await
    }

    pub async fn intent(&self, intent: &str) -> Value {
        self.http
            .get(format!("{}/v1/payment_intents/{intent}", self.base()))
            .bearer_auth(SECRET_KEY)
            .send()
            .await
            .expect("GET intent")
            .json()
            .await
            .expect("JSON")
    }

    /// Refunds part of a payment at Stripe (localstripe sends no event for it: the test does).
    pub async fn refund(&self, intent: &str, cents: i64) -> Value {
        self.post(
            "/v1/refunds",
            &[("payment_intent", intent), ("amount", &cents.to_string())],
        )
        .await
    }
}

/// localstripe and an app it delivers its webhooks to, or `None` (test skipped).
pub async fn stripe_and_app() -> Option<(LocalStripe, TestApp)> {
    stripe_and_app_with(&[]).await
}

/// Like [`stripe_and_app`], the app with `extra` settings too.
pub async fn stripe_and_app_with(
    extra: &[(&'static str, String)],
) -> Option<(LocalStripe, TestApp)> {
    let stripe = LocalStripe::start().await?;
    let mut settings = stripe.settings();
    settings.extend_from_slice(extra);
    let app = spawn_app_with_peer(&settings).await;
    stripe
        .deliver_webhooks_to(&app.url("/webhooks/stripe"))
        .await;
    Some((stripe, app))
}

/// Now, in seconds since the epoch, as events and signatures carry it.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Posts `body` to the webhook with the `Stripe-Signature` header `header`, if any; the
/// status and the JSON answer (`null` when there is none).
pub async fn post_webhook(app: &TestApp, body: &[u8], header: Option<String>) -> (u16, Value) {
    let mut request = app
        .api()
        .post(app.url("/webhooks/stripe"))
        .header("Content-Type", "application/json")
        .body(body.to_vec());
    if let Some(header) = header {
        request = request.header("Stripe-Signature", header);
    }
    let response = request.send().await.expect("POST webhook");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Delivers `body` signed with the right secret, now.
pub async fn deliver(app: &TestApp, body: &[u8]) -> (u16, Value) {
    post_webhook(app, body, Some(signature(body, WEBHOOK_SECRET, now()))).await
}

/// Starts a top-up of `amount` through the API; returns the PaymentIntent's id.
pub async fn start_top_up(app: &TestApp, token: &str, amount: &str) -> String {
    let response = app
        .api()
        .post(app.url("/api/v1/me/card-payments"))
        .bearer_auth(token)
        .json(&json!({ "amount": amount }))
        .send()
        .await
        .expect("POST card-payments");
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["state"], "created");
    assert_eq!(body["amount"], amount);
    assert!(
        body["client_secret"]
            .as_str()
            .is_some_and(|s| s.contains("_secret_"))
    );
    body["id"].as_str().expect("intent id").to_owned()
}

/// Polls `/me` until the funds read `expected` (the webhook arrives about 1 s after payment).
pub async fn wait_for_funds(app: &TestApp, token: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let me = app.me(token).await;
        if me["funds"] == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "funds never reached {expected}: {me}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A reader who paid 10.00 by card (through localstripe, credited by its webhook) and spent
/// 3.00 of it on this month's budget with a click: funds 7.01 (0.01 from a voucher). Returns
/// the reader, their token and the PaymentIntent's id.
pub async fn a_reader_who_paid_by_card(
    stripe: &LocalStripe,
    app: &TestApp,
) -> (TestUser, String, String) {
    let (reader, token) = funded_reader(app, "0.01", "3.00").await;
    let intent = start_top_up(app, &token, "10.00").await;
    stripe.pay(&intent, "pm_card_visa").await;
    wait_for_funds(app, &token, "10.01").await;
    let creator = app.a_user().create().await;
    let thing = a_thing(app, &creator, "https://example.org/a", "A").await;
    crate::discovery::click(app, &token, thing).await;
    assert_eq!(app.me(&token).await["funds"], "7.01");
    (reader, token, intent)
}

/// A `Stripe-Signature` header for `body`, as Stripe computes it.
pub fn signature(body: &[u8], secret: &str, timestamp: i64) -> String {
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}
