//! Claims, the proofs (PRODUCT.md, "Claims"): a person adds a site through the API, puts its
//! token on a real website (a loopback server of the test's own) and asks Obole to look; what
//! the fetcher refuses, and what the failure says. Ownership and money: `claims_money.rs`.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::app::spawn_app_with;
use crate::helpers::site::{Reply, SiteServer};
use crate::helpers::{TestApp, spawn_app};

/// The app as tests of claims need it: the test's website lives on 127.0.0.1, which the
/// fetcher refuses unless the operator allows private addresses.
pub async fn private_fetching_app() -> TestApp {
    spawn_app_with(&[("OBOLE_FETCH_ALLOW_PRIVATE", "true")]).await
}

/// A person with an API token.
pub async fn a_person(app: &TestApp) -> (crate::helpers::builders::TestUser, String) {
    let user = app.a_user().create().await;
    let token = user.direct_token(app).await;
    (user, token)
}

/// An API request with `token` (and `Accept-Language` when given): its status and JSON body
/// (`Null` when there is none).
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
    language: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = app.api().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(language) = language {
        request = request.header("Accept-Language", language);
    }
    let response = request.send().await.expect("API request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Adds a site through the API; panics unless it is created.
pub async fn add_site(app: &TestApp, token: &str, url: &str) -> Value {
    let (status, body) = call(
        app,
        Method::POST,
        "/api/v1/me/sites",
        token,
        Some(json!({ "url": url })),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

pub async fn verify_site(app: &TestApp, token: &str, site: &Value) -> (StatusCode, Value) {
    verify_in(app, token, site, None).await
}

async fn verify_in(
    app: &TestApp,
    token: &str,
    site: &Value,
    language: Option<&str>,
) -> (StatusCode, Value) {
    let path = format!("/api/v1/me/sites/{}/verify", site_id(site));
    call(app, Method::POST, &path, token, None, language).await
}

pub async fn my_sites(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, body) = call(app, Method::GET, "/api/v1/me/sites", token, None, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().expect("items").clone()
}

/// Adds a thing through the API; panics unless it is created.
pub async fn add_thing(app: &TestApp, token: &str, url: &str, title: &str) -> Value {
    let body = json!({ "url": url, "title": title });
    let (status, body) = call(app, Method::POST, "/api/v1/things", token, Some(body), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

/// The public view of a thing: `owner_id` and `claimed`.
pub async fn thing(app: &TestApp, id: i64) -> Value {
    app.get_json(&format!("/api/v1/things/{id}")).await
}

pub fn site_id(site: &Value) -> i64 {
    site["id"].as_i64().expect("a site id")
}

pub fn token_of(site: &Value) -> &str {
    site["token"].as_str().expect("a site token")
}

/// A page that carries `token` in its head, as the site's owner pastes it.
pub fn page_with_token(token: &str) -> String {
    format!(
        r#"<!doctype html><html><head><title>Mon blog</title><meta name="obole-verification" content="{token}"></head><body><p>Bonjour</p></body></html>"#
    )
}

fn code_of(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<none>")
}

fn message_of(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or("<none>")
}

/// The problem the failed check found for `method`.
fn problem<'a>(body: &'a Value, method: &str) -> &'a Value {
    body["error"]["problems"]
        .as_array()
        .expect("a list of problems")
        .iter()
        .find(|p| p["method"] == method)
        .unwrap_or_else(|| panic!("no problem for {method} in {body}"))
}

async fn assert_unverified(app: &TestApp, token: &str, site: &Value) {
    let listed = my_sites(app, token).await;
    let found = listed
        .iter()
        .find(|s| s["id"] == site["id"])
        .expect("the site is still listed");
    assert_eq!(found["verified"], false, "{found}");
    assert_eq!(found["method"], Value::Null, "{found}");
}

#[tokio::test]
async fn a_site_is_proven_by_the_meta_tag_on_its_page() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (_, token) = a_person(&app).await;

    let added = add_site(&app, &token, &site.url("/")).await;
    assert_eq!(added["url"], site.url("/"), "an origin with its port");
    assert_eq!(added["verified"], false);
    assert_eq!(added["methods"], json!(["meta", "well_known", "rel_me"]));
    let site_token = token_of(&added);
    assert!(!site_token.is_empty());
    site.serve("/", Reply::html(page_with_token(site_token)));

    let (status, proven) = verify_site(&app, &token, &added).await;
    assert_eq!(status, StatusCode::OK, "{proven}");
    assert_eq!(proven["id"], added["id"]);
    assert_eq!(proven["verified"], true);
    assert_eq!(proven["method"], "meta");
    assert_eq!(site.requests().first().map(String::as_str), Some("/"));

    let listed = my_sites(&app, &token).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["id"], added["id"]);
    assert_eq!(listed[0]["verified"], true);
    assert_eq!(listed[0]["method"], "meta");
    assert!(listed[0]["verified_at"].is_string(), "{}", listed[0]);
}

#[tokio::test]
async fn an_origin_is_proven_by_its_well_known_file() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (_, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    // The page says nothing; the file holds the token alone, with the newline editors add.
    site.serve("/", Reply::html("<html><body>Bienvenue</body></html>"));
    site.serve(
        "/.well-known/obole-verification.txt",
        Reply::text(format!("{}\n", token_of(&added))),
    );

    let (status, proven) = verify_site(&app, &token, &added).await;

    assert_eq!(status, StatusCode::OK, "{proven}");
    assert_eq!(proven["verified"], true);
    assert_eq!(proven["method"], "well_known");
}

#[tokio::test]
async fn a_profile_page_is_proven_by_a_rel_me_link_to_the_public_page() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (alice, token) = a_person(&app).await;
    let profile = obole::domain::profile::ProfileInput::parse("alice", "Alice", "", "", false)
        .expect("a public page");
    let id = obole::domain::UserId(alice.id);
    app.db(move |conn| {
        obole::use_cases::creators::save(conn, id, &profile, chrono::Utc::now())
            .expect("save the page")
    })
    .await;
    let added = add_site(&app, &token, &site.url("/@alice")).await;
    assert_eq!(
        added["methods"],
        json!(["meta", "rel_me"]),
        "a profile page"
    );
    site.serve(
        "/@alice",
        Reply::html(format!(
            r#"<html><body><h1>Alice</h1><a rel="me noopener" href="{}/c/alice">Obole</a></body></html>"#,
            app.address
        )),
    );

    let (status, proven) = verify_site(&app, &token, &added).await;

    assert_eq!(status, StatusCode::OK, "{proven}");
    assert_eq!(proven["verified"], true);
    assert_eq!(proven["method"], "rel_me");
    assert!(
        !site
            .requests()
            .iter()
            .any(|p| p.starts_with("/.well-known")),
        "a profile page has no well-known file: {:?}",
        site.requests()
    );
}

#[tokio::test]
async fn a_site_that_serves_nothing_fails_and_says_where_it_looked_in_english_and_french() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (_, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    let page = site.url("/");
    let file = site.url("/.well-known/obole-verification.txt");

    let (status, failed) = verify_site(&app, &token, &added).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{failed}");
    assert_eq!(code_of(&failed), "verification_failed");
    let meta = problem(&failed, "meta");
    assert_eq!(
        (&meta["url"], &meta["code"], &meta["detail"]),
        (&json!(page), &json!("status"), &json!("404"))
    );
    let well_known = problem(&failed, "well_known");
    assert_eq!(
        (
            &well_known["url"],
            &well_known["code"],
            &well_known["detail"]
        ),
        (&json!(file), &json!("status"), &json!("404"))
    );
    let english = message_of(&failed);
    for expected in ["The proof was not found.", &page, &file, "404"] {
        assert!(english.contains(expected), "{expected:?} in {english:?}");
    }

    let (status, en_francais) = verify_in(&app, &token, &added, Some("fr")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{en_francais}");
    assert_eq!(code_of(&en_francais), "verification_failed");
    let french = message_of(&en_francais);
    for expected in [
        "La preuve n’a pas été trouvée.",
        &page,
        &file,
        "statut HTTP 404",
    ] {
        assert!(french.contains(expected), "{expected:?} in {french:?}");
    }
    assert_unverified(&app, &token, &added).await;
}

#[tokio::test]
async fn a_page_without_the_token_fails_and_names_the_missing_proof_in_english_and_french() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (_, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    // Someone else's token is no proof of this site.
    site.serve(
        "/",
        Reply::html(page_with_token("obole-somebody-elses-token")),
    );

    let (status, failed) = verify_site(&app, &token, &added).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{failed}");
    assert_eq!(code_of(&failed), "verification_failed");
    let meta = problem(&failed, "meta");
    assert_eq!(
        (&meta["url"], &meta["code"]),
        (&json!(site.url("/")), &json!("missing"))
    );
    assert_eq!(problem(&failed, "rel_me")["code"], "no_public_page");
    let english = message_of(&failed);
    let missing = format!(
        r#"{} was fetched, but the tag <meta name="obole-verification"> with your token is not on it."#,
        site.url("/")
    );
    assert!(english.contains(&missing), "{missing:?} in {english:?}");

    let (_, en_francais) = verify_in(&app, &token, &added, Some("fr-FR,fr;q=0.9")).await;
    let french = message_of(&en_francais);
    let manque = format!(
        r#"{} a été lu, mais la balise <meta name="obole-verification"> avec votre jeton n’y figure pas."#,
        site.url("/")
    );
    assert!(french.contains(&manque), "{manque:?} in {french:?}");
    assert_unverified(&app, &token, &added).await;
}

#[tokio::test]
async fn a_loopback_site_is_not_public_unless_the_operator_allows_private_fetches() {
    let app = spawn_app().await;
    let site = SiteServer::start().await;
    let (_, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    site.serve("/", Reply::html(page_with_token(token_of(&added))));

    let (status, refused) = verify_site(&app, &token, &added).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(code_of(&refused), "site_not_public");
    assert!(
        message_of(&refused).contains("not on a public address"),
        "{refused}"
    );
    assert_eq!(site.requests(), Vec::<String>::new(), "nothing was fetched");
    assert_unverified(&app, &token, &added).await;
}

#[tokio::test]
async fn a_site_whose_name_resolves_to_loopback_is_not_public_either() {
    let app = spawn_app().await;
    let site = SiteServer::start().await;
    let (_, token) = a_person(&app).await;
    // The name is judged by the addresses it resolves to, not by how it is written.
    let named = site.url("/").replace("127.0.0.1", "localhost");
    let added = add_site(&app, &token, &named).await;
    site.serve("/", Reply::html(page_with_token(token_of(&added))));

    let (status, refused) = verify_site(&app, &token, &added).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(code_of(&refused), "site_not_public");
    assert_eq!(site.requests(), Vec::<String>::new(), "nothing was fetched");
    assert_unverified(&app, &token, &added).await;
}

#[tokio::test]
async fn a_redirect_off_the_origin_is_not_followed() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let elsewhere = SiteServer::start().await;
    let (_, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    // The proof sits on another origin (another port of the same host), behind a redirect.
    elsewhere.serve("/", Reply::html(page_with_token(token_of(&added))));
    site.serve("/", Reply::redirect(&elsewhere.url("/")));

    let (status, failed) = verify_site(&app, &token, &added).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{failed}");
    assert_eq!(code_of(&failed), "verification_failed");
    let meta = problem(&failed, "meta");
    assert_eq!(meta["code"], "redirect_off_origin", "{failed}");
    assert_eq!(meta["detail"], elsewhere.url("/"));
    assert_eq!(elsewhere.requests(), Vec::<String>::new(), "never followed");
    assert_unverified(&app, &token, &added).await;
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (_, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    site.serve("/", Reply::redirect("/fr/"));
    site.serve("/fr/", Reply::html(page_with_token(token_of(&added))));

    let (status, proven) = verify_site(&app, &token, &added).await;

    assert_eq!(status, StatusCode::OK, "{proven}");
    assert_eq!(proven["method"], "meta");
}

#[tokio::test]
async fn a_huge_page_is_cut_off_and_the_check_ends_in_bounded_time() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (_, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    const MIB: usize = 1024 * 1024;
    let line = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n";
    let filler = |bytes: usize| line.repeat(bytes / line.len());
    let page = format!(
        "<!doctype html><html><head><title>Gros</title></head><body>{}{}{}</body></html>",
        filler(MIB + 4096),
        page_with_token(token_of(&added)),
        filler(9 * MIB)
    );
    assert!(page.len() >= 10 * MIB - 4096, "{} bytes", page.len());
    site.serve("/", Reply::html(page));

    let started = Instant::now();
    let (status, failed) = verify_site(&app, &token, &added).await;
    let took = started.elapsed();

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{failed}");
    assert_eq!(code_of(&failed), "verification_failed");
    let meta = problem(&failed, "meta");
    assert_eq!(meta["code"], "cut_off", "{failed}");
    assert!(
        message_of(&failed).contains("KiB were read"),
        "{}",
        message_of(&failed)
    );
    // Two fetches (the page, the well-known file), each within the fetcher's 5 s deadline.
    assert!(took < Duration::from_secs(10), "the check took {took:?}");
    assert_unverified(&app, &token, &added).await;
}

#[tokio::test]
async fn someone_elses_site_cannot_be_verified_or_removed() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (_, alice) = a_person(&app).await;
    let (_, mallory) = a_person(&app).await;
    let added = add_site(&app, &alice, &site.url("/")).await;
    site.serve("/", Reply::html(page_with_token(token_of(&added))));
    let path = format!("/api/v1/me/sites/{}", site_id(&added));

    let (verify_status, verify_body) = verify_site(&app, &mallory, &added).await;
    let (delete_status, delete_body) =
        call(&app, Method::DELETE, &path, &mallory, None, None).await;

    assert_eq!(verify_status, StatusCode::NOT_FOUND, "{verify_body}");
    assert_eq!(code_of(&verify_body), "not_found");
    assert_eq!(delete_status, StatusCode::NOT_FOUND, "{delete_body}");
    assert_eq!(site.requests(), Vec::<String>::new(), "nothing was fetched");
    assert_unverified(&app, &alice, &added).await;
    assert!(my_sites(&app, &mallory).await.is_empty());
}

#[tokio::test]
async fn removing_a_proven_site_unclaims_its_things_but_keeps_their_owner() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    let (alice, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    site.serve("/", Reply::html(page_with_token(token_of(&added))));
    let (status, _) = verify_site(&app, &token, &added).await;
    assert_eq!(status, StatusCode::OK);
    let post = add_thing(&app, &token, &site.url("/posts/1"), "Billet").await;
    let post_id = post["id"].as_i64().expect("id");
    assert_eq!(thing(&app, post_id).await["claimed"], true);

    let path = format!("/api/v1/me/sites/{}", site_id(&added));
    let (status, _) = call(&app, Method::DELETE, &path, &token, None, None).await;

    assert_eq!(status, StatusCode::NO_CONTENT);
    let after = thing(&app, post_id).await;
    assert_eq!(after["claimed"], false, "{after}");
    assert_eq!(after["owner_id"], alice.id, "{after}");
    assert!(my_sites(&app, &token).await.is_empty());
    let (status, _) = call(&app, Method::DELETE, &path, &token, None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "removed once");
}

#[tokio::test]
async fn adding_the_same_site_twice_gives_the_same_site_and_token() {
    let app = spawn_app().await;
    let (_, token) = a_person(&app).await;

    let first = add_site(&app, &token, "https://blog.example.org/").await;
    let again = add_site(&app, &token, "HTTPS://Blog.Example.org").await;

    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["token"], first["token"]);
    assert_eq!(again["url"], "https://blog.example.org/");
    assert_eq!(my_sites(&app, &token).await.len(), 1);
}

#[tokio::test]
async fn a_site_is_an_origin_or_a_page_and_nothing_else() {
    let app = spawn_app().await;
    let (_, token) = a_person(&app).await;

    for url in ["ftp://x", "https://example.org/?q=1", "not a url", ""] {
        let (status, body) = call(
            &app,
            Method::POST,
            "/api/v1/me/sites",
            &token,
            Some(json!({ "url": url })),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url:?}: {body}");
        assert_eq!(code_of(&body), "invalid_url", "{url:?}");
    }
    assert!(my_sites(&app, &token).await.is_empty(), "nothing written");
}

#[tokio::test]
async fn a_new_thing_gets_a_payment_link_tag_and_a_podcast_funding_tag() {
    let app = spawn_app().await;
    let (_, token) = a_person(&app).await;

    let added = add_thing(
        &app,
        &token,
        "https://podcast.example.org/ep/1",
        "Épisode 1",
    )
    .await;

    let link = app.url(&format!("/t/{}", added["id"].as_i64().expect("id")));
    let button = &added["button"];
    assert_eq!(
        button["link_tag"],
        format!(r#"<link rel="payment" href="{link}">"#)
    );
    let funding = button["podcast_funding"].as_str().expect("podcast_funding");
    assert!(
        funding.starts_with(&format!(r#"<podcast:funding url="{link}">"#))
            && funding.ends_with("</podcast:funding>"),
        "{funding}"
    );
}

#[tokio::test]
async fn checks_are_rate_limited_per_account_so_nobody_makes_obole_a_crawler() {
    let app = private_fetching_app().await;
    let site = SiteServer::start().await;
    site.serve(
        "/",
        Reply::html("<html><head></head><body>No tag</body></html>"),
    );
    let (_, token) = a_person(&app).await;
    let added = add_site(&app, &token, &site.url("/")).await;
    // Ten checks in a row are answered (each a failed proof), the eleventh waits.
    for n in 0..10 {
        let (status, body) = verify_site(&app, &token, &added).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "check {n}: {body}"
        );
    }
    let fetched = site.requests().len();
    let (status, body) = verify_site(&app, &token, &added).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["code"], "rate_limited");
    assert_eq!(
        site.requests().len(),
        fetched,
        "a refused check fetches nothing"
    );
    // Another account is not held back.
    let (_, other) = a_person(&app).await;
    let theirs = add_site(&app, &other, &site.url("/")).await;
    let (status, _) = verify_site(&app, &other, &theirs).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
