//! Rules every response follows: `HEAD` wherever `GET` works (uptime monitors and load
//! balancers use it), and public, cacheable responses without a cookie, saying `Vary` where
//! they depend on the visitor's language.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_LENGTH, SET_COOKIE, VARY};

use crate::helpers::builders::a_thing;
use crate::helpers::spawn_app;

#[tokio::test]
async fn head_answers_like_get_without_a_body_on_every_get_route() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://creator.example/", "Carnet").await;
    let paths = [
        "/".to_owned(),
        "/healthz".to_owned(),
        "/embed.js".to_owned(),
        "/browse".to_owned(),
        "/login".to_owned(),
        format!("/t/{thing}"),
        format!("/t/{thing}/badge.svg"),
        "/feeds/things.atom".to_owned(),
        "/assets/obole.css".to_owned(),
        "/api/v1/openapi.json".to_owned(),
        format!("/api/v1/things/{thing}"),
    ];
    for path in &paths {
        let get = app.api().get(app.url(path)).send().await.expect("GET");
        let head = app.api().head(app.url(path)).send().await.expect("HEAD");
        assert_eq!(get.status(), StatusCode::OK, "GET {path}");
        assert_eq!(head.status(), get.status(), "HEAD {path}");
        assert_eq!(
            head.headers().get("content-type"),
            get.headers().get("content-type"),
            "HEAD {path}"
        );
        let length = head.headers().get(CONTENT_LENGTH).cloned();
        assert!(
            head.bytes().await.expect("body").is_empty(),
            "HEAD {path} has no body"
        );
        let body = get.bytes().await.expect("body");
        if let Some(length) = length {
            assert_eq!(
                length.to_str().expect("length"),
                body.len().to_string(),
                "{path}"
            );
        }
    }
    // On the wire, a HEAD answer is the headers alone: nothing follows them.
    let raw = raw_head(&app.address, "/embed.js").await;
    let (head, rest) = raw.split_once("\r\n\r\n").expect("headers");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase().contains("content-length: "),
        "{head}"
    );
    assert!(rest.is_empty(), "a body followed: {rest:?}");
    // A route that only takes POST is still refused, as for GET.
    let head = app
        .api()
        .head(app.url("/logout"))
        .send()
        .await
        .expect("HEAD");
    assert!(head.status().is_client_error(), "{}", head.status());
}

/// Sends `HEAD path` over a bare connection and returns everything the server wrote.
async fn raw_head(address: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let request = format!("HEAD {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server closes")
    .expect("read");
    String::from_utf8(answer).expect("text")
}

/// Link scanners send HEAD: it must not use up a one-time link.
#[tokio::test]
async fn head_never_uses_up_a_verification_link() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let id = obole::domain::UserId(user.id);
    let token = app
        .db(move |conn| {
            let now = chrono::Utc::now();
            obole::models::email_tokens::issue(
                conn,
                id,
                obole::models::email_tokens::Purpose::VerifyEmail,
                now,
                now + chrono::TimeDelta::days(1),
            )
            .expect("token")
        })
        .await;
    let link = app.url(&format!("/verify-email?token={token}"));
    let head = app.api().head(&link).send().await.expect("HEAD");
    assert_eq!(head.status(), StatusCode::OK);
    let get = app.api().get(&link).send().await.expect("GET");
    assert_eq!(get.status(), StatusCode::OK, "the link still works");
    assert!(get.text().await.expect("html").contains("id=\"verified\""));
}

#[tokio::test]
async fn public_cacheable_responses_set_no_cookie_and_vary_by_language() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://creator.example/", "Carnet").await;
    // A visitor with a session (signed in, with a language chosen) asks for each of them.
    let visitor = app.logged_in_visitor(&creator).await;
    app.switch_language(&visitor, "fr").await;
    let public = [
        "/feeds/things.atom".to_owned(),
        "/feeds/things.atom?lang=fr".to_owned(),
        format!("/t/{thing}/badge.svg"),
        "/assets/obole.css".to_owned(),
        "/embed.js".to_owned(),
    ];
    for path in &public {
        for client in [&app.api(), &visitor] {
            let response = client.get(app.url(path)).send().await.expect("GET");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let cache = response.headers()[CACHE_CONTROL].to_str().expect("header");
            assert!(cache.contains("public"), "{path}: {cache}");
            assert!(
                response.headers().get(SET_COOKIE).is_none(),
                "{path} set a cookie: {:?}",
                response.headers().get(SET_COOKIE)
            );
        }
    }
    // The feed speaks the visitor's language, so caches must key it by what chooses it.
    let french = visitor
        .get(app.url("/feeds/things.atom"))
        .send()
        .await
        .expect("feed");
    let vary = french.headers()[VARY].to_str().expect("vary").to_owned();
    assert!(
        vary.contains("Accept-Language") && vary.contains("Cookie"),
        "{vary}"
    );
    assert!(
        french
            .text()
            .await
            .expect("feed")
            .contains("xml:lang=\"fr\"")
    );
    let english = app
        .api()
        .get(app.url("/feeds/things.atom"))
        .header("Accept-Language", "en")
        .send()
        .await
        .expect("feed");
    assert!(
        english
            .text()
            .await
            .expect("feed")
            .contains("xml:lang=\"en\"")
    );
}
