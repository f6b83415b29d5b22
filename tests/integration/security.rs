//! CSRF, rate limits, cookie flags, session rotation and identical log-in failures on pages.

use reqwest::StatusCode;

use crate::helpers::html::{csrf_token, heading};
use crate::helpers::spawn_app;

#[tokio::test]
async fn forged_log_in_and_sign_up_posts_are_refused_with_403() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;

    // A cross-site form post carries no session cookie and no token.
    let bare = app.api();
    let login = bare.post(app.url("/login")).form(&[
        ("email", user.email.as_str()),
        ("password", user.password.as_str()),
    ]);
    assert_eq!(
        login.send().await.expect("post").status(),
        StatusCode::FORBIDDEN
    );
    let signup = bare
        .post(app.url("/signup"))
        .form(&[("email", "new@example.org"), ("password", "correct horse")]);
    assert_eq!(
        signup.send().await.expect("post").status(),
        StatusCode::FORBIDDEN
    );

    // A visitor with a real session, but a post whose token is wrong or missing.
    let visitor = app.visitor();
    let _ = visitor
        .get(app.url("/login"))
        .send()
        .await
        .expect("session");
    for token in [Some("forged-token"), None] {
        let mut form = vec![
            ("email", user.email.as_str()),
            ("password", user.password.as_str()),
        ];
        form.extend(token.map(|t| ("csrf_token", t)));
        let response = visitor
            .post(app.url("/login"))
            .header("Accept-Language", "fr")
            .form(&form)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{token:?}");
        assert_eq!(
            heading(&response.text().await.expect("html")),
            "Action refusée"
        );
        let response = visitor
            .post(app.url("/signup"))
            .form(&[
                ("csrf_token", token.unwrap_or("")),
                ("email", "new@example.org"),
                ("password", "correct horse"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
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
    let users: i64 = app
        .db(|conn| {
            use diesel::prelude::*;
            obole::db::schema::users::table
                .count()
                .get_result(conn)
                .expect("count")
        })
        .await;
    assert_eq!(users, 1, "no forged sign-up created an account");
}

#[tokio::test]
async fn log_out_needs_the_csrf_token() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.visitor();
    let form = visitor
        .get(app.url("/login"))
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("html");
    let _ = visitor
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf_token(&form).as_str()),
            ("email", &user.email),
            ("password", &user.password),
        ])
        .send()
        .await
        .expect("log in");
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
    let html = page.text().await.expect("html");
    let token = csrf_token(&html);
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
        value(&before),
        value(&after),
        "the session is renewed at log-in"
    );
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("obole_session="))
        .map(str::to_owned)
}

fn value(cookie: &str) -> &str {
    cookie.split(';').next().unwrap_or_default()
}

#[tokio::test]
async fn page_log_in_failures_look_the_same_and_are_rate_limited_in_the_visitors_language() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.visitor();
    let form = visitor
        .get(app.url("/login"))
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("html");
    let token = csrf_token(&form);

    let mut bodies = Vec::new();
    for email in [user.email.as_str(), "nobody@example.org"] {
        let response = visitor
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", "wrong password"),
            ])
            .send()
            .await
            .expect("log in");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let html = response.text().await.expect("html");
        bodies.push(html.replace(email, "EMAIL"));
    }
    assert_eq!(
        bodies[0], bodies[1],
        "unknown email and wrong password render identically"
    );

    let mut last = None;
    for _ in 0..12 {
        let response = visitor
            .post(app.url("/login"))
            .header("Accept-Language", "fr")
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", user.email.as_str()),
                ("password", "wrong password"),
            ])
            .send()
            .await
            .expect("log in");
        last = Some(response);
    }
    let last = last.expect("a response");
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers().contains_key("retry-after"));
    let html = last.text().await.expect("html");
    assert_eq!(heading(&html), "Trop de tentatives");
}

#[tokio::test]
async fn log_in_never_redirects_to_another_site() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.visitor();
    let form = visitor
        .get(app.url("/login"))
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("html");
    let response = visitor
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf_token(&form).as_str()),
            ("email", &user.email),
            ("password", &user.password),
            ("next", "https://evil.example/phish"),
        ])
        .send()
        .await
        .expect("log in");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn cookies_are_secure_when_obole_is_served_over_https() {
    let app =
        crate::helpers::app::spawn_app_with(&[("OBOLE_BASE_URL", "https://obole.example")]).await;
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
async fn https_instances_send_hsts_and_plain_http_ones_do_not() {
    let secure =
        crate::helpers::app::spawn_app_with(&[("OBOLE_BASE_URL", "https://obole.example")]).await;
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
async fn logging_out_everywhere_ends_other_sessions_and_revokes_api_tokens() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let token = user.token(&app).await;
    let log_in = |visitor: reqwest::Client| {
        let app = &app;
        let user = &user;
        async move {
            let form = visitor
                .get(app.url("/login"))
                .send()
                .await
                .expect("login")
                .text()
                .await
                .expect("html");
            let _ = visitor
                .post(app.url("/login"))
                .form(&[
                    ("csrf_token", csrf_token(&form).as_str()),
                    ("email", &user.email),
                    ("password", &user.password),
                ])
                .send()
                .await
                .expect("log in");
            visitor
        }
    };
    let laptop = log_in(app.visitor()).await;
    let phone = log_in(app.visitor()).await;
    let dashboard = phone
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard");
    assert_eq!(dashboard.status(), StatusCode::OK);

    let html = laptop
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("dashboard")
        .text()
        .await
        .expect("html");
    let forged = laptop
        .post(app.url("/logout/everywhere"))
        .form(&[("csrf_token", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let done = laptop
        .post(app.url("/logout/everywhere"))
        .form(&[("csrf_token", csrf_token(&html).as_str())])
        .send()
        .await
        .expect("log out everywhere");
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
    let again = log_in(app.visitor()).await;
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
