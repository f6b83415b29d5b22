//! The transparency pages (issue 23): `/transparency` and `/transparency/{month}`, public and
//! cacheable, in both languages; the receipt on "where my budget went", its download (only
//! ever the session's own) and its check in the browser, which passes on a settled month and
//! fails visibly when the published head disagrees; the creator's link to the month's totals.

use fantoccini::Locator;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, SET_COOKIE};
use serde_json::Value;

use crate::helpers::app::spawn_app_with;
use crate::helpers::browser::{log_in, open_at, problems_of_page, text_of, wait_for};
use crate::helpers::builders::{TestUser, a_thing, an_unclaimed_thing, funded_reader};
use crate::helpers::month::{OCTOBER, click_in_october, settle_october};
use crate::helpers::{TestApp, spawn_app};

/// "Now" for these tests: October is over and settled as on the 2nd of November.
const NOW: &str = "2026-11-02T08:00:00Z";

/// A settled October: a creator's claimed thing, someone's unclaimed one, two charged
/// readers and one who clicked nothing.
struct October {
    app: TestApp,
    creator: TestUser,
    first: TestUser,
    first_token: String,
    second: TestUser,
    idle: TestUser,
}

async fn a_settled_october() -> October {
    let app = spawn_app_with(&[("OBOLE_CLOCK", NOW)]).await;
    let october = an_october(app).await;
    settle_october(&october.app).await;
    october
}

/// October's clicks, not settled yet.
async fn an_october(app: TestApp) -> October {
    let creator = app.a_user().display_name("Camille").create().await;
    let essay = a_thing(&app, &creator, "https://camille.example/one", "One").await;
    let adder = app.a_user().create().await;
    let unclaimed = an_unclaimed_thing(&app, &adder, "https://elsewhere.example/", "Else").await;
    let (first, first_token) = funded_reader(&app, "10.00", "2.00").await;
    let (second, _) = funded_reader(&app, "10.00", "3.00").await;
    let (idle, _) = funded_reader(&app, "10.00", "2.00").await;
    click_in_october(&app, &first, essay).await;
    click_in_october(&app, &first, unclaimed).await;
    click_in_october(&app, &second, essay).await;
    October {
        app,
        creator,
        first,
        first_token,
        second,
        idle,
    }
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str, lang: &str) -> reqwest::Response {
    client
        .get(app.url(path))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// A public page: 200, cacheable by anyone, and no cookie at all.
async fn public_page(app: &TestApp, path: &str, lang: &str) -> String {
    let response = get(&app.api(), app, path, lang).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert!(
        response.headers().get(SET_COOKIE).is_none(),
        "{path} sets no cookie"
    );
    let cache = response.headers()[CACHE_CONTROL].to_str().expect("ascii");
    assert!(cache.contains("public"), "{path}: {cache}");
    response.text().await.expect("html")
}

async fn not_found(app: &TestApp, path: &str, lang: &str) -> String {
    let response = get(&app.api(), app, path, lang).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    response.text().await.expect("html")
}

#[tokio::test]
async fn the_published_months_and_a_months_totals_are_public_in_both_languages() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", NOW)]).await;
    let october = an_october(app).await;
    let app = &october.app;
    let empty = public_page(app, "/transparency", "en").await;
    assert!(empty.contains("id=\"no-months\""), "{empty}");
    let html = not_found(app, &format!("/transparency/{OCTOBER}"), "fr").await;
    assert!(html.contains("pas encore réglé"), "{html}");
    settle_october(app).await;
    let head = app
        .get_json(&format!("/api/v1/settlements/{OCTOBER}"))
        .await;
    let root = head["root"].as_str().expect("root");

    let english = public_page(app, "/transparency", "en").await;
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains(&format!(
        "href=\"/transparency/{OCTOBER}\">October 2026</a>"
    )));
    assert!(english.contains(&format!("{}…", &root[..12])), "{english}");
    assert!(!english.contains(root), "the index abbreviates the root");
    let french = public_page(app, "/transparency", "fr").await;
    assert!(french.contains("<html lang=\"fr\""));
    assert!(french.contains("octobre 2026"), "{french}");
    assert!(french.contains("Mois publiés"));

    let path = format!("/transparency/{OCTOBER}");
    for (lang, title, held) in [
        (
            "en",
            "Published totals for October 2026",
            "Held for unclaimed things",
        ),
        (
            "fr",
            "Totaux publiés pour octobre 2026",
            "Retenu pour les choses non revendiquées",
        ),
    ] {
        let html = public_page(app, &path, lang).await;
        assert!(html.contains(title), "{lang}: {html}");
        assert!(html.contains(held), "{lang}");
        assert!(
            html.contains(&format!("id=\"root\">{root}</code>")),
            "{lang}"
        );
        assert!(html.contains("id=\"tree-size\">2</dd>"), "{lang}");
        assert!(html.contains("id=\"readers\">2</dd>"), "{lang}");
        assert!(html.contains("id=\"clicks\">3</dd>"), "{lang}");
        assert!(html.contains("(10"), "the fee's rate: {lang}");
        assert!(html.contains(&format!(
            "obole receipts verify obole-receipt-{OCTOBER}.json --root {root}"
        )));
        assert!(html.contains(&format!("href=\"/api/v1/settlements/{OCTOBER}/things\"")));
        assert!(html.contains(&format!("href=\"/contributions?month={OCTOBER}\"")));
    }
    let english = public_page(app, &path, "en").await;
    assert!(english.contains("id=\"debited\">€5.00</dd>"), "{english}");
    let french = public_page(app, &path, "fr").await;
    assert!(french.contains("id=\"debited\">5,00"), "{french}");

    // A month that is not settled, or not a month: the visitor's 404 page.
    for (bad, lang, words) in [
        ("/transparency/2026-11", "fr", "pas encore réglé"),
        ("/transparency/2026-11", "en", "not settled yet"),
        ("/transparency/2026-13", "fr", "Page introuvable"),
        ("/transparency/october", "en", "Page not found"),
    ] {
        let html = not_found(app, bad, lang).await;
        assert!(html.contains(words), "{bad} {lang}: {html}");
    }

    // Someone signed in keeps their own header, on a page no shared cache keeps.
    let visitor = app.logged_in_visitor(&october.first).await;
    let response = get(&visitor, app, &path, "en").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("id=\"logout\"")
    );
}

#[tokio::test]
async fn where_my_budget_went_offers_the_readers_receipt_and_nobody_elses() {
    let october = a_settled_october().await;
    let app = &october.app;
    let path = format!("/contributions/receipt/{OCTOBER}.json");
    let first = app.logged_in_visitor(&october.first).await;
    let response = get(&first, app, &path, "en").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_DISPOSITION],
        format!("attachment; filename=\"obole-receipt-{OCTOBER}.json\"").as_str()
    );
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
    let downloaded: Value = response.json().await.expect("json");
    let from_api = app
        .get_json_as(
            &october.first_token,
            &format!("/api/v1/me/receipts/{OCTOBER}"),
        )
        .await;
    assert_eq!(downloaded, from_api, "the same receipt as the API's");
    assert_eq!(downloaded["reader_id"], october.first.id);

    // Another reader gets their own, whatever they add to the address.
    let second = app.logged_in_visitor(&october.second).await;
    for asked in [
        path.clone(),
        format!("{path}?reader_id={}", october.first.id),
    ] {
        let theirs: Value = get(&second, app, &asked, "en")
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(theirs["reader_id"], october.second.id, "{asked}");
        assert_ne!(theirs["leaf"], downloaded["leaf"]);
    }
    // Nobody signed in: log in first.
    let response = get(&app.api(), app, &path, "en").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Not charged, or not settled: the reader's 404.
    let idle = app.logged_in_visitor(&october.idle).await;
    // (In English: their account's language, set at log-in, beats the browser's.)
    let html = get(&idle, app, &path, "fr").await;
    assert_eq!(html.status(), StatusCode::NOT_FOUND);
    assert!(
        html.text()
            .await
            .expect("html")
            .contains("no receipt for you")
    );
    let response = get(&first, app, "/contributions/receipt/2026-11.json", "en").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // The page: the box with the download, the command, the month's page and the script's
    // words in the reader's language.
    let page = format!("/contributions?month={OCTOBER}");
    let html = app.html(&first, &page, "en").await;
    let root = from_api["root"].as_str().expect("root");
    for part in [
        "id=\"receipt\"".to_owned(),
        format!("href=\"{path}\""),
        format!("href=\"/transparency/{OCTOBER}\""),
        format!("obole receipts verify obole-receipt-{OCTOBER}.json --root {root}"),
        "data-verified=\"Verified ✓\"".to_owned(),
        "<script src=\"/assets/receipt.js\" defer></script>".to_owned(),
    ] {
        assert!(html.contains(&part), "{part}: {html}");
    }
    app.switch_language(&first, "fr").await;
    let html = app.html(&first, &page, "en").await;
    assert!(html.contains("data-verified=\"Vérifié ✓\""), "{html}");
    assert!(html.contains("Télécharger le reçu"));
    // No receipt, no box.
    let html = app.html(&idle, &page, "en").await;
    assert!(!html.contains("id=\"receipt\""), "{html}");
    let script = get(&app.api(), app, "/assets/receipt.js", "en").await;
    assert_eq!(script.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_creators_month_and_statement_link_to_the_published_totals() {
    let october = a_settled_october().await;
    let app = &october.app;
    let creator = app.logged_in_visitor(&october.creator).await;
    let html = app
        .html(&creator, &format!("/earnings?month={OCTOBER}"), "en")
        .await;
    assert!(
        html.contains(&format!(
            "<p id=\"published-totals\"><a href=\"/transparency/{OCTOBER}\">This month"
        )),
        "{html}"
    );
    let html = app
        .html(&creator, &format!("/earnings/{OCTOBER}/statement"), "en")
        .await
        // Tera writes `/` as `&#x2F;` in text.
        .replace("&#x2F;", "/");
    assert!(
        html.contains(&format!("{}/transparency/{OCTOBER}</a>", app.address)),
        "{html}"
    );
    // A month that published nothing links nowhere.
    let html = app.html(&creator, "/earnings?month=2026-09", "en").await;
    assert!(!html.contains("/transparency/2026-09"));
}

/// Opens the reader's October in French on a phone and waits for the check's verdict.
async fn the_check_in_french(app: &TestApp, reader: &TestUser, name: &str) -> Option<String> {
    let browser = open_at("fr", 390).await?;
    log_in(&browser, app, reader).await;
    browser
        .goto(&app.url(&format!("/lang/fr?next=/contributions%3Fmonth%3D{OCTOBER}")))
        .await
        .expect("page");
    wait_for(&browser, Locator::Id("receipt")).await;
    let verdict = wait_for(
        &browser,
        Locator::Css("#receipt-status.notice, #receipt-status.alert"),
    )
    .await;
    let text = text_of(&verdict).await;
    // The screenshot shows the verdict.
    browser
        .execute(
            "document.getElementById('receipt').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll");
    let problems = problems_of_page(&browser, name).await;
    browser.close().await;
    assert!(problems.is_empty(), "{problems:#?}");
    Some(text)
}

#[tokio::test]
async fn a_reader_in_french_on_a_phone_sees_their_receipt_verified() {
    let october = a_settled_october().await;
    let Some(text) =
        the_check_in_french(&october.app, &october.first, "receipt-verified-fr-390").await
    else {
        return;
    };
    assert_eq!(text, "Vérifié ✓");
}

/// The stored root changed after the month was settled: the receipt's own `root` follows
/// it (it is the head's), so only a script that rebuilds the root from the leaf and its proof
/// and compares that with the published head sees the difference.
#[tokio::test]
async fn the_check_fails_visibly_when_the_published_head_disagrees() {
    let october = a_settled_october().await;
    let app = &october.app;
    app.db(|conn| {
        use diesel::prelude::*;
        use obole::db::schema::settlement_heads as h;
        diesel::update(h::table.find(OCTOBER))
            .set(h::root.eq("ab".repeat(32)))
            .execute(conn)
            .expect("alter the root");
    })
    .await;
    let Some(text) = the_check_in_french(app, &october.first, "receipt-failed-fr-390").await else {
        return;
    };
    assert!(text.starts_with("La vérification a échoué"), "{text}");
    assert!(text.contains("la racine publiée"), "{text}");
}

/// Nothing published yet: the index says so, and the footer of every page leads there.
#[tokio::test]
async fn the_index_is_empty_before_any_settlement_and_linked_from_every_page() {
    let app = spawn_app().await;
    let html = public_page(&app, "/transparency", "fr").await;
    assert!(html.contains("Aucun mois n’a encore été réglé"), "{html}");
    let home = app.html(&app.api(), "/", "en").await;
    assert!(home.contains("href=\"/transparency\""));
}
