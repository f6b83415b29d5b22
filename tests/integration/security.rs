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
    for _ in 0..5 {
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

/// `POST /api/v1/tokens` for `email` from client `client` (behind the trusted proxy).
async fn token_attempt(
    app: &crate::helpers::TestApp,
    client: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.api()
        .post(app.url("/api/v1/tokens"))
        .header("X-Forwarded-For", client)
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .expect("post")
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn a_guesser_is_slowed_down_but_the_owner_logs_in_from_a_new_client() {
    let app = spawn_app_with(&[("OBOLE_TRUST_FORWARDED_FOR", "true")]).await;
    let owner = app.a_user().create().await;
    // One client guessing: five tries, then it must wait, longer and longer.
    let mut refused = Vec::new();
    for _ in 0..8 {
        let response = token_attempt(&app, "198.51.100.66", &owner.email, "guess guess").await;
        match response.status() {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::TOO_MANY_REQUESTS => refused.push(retry_after(&response)),
            other => panic!("{other}"),
        }
    }
    assert_eq!(refused.len(), 3, "five guesses go through, the next wait");
    assert!(
        refused.iter().all(|wait| (1..=2).contains(wait)),
        "{refused:?}"
    );
    // The owner, from another client, is not held back by the guesser.
    let owner_in = token_attempt(&app, "198.51.100.7", &owner.email, &owner.password).await;
    assert_eq!(owner_in.status(), StatusCode::CREATED);

    // Guessing spread over many clients never holds the owner back: nothing counts per
    // account alone (each client is slowed on its own).
    for n in 0..30 {
        let client = format!("203.0.113.{n}");
        let guess = token_attempt(&app, &client, &owner.email, "guess guess").await;
        assert_eq!(guess.status(), StatusCode::UNAUTHORIZED);
    }
    let owner_again = token_attempt(&app, "192.0.2.55", &owner.email, &owner.password).await;
    assert_eq!(owner_again.status(), StatusCode::CREATED);
    // Nor does a guesser polling the moment its wait ends: the owner's client is another.
    for _ in 0..3 {
        let _ = token_attempt(&app, "198.51.100.66", &owner.email, "guess guess").await;
    }
    let owner_third = token_attempt(&app, "192.0.2.56", &owner.email, &owner.password).await;
    assert_eq!(owner_third.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_flood_of_reset_requests_holds_the_owners_reset_back_a_minute_at_most() {
    let app = spawn_app_with(&[("OBOLE_TRUST_FORWARDED_FOR", "true")]).await;
    let owner = app.a_user().create().await;
    let visitor = app.visitor();
    let ask = |client: &'static str| {
        let (app, visitor, email) = (&app, &visitor, owner.email.clone());
        async move {
            let page = app.html(visitor, "/password/forgot", "en").await;
            visitor
                .post(app.url("/password/forgot"))
                .header("X-Forwarded-For", client)
                .form(&[("csrf_token", csrf_token(&page)), ("email", email)])
                .send()
                .await
                .expect("post")
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(ask("198.51.100.66").await.status());
    }
    assert_eq!(statuses[0], StatusCode::OK);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    let owner_asks = ask("192.0.2.8").await;
    if owner_asks.status() == StatusCode::TOO_MANY_REQUESTS {
        assert!(retry_after(&owner_asks) <= 60);
    } else {
        assert_eq!(owner_asks.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_reset_or_logging_out_everywhere_revokes_api_tokens_at_once_in_every_process() {
    let first = spawn_app().await;
    let second = first.beside().await;
    let reader = first.a_user().create().await;
    let creator = first.a_user().create().await;
    let thing =
        crate::helpers::builders::a_thing(&first, &creator, "https://c.example/", "C").await;
    let me = |app: &crate::helpers::TestApp, token: &str| {
        app.api()
            .get(app.url("/api/v1/me"))
            .bearer_auth(token.to_owned())
            .send()
    };
    let click = |app: &crate::helpers::TestApp, token: &str| {
        app.api()
            .post(app.url(&format!("/api/v1/things/{thing}/click")))
            .bearer_auth(token.to_owned())
            .send()
    };
    for way in ["everywhere", "reset"] {
        let token = reader.token(&first).await;
        // Both processes have used the token (and may remember it).
        for app in [&first, &second] {
            assert_eq!(me(app, &token).await.expect("me").status(), StatusCode::OK);
            let clicked = click(app, &token).await.expect("click").status();
            assert_ne!(clicked, StatusCode::UNAUTHORIZED);
        }
        let id = obole::domain::UserId(reader.id);
        if way == "reset" {
            // The reset link's use case, as the reset page runs it on the first process.
            first
                .db(move |conn| {
                    let now = chrono::Utc::now();
                    let token = obole::models::email_tokens::issue(
                        conn,
                        id,
                        obole::models::email_tokens::Purpose::ResetPassword,
                        now,
                        now + chrono::TimeDelta::hours(1),
                    )
                    .expect("link");
                    let password = obole::domain::NewPassword::parse("another good password")
                        .expect("password");
                    assert!(
                        obole::use_cases::accounts::reset_password(conn, &token, &password, now)
                            .expect("reset")
                    );
                })
                .await;
        } else {
            let visitor = first.logged_in_visitor(&reader).await;
            let out = first
                .submit_form(&visitor, "/settings", "/logout/everywhere", &[], "en")
                .await;
            assert_eq!(out.status(), StatusCode::SEE_OTHER);
        }
        for app in [&first, &second] {
            assert_eq!(
                me(app, &token).await.expect("me").status(),
                StatusCode::UNAUTHORIZED,
                "{way}"
            );
            assert_eq!(
                click(app, &token).await.expect("click").status(),
                StatusCode::UNAUTHORIZED,
                "{way}"
            );
        }
    }
}
