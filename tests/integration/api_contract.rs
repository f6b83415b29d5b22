//! The OpenAPI document describes the API that is served.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_path_in_the_openapi_document_is_served() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = crate::helpers::builders::a_thing(&app, &creator, "https://a.example/", "A").await;
    let response = app
        .api()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("document");
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.expect("JSON");
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.len() >= 5);
    for (path, operations) in paths {
        for method in operations.as_object().expect("operations").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
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
}
