//! A Stripe-compatible API for tests: localstripe 1.15.10 (installed by `tests/run.sh`, which
//! exports `OBOLE_TEST_LOCALSTRIPE`, the Python that has it), one per test, on loopback.

use std::process::Command;

use hmac::{Hmac, Mac as _};
use serde_json::Value;
use sha2::Sha256;

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
