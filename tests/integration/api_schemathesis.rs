//! The API against its document (issue 25): Schemathesis (tests/.venv, installed by
//! tests/run.sh) generates requests from `/api/v1/openapi.json`, valid and invalid, and checks
//! every answer with all its checks. It runs against a live Obole whose data was seeded so
//! that the requests reach things, clicks, payouts, sites and subscriptions, not only 404s;
//! its configuration is tests/tools/schemathesis.toml.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::claims::{add_site, call, page_with_token, token_of};
use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{TestUser, a_thing, funded_reader};
use crate::helpers::month::{click_in_october, settle_october, verify_email};
use crate::helpers::peers::program;
use crate::helpers::site::{Reply, SiteServer};

/// Examples per operation and phase: enough to find the document's gaps, few enough that the
/// run stays near a minute and a half on SQLite.
const MAX_EXAMPLES: u32 = 25;

/// What the run is given: the ids and tokens of the seeded data.
struct Seeded {
    token: String,
    clicked_thing: i64,
    subscribed_thing: i64,
    site: i64,
    payout: i64,
    voucher: String,
    revoked_token: String,
    deleted: TestUser,
    deleted_token: String,
}

#[tokio::test]
async fn the_api_answers_as_its_document_says() {
    let Some(schemathesis) = program(
        "OBOLE_TEST_SCHEMATHESIS",
        "Schemathesis (pip, tests/tools/requirements-schemathesis.txt)",
    ) else {
        return;
    };
    let app = spawn_app_with(&[
        // The seeded site lives on 127.0.0.1, which the proof fetcher refuses unless allowed.
        ("OBOLE_FETCH_ALLOW_PRIVATE", "true"),
        // A charity named, so that every value the document lists for `unspent` and `funds`
        // is one the instance accepts.
        ("OBOLE_CHARITY_NAME", "Restos du Cœur"),
        (
            "OBOLE_CHARITY_PAYOUT_DETAILS",
            "FR76 3000 6000 0112 3456 7890 189\\nRestos du Cœur",
        ),
    ])
    .await;
    let site = SiteServer::start().await;
    let seeded = seed(&app, &site).await;

    let folder = tempfile::tempdir().expect("a folder for the run");
    let config = folder.path().join("schemathesis.toml");
    std::fs::write(&config, render(&seeded, folder.path())).expect("write the configuration");
    let mut command = Command::new(&schemathesis);
    command
        .arg("--config-file")
        .arg(&config)
        .args(["run", "--checks", "all", "--no-color"])
        .arg(app.url("/api/v1/openapi.json"))
        .env("NO_COLOR", "1");
    let shown = format!("{command:?}");
    let started = Instant::now();
    // Off the runtime: the seeded site answers the proof fetcher from this test's runtime
    // while Schemathesis runs.
    let output: Output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the Schemathesis thread")
        .expect("start Schemathesis");
    let took = started.elapsed();
    let printed = format!(
        "{shown}\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("Schemathesis ran for {:.0} s", took.as_secs_f64());
    let missed = match Reached::read(&folder.path().join("requests.har")) {
        Some(reached) => reached.missed(&seeded),
        None => vec!["anything: no HAR report was written"],
    };
    if !output.status.success() || !missed.is_empty() {
        // Kept for whoever reads the failure: the HAR and JUnit reports of the run.
        let kept = folder.keep();
        panic!(
            "Schemathesis: {}; the run never reached {missed:?}; reports in {}\n{printed}",
            output.status,
            kept.display()
        );
    }
}

/// A reader and creator with everything the API can show, two accounts to end and a site.
async fn seed(app: &TestApp, site: &SiteServer) -> Seeded {
    let creator = app.a_user().display_name("Camille").create().await;
    let clicked_thing = a_thing(app, &creator, "https://camille.example/a", "Un billet").await;
    let subscribed_thing = a_thing(app, &creator, "https://camille.example/b", "Un podcast").await;

    // The main account reads (funds, a budget) and creates: its own claimed thing earned 18.00
    // in a settled October, and its address is verified, so that it may ask for payouts.
    let (reader, token) = funded_reader(app, "50.00", "20.00").await;
    let own_thing = a_thing(app, &reader, "https://sam.example/", "Sam’s page").await;
    let (supporter, _) = funded_reader(app, "20.00", "20.00").await;
    click_in_october(app, &supporter, own_thing).await;
    // The main reader tipped in October too, so that October's receipt is theirs to fetch.
    click_in_october(app, &reader, clicked_thing).await;
    settle_october(app).await;
    verify_email(app, &reader).await;

    let path = format!("/api/v1/things/{clicked_thing}/click");
    let (status, body) = call(app, Method::POST, &path, &token, None, None).await;
    assert_eq!(status, StatusCode::CREATED, "the seeded click: {body}");
    let subscription = json!({ "thing_id": subscribed_thing });
    let (status, body) = call(
        app,
        Method::POST,
        "/api/v1/me/subscriptions",
        &token,
        Some(subscription),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the seeded subscription: {body}"
    );
    let added = add_site(app, &token, &site.url("/")).await;
    site.serve("/", Reply::html(page_with_token(token_of(&added))));
    let payout = seed_payout(app, &token).await;

    let voucher = app.vouchers("5.00", 1).await.remove(0);

    let ending = app.a_user().create().await;
    let revoked_token = ending.direct_token(app).await;
    let deleted = app.a_user().create().await;
    let deleted_token = deleted.direct_token(app).await;
    Seeded {
        token,
        clicked_thing,
        subscribed_thing,
        site: added["id"].as_i64().expect("the site's id"),
        payout,
        voucher,
        revoked_token,
        deleted,
        deleted_token,
    }
}

/// A waiting payout of part of the revenue; returns its id.
async fn seed_payout(app: &TestApp, token: &str) -> i64 {
    let response = app
        .api()
        .post(app.url("/api/v1/me/payouts"))
        .bearer_auth(token)
        .header("Idempotency-Key", "seeded-payout")
        .json(&json!({
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "holder": "Sam Martin",
            "amount": "10.00"
        }))
        .send()
        .await
        .expect("the seeded payout");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("a payout");
    body["id"].as_i64().expect("the payout's id")
}

/// tests/tools/schemathesis.toml with its `{{name}}` placeholders replaced.
fn render(seeded: &Seeded, folder: &Path) -> String {
    let template = include_str!("../tools/schemathesis.toml");
    let values = [
        ("token", seeded.token.clone()),
        ("max_examples", MAX_EXAMPLES.to_string()),
        ("report_dir", folder.to_string_lossy().into_owned()),
        ("clicked_thing", seeded.clicked_thing.to_string()),
        ("site", seeded.site.to_string()),
        ("subscribed_thing", seeded.subscribed_thing.to_string()),
        ("voucher", seeded.voucher.clone()),
        ("revoked_token", seeded.revoked_token.clone()),
        ("deleted_token", seeded.deleted_token.clone()),
        ("deleted_password", seeded.deleted.password.clone()),
    ];
    let rendered = values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{{{name}}}}}"), value)
        });
    assert!(!rendered.contains("{{"), "a placeholder left:\n{rendered}");
    rendered
}

/// One request of a run, or one way to reach seeded data: method, path (no query), status,
/// and a part of the body (empty: any body).
type Way = (String, String, u16, String);

/// The requests of a run as its HAR report recorded them.
struct Reached {
    requests: Vec<Way>,
}

impl Reached {
    /// `None` when there is no report to read (Schemathesis stopped before it wrote one).
    fn read(har: &Path) -> Option<Reached> {
        let text = std::fs::read_to_string(har).ok()?;
        let har: Value = serde_json::from_str(&text).ok()?;
        let entries = har["log"]["entries"].as_array()?;
        let requests = entries
            .iter()
            .map(|entry| {
                let url = entry["request"]["url"].as_str().unwrap_or_default();
                // The path alone: the origin is the app's, the query varies.
                let path = url
                    .find("/api/")
                    .map(|start| url[start..].split('?').next().unwrap_or_default())
                    .unwrap_or_default()
                    .to_owned();
                (
                    entry["request"]["method"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    path,
                    u16::try_from(entry["response"]["status"].as_u64().unwrap_or(0)).unwrap_or(0),
                    entry["response"]["content"]["text"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect();
        Some(Reached { requests })
    }

    /// Whether one of `ways` (method, path, status, a part of the body) was answered.
    fn answered(&self, ways: &[Way]) -> bool {
        ways.iter().any(|(method, path, status, part)| {
            self.requests.iter().any(|(m, p, s, body)| {
                m == method && p == path && s == status && body.contains(part.as_str())
            })
        })
    }

    /// What of the seeded data the run never reached (past authentication and the ids, to the
    /// rows), so that it cannot pass by meeting only 401s and 404s.
    fn missed(&self, seeded: &Seeded) -> Vec<&'static str> {
        let thing = format!("/api/v1/things/{}", seeded.clicked_thing);
        let click = format!("{thing}/click");
        let site = format!("/api/v1/me/sites/{}", seeded.site);
        let subscribed = seeded.subscribed_thing;
        let any = String::new;
        let expected: [(&'static str, Vec<Way>); 10] = [
            (
                "the main token",
                vec![("GET".into(), "/api/v1/me".into(), 200, any())],
            ),
            (
                "the seeded thing",
                vec![("GET".into(), thing.clone(), 200, any())],
            ),
            (
                "the seeded click, undone or made again",
                vec![
                    ("DELETE".into(), click.clone(), 204, any()),
                    ("POST".into(), click, 201, any()),
                ],
            ),
            (
                "the month's clicks, with a seeded one (the click may be undone by then; the \
                 subscription's stays)",
                vec![
                    (
                        "GET".into(),
                        "/api/v1/me/clicks".into(),
                        200,
                        format!("\"thing_id\":{}", seeded.clicked_thing),
                    ),
                    (
                        "GET".into(),
                        "/api/v1/me/clicks".into(),
                        200,
                        format!("\"thing_id\":{}", seeded.subscribed_thing),
                    ),
                ],
            ),
            (
                "October's published head and the reader's receipt",
                vec![(
                    "GET".into(),
                    "/api/v1/me/receipts/2026-10".into(),
                    200,
                    "\"proof\"".into(),
                )],
            ),
            (
                "the seeded site, checked or removed",
                vec![
                    ("POST".into(), format!("{site}/verify"), 200, any()),
                    ("DELETE".into(), site, 204, any()),
                ],
            ),
            (
                "the seeded payout, listed",
                vec![(
                    "GET".into(),
                    "/api/v1/me/payouts".into(),
                    200,
                    format!("\"id\":{}", seeded.payout),
                )],
            ),
            (
                "the seeded subscription, cancelled or made again",
                vec![
                    (
                        "DELETE".into(),
                        format!("/api/v1/me/subscriptions/{subscribed}"),
                        204,
                        any(),
                    ),
                    ("POST".into(), "/api/v1/me/subscriptions".into(), 201, any()),
                ],
            ),
            (
                "a token revoked",
                vec![("DELETE".into(), "/api/v1/tokens/current".into(), 204, any())],
            ),
            (
                "an account deleted",
                vec![("DELETE".into(), "/api/v1/me".into(), 204, any())],
            ),
        ];
        expected
            .iter()
            .filter(|(_, ways)| !self.answered(ways))
            .map(|(what, _)| *what)
            .collect()
    }
}
