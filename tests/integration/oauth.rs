//! Sign-in through a real OAuth2 provider on loopback (oauth2-mock-server): PKCE and state,
//! accounts created, found again and linked, never taken over by email.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with_peer;
use crate::helpers::html::csrf_token;
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

    // A password account links the provider from its settings, then unlinks it.
    let dave = app.a_user().email("dave@example.org").create().await;
    provider
        .will_say(json!({"sub": "dave-elsewhere", "email": "dave.other@example.org", "email_verified": true}))
        .await;
    let visitor = app.logged_in_visitor(&dave).await;
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

#[tokio::test]
async fn a_provider_without_an_address_asks_for_one_and_verifies_it_by_mail() {
    let Some(provider) = OAuthProvider::start().await else {
        return;
    };
    let app = app_with(&provider).await;
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
    assert_eq!(app.count_users().await, 0);
    let good = app
        .submit_form(
            &visitor,
            "/auth/complete",
            "/auth/complete",
            &[("email", "erin@example.org")],
            "en",
        )
        .await;
    assert_eq!(location(&good), "/dashboard");
    let (verified, mails) = app
        .db(|conn| {
            use obole::db::schema::{mail_outbox as m, users as u};
            let verified = u::table
                .select(u::email_verified_at.is_not_null())
                .first::<bool>(conn)
                .expect("user");
            let mails = m::table
                .filter(m::kind.eq("verify_email"))
                .count()
                .get_result::<i64>(conn)
                .expect("mails");
            (verified, mails)
        })
        .await;
    assert!(!verified, "a typed address is not vouched for");
    assert_eq!(mails, 1, "a verification link is on its way");
}
