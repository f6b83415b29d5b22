//! Links sent by mail: the address verification sent at sign-up (in the account's language),
//! and the password reset, single-use, that says the same whether or not an account exists.

use reqwest::StatusCode;

use crate::helpers::mail::{self, MailServer};

#[tokio::test]
async fn sign_up_sends_a_verification_link_in_the_accounts_language() {
    let Some(server) = MailServer::start().await else {
        return;
    };
    let app = mail::app_mailing_to(server.smtp_port).await;
    let response = app
        .api()
        .post(app.url("/api/v1/accounts"))
        .json(&serde_json::json!({
            "email": "zoe@example.org", "password": "correct horse battery",
            "display_name": "Zoé", "locale": "fr"
        }))
        .send()
        .await
        .expect("sign up");
    assert_eq!(response.status(), StatusCode::CREATED);
    let messages = server
        .wait_for(30, |all| !mail::to(all, "zoe@example.org").is_empty())
        .await;
    let sent = mail::to(&messages, "zoe@example.org");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0]["subject"],
        "Veuillez confirmer votre adresse e-mail"
    );
    assert!(
        sent[0]["html"]
            .as_str()
            .unwrap_or_default()
            .contains("Bonjour Zoé")
    );
    let link = mail::link(sent[0], &app.url("/verify-email?token=")).expect("a link");
    let verified = app.api().get(&link).send().await.expect("verify");
    assert_eq!(verified.status(), StatusCode::OK);
    let again = app.api().get(&link).send().await.expect("verify again");
    assert_eq!(again.status(), StatusCode::BAD_REQUEST, "a link works once");
    let at = app
        .db(|conn| {
            use diesel::prelude::*;
            obole::db::schema::users::table
                .filter(obole::db::schema::users::email.eq("zoe@example.org"))
                .select(obole::db::schema::users::email_verified_at)
                .first::<Option<chrono::NaiveDateTime>>(conn)
                .expect("user")
        })
        .await;
    assert!(at.is_some(), "the address is verified");
}

#[tokio::test]
async fn a_password_reset_link_works_once_and_reveals_no_account() {
    let Some(server) = MailServer::start().await else {
        return;
    };
    let app = mail::app_mailing_to(server.smtp_port).await;
    let user = app.a_user().email("yann@example.org").create().await;
    let visitor = app.visitor();
    let mut pages = Vec::new();
    for email in ["yann@example.org", "nobody@example.org"] {
        let response = app
            .submit_form(
                &visitor,
                "/password/forgot",
                "/password/forgot",
                &[("email", email)],
                "en",
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = response.text().await.expect("page");
        // The form's token differs; the message does not.
        pages.push(page.contains("If an account uses this address"));
    }
    assert_eq!(
        pages,
        vec![true, true],
        "the same answer for both addresses"
    );
    let is_reset =
        |m: &&serde_json::Value| m["subject"].as_str() == Some("Choose a new Obole password");
    let messages = server
        .wait_for(30, |all| {
            mail::to(all, "yann@example.org").iter().any(&is_reset)
        })
        .await;
    assert!(mail::to(&messages, "nobody@example.org").is_empty());
    let reset = mail::to(&messages, "yann@example.org")
        .into_iter()
        .find(|m| is_reset(m))
        .expect("reset mail");
    let link = mail::link(reset, &app.url("/password/reset?token=")).expect("a link");
    let token = link.split("token=").nth(1).expect("token").to_owned();

    let form = app
        .html(&visitor, &format!("/password/reset?token={token}"), "en")
        .await;
    assert!(form.contains("name=\"password\""), "{form}");
    let done = app
        .submit_form(
            &visitor,
            &format!("/password/reset?token={token}"),
            "/password/reset",
            &[("token", &token), ("password", "a brand new secret")],
            "en",
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    // The new password works, the old one does not, and the link is spent.
    let new = crate::helpers::builders::TestUser {
        password: "a brand new secret".into(),
        ..user.clone()
    };
    let logged_in = app.log_in(&app.visitor(), &new).await;
    assert_eq!(logged_in.status(), StatusCode::SEE_OTHER);
    let old = app.log_in(&app.visitor(), &user).await;
    assert_eq!(
        old.status(),
        StatusCode::UNAUTHORIZED,
        "the old password is refused"
    );
    let reused = app
        .submit_form(
            &visitor,
            "/password/forgot",
            "/password/reset",
            &[("token", &token), ("password", "yet another secret")],
            "en",
        )
        .await;
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);
}
