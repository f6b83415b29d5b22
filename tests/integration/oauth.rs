//! Sign-in through a real OAuth2 provider on loopback (oauth2-mock-server): PKCE and state,
//! accounts created, found again and linked, never taken over by email.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with_peer;
use crate::helpers::html::csrf_token;
use crate::helpers::mail::{self, MailServer};
use crate::helpers::month::verify_email;
use crate::helpers::oauth::OAuthProvider;

async fn app_with(provider: &OAuthProvider) -> TestApp {
    spawn_app_with_peer(&provider.settings()).await
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The provider's answer to the authorization request: Obole's callback URL with a code.
async fn authorize(visitor: &reqwest::Client, app: &TestApp, start: reqwest::Response) -> String {
    assert_eq!(start.status(), StatusCode::SEE_OTHER, "{start:?}");
    let at_provider = location(&start);
    let url = url::Url::parse(&at_provider).expect("authorization URL");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["redirect_uri"], app.url("/auth/local/callback"));
    assert!(!query["state"].is_empty());
    let answer = visitor.get(at_provider).send().await.expect("provider");
    assert_eq!(answer.status(), StatusCode::FOUND, "{answer:?}");
    location(&answer)
}

/// A whole sign-in as a browser does it; returns the callback's response.
async fn sign_in(visitor: &reqwest::Client, app: &TestApp) -> reqwest::Response {
    let start = visitor
        .get(app.url("/auth/local"))
        .send()
        .await
        .expect("start");
    let callback = authorize(visitor, app, start).await;
    visitor.get(callback).send().await.expect("callback")
}

/// Clicks "Link" on the settings page and goes through the provider; the callback's answer.
async fn link_from_settings(visitor: &reqwest::Client, app: &TestApp) -> reqwest::Response {
    let token = csrf_token(&app.html(visitor, "/settings", "en").await);
    let start = visitor
        .post(app.url("/auth/local"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("link");
    let callback = authorize(visitor, app, start).await;
    visitor.get(callback).send().await.expect("callback")
}

async fn identities(app: &TestApp) -> Vec<(i64, String)> {
    use obole::db::schema::oauth_identities as t;
    app.db(|conn| {
        t::table
            .select((t::user_id, t::subject))
            .order(t::id)
            .load::<(i64, String)>(conn)
            .expect("identities")
    })
    .await
}

#[tokio::test]
async fn a_first_sign_in_opens_an_account_and_the_next_reaches_it_again() {
    let Some(provider) = OAuthProvider::start().await else {
        return;
    };
    let app = app_with(&provider).await;
    provider
        .will_say(json!({"sub": "alice-1", "email": "Alice@Example.org", "email_verified": true, "name": "Alice Martin"}))
        .await;
    let visitor = app.visitor();
    let done = sign_in(&visitor, &app).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/dashboard");
    let dashboard = app.html(&visitor, "/dashboard", "en").await;
    assert!(dashboard.contains("Alice Martin"), "{dashboard}");
    let linked = identities(&app).await;
    assert_eq!(linked.len(), 1);
    let (user, verified, password) = {
        use obole::db::schema::users as u;
        let id = linked[0].0;
        app.db(move |conn| {
            u::table
                .find(id)
                .select((
                    u::email,
                    u::email_verified_at.is_not_null(),
                    u::password_hash,
                ))
                .first::<(String, bool, Option<String>)>(conn)
                .expect("user")
        })
        .await
    };
    assert_eq!(user, "alice@example.org");
    assert!(verified, "the provider vouched for the address");
    assert!(password.is_none(), "no password was made up");

    // Another browser, the same person: the same account.
    let again = app.visitor();
    let done = sign_in(&again, &app).await;
    assert_eq!(location(&done), "/dashboard");
    assert!(
        app.html(&again, "/dashboard", "en")
            .await
            .contains("Alice Martin")
    );
    assert_eq!(app.count_users().await, 1);
    assert_eq!(identities(&app).await, linked);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_wrong_state_or_pkce_verifier_is_refused() {
    let Some(provider) = OAuthProvider::start().await else {
        return;
    };
    let app = app_with(&provider).await;
    provider
        .will_say(json!({"sub": "mallory", "email": "m@example.org", "email_verified": true}))
        .await;

    // A callback whose state is not the one this browser's attempt holds.
    let visitor = app.visitor();
    let start = visitor
        .get(app.url("/auth/local"))
        .send()
        .await
        .expect("start");
    let callback = authorize(&visitor, &app, start).await;
    let mut tampered = url::Url::parse(&callback).expect("callback URL");
    let pairs: Vec<(String, String)> = tampered
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" {
                format!("{v}x")
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    tampered.query_pairs_mut().clear().extend_pairs(&pairs);
    let refused = visitor
        .get(tampered.as_str())
        .header("Accept-Language", "fr")
        .send()
        .await
        .expect("callback");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let page = refused.text().await.expect("page");
    assert!(page.contains("Ce lien de connexion a expiré"), "{page}");
    // The attempt is spent: even the right state no longer works.
    let replayed = visitor.get(&callback).send().await.expect("callback");
    assert_eq!(replayed.status(), StatusCode::BAD_REQUEST);

    // A code issued to one attempt, brought back by another: the second attempt's verifier
    // does not match the first's challenge, and the provider refuses the exchange.
    let first = app.visitor();
    let start = first
        .get(app.url("/auth/local"))
        .send()
        .await
        .expect("start");
    let first_callback = authorize(&first, &app, start).await;
    let second = app.visitor();
    let start = second
        .get(app.url("/auth/local"))
        .send()
        .await
        .expect("start");
    let second_callback = authorize(&second, &app, start).await;
    let code_of = |url: &str| -> String {
        url::Url::parse(url)
            .expect("URL")
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .expect("code")
    };
    let state_of_second = url::Url::parse(&second_callback)
        .expect("URL")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("state");
    let swapped = format!(
        "{}?code={}&state={}",
        app.url("/auth/local/callback"),
        code_of(&first_callback),
        state_of_second
    );
    let refused = second.get(swapped).send().await.expect("callback");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body = refused.text().await.expect("page");
    assert!(body.contains("did not confirm the sign-in"), "{body}");

    assert_eq!(app.count_users().await, 0, "nobody signed in");
    assert!(identities(&app).await.is_empty());
    let dashboard = second.get(app.url("/dashboard")).send().await.expect("GET");
    assert_eq!(dashboard.status(), StatusCode::SEE_OTHER, "not logged in");
}

#[tokio::test]
async fn an_existing_accounts_address_links_only_after_its_password() {
    let Some(provider) = OAuthProvider::start().await else {
        return;
    };
    let app = app_with(&provider).await;
    let bob = app
        .a_user()
        .email("bob@example.org")
        .display_name("Bob")
        .create()
        .await;
    verify_email(&app, &bob).await;
    provider
        .will_say(
            json!({"sub": "bob-at-provider", "email": "bob@example.org", "email_verified": true}),
        )
        .await;
    let visitor = app.visitor();
    let done = sign_in(&visitor, &app).await;
    assert_eq!(location(&done), "/login", "no silent entry by email");
    let dashboard = visitor
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        dashboard.status(),
        StatusCode::SEE_OTHER,
        "not logged in yet"
    );
    let login = app.html(&visitor, "/login", "en").await;
    assert!(login.contains("id=\"link-needed\""), "{login}");
    assert!(login.contains("value=\"bob@example.org\""), "{login}");
    assert!(identities(&app).await.is_empty());

    let wrong = app
        .submit_form(
            &visitor,
            "/login",
            "/login",
            &[
                ("email", "bob@example.org"),
                ("password", "not the password"),
            ],
            "en",
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        identities(&app).await.is_empty(),
        "a wrong password links nothing"
    );

    let right = app
        .submit_form(
            &visitor,
            "/login",
            "/login",
            &[("email", "bob@example.org"), ("password", &bob.password)],
            "en",
        )
        .await;
    assert_eq!(location(&right), "/settings");
    let settings = app.html(&visitor, "/settings", "en").await;
    assert!(settings.contains("The provider is linked"), "{settings}");
    assert_eq!(
        identities(&app).await,
        vec![(bob.id, "bob-at-provider".to_owned())]
    );

    // From now on the provider signs Bob in directly.
    let later = app.visitor();
    let done = sign_in(&later, &app).await;
    assert_eq!(location(&done), "/dashboard");
    assert!(app.html(&later, "/dashboard", "en").await.contains("Bob"));
    assert_eq!(app.count_users().await, 1);
}

#[tokio::test]
async fn providers_are_linked_and_unlinked_keeping_one_way_to_log_in() {
    let Some(provider) = OAuthProvider::start().await else {
        return;
    };
    let app = app_with(&provider).await;
    // An account opened through the provider has no password: its only way in stays.
    provider
        .will_say(json!({"sub": "carol", "email": "carol@example.org", "email_verified": true}))
        .await;
    let carol = app.visitor();
    sign_in(&carol, &app).await;
    let settings = app.html(&carol, "/settings", "en").await;
    assert!(
        settings.contains("id=\"unlink-local\" disabled"),
        "{settings}"
    );
    let refused = app
        .submit_form(
            &carol,
            "/settings",
            "/settings/providers/local/unlink",
            &[],
            "en",
        )
        .await;
    assert_eq!(location(&refused), "/settings");
    let settings = app.html(&carol, "/settings", "en").await;
    assert!(
        settings.contains("This is your last way to log in"),
        "{settings}"
    );
    assert_eq!(identities(&app).await.len(), 1);

    // A password account links the provider from its settings once its address is
    // verified, then unlinks it.
    let dave = app.a_user().email("dave@example.org").create().await;
    provider
        .will_say(json!({"sub": "dave-elsewhere", "email": "dave.other@example.org", "email_verified": true}))
        .await;
    let visitor = app.logged_in_visitor(&dave).await;
    let done = link_from_settings(&visitor, &app).await;
    assert_eq!(location(&done), "/settings");
    let settings = app.html(&visitor, "/settings", "en").await;
    assert!(
        settings.contains("Please verify your email address first."),
        "{settings}"
    );
    assert!(
        identities(&app)
            .await
            .iter()
            .all(|(user, _)| *user != dave.id)
    );
    verify_email(&app, &dave).await;
    let done = link_from_settings(&visitor, &app).await;
    assert_eq!(location(&done), "/settings");
    assert!(
        identities(&app)
            .await
            .contains(&(dave.id, "dave-elsewhere".to_owned()))
    );
    let unlinked = app
        .submit_form(
            &visitor,
            "/settings",
            "/settings/providers/local/unlink",
            &[],
            "en",
        )
        .await;
    assert_eq!(location(&unlinked), "/settings");
    assert!(
        app.html(&visitor, "/settings", "en")
            .await
            .contains("The provider is unlinked")
    );
    assert!(
        !identities(&app)
            .await
            .iter()
            .any(|(user, _)| *user == dave.id)
    );
    // Carol's provider identity cannot be linked to a second account.
    provider
        .will_say(json!({"sub": "carol", "email": "carol@example.org", "email_verified": true}))
        .await;
    let done = link_from_settings(&visitor, &app).await;
    assert_eq!(location(&done), "/settings");
    let settings = app.html(&visitor, "/settings", "en").await;
    assert!(
        settings.contains("already linked to an Obole account"),
        "{settings}"
    );
    assert_eq!(identities(&app).await.len(), 1, "still only Carol's");
    // Without a CSRF token, no link starts.
    let forged = visitor
        .post(app.url("/auth/local"))
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}

/// A provider, a real SMTP server, and the app using both (mail retried after a second);
/// `None` when a peer is not installed.
async fn provider_and_mail() -> Option<(OAuthProvider, MailServer, TestApp)> {
    let provider = OAuthProvider::start().await?;
    let server = MailServer::start().await?;
    let mut settings = provider.settings();
    settings.push(("OBOLE_SMTP_URL", mail::smtp_url(server.smtp_port)));
    settings.push(("OBOLE_MAIL_RETRY_SECONDS", "1".into()));
    let app = spawn_app_with_peer(&settings).await;
    Some((provider, server, app))
}

/// The code of the `count`-th sign-up code mail to `address`.
async fn mailed_code(server: &MailServer, address: &str, count: usize) -> String {
    let codes = |all: &[serde_json::Value]| -> Vec<String> {
        mail::to(all, address)
            .iter()
            .filter_map(|m| m["text"].as_str())
            .filter_map(|text| {
                text.lines()
                    .map(str::trim)
                    .find(|line| line.len() == 9 && line.as_bytes()[4] == b'-')
                    .map(str::to_owned)
            })
            .collect()
    };
    let messages = server.wait_for(30, |all| codes(all).len() >= count).await;
    codes(&messages)
        .get(count - 1)
        .cloned()
        .expect("a code in the mail")
}

/// Types `code` on the confirmation page, as a browser with a session of its own does (one
/// that did not start the sign-in takes its form token from another page).
async fn type_code(app: &TestApp, visitor: &reqwest::Client, code: &str) -> reqwest::Response {
    app.submit_form(
        visitor,
        "/password/forgot",
        "/auth/confirm",
        &[("code", code)],
        "en",
    )
    .await
}

#[tokio::test]
async fn an_address_the_provider_did_not_vouch_for_opens_nothing_until_its_mailed_code_is_typed() {
    let Some((provider, server, app)) = provider_and_mail().await else {
        return;
    };
    provider
        .will_say(json!({"sub": "sam", "email": "sam@example.org", "email_verified": false, "name": "Sam"}))
        .await;
    let visitor = app.visitor();
    let done = sign_in(&visitor, &app).await;
    assert_eq!(location(&done), "/auth/confirm");
    assert_eq!(
        app.count_users().await,
        0,
        "no account rests on an unproven address"
    );
    assert!(identities(&app).await.is_empty());
    let page = app.html(&visitor, "/auth/confirm", "en").await;
    assert!(page.contains("We sent a code to sam@example.org"), "{page}");
    let code = mailed_code(&server, "sam@example.org", 1).await;

    // A wrong code says so and opens nothing.
    let wrong = type_code(&app, &visitor, "AAAA-AAAA").await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = wrong.text().await.expect("html");
    assert!(
        html.contains("This code is not the one we sent. 4 more tries."),
        "{html}"
    );
    // The right code from another browser (the mail's link opened elsewhere) opens nothing.
    let elsewhere = app.visitor();
    let link = app.url(&format!("/auth/confirm?code={code}"));
    let page = elsewhere.get(&link).send().await.expect("link");
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("works only in the browser where you started")
    );
    let typed_elsewhere = type_code(&app, &elsewhere, &code).await;
    assert_eq!(typed_elsewhere.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.count_users().await, 0);

    // In the browser that started, typed in lower case: the account opens, address verified.
    let right = type_code(&app, &visitor, &code.to_lowercase()).await;
    assert_eq!(location(&right), "/dashboard");
    assert!(app.html(&visitor, "/dashboard", "en").await.contains("Sam"));
    let verified = app
        .db(|conn| {
            use obole::db::schema::users as u;
            u::table
                .select((u::email, u::email_verified_at.is_not_null()))
                .get_result::<(String, bool)>(conn)
                .expect("user")
        })
        .await;
    assert_eq!(verified, ("sam@example.org".to_owned(), true));
    assert_eq!(identities(&app).await.len(), 1);
    // A code works once.
    let again = type_code(&app, &visitor, &code).await;
    assert_ne!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count_users().await, 1);
}

#[tokio::test]
async fn nobody_takes_over_an_address_with_a_provider_that_did_not_vouch_for_it() {
    let Some((provider, server, app)) = provider_and_mail().await else {
        return;
    };
    // Mallory's provider account claims Victor's address, unverified.
    provider
        .will_say(json!({"sub": "mallory", "email": "victor@example.org", "email_verified": false}))
        .await;
    let mallory = app.visitor();
    assert_eq!(location(&sign_in(&mallory, &app).await), "/auth/confirm");
    // Mallory guesses; five tries end the sign-up.
    for n in 0..4 {
        let wrong = type_code(&app, &mallory, &format!("ZZZZ-ZZZ{n}")).await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let last = type_code(&app, &mallory, "ZZZZ-ZZZZ").await;
    assert_eq!(last.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let code = mailed_code(&server, "victor@example.org", 1).await;
    let over = type_code(&app, &mallory, &code).await;
    assert_eq!(
        over.status(),
        StatusCode::GONE,
        "even the right code is too late now"
    );
    assert_eq!(app.count_users().await, 0);

    // Victor signs up with a password; Mallory's next provider sign-in still needs a code
    // that only Victor receives, and Victor's account never gets Mallory's identity.
    let victor = app.a_user().email("victor@example.org").create().await;
    assert_eq!(location(&sign_in(&mallory, &app).await), "/auth/confirm");
    assert!(identities(&app).await.is_empty());
    let dashboard = mallory
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        dashboard.status(),
        StatusCode::SEE_OTHER,
        "Mallory is not in"
    );
    // Had Victor typed the code for Mallory, the identity would still wait for Victor's
    // password before it is linked to his account.
    let code = mailed_code(&server, "victor@example.org", 2).await;
    let typed = type_code(&app, &mallory, &code).await;
    assert_eq!(location(&typed), "/login");
    assert!(identities(&app).await.is_empty());
    assert_eq!(app.count_users().await, 1);
    let _ = victor;
}

#[tokio::test]
async fn a_provider_without_an_address_asks_for_one_and_a_mailed_code_proves_it() {
    let Some((provider, server, app)) = provider_and_mail().await else {
        return;
    };
    provider.will_say(json!({"sub": "erin"})).await;
    let visitor = app.visitor();
    let done = sign_in(&visitor, &app).await;
    assert_eq!(location(&done), "/auth/complete");
    let bad = app
        .submit_form(
            &visitor,
            "/auth/complete",
            "/auth/complete",
            &[("email", "not an address")],
            "en",
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let typed = app
        .submit_form(
            &visitor,
            "/auth/complete",
            "/auth/complete",
            &[("email", "erin@example.org")],
            "fr",
        )
        .await;
    assert_eq!(location(&typed), "/auth/confirm");
    assert_eq!(
        app.count_users().await,
        0,
        "a typed address is not vouched for"
    );
    let page = app.html(&visitor, "/auth/confirm", "fr").await;
    assert!(
        page.contains("Nous avons envoyé un code à erin@example.org"),
        "{page}"
    );
    let code = mailed_code(&server, "erin@example.org", 1).await;
    let right = type_code(&app, &visitor, &code).await;
    assert_eq!(location(&right), "/dashboard");
    assert_eq!(app.count_users().await, 1);
}

/// Older versions linked identities to accounts whose address nobody had proven: the real
/// owner's verification or password reset removes them, with every session and token.
#[tokio::test]
async fn identities_linked_before_the_address_was_proven_go_when_its_owner_proves_it() {
    let Some(provider) = OAuthProvider::start().await else {
        return;
    };
    let app = app_with(&provider).await;
    for (n, by_reset) in [(1, false), (2, true)] {
        let owner = app
            .a_user()
            .email(&format!("owner{n}@example.org"))
            .create()
            .await;
        let id = obole::domain::UserId(owner.id);
        let subject = format!("mallory-{n}");
        let (token, api_token) = app
            .db(move |conn| {
                let now = chrono::Utc::now();
                obole::models::oauth_identities::insert(conn, id, "local", &subject, None, now)
                    .expect("a link as older versions made it");
                let purpose = if by_reset {
                    obole::models::email_tokens::Purpose::ResetPassword
                } else {
                    obole::models::email_tokens::Purpose::VerifyEmail
                };
                let later = now + chrono::TimeDelta::hours(1);
                let token = obole::models::email_tokens::issue(conn, id, purpose, now, later)
                    .expect("token");
                let api = obole::models::api_tokens::create(conn, id, now).expect("api");
                (token, api.reveal())
            })
            .await;
        // Mallory is in through the provider, with an API token of the account.
        provider
            .will_say(json!({"sub": format!("mallory-{n}"), "email": format!("mallory{n}@example.org"), "email_verified": true}))
            .await;
        let mallory = app.visitor();
        assert_eq!(location(&sign_in(&mallory, &app).await), "/dashboard");
        // The owner proves the address.
        let owner_browser = app.visitor();
        if by_reset {
            let link = format!("/password/reset?token={token}");
            let reset = app
                .submit_form(
                    &owner_browser,
                    &link,
                    "/password/reset",
                    &[
                        ("token", token.as_str()),
                        ("password", "a brand new secret"),
                    ],
                    "en",
                )
                .await;
            assert!(reset.status().is_success() || reset.status().is_redirection());
        } else {
            let page = app
                .html(
                    &owner_browser,
                    &format!("/verify-email?token={token}"),
                    "en",
                )
                .await;
            assert!(page.contains("id=\"signed-out\""), "{page}");
        }
        assert!(
            identities(&app)
                .await
                .iter()
                .all(|(user, _)| *user != owner.id),
            "the early link is gone"
        );
        let dashboard = mallory
            .get(app.url("/dashboard"))
            .send()
            .await
            .expect("GET");
        assert_eq!(
            dashboard.status(),
            StatusCode::SEE_OTHER,
            "Mallory's session ended"
        );
        let me = app
            .api()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&api_token)
            .send()
            .await
            .expect("me");
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "and her token");
        // The provider sign-in no longer reaches the account: it opens Mallory's own.
        let again = app.visitor();
        let done = sign_in(&again, &app).await;
        assert_eq!(location(&done), "/dashboard");
        let mallorys = identities(&app)
            .await
            .into_iter()
            .find(|(_, subject)| *subject == format!("mallory-{n}"))
            .expect("linked again");
        assert_ne!(mallorys.0, owner.id);
    }
}

/// The real owner's sign-up through a provider that vouches for the address evicts an
/// identity linked before the address was proven, without letting the address alone in.
#[tokio::test]
async fn the_real_owners_provider_sign_up_evicts_an_early_link_but_does_not_enter_alone() {
    let Some(provider) = OAuthProvider::start().await else {
        return;
    };
    let app = app_with(&provider).await;
    let squatted = app.a_user().email("olga@example.org").create().await;
    let id = obole::domain::UserId(squatted.id);
    app.db(move |conn| {
        obole::models::oauth_identities::insert(
            conn,
            id,
            "local",
            "mallory",
            None,
            chrono::Utc::now(),
        )
        .expect("a link as older versions made it")
    })
    .await;
    provider
        .will_say(json!({"sub": "mallory", "email": "mallory@example.org", "email_verified": true}))
        .await;
    let mallory = app.visitor();
    assert_eq!(location(&sign_in(&mallory, &app).await), "/dashboard");

    provider
        .will_say(json!({"sub": "olga", "email": "olga@example.org", "email_verified": true}))
        .await;
    let olga = app.visitor();
    assert_eq!(
        location(&sign_in(&olga, &app).await),
        "/login",
        "her password, or a reset"
    );
    assert!(identities(&app).await.is_empty(), "the early link is gone");
    let dashboard = mallory
        .get(app.url("/dashboard"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        dashboard.status(),
        StatusCode::SEE_OTHER,
        "Mallory's session ended"
    );
    let verified = app
        .db(move |conn| {
            use obole::db::schema::users as u;
            u::table
                .find(id.0)
                .select(u::email_verified_at.is_not_null())
                .get_result::<bool>(conn)
                .expect("user")
        })
        .await;
    assert!(
        !verified,
        "the account's password may be someone else's: a reset verifies it"
    );
}
