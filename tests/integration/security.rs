//! CSRF, rate limits, cookie flags, session rotation and identical log-in failures on pages.

use reqwest::StatusCode;

use crate::helpers::app::spawn_app_with;
use crate::helpers::html::{cookie_pair, csrf_token, heading, session_cookie};
use crate::helpers::spawn_app;

#[tokio::test]
async fn forged_log_in_and_sign_up_posts_are_refused_with_403() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let credentials = [
        ("email", user.email.as_str()),
        ("password", user.password.as_str()),
    ];
    let new_account = [("email", "new@example.org"), ("password", "correct horse")];

    // A cross-site form post carries no session cookie and no token.
    let bare = app.api();
    for (action, fields) in [("/login", &credentials), ("/signup", &new_account)] {
        let response = bare
            .post(app.url(action))
            .form(fields)
            .send()
            .await
            .expect("post");
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{action} without a session"
        );
    }

    // A visitor with a real session, but a post whose token is wrong or missing.
    let visitor = app.visitor();
    let _ = app.html(&visitor, "/login", "fr").await;
    for token in [Some("forged-token"), None] {
        for (action, fields) in [("/login", &credentials), ("/signup", &new_account)] {
            let mut form = fields.to_vec();
            form.extend(token.map(|t| ("csrf_token", t)));
            let response = visitor
                .post(app.url(action))
                .header("Accept-Language", "fr")
                .form(&form)
                .send()
                .await
                .expect("post");
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{action} with {token:?}"
            );
            assert_eq!(
                heading(&response.text().await.expect("html")),
                "Action refusée"
            );
        }
    }
    let dashboard = visitor
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard");
    assert_eq!(
        dashboard.status(),
        StatusCode::SEE_OTHER,
        "no forged post logged anybody in"
    );
    assert_eq!(
        app.count_users().await,
        1,
        "no forged sign-up created an account"
    );
}

#[tokio::test]
async fn log_out_needs_the_csrf_token() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&user).await;
    let forged = visitor
        .post(app.url("/logout"))
        .form(&[("csrf_token", "nope")])
        .send()
        .await
        .expect("logout");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let still_in = visitor
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard");
    assert_eq!(still_in.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_session_cookie_is_private_httponly_lax_and_rotated_at_log_in() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.visitor();
    let page = visitor.get(app.url("/login")).send().await.expect("login");
    let before = session_cookie(&page).expect("a session for the CSRF token");
    assert!(
        before.contains("HttpOnly") && before.contains("SameSite=Lax"),
        "{before}"
    );
    assert!(!before.contains("Secure"), "plain http in tests");
    let token = csrf_token(&page.text().await.expect("html"));
    assert!(
        !before.contains(&token),
        "the cookie is encrypted, not readable"
    );

    let logged_in = visitor
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", &user.email),
            ("password", &user.password),
        ])
        .send()
        .await
        .expect("log in");
    let after = session_cookie(&logged_in).expect("a new session cookie");
    assert_ne!(
        cookie_pair(&before),
        cookie_pair(&after),
        "the session is renewed at log-in"
    );
}

#[tokio::test]
async fn page_log_in_failures_look_the_same_and_are_rate_limited_in_the_visitors_language() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.visitor();

    let mut bodies = Vec::new();
    for email in [user.email.as_str(), "nobody@example.org"] {
        let fields = [("email", email), ("password", "wrong password")];
        let response = app
            .submit_form(&visitor, "/login", "/login", &fields, "en")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        bodies.push(response.text().await.expect("html").replace(email, "EMAIL"));
    }
    assert_eq!(
        bodies[0], bodies[1],
        "unknown email and wrong password render identically"
    );

    let mut last = None;
    for _ in 0..12 {
        let fields = [
            ("email", user.email.as_str()),
            ("password", "wrong password"),
        ];
        last = Some(
            app.submit_form(&visitor, "/login", "/login", &fields, "fr")
                .await,
        );
    }
    let last = last.expect("a response");
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers().contains_key("retry-after"));
    assert_eq!(
        heading(&last.text().await.expect("html")),
        "Trop de tentatives"
    );
}

#[tokio::test]
async fn log_in_never_redirects_to_another_site() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let fields = [
        ("email", user.email.as_str()),
        ("password", user.password.as_str()),
        ("next", "https://evil.example/x"),
    ];
    let response = app
        .submit_form(&app.visitor(), "/login", "/login", &fields, "en")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn cookies_are_secure_when_obole_is_served_over_https() {
    let app = spawn_app_with(&[("OBOLE_BASE_URL", "https://obole.example")]).await;
    let response = app
        .api()
        .get(app.url("/login"))
        .send()
        .await
        .expect("login");
    let cookie = session_cookie(&response).expect("session cookie");
    assert!(cookie.contains("Secure"), "{cookie}");
    let language = app
        .api()
        .get(app.url("/lang/fr"))
        .send()
        .await
        .expect("switch");
    let lang_cookie = language.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(
        lang_cookie.starts_with("obole_lang=fr") && lang_cookie.contains("Secure"),
        "{lang_cookie}"
    );
}

#[tokio::test]
async fn https_instances_send_hsts_and_plain_http_ones_do_not() {
    let secure = spawn_app_with(&[("OBOLE_BASE_URL", "https://obole.example")]).await;
    let response = secure
        .api()
        .get(secure.url("/"))
        .send()
        .await
        .expect("home");
    assert!(response.headers().contains_key("strict-transport-security"));
    let plain = spawn_app().await;
    let response = plain.api().get(plain.url("/")).send().await.expect("home");
    assert!(!response.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn sign_ups_are_rate_limited_per_address() {
    let app = spawn_app().await;
    let mut last = StatusCode::OK;
    let mut created = 0;
    for n in 0..12 {
        let response = app
            .api()
            .post(app.url("/api/v1/accounts"))
            .header("Accept-Language", "fr")
            .json(&serde_json::json!({"email": format!("bot{n}@example.org"), "password": "correct horse"}))
            .send()
            .await
            .expect("sign up");
        last = response.status();
        if last == StatusCode::CREATED {
            created += 1;
        } else {
            let body: serde_json::Value = response.json().await.expect("json");
            assert_eq!(body["error"]["code"], "rate_limited");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Trop de tentatives"))
            );
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(created, 10, "the burst is ten sign-ups");
}

#[tokio::test]
async fn logging_out_everywhere_ends_other_sessions_and_revokes_api_tokens() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let token = user.token(&app).await;
    let laptop = app.logged_in_visitor(&user).await;
    let phone = app.logged_in_visitor(&user).await;
    assert_eq!(
        phone
            .get(app.url("/dashboard"))
            .send()
            .await
            .expect("dashboard")
            .status(),
        StatusCode::OK
    );

    let forged = laptop
        .post(app.url("/logout/everywhere"))
        .form(&[("csrf_token", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let done = app
        .submit_form(&laptop, "/dashboard", "/logout/everywhere", &[], "en")
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);

    for (device, client) in [("laptop", &laptop), ("phone", &phone)] {
        let response = client
            .get(app.url("/dashboard"))
            .send()
            .await
            .expect("dashboard");
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{device} is logged out"
        );
    }
    let me = app
        .api()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(
        me.status(),
        StatusCode::UNAUTHORIZED,
        "API tokens are revoked too"
    );
    let again = app.logged_in_visitor(&user).await;
    assert_eq!(
        again
            .get(app.url("/dashboard"))
            .send()
            .await
            .expect("dashboard")
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let app = spawn_app_with(&[("OBOLE_TRUST_FORWARDED_FOR", "true")]).await;
    let attempt = |client: &'static str| {
        app.api()
            .post(app.url("/api/v1/tokens"))
            .header("X-Forwarded-For", format!("10.9.9.9, {client}"))
            .json(&serde_json::json!({"email": format!("x{client}@example.org"), "password": "guess guess"}))
            .send()
    };
    for _ in 0..10 {
        assert_eq!(
            attempt("192.0.2.1").await.expect("post").status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt("192.0.2.1").await.expect("post").status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt("192.0.2.2").await.expect("post").status(),
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy is not throttled"
    );
}
