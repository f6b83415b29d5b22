//! Creators with revenue, and their waiting payouts: a reader's tip in October, October
//! settled (10 % fee), the address verified, the payout asked for through the API.

use reqwest::StatusCode;

use super::app::TestApp;
use super::builders::{TestUser, a_thing, funded_reader};
use super::month::{click_in_october, settle_october, verify_email};

/// A creator named `name` whose claimed page `https://{name}.example/` a reader with a
/// `budget` of their own tipped in October; October is not settled yet (several creators can
/// be tipped in the same month).
pub async fn a_creator_tipped_in_october(app: &TestApp, name: &str, budget: &str) -> TestUser {
    let creator = app.a_user().display_name(name).create().await;
    let url = format!("https://{}.example/", name.to_lowercase());
    let thing = a_thing(app, &creator, &url, name).await;
    let (reader, _) = funded_reader(app, budget, budget).await;
    click_in_october(app, &reader, thing).await;
    creator
}

/// What a creator needs before asking for a payout once October is settled: a verified
/// address. Returns their API token.
pub async fn ready_for_payouts(app: &TestApp, creator: &TestUser) -> String {
    verify_email(app, creator).await;
    creator.direct_token(app).await
}

/// A creator whose settled October earned 90 % of `budget`, ready for payouts, and their
/// token. Settles October: a test with several creators uses the steps above.
pub async fn a_creator_with_revenue(app: &TestApp, name: &str, budget: &str) -> (TestUser, String) {
    let creator = a_creator_tipped_in_october(app, name, budget).await;
    settle_october(app).await;
    let token = ready_for_payouts(app, &creator).await;
    (creator, token)
}

/// Asks for a payout of all the revenue to `iban`; it must be recorded. Returns the payout.
pub async fn a_waiting_payout(
    app: &TestApp,
    token: &str,
    iban: &str,
    holder: &str,
) -> serde_json::Value {
    let response = app
        .api()
        .post(app.url("/api/v1/me/payouts"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "iban": iban, "holder": holder }))
        .send()
        .await
        .expect("payout request");
    assert_eq!(response.status(), StatusCode::CREATED);
    let payout: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(payout["state"], "pending", "{payout}");
    payout
}
