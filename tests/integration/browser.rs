//! Headless Chromium signs up, logs out and logs in, in English and in French.

use std::time::Duration;

use fantoccini::Locator;

use crate::helpers::{browser, spawn_app};

/// How long a page may take to appear before the test fails.
const PATIENCE: Duration = Duration::from_secs(10);

struct Words {
    accept_language: &'static str,
    sign_up: &'static str,
    log_in: &'static str,
    welcome: &'static str,
    zero: &'static str,
}

const ENGLISH: Words = Words {
    accept_language: "en-GB,en",
    sign_up: "Sign up",
    log_in: "Log in",
    welcome: "Welcome, Ana!",
    zero: "€0.00",
};
const FRENCH: Words = Words {
    accept_language: "fr-FR,fr",
    sign_up: "Créer un compte",
    log_in: "Se connecter",
    welcome: "Bienvenue, Ana !",
    zero: "0,00 €",
};

#[tokio::test]
async fn a_reader_signs_up_logs_out_and_logs_in_in_english() {
    sign_up_log_out_log_in(&ENGLISH).await;
}

#[tokio::test]
async fn a_reader_signs_up_logs_out_and_logs_in_in_french() {
    sign_up_log_out_log_in(&FRENCH).await;
}

async fn sign_up_log_out_log_in(words: &Words) {
    let app = spawn_app().await;
    let Some(browser) = browser::open(words.accept_language).await else {
        return;
    };

    browser.goto(&app.url("/")).await.expect("home");
    save_screenshot(&browser, &format!("home-{}", &words.accept_language[..2])).await;
    browser
        .find(Locator::LinkText(words.sign_up))
        .await
        .expect("sign-up link")
        .click()
        .await
        .expect("click");
    browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Id("signup-submit"))
        .await
        .expect("sign-up form");
    fill(&browser, "email", "ana@example.org").await;
    fill(&browser, "password", "correct horse").await;
    fill(&browser, "display_name", "Ana").await;
    browser
        .find(Locator::Id("signup-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");

    let welcome = browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Id("welcome"))
        .await
        .expect("dashboard");
    assert_eq!(welcome.text().await.expect("text"), words.welcome);
    assert_eq!(
        browser
            .find(Locator::Id("funds"))
            .await
            .expect("funds")
            .text()
            .await
            .expect("text"),
        words.zero
    );

    browser
        .find(Locator::Id("logout"))
        .await
        .expect("log-out button")
        .click()
        .await
        .expect("click");
    let link = browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::LinkText(words.log_in))
        .await
        .expect("logged out");
    link.click().await.expect("click");
    browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Id("login-submit"))
        .await
        .expect("log-in form");
    fill(&browser, "email", "ana@example.org").await;
    fill(&browser, "password", "correct horse").await;
    browser
        .find(Locator::Id("login-submit"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");

    let welcome = browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Id("welcome"))
        .await
        .expect("dashboard again");
    assert_eq!(welcome.text().await.expect("text"), words.welcome);
    let lang = browser
        .find(Locator::Css("html"))
        .await
        .expect("html")
        .attr("lang")
        .await
        .expect("attr");
    assert_eq!(lang.as_deref(), Some(&words.accept_language[..2]));
    save_screenshot(
        &browser,
        &format!("dashboard-{}", &words.accept_language[..2]),
    )
    .await;
    browser.close().await;
}

/// Types `text` into the field with id `id`.
async fn fill(browser: &browser::Browser, id: &str, text: &str) {
    let field = browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("field {id}: {e}"));
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {id}: {e}"));
}

/// Keeps a picture of the page under `target/test-screenshots/` for people to look at.
async fn save_screenshot(browser: &browser::Browser, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-screenshots");
    let png = browser.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

#[tokio::test]
async fn the_funds_page_shows_a_redemption_in_english_and_in_french() {
    let app = spawn_app().await;
    for (locale, funds, movement) in [
        (obole::domain::Locale::En, "€10.00", "Voucher redeemed"),
        (obole::domain::Locale::Fr, "10,00 €", "Bon utilisé"),
    ] {
        let user = app.a_user().locale(locale).create().await;
        let code = app.vouchers("10.00", 1).await.remove(0);
        let Some(browser) = browser::open(locale.code()).await else {
            return;
        };
        browser.goto(&app.url("/login")).await.expect("log-in page");
        fill(&browser, "email", &user.email).await;
        fill(&browser, "password", &user.password).await;
        browser
            .find(Locator::Id("login-submit"))
            .await
            .expect("submit")
            .click()
            .await
            .expect("click");
        browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Id("welcome"))
            .await
            .expect("dashboard");

        browser.goto(&app.url("/funds")).await.expect("funds page");
        fill(&browser, "code", &code.to_lowercase()).await;
        browser
            .find(Locator::Id("redeem-submit"))
            .await
            .expect("submit")
            .click()
            .await
            .expect("click");
        browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Id("redeemed"))
            .await
            .expect("notice");
        let shown = browser
            .find(Locator::Id("funds"))
            .await
            .expect("funds")
            .text()
            .await
            .expect("text");
        assert_eq!(shown, funds);
        let table = browser
            .find(Locator::Id("movements"))
            .await
            .expect("movements")
            .text()
            .await
            .expect("text");
        assert!(
            table.contains(movement) && table.contains(&format!("+{funds}")),
            "{table}"
        );
        save_screenshot(&browser, &format!("funds-{}", locale.code())).await;
        browser.close().await;
    }
}
