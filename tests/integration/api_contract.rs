//! The OpenAPI document describes the API that is served, and the API answers what the
//! document says: 405 with `Allow` for undeclared methods, 401 where a token is needed, 422
//! for query strings it cannot read.

use reqwest::header::{ACCEPT_LANGUAGE, ALLOW};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::spawn_app;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

async fn document(app: &crate::helpers::app::TestApp) -> Value {
    let response = app
        .api()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("document");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("the document is JSON")
}

/// Each operation of the document as (method, path, operation).
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let paths = document["paths"].as_object().expect("paths");
    let mut all = Vec::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("path item") {
            if METHODS.contains(&method.as_str()) {
                all.push((method.to_uppercase(), path.clone(), operation.clone()));
            }
        }
    }
    all
}

#[tokio::test]
async fn every_path_in_the_openapi_document_is_served() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = crate::helpers::builders::a_thing(&app, &creator, "https://a.example/", "A").await;
    let document = document(&app).await;
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.len() >= 5);
    for (method, path, _) in operations(&document) {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let path = path.replace("{id}", &thing.to_string());
        let response = app
            .api()
            .request(method.clone(), app.url(&format!("/api/v1{path}")))
            .send()
            .await
            .expect("call");
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED && body["error"]["code"] != "not_found",
            "{method} {path} is described but not served ({status})"
        );
    }
}

#[tokio::test]
async fn the_document_states_the_bearer_scheme_and_401_wherever_a_token_is_needed() {
    let app = spawn_app().await;
    let document = document(&app).await;
    let scheme = &document["components"]["securitySchemes"]["bearer"];
    assert_eq!(
        (&scheme["type"], &scheme["scheme"]),
        (&"http".into(), &"bearer".into())
    );
    let mut secured = 0;
    for (method, path, operation) in operations(&document) {
        let needs_token = operation["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
        let lists_401 = operation["responses"]["401"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("`unauthorized`"));
        assert_eq!(
            needs_token, lists_401,
            "{method} {path}: security and 401 disagree"
        );
        if operation.get("requestBody").is_some() {
            let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            let name = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next());
            let schema = name.map_or(schema, |n| &document["components"]["schemas"][n]);
            assert!(
                schema.get("example").is_some(),
                "{method} {path}: no example"
            );
        }
        if !needs_token {
            continue;
        }
        secured += 1;
        // Served as described: without a token, 401 `unauthorized`.
        let url = app.url(&format!("/api/v1{}", path.replace("{id}", "1")));
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let response = app.api().request(method, url).send().await.expect("call");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        let body: Value = response.json().await.expect("error body");
        assert_eq!(body["error"]["code"], "unauthorized", "{path}");
    }
    assert!(secured >= 20, "{secured} secured operations");
}

/// The methods a path declares, as `Allow` lists them: `HEAD` right after `GET`.
fn declared(document: &Value, path: &str) -> Vec<String> {
    let item = document["paths"][path].as_object().expect("path");
    let mut methods: Vec<String> = Vec::new();
    for method in item.keys().filter(|m| METHODS.contains(&m.as_str())) {
        methods.push(method.to_uppercase());
        if method == "get" {
            methods.push("HEAD".to_owned());
        }
    }
    methods.sort();
    methods
}

#[tokio::test]
async fn undeclared_methods_answer_405_with_the_declared_ones_in_allow() {
    let app = spawn_app().await;
    let document = document(&app).await;
    let paths: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();
    for path in paths {
        let url = app.url(&format!("/api/v1{}", path.replace("{id}", "1")));
        for method in ["TRACE", "PATCH", "OPTIONS"] {
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let response = app
                .api()
                .request(method.clone(), &url)
                .send()
                .await
                .expect("call");
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            let allow = response
                .headers()
                .get(ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let mut listed: Vec<String> = allow.split(", ").map(str::to_owned).collect();
            listed.sort();
            assert_eq!(
                listed,
                declared(&document, &path),
                "{method} {path}: {allow}"
            );
            let body: Value = response.json().await.expect("error body");
            assert_eq!(body["error"]["code"], "method_not_allowed", "{path}");
        }
    }
}

#[tokio::test]
async fn a_405_speaks_the_request_language_and_an_unknown_path_stays_404() {
    let app = spawn_app().await;
    let mut messages = Vec::new();
    for (language, method, path, allow) in [
        ("en", Method::PUT, "/api/v1/me/clicks", "GET, HEAD"),
        ("fr", Method::PUT, "/api/v1/me/clicks", "GET, HEAD"),
        ("fr", Method::TRACE, "/api/v1/me", "GET, HEAD, DELETE"),
        ("en", Method::GET, "/api/v1/tokens", "POST"),
        ("fr", Method::HEAD, "/api/v1/accounts", "POST"),
        (
            "en",
            Method::PATCH,
            "/api/v1/things/12/click",
            "POST, PUT, DELETE",
        ),
    ] {
        let response = app
            .api()
            .request(method.clone(), app.url(path))
            .header(ACCEPT_LANGUAGE, language)
            .send()
            .await
            .expect("call");
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(response.headers().get(ALLOW).expect("Allow"), allow);
        if method == Method::HEAD {
            continue;
        }
        let body: Value = response.json().await.expect("error body");
        assert_eq!(body["error"]["code"], "method_not_allowed");
        messages.push((
            language,
            body["error"]["message"].as_str().unwrap_or("").to_owned(),
        ));
    }
    let english = &messages[0].1;
    let french = &messages[1].1;
    assert_eq!(english, "This action is not allowed here.");
    assert_eq!(french, "Cette action n’est pas autorisée ici.");
    assert!(
        messages
            .iter()
            .all(|(l, m)| m == if *l == "fr" { french } else { english })
    );

    for path in [
        "/api/v1/nothing",
        "/api/v1/me/nothing",
        "/api/v1/things/1/nothing",
    ] {
        let response = app.api().delete(app.url(path)).send().await.expect("call");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(response.headers().get(ALLOW).is_none());
        let body: Value = response.json().await.expect("error body");
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
}

async fn code_of(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("JSON body");
    let code = body["error"]["code"].as_str().unwrap_or("").to_owned();
    (status, code)
}

#[tokio::test]
async fn query_strings_the_server_cannot_read_are_422_in_the_error_format() {
    let app = spawn_app().await;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    for query in [
        "sort=null&sort=null",
        "sort=new&sort=new",
        "sort=null",
        "page=0",
        "page=10001",
        "page=x",
        "lang=xx",
        "category=cats",
        "lang=fr&lang=en",
    ] {
        let response = app
            .api()
            .get(app.url(&format!("/api/v1/things?{query}")))
            .send()
            .await
            .expect("call");
        assert_eq!(
            code_of(response).await,
            (unprocessable, "invalid_query".into()),
            "{query}"
        );
    }
    // Unknown parameters are ignored and an empty value is an absent one.
    for query in [
        "unknown=1",
        "sort=&page=&lang=&category=",
        "q=",
        "lang=all&category=all",
    ] {
        let response = app
            .api()
            .get(app.url(&format!("/api/v1/things?{query}")))
            .send()
            .await
            .expect("call");
        assert_eq!(response.status(), StatusCode::OK, "{query}");
    }

    let reader = app.a_user().create().await;
    let token = reader.direct_token(&app).await;
    let ask = |query: &str| {
        app.api()
            .get(app.url(&format!("/api/v1/me/clicks?{query}")))
            .bearer_auth(&token)
            .send()
    };
    for (query, code) in [
        ("month=2026-1", "invalid_month"),
        ("month=1969-12", "invalid_month"),
        ("month=null", "invalid_month"),
        ("month=2026-01&month=2026-02", "invalid_query"),
    ] {
        let response = ask(query).await.expect("call");
        assert_eq!(
            code_of(response).await,
            (unprocessable, code.into()),
            "{query}"
        );
    }
    for query in ["month=", "month=2026-01", "other=1"] {
        assert_eq!(
            ask(query).await.expect("call").status(),
            StatusCode::OK,
            "{query}"
        );
    }
}

#[tokio::test]
async fn ids_that_are_not_positive_int64_name_nothing() {
    let app = spawn_app().await;
    for id in ["0", "-1", "9223372036854775808", "abc", "1.5", "%FF"] {
        let response = app
            .api()
            .get(app.url(&format!("/api/v1/things/{id}")))
            .send()
            .await
            .expect("call");
        assert_eq!(
            code_of(response).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{id}"
        );
    }
}
