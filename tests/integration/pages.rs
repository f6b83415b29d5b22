//! HTML pages: languages, error pages, headers, and the sign-up / log-in / log-out flow as a
//! plain HTTP client sees it.

use reqwest::StatusCode;

use crate::helpers::html::{csrf_token, document_language, heading};
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_home_page_speaks_the_visitors_language() {
    let app = spawn_app().await;
    for (accept, lang, title) in [
        (
            "fr",
            "fr",
            "Donnez un peu, chaque mois, à ce qui compte pour vous",
        ),
        (
            "fr-CA,fr;q=0.9,en;q=0.8",
            "fr",
            "Donnez un peu, chaque mois, à ce qui compte pour vous",
        ),
        ("en", "en", "Give a little, every month, to what you value"),
        (
            "de-DE,de;q=0.9",
            "en",
            "Give a little, every month, to what you value",
        ),
    ] {
        let html = app
            .api()
            .get(app.url("/"))
            .header("Accept-Language", accept)
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("html");
        assert_eq!(document_language(&html), lang, "{accept}");
        assert_eq!(heading(&html), title, "{accept}");
    }
}

#[tokio::test]
async fn every_page_of_this_issue_renders_in_both_languages() {
    let app = spawn_app().await;
    for path in ["/", "/signup", "/login", "/no-such-page"] {
        let mut bodies = Vec::new();
        for accept in ["en", "fr"] {
            let response = app
                .api()
                .get(app.url(path))
                .header("Accept-Language", accept)
                .send()
                .await
                .expect("page");
            assert!(
                response.status() == StatusCode::OK || response.status() == StatusCode::NOT_FOUND,
                "{path}"
            );
            let html = response.text().await.expect("html");
            assert_eq!(document_language(&html), accept, "{path}");
            bodies.push(heading(&html));
        }
        assert_ne!(
            bodies[0], bodies[1],
            "{path} must differ between English and French"
        );
    }
}

#[tokio::test]
async fn the_chosen_language_is_remembered_over_accept_language() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    let switch = visitor
        .get(app.url("/lang/fr?next=/login"))
        .send()
        .await
        .expect("switch");
    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(switch.headers()["location"], "/login");
    let html = visitor
        .get(app.url("/login"))
        .header("Accept-Language", "en")
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("html");
    assert_eq!(document_language(&html), "fr");
    assert_eq!(heading(&html), "Connexion");

    let hostile = visitor
        .get(app.url("/lang/en?next=//evil.example/x"))
        .send()
        .await
        .expect("switch");
    assert_eq!(
        hostile.headers()["location"],
        "/",
        "never redirect to another site"
    );
}

#[tokio::test]
async fn unknown_pages_get_a_localized_404() {
    let app = spawn_app().await;
    for (accept, title) in [("en", "Page not found"), ("fr", "Page introuvable")] {
        let response = app
            .api()
            .get(app.url("/nowhere"))
            .header("Accept-Language", accept)
            .send()
            .await
            .expect("page");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with("text/html")
        );
        assert_eq!(heading(&response.text().await.expect("html")), title);
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let token_less_me = app.api().get(app.url("/api/v1/me"));
    let requests = [
        app.api().get(app.url("/")),
        app.api().get(app.url("/login")),
        app.api().get(app.url("/healthz")),
        app.api().get(app.url("/nowhere")),
        app.api().get(app.url("/assets/obole.css")),
        app.api().post(app.url("/login")),
        token_less_me,
    ];
    for request in requests {
        let response = request.send().await.expect("response");
        let url = response.url().to_string();
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{url}: {csp}");
        assert_eq!(
            headers.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{url}"
        );
        assert!(headers.contains_key("referrer-policy"), "{url}");
    }
}

#[tokio::test]
async fn healthz_answers_200_when_the_database_does() {
    let app = spawn_app().await;
    let response = app
        .api()
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("health");
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    let expected = match crate::helpers::database::backend() {
        crate::helpers::database::Backend::Sqlite => "SQLite",
        crate::helpers::database::Backend::Postgres => "PostgreSQL",
    };
    assert_eq!(body["database"], expected);
}

#[tokio::test]
async fn a_visitor_signs_up_lands_on_the_dashboard_logs_out_and_logs_in_again() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    let fields = [
        ("email", "lea@example.fr"),
        ("password", "correct horse"),
        ("display_name", "Léa"),
    ];
    let signed_up = app
        .submit_form(&visitor, "/signup", "/signup", &fields, "en")
        .await;
    assert_eq!(signed_up.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_up.headers()["location"], "/dashboard");

    let dashboard = app.html(&visitor, "/dashboard", "en").await;
    assert_eq!(heading(&dashboard), "Welcome, Léa!");
    assert!(
        dashboard.contains("€0.00"),
        "balances in the English number format"
    );

    let logged_out = app
        .submit_form(&visitor, "/dashboard", "/logout", &[], "en")
        .await;
    assert_eq!(logged_out.status(), StatusCode::SEE_OTHER);
    let after = visitor
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard");
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "logged out users are sent to log in"
    );
    assert_eq!(after.headers()["location"], "/login?next=/dashboard");

    let fields = [
        ("email", "LEA@example.fr"),
        ("password", "correct horse"),
        ("next", "/dashboard"),
    ];
    let logged_in = app
        .submit_form(&visitor, "/login?next=/dashboard", "/login", &fields, "en")
        .await;
    assert_eq!(logged_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(logged_in.headers()["location"], "/dashboard");
    let dashboard = visitor
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard");
    assert_eq!(dashboard.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_refused_sign_up_explains_itself_in_french_and_writes_nothing() {
    let app = spawn_app().await;
    let fields = [("email", "lea@example.fr"), ("password", "court")];
    let response = app
        .submit_form(&app.visitor(), "/signup", "/signup", &fields, "fr")
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(
        html.contains("Le mot de passe doit comporter au moins 10 caractères."),
        "{html}"
    );
    assert!(
        html.contains("value=\"lea@example.fr\""),
        "the email is kept"
    );
    let users = app.count_users().await;
    assert_eq!(users, 0);
}

#[tokio::test]
async fn assets_are_cacheable_and_revalidated_with_etags() {
    let app = spawn_app().await;
    let first = app
        .api()
        .get(app.url("/assets/obole.css"))
        .send()
        .await
        .expect("css");
    assert_eq!(first.status(), StatusCode::OK);
    assert!(
        first.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/css")
    );
    let etag = first.headers()["etag"].clone();
    let again = app
        .api()
        .get(app.url("/assets/obole.css"))
        .header("If-None-Match", etag)
        .send()
        .await
        .expect("css");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let missing = app
        .api()
        .get(app.url("/assets/../Cargo.toml"))
        .send()
        .await
        .expect("traversal");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn logging_in_switches_pages_to_the_accounts_language() {
    let app = spawn_app().await;
    let user = app
        .a_user()
        .email("remi@example.fr")
        .password("mot de passe solide")
        .display_name("Rémi")
        .locale(obole::domain::Locale::Fr)
        .create()
        .await;
    let visitor = app.logged_in_visitor(&user).await;
    let dashboard = app.html(&visitor, "/dashboard", "en").await;
    assert_eq!(heading(&dashboard), "Bienvenue, Rémi\u{a0}!");
    assert!(dashboard.contains("0,00 €"), "French number format");

    let token = user.token(&app).await;
    let me: serde_json::Value = app
        .api()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["id"], user.id);
}

#[tokio::test]
async fn internal_errors_render_a_localized_500_without_details() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    let form = app.html(&visitor, "/login", "fr").await;
    // Break the database under the running app: the next log-in query fails.
    app.db(|conn| {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("ALTER TABLE users RENAME TO users_gone")
            .expect("rename the users table");
    })
    .await;
    let response = visitor
        .post(app.url("/login"))
        .header("Accept-Language", "fr")
        .form(&[
            ("csrf_token", csrf_token(&form).as_str()),
            ("email", "ana@example.org"),
            ("password", "correct horse"),
        ])
        .send()
        .await
        .expect("log in");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = response.text().await.expect("html");
    assert_eq!(heading(&html), "Une erreur s’est produite");
    assert!(
        !html.contains("users") && !html.to_lowercase().contains("sql"),
        "no internals leak: {html}"
    );

    let api = app
        .api()
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"email": "a@b.org", "password": "x"}));
    let response = api.send().await.expect("tokens");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["error"]["code"], "internal_error");
}

#[tokio::test]
async fn pages_with_forms_are_never_cached() {
    let app = spawn_app().await;
    let response = app
        .api()
        .get(app.url("/login"))
        .send()
        .await
        .expect("login");
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(
        response.headers()["vary"]
            .to_str()
            .unwrap_or("")
            .contains("Accept-Language")
    );
}
