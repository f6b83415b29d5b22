//! The accounts part of the JSON API contract: `POST /accounts`, `POST /tokens`, `GET /me`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

async fn post_json(app: &crate::helpers::TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .api()
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no error code>")
}

#[tokio::test]
async fn creating_an_account_returns_its_id_and_normalised_email() {
    let app = spawn_app().await;
    let (status, body) = post_json(
        &app,
        "/api/v1/accounts",
        json!({"email": " Ana@Example.ORG ", "password": "correct horse"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["email"], "ana@example.org");
    assert!(body["id"].as_i64().is_some_and(|id| id > 0), "{body}");
}

#[tokio::test]
async fn malformed_emails_are_refused_with_invalid_email_and_nothing_is_written() {
    let app = spawn_app().await;
    for email in [
        "",
        "ana",
        "ana@",
        "@example.org",
        "ana@example",
        "ana example@x.org",
        "a@b@c.org",
    ] {
        let (status, body) = post_json(
            &app,
            "/api/v1/accounts",
            json!({"email": email, "password": "correct horse"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{email:?}");
        assert_eq!(error_code(&body), "invalid_email", "{email:?}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    assert_eq!(app.count_users().await, 0);
}

#[tokio::test]
async fn passwords_under_ten_characters_are_refused_with_invalid_password() {
    let app = spawn_app().await;
    for password in ["", "short", "123456789", "         "] {
        let (status, body) = post_json(
            &app,
            "/api/v1/accounts",
            json!({"email": "ana@example.org", "password": password}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{password:?}");
        assert_eq!(error_code(&body), "invalid_password");
    }
    let (status, _) = post_json(
        &app,
        "/api/v1/accounts",
        json!({"email": "ana@example.org"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a missing password is a bad password"
    );
    assert_eq!(app.count_users().await, 0);
}

#[tokio::test]
async fn an_email_can_only_be_registered_once_whatever_its_case() {
    let app = spawn_app().await;
    let (first, _) = post_json(
        &app,
        "/api/v1/accounts",
        json!({"email": "ana@example.org", "password": "correct horse"}),
    )
    .await;
    assert_eq!(first, StatusCode::CREATED);
    let (status, body) = post_json(
        &app,
        "/api/v1/accounts",
        json!({"email": "ANA@example.org", "password": "another password"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_code(&body), "email_taken");
    assert_eq!(app.count_users().await, 1);
}

#[tokio::test]
async fn a_token_opens_me_with_the_contract_fields() {
    let app = spawn_app().await;
    let (_, created) = post_json(
        &app,
        "/api/v1/accounts",
        json!({"email": "zoe@example.fr", "password": "correct horse", "display_name": "Zoé", "locale": "fr"}),
    )
    .await;
    let (status, body) = post_json(
        &app,
        "/api/v1/tokens",
        json!({"email": "zoe@example.fr", "password": "correct horse"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let token = body["token"].as_str().expect("a token");

    let me: Value = app
        .api()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["id"], created["id"]);
    assert_eq!(me["email"], "zoe@example.fr");
    assert_eq!(me["display_name"], "Zoé");
    assert_eq!(me["locale"], "fr");
    assert_eq!(me["funds"], "0.00");
    assert_eq!(me["reserved"], "0.00");
    assert_eq!(me["revenue"], "0.00");
    assert_eq!(me["budget"], Value::Null);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = spawn_app().await;
    let user = app.a_user().email("ana@example.org").create().await;
    let wrong_password = app
        .api()
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"email": user.email, "password": "not the password"}))
        .send()
        .await
        .expect("request");
    let unknown_email = app
        .api()
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"email": "nobody@example.org", "password": "not the password"}))
        .send()
        .await
        .expect("request");
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_email.status(), StatusCode::UNAUTHORIZED);
    let a = wrong_password.text().await.expect("body");
    let b = unknown_email.text().await.expect("body");
    assert_eq!(a, b, "the two failures must be indistinguishable");
    let body: Value = serde_json::from_str(&a).expect("json");
    assert_eq!(error_code(&body), "invalid_credentials");
}

#[tokio::test]
async fn malformed_json_is_a_400_error_object_never_a_500() {
    let app = spawn_app().await;
    for path in ["/api/v1/accounts", "/api/v1/tokens"] {
        for raw in [
            "{bad",
            "",
            "[]",
            "null",
            "{\"email\": 5, \"password\": \"correct horse\"}",
        ] {
            let response = app
                .api()
                .post(app.url(path))
                .header("Content-Type", "application/json")
                .body(raw)
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path} {raw:?}");
            let body: Value = response.json().await.expect("an error object");
            assert_eq!(error_code(&body), "invalid_json", "{path} {raw:?}");
        }
    }
    assert_eq!(app.count_users().await, 0);
}

#[tokio::test]
async fn me_needs_a_valid_token() {
    let app = spawn_app().await;
    let no_token = app
        .api()
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("request");
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    let body: Value = no_token.json().await.expect("json");
    assert_eq!(error_code(&body), "unauthorized");
    for header in ["Bearer nonsense", "Basic YTpi", "Bearer", "obole_x"] {
        let response = app
            .api()
            .get(app.url("/api/v1/me"))
            .header("Authorization", header)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{header}");
    }
}

#[tokio::test]
async fn a_revoked_token_stops_working_and_is_stored_only_as_a_digest() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let token = user.token(&app).await;

    let stored: Vec<String> = app
        .db(|conn| {
            use diesel::prelude::*;
            obole::db::schema::api_tokens::table
                .select(obole::db::schema::api_tokens::token_hash)
                .load(conn)
                .expect("tokens")
        })
        .await;
    assert_eq!(stored.len(), 1);
    assert!(
        !stored[0].contains(&token) && stored[0].len() == 64,
        "only a SHA-256 is kept"
    );

    let revoke = app
        .api()
        .delete(app.url("/api/v1/tokens/current"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
    let me = app
        .api()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn token_requests_are_rate_limited_with_429_and_retry_after() {
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let response = app
            .api()
            .post(app.url("/api/v1/tokens"))
            .json(&json!({"email": "ana@example.org", "password": "guess guess guess"}))
            .send()
            .await
            .expect("request");
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
            let body: Value = response.json().await.expect("json");
            assert_eq!(error_code(&body), "rate_limited");
        }
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn api_errors_speak_the_clients_language_and_refuse_unknown_locales() {
    let app = spawn_app().await;
    let response = app
        .api()
        .post(app.url("/api/v1/accounts"))
        .header("Accept-Language", "fr-FR,fr;q=0.9")
        .json(&json!({"email": "pas-une-adresse", "password": "correct horse"}))
        .send()
        .await
        .expect("request");
    let body: Value = response.json().await.expect("json");
    assert_eq!(error_code(&body), "invalid_email");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("adresse e-mail")),
        "{body}"
    );

    let (status, body) = post_json(
        &app,
        "/api/v1/accounts",
        json!({"email": "ana@example.org", "password": "correct horse", "locale": "de"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "invalid_locale");
}

#[tokio::test]
async fn unknown_api_routes_answer_with_the_error_object() {
    let app = spawn_app().await;
    let response = app
        .api()
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.expect("json");
    assert_eq!(error_code(&body), "not_found");
    let wrong_method = app
        .api()
        .get(app.url("/api/v1/accounts"))
        .send()
        .await
        .expect("request");
    assert!(wrong_method.status().is_client_error());
    let body: Value = wrong_method
        .json()
        .await
        .expect("an error object, not an empty body");
    assert!(body["error"]["code"].is_string());
}
