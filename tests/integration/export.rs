//! A person downloads everything Obole holds about them (GDPR articles 15 and 20): the API's
//! JSON archive is compared, table by table, with the database; the page's zip holds the same
//! JSON and the CSVs; nobody else's data is in it, and nobody else can fetch it.

use std::collections::BTreeSet;
use std::io::Read as _;

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::builders::{TestUser, a_thing, funded_reader};
use crate::helpers::month::{OCTOBER, click_in_october, settle_october, verify_email};
use crate::helpers::spawn_app;

const IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";

/// Someone who reads and creates: funds, a budget, a click in October on another's thing, a
/// thing of their own that a second reader clicked, October settled, a payout asked for, a
/// site waiting for its proof. Returns them and their token.
async fn a_busy_person(app: &TestApp) -> (TestUser, String, Vec<String>) {
    let (person, token) = funded_reader(app, "30.00", "4.00").await;
    let creator = app.a_user().display_name("Camille").create().await;
    let theirs = a_thing(app, &creator, "https://camille.example/a", "A page").await;
    let mine = a_thing(app, &person, "https://person.example/post", "My post").await;
    let (fan, _) = funded_reader(app, "30.00", "20.00").await;
    click_in_october(app, &person, theirs).await;
    click_in_october(app, &fan, mine).await;
    settle_october(app).await;
    verify_email(app, &person).await;
    let shown = app
        .api()
        .put(app.url(&format!("/api/v1/things/{theirs}/click?month={OCTOBER}")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "visibility": "public", "note": "Merci <b>!</b>" }))
        .send()
        .await
        .expect("note");
    assert_eq!(shown.status(), StatusCode::OK);
    let subscribed = app
        .api()
        .post(app.url("/api/v1/me/subscriptions"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "thing_id": theirs }))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(subscribed.status(), StatusCode::CREATED);
    let payout = app
        .api()
        .post(app.url("/api/v1/me/payouts"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "iban": IBAN, "holder": "Dominique Person" }))
        .send()
        .await
        .expect("payout");
    assert_eq!(payout.status(), StatusCode::CREATED);
    let site = app
        .api()
        .post(app.url("/api/v1/me/sites"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "url": "https://another.example/" }))
        .send()
        .await
        .expect("site");
    assert_eq!(site.status(), StatusCode::CREATED);
    (person, token, vec![creator.email, fan.email])
}

async fn export_of(app: &TestApp, token: &str) -> Value {
    let response = app
        .api()
        .get(app.url("/api/v1/me/export"))
        .bearer_auth(token)
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment;")
    );
    response.json().await.expect("json")
}

fn items<'a>(archive: &'a Value, key: &str) -> &'a Vec<Value> {
    archive[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list"))
}

fn micros(amount: &Value) -> i64 {
    let amount: rust_decimal::Decimal = amount
        .as_str()
        .expect("an amount")
        .parse()
        .expect("decimal");
    i64::try_from(amount * rust_decimal::Decimal::from(1_000_000)).expect("whole micro-units")
}

/// What the database holds about the person, table by table.
struct Rows {
    clicks: BTreeSet<(i64, String)>,
    things: BTreeSet<i64>,
    sites: BTreeSet<String>,
    mails: i64,
    tokens: i64,
    subscriptions: BTreeSet<i64>,
}

#[tokio::test]
async fn an_export_holds_what_the_database_holds_about_the_person() {
    let app = spawn_app().await;
    let (person, token, others) = a_busy_person(&app).await;
    let archive = export_of(&app, &token).await;
    let id = person.id;

    assert_eq!(archive["format"], "obole-export-1");
    assert_eq!(archive["account"]["id"], id);
    assert_eq!(archive["account"]["email"], person.email.as_str());
    assert_eq!(archive["account"]["has_password"], true);
    assert!(archive["account"].get("password_hash").is_none());
    assert_eq!(archive["budget"]["amount"], "4.00");

    // The ledger: every posting on the person's accounts, and they add up to the balances.
    let postings: Vec<(i64, i64, String)> = app
        .db(move |conn| {
            use obole::db::schema::{ledger_accounts, ledger_entries};
            ledger_entries::table
                .inner_join(ledger_accounts::table)
                .filter(ledger_accounts::owner_id.eq(id))
                .order(ledger_entries::id.asc())
                .select((
                    ledger_entries::id,
                    ledger_entries::amount_micros,
                    ledger_accounts::kind,
                ))
                .load(conn)
                .expect("postings")
        })
        .await;
    let exported: Vec<(i64, i64, String)> = items(&archive, "ledger")
        .iter()
        .map(|p| {
            (
                p["entry_id"].as_i64().expect("id"),
                micros(&p["amount"]),
                p["account"].as_str().expect("kind").to_owned(),
            )
        })
        .collect();
    assert_eq!(exported, postings);
    let funds: i64 = postings
        .iter()
        .filter(|p| p.2 == "funds")
        .map(|p| p.1)
        .sum();
    assert_eq!(micros(&archive["balances"]["funds"]), funds);

    // Clicks, things, sites, payouts, vouchers, earnings, mails, tokens: row for row.
    let Rows {
        clicks,
        things,
        sites,
        mails,
        tokens,
        subscriptions,
    } = app
        .db(move |conn| {
            use obole::db::schema::{
                api_tokens, clicks, mail_outbox, sites, subscriptions, things,
            };
            let subscriptions = subscriptions::table
                .filter(subscriptions::reader_id.eq(id))
                .select(subscriptions::thing_id)
                .load::<i64>(conn)
                .expect("subscriptions");
            let clicks = clicks::table
                .filter(clicks::reader_id.eq(id))
                .select((clicks::thing_id, clicks::month))
                .load::<(i64, String)>(conn)
                .expect("clicks");
            let things = things::table
                .filter(things::owner_id.eq(id))
                .select(things::id)
                .load::<i64>(conn)
                .expect("things");
            let sites = sites::table
                .filter(sites::user_id.eq(id))
                .select(sites::url)
                .load::<String>(conn)
                .expect("sites");
            let mails = mail_outbox::table
                .filter(mail_outbox::user_id.eq(id))
                .count()
                .get_result(conn)
                .expect("mails");
            let tokens = api_tokens::table
                .filter(api_tokens::user_id.eq(id))
                .count()
                .get_result(conn)
                .expect("tokens");
            Rows {
                clicks: clicks.into_iter().collect(),
                things: things.into_iter().collect(),
                sites: sites.into_iter().collect(),
                mails,
                tokens,
                subscriptions: subscriptions.into_iter().collect(),
            }
        })
        .await;
    let exported_clicks: BTreeSet<(i64, String)> = items(&archive, "clicks")
        .iter()
        .map(|c| {
            (
                c["thing_id"].as_i64().expect("id"),
                c["month"].as_str().expect("month").to_owned(),
            )
        })
        .collect();
    assert_eq!(exported_clicks, clicks);
    // October's, and this month's, made at once by the subscription.
    assert_eq!(clicks.len(), 2);
    let october = items(&archive, "clicks")
        .iter()
        .find(|c| c["month"] == OCTOBER)
        .expect("October's click");
    assert_eq!(october["via"], "click");
    assert_eq!(october["visibility"], "public");
    assert_eq!(october["note"], "Merci <b>!</b>");
    let by_subscription = items(&archive, "clicks")
        .iter()
        .find(|c| c["month"] != OCTOBER)
        .expect("this month's click");
    assert_eq!(by_subscription["via"], "subscription");
    assert_eq!(by_subscription["visibility"], "private");
    assert!(by_subscription["note"].is_null());
    let exported_things: BTreeSet<i64> = items(&archive, "things")
        .iter()
        .map(|t| t["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(exported_things, things);
    let exported_sites: BTreeSet<String> = items(&archive, "sites")
        .iter()
        .map(|s| s["url"].as_str().expect("url").to_owned())
        .collect();
    assert_eq!(exported_sites, sites);
    assert_eq!(sites.len(), 2, "the vouched page and the waiting site");
    assert!(
        items(&archive, "sites")
            .iter()
            .any(|s| s["verified_at"].is_null()
                && s["token"].as_str().is_some_and(|t| !t.is_empty()))
    );
    assert_eq!(
        i64::try_from(items(&archive, "mails").len()).expect("n"),
        mails
    );
    assert_eq!(
        i64::try_from(items(&archive, "api_tokens").len()).expect("n"),
        tokens
    );
    assert_eq!(items(&archive, "vouchers").len(), 1);
    assert_eq!(items(&archive, "vouchers")[0]["amount"], "30.00");

    // The payout shows its IBAN in full to its owner; the month's earnings as settled.
    let payouts = items(&archive, "payouts");
    assert_eq!(payouts.len(), 1);
    assert_eq!(payouts[0]["iban"], IBAN);
    assert_eq!(payouts[0]["holder"], "Dominique Person");
    assert_eq!(payouts[0]["state"], "pending");
    let earnings = items(&archive, "earnings");
    assert_eq!(earnings.len(), 1);
    assert_eq!(earnings[0]["month"], OCTOBER);
    assert_eq!(earnings[0]["gross"], "20.00");
    assert_eq!(earnings[0]["net"], "18.00");
    assert_eq!(items(&archive, "reservations")[0]["budget"], "4.00");
    let exported_subscriptions: BTreeSet<i64> = items(&archive, "subscriptions")
        .iter()
        .map(|s| s["thing_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(exported_subscriptions, subscriptions);
    assert_eq!(subscriptions.len(), 1);
    assert_eq!(archive["budget"]["unspent"], "keep");
    assert!(items(&archive, "donations").is_empty());

    // Nobody else's data: not the other people's names or addresses, not the creator's thing
    // (only its id and title, as the person's click names it).
    let text = archive.to_string();
    assert!(!text.contains("Camille"), "another person's name leaked");
    for email in others {
        assert!(!text.contains(&email), "{email} leaked");
    }
    assert!(
        !text.contains("camille.example/a\""),
        "another person's thing leaked"
    );
}

#[tokio::test]
async fn an_operator_sees_others_payouts_they_decided_masked() {
    let app = spawn_app().await;
    let (person, _, _) = a_busy_person(&app).await;
    let operator = app.a_user().create().await;
    let email = obole::domain::Email::parse(&operator.email).expect("email");
    app.db(move |conn| obole::models::users::grant_operator(conn, &email).expect("grant"))
        .await;
    let person_id = person.id;
    let operator_id = obole::domain::UserId(operator.id);
    app.db(move |conn| {
        use obole::db::schema::payouts;
        let id: i64 = payouts::table
            .filter(payouts::user_id.eq(person_id))
            .select(payouts::id)
            .first(conn)
            .expect("payout");
        let sent = obole::use_cases::payouts::Decision::Sent {
            reference: "OBOLE-1".to_owned(),
        };
        obole::use_cases::payouts::decide(conn, id, &sent, operator_id, chrono::Utc::now())
            .expect("sent");
    })
    .await;
    let token = operator.direct_token(&app).await;
    let archive = export_of(&app, &token).await;
    let decided = items(&archive, "payouts_decided");
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["state"], "sent");
    assert_eq!(decided[0]["holder"], "");
    let iban = decided[0]["iban"].as_str().expect("iban");
    assert!(iban.ends_with("0189") || iban.ends_with("189"), "{iban}");
    assert!(!iban.contains("3000 6000"), "the IBAN is masked: {iban}");
    assert!(items(&archive, "payouts").is_empty());
}

#[tokio::test]
async fn the_export_needs_the_persons_own_token() {
    let app = spawn_app().await;
    let anonymous = app
        .api()
        .get(app.url("/api/v1/me/export"))
        .send()
        .await
        .expect("export");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let forged = app
        .api()
        .get(app.url("/api/v1/me/export"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .expect("export");
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let visitor = app.visitor();
    let page = visitor
        .get(app.url("/settings/export.zip"))
        .send()
        .await
        .expect("page");
    assert_eq!(
        page.status(),
        StatusCode::SEE_OTHER,
        "signed out: to the log-in page"
    );
}

#[tokio::test]
async fn the_settings_page_gives_a_zip_with_the_json_and_the_csvs() {
    let app = spawn_app().await;
    let (person, token, _) = a_busy_person(&app).await;
    let visitor = app.logged_in_visitor(&person).await;
    let settings = visitor
        .get(app.url("/settings"))
        .send()
        .await
        .expect("settings");
    let html = settings.text().await.expect("html");
    assert!(
        html.contains("href=\"/settings/export.zip\""),
        "a download button"
    );
    let response = visitor
        .get(app.url("/settings/export.zip"))
        .send()
        .await
        .expect("zip");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.expect("bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let names: BTreeSet<String> = zip
        .file_names()
        .map(|name| name.expect("a name").into_owned())
        .collect();
    let expected: BTreeSet<String> = ["obole-export.json", "funds.csv", "earnings-2026-10.csv"]
        .map(str::to_owned)
        .into();
    assert_eq!(names, expected);
    let mut json = String::new();
    zip.by_name("obole-export.json")
        .expect("json")
        .read_to_string(&mut json)
        .expect("read");
    let from_zip: Value = serde_json::from_str(&json).expect("json");
    let from_api = export_of(&app, &token).await;
    assert_eq!(from_zip["ledger"], from_api["ledger"]);
    assert_eq!(from_zip["account"], from_api["account"]);
    let mut funds = String::new();
    zip.by_name("funds.csv")
        .expect("csv")
        .read_to_string(&mut funds)
        .expect("read");
    // The voucher and the October budget: a header and a line per movement.
    let funds_movements = items(&from_api, "ledger")
        .iter()
        .filter(|p| p["account"] == "funds")
        .count();
    assert_eq!(funds.lines().count(), 1 + funds_movements);
}
