//! Headless Chromium looks at Obole as its people do: a reader arriving from a blog on a
//! phone tips in one straight path, in French and in English; and every page fits a phone
//! and a desktop window and has no serious accessibility problem (axe-core).

use fantoccini::Locator;
use obole::domain::Locale;

use crate::helpers::browser::{
    self, click, fill, log_in, log_out, open_at, overflows, problems_of_page, text_of, wait_for,
    wait_for_url,
};
use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::spawn_app;

struct Path {
    lang: &'static str,
    budget: &'static str,
    step_two: &'static str,
    step_three: &'static str,
    thanks: &'static str,
}

const ENGLISH: Path = Path {
    lang: "en",
    budget: "3.00",
    step_two: "Step 2 of 4.",
    step_three: "Step 3 of 4.",
    thanks: "Thank you!",
};
const FRENCH: Path = Path {
    lang: "fr",
    budget: "3,00",
    step_two: "Étape 2 sur 4.",
    step_three: "Étape 3 sur 4.",
    thanks: "Merci !",
};

#[tokio::test]
async fn a_new_reader_on_a_phone_tips_in_one_straight_path_in_english() {
    straight_path(&ENGLISH).await;
}

#[tokio::test]
async fn a_new_reader_on_a_phone_tips_in_one_straight_path_in_french() {
    straight_path(&FRENCH).await;
}

/// From the tip page, signed out, to a confirmed tip: sign up, add funds with a voucher, set
/// a budget, and land back on the same tip page; never typing an address on the way.
async fn straight_path(path: &Path) {
    let app = spawn_app().await;
    let creator = app.a_user().display_name("Camille").create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "Un article").await;
    let code = app.vouchers("10.00", 1).await.remove(0);
    let Some(browser) = open_at(path.lang, 390).await else {
        return;
    };
    let lang = path.lang;
    let mut problems = Vec::new();
    // The only address typed: the link a blog would hold.
    browser
        .goto(&app.url(&format!("/t/{thing}")))
        .await
        .expect("tip page");
    wait_for(&browser, Locator::Id("journey")).await;
    problems.extend(problems_of_page(&browser, &format!("path-1-tip-{lang}-390")).await);
    click(&browser, Locator::Id("sign-up-to-tip")).await;

    wait_for(&browser, Locator::Id("signup-submit")).await;
    assert!(
        text_of(&wait_for(&browser, Locator::Id("journey-now")).await)
            .await
            .starts_with(if lang == "fr" {
                "Étape 1 sur 4."
            } else {
                "Step 1 of 4."
            })
    );
    problems.extend(problems_of_page(&browser, &format!("path-2-signup-{lang}-390")).await);
    fill(&browser, "email", "lea@example.org").await;
    fill(&browser, "password", "correct horse").await;
    fill(&browser, "display_name", "Léa").await;
    // Forms work from the keyboard: Enter in the last field sends the form.
    enter(&browser, "display_name").await;

    // Step 2: funds, with the way back in hand.
    wait_for_url(&browser, "/funds?next=").await;
    let now = text_of(&wait_for(&browser, Locator::Id("journey-now")).await).await;
    assert!(now.starts_with(path.step_two), "{now}");
    problems.extend(problems_of_page(&browser, &format!("path-3-funds-{lang}-390")).await);
    fill(&browser, "code", &code).await;
    enter(&browser, "code").await;

    // Step 3: the budget.
    wait_for_url(&browser, "/budget?next=").await;
    let now = text_of(&wait_for(&browser, Locator::Id("journey-now")).await).await;
    assert!(now.starts_with(path.step_three), "{now}");
    problems.extend(problems_of_page(&browser, &format!("path-4-budget-{lang}-390")).await);
    fill(&browser, "amount", path.budget).await;
    enter(&browser, "amount").await;

    // Back on the same tip page, one button away from the tip.
    wait_for_url(&browser, &format!("/t/{thing}")).await;
    problems.extend(problems_of_page(&browser, &format!("path-5-ready-{lang}-390")).await);
    click(&browser, Locator::Id("confirm-tip")).await;
    let thanks = text_of(&wait_for(&browser, Locator::Id("tipped")).await).await;
    // French puts a no-break space before "!": compare the words, whatever the space.
    let thanks = thanks.replace(['\u{a0}', '\u{202f}'], " ");
    assert!(thanks.starts_with(path.thanks), "{thanks}");
    // Not a popup: no "close this window", a way back to the creator's page instead.
    let close = wait_for(&browser, Locator::Id("close-window")).await;
    assert!(!close.is_displayed().await.expect("displayed?"));
    let back = wait_for(&browser, Locator::Id("back-to-page")).await;
    assert!(back.is_displayed().await.expect("displayed?"));
    assert_eq!(
        back.attr("href").await.expect("href").as_deref(),
        Some("https://camille.example/a")
    );
    problems.extend(problems_of_page(&browser, &format!("path-6-tipped-{lang}-390")).await);

    // Undo says it was undone.
    click(&browser, Locator::Id("undo")).await;
    wait_for(&browser, Locator::Id("undone")).await;
    assert!(
        browser.find(Locator::Id("confirm-tip")).await.is_ok(),
        "the tip can be given again"
    );
    browser.close().await;
    assert!(problems.is_empty(), "{problems:#?}");

    // What the path did, in the ledger: 10.00 redeemed, a 3.00 budget, and the only tip of
    // the month undone, so nothing is reserved any more.
    // The account the browser opened, seen through the API as its owner would.
    let lea = crate::helpers::builders::TestUser {
        id: 0,
        email: "lea@example.org".into(),
        password: "correct horse".into(),
    };
    let me = app.get_json_as(&lea.token(&app).await, "/api/v1/me").await;
    assert_eq!(me["budget"]["amount"], "3.00");
    assert_eq!(me["funds"], "10.00", "{me}");
    assert_eq!(me["reserved"], "0.00", "{me}");
    app.assert_ledger_sound().await;
}

/// Presses Enter in the field with id `id`.
async fn enter(browser: &browser::Browser, id: &str) {
    wait_for(browser, Locator::Id(id))
        .await
        .send_keys("\u{e007}")
        .await
        .expect("Enter");
}

/// A returning reader with funds and a budget still tips in one click.
#[tokio::test]
async fn a_returning_reader_tips_in_one_click_without_a_detour() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/b", "Another").await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let Some(browser) = open_at("en", 390).await else {
        return;
    };
    log_in(&browser, &app, &reader).await;
    browser
        .goto(&app.url(&format!("/t/{thing}")))
        .await
        .expect("tip page");
    assert!(browser.find(Locator::Id("journey")).await.is_err());
    click(&browser, Locator::Id("confirm-tip")).await;
    wait_for(&browser, Locator::Id("tipped")).await;
    browser.close().await;
}

/// Every page, as each kind of person sees it, on a phone in French and on a desktop in
/// English: nothing wider than the window, no serious or critical axe-core violation, and a
/// screenshot under `target/screenshots/` for people to look at.
#[tokio::test]
async fn every_page_fits_a_phone_and_a_desktop_and_passes_axe() {
    use crate::helpers::month::{click_in_october, settle_october};
    // A charity named, so that the budget page offers it and the operator's page shows it.
    let app = crate::helpers::app::spawn_app_with(&[
        ("OBOLE_CLOCK", "2026-11-02T08:00:00Z"),
        (
            "OBOLE_CHARITY_NAME",
            "Association pour le maintien d’une agriculture paysanne du Pays-d’Auge",
        ),
        (
            "OBOLE_CHARITY_PAYOUT_DETAILS",
            "FR76 3000 6000 0112 3456 7890 189\\nAMAP du Pays-d’Auge",
        ),
    ])
    .await;
    let creator = app
        .a_user()
        .locale(Locale::Fr)
        .display_name("Camille Desmoulins-Laforêt")
        .create()
        .await;
    crate::discovery::a_public_page(&app, &creator, "camille", "Camille", true).await;
    let thing = a_thing(
        &app,
        &creator,
        "https://camille.example/un-tres-long-chemin/vers/un-article-au-titre-interminable",
        "Un article au titre vraiment très long pour voir comment il passe à la ligne",
    )
    .await;
    let (reader, _) = funded_reader(&app, "25.00", "3.00").await;
    click_in_october(&app, &reader, thing).await;
    let (who, what) = (
        obole::domain::UserId(reader.id),
        obole::domain::ThingId(thing),
    );
    app.db(move |conn| {
        let choice = obole::domain::click_note::NoteChoice::parse(
            Some("public"),
            Some("Merci pour cet article, il m’a vraiment aidé à comprendre le sujet !"),
        )
        .expect("note");
        let october = crate::helpers::month::october();
        obole::use_cases::supporters::choose(conn, who, what, october, &choice, chrono::Utc::now())
            .expect("choose")
    })
    .await;
    settle_october(&app).await;
    // A subscription: "my clicks" lists it and marks its click, "my things" counts it.
    let subscribed = a_thing(
        &app,
        &creator,
        "https://camille.example/chaque-mois",
        "Chaque mois",
    )
    .await;
    let (reader_id, at) = (obole::domain::UserId(reader.id), app_now());
    app.db(move |conn| {
        obole::use_cases::subscriptions::subscribe(
            conn,
            reader_id,
            obole::domain::ThingId(subscribed),
            at,
        )
        .expect("subscribe")
    })
    .await;
    let operator = app.a_user().create().await;
    let email = obole::domain::Email::parse(&operator.email).expect("email");
    app.db(move |conn| obole::models::users::grant_operator(conn, &email).expect("grant"))
        .await;

    let public = [
        "/",
        "/browse",
        "/browse?q=zzzz",
        "/login",
        "/signup",
        "/password/forgot",
        "/c/camille",
        "/no-such-page",
        "/privacy",
        "/account-deleted",
        "/transparency",
        "/transparency/2026-10",
    ];
    let reader_pages = [
        "/dashboard",
        "/funds",
        "/budget",
        "/clicks",
        "/clicks?month=2026-10",
        "/contributions",
        "/contributions?month=2026-10",
        "/transparency/2026-10",
        "/contributions?year=2026",
        "/contributions/year/2026/statement",
        "/settings",
        "/settings/profile",
        "/settings/sites",
        "/settings/delete",
    ];
    let creator_pages = [
        "/things",
        "/things/new",
        "/earnings",
        "/supporters?month=2026-10",
        "/payouts",
        "/earnings/2026-10/statement",
        "/earnings?year=2026",
        "/earnings/year/2026/statement",
    ];
    let operator_pages = [
        "/operator/vouchers",
        "/operator/settlements",
        "/operator/payouts",
        "/operator/sites",
    ];
    let thing_pages = [
        format!("/t/{thing}"),
        format!("/things/{thing}/edit"),
        format!("/things/{thing}/embed"),
    ];

    let mut problems = Vec::new();
    for (lang, width) in [("fr", 390), ("en", 1280)] {
        let Some(browser) = open_at(lang, width).await else {
            return;
        };
        browser
            .set_window_rect(0, 0, width, if width == 390 { 844 } else { 900 })
            .await
            .expect("window size");
        let at = |who: &'static str| Seen { who, lang, width };
        for path in public {
            problems.extend(look(&browser, &app, path, at("visitor")).await);
        }
        problems.extend(look(&browser, &app, &format!("/t/{thing}"), at("visitor")).await);
        // The menu open: on a phone it covers the page, and still fits.
        if width == 390 {
            click(&browser, Locator::Id("menu-button")).await;
            problems
                .extend(problems_of_page(&browser, &format!("menu-visitor-{lang}-{width}")).await);
        }

        log_in(&browser, &app, &reader).await;
        speak(&browser, &app, lang).await;
        for path in reader_pages {
            problems.extend(look(&browser, &app, path, at("reader")).await);
        }
        problems.extend(look(&browser, &app, &format!("/t/{thing}"), at("reader")).await);
        log_out(&browser).await;

        log_in(&browser, &app, &creator).await;
        speak(&browser, &app, lang).await;
        for path in creator_pages {
            problems.extend(look(&browser, &app, path, at("creator")).await);
        }
        for path in &thing_pages {
            problems.extend(look(&browser, &app, path, at("creator")).await);
        }
        log_out(&browser).await;

        log_in(&browser, &app, &operator).await;
        speak(&browser, &app, lang).await;
        for path in operator_pages {
            problems.extend(look(&browser, &app, path, at("operator")).await);
        }
        click(&browser, Locator::Id("menu-button")).await;
        problems.extend(problems_of_page(&browser, &format!("menu-operator-{lang}-{width}")).await);
        browser.close().await;
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The instant `OBOLE_CLOCK` gives the pages' test.
fn app_now() -> chrono::DateTime<chrono::Utc> {
    "2026-11-02T08:00:00Z".parse().expect("instant")
}

/// The dark colour scheme (`prefers-color-scheme: dark`) on a phone: the pages a reader meets
/// on the way to a tip keep their contrast (axe-core checks it) and fit.
#[tokio::test]
async fn the_dark_scheme_keeps_its_contrast_on_a_phone() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "Un article").await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let Some(browser) = browser::open_dark("fr").await else {
        return;
    };
    browser
        .set_window_rect(0, 0, 390, 844)
        .await
        .expect("window size");
    let dark: bool = browser
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches;",
            vec![],
        )
        .await
        .expect("script")
        .as_bool()
        .unwrap_or(false);
    assert!(dark, "the browser asks for the dark scheme");
    let mut problems = Vec::new();
    let at = |who: &'static str| Seen {
        who,
        lang: "fr-dark",
        width: 390,
    };
    for path in ["/", "/browse", "/signup", &format!("/t/{thing}")] {
        problems.extend(look(&browser, &app, path, at("visitor")).await);
    }
    log_in(&browser, &app, &reader).await;
    speak(&browser, &app, "fr").await;
    for path in ["/dashboard", "/funds", "/budget", &format!("/t/{thing}")] {
        problems.extend(look(&browser, &app, path, at("reader")).await);
    }
    click(&browser, Locator::Id("confirm-tip")).await;
    wait_for(&browser, Locator::Id("tipped")).await;
    problems.extend(problems_of_page(&browser, "tipped-fr-dark-390").await);
    browser.close().await;
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Switches the signed-in person's pages to `lang` with the header's language link (their
/// account's language won at log-in).
async fn speak(browser: &browser::Browser, app: &crate::helpers::TestApp, lang: &str) {
    browser
        .goto(&app.url(&format!("/lang/{lang}?next=/dashboard")))
        .await
        .expect("language");
    wait_for(browser, Locator::Id("welcome")).await;
}

/// Who looks at a page, in which language, in a window how wide.
struct Seen {
    who: &'static str,
    lang: &'static str,
    width: u32,
}

/// Opens `path` and returns what is wrong with it (see [`problems_of_page`]).
async fn look(
    browser: &browser::Browser,
    app: &crate::helpers::TestApp,
    path: &str,
    seen: Seen,
) -> Vec<String> {
    browser.goto(&app.url(path)).await.expect("page");
    wait_for(browser, Locator::Css("main")).await;
    let name = format!(
        "page-{}{}-{}-{}",
        seen.who,
        path.replace(['/', '?', '=', '&'], "_"),
        seen.lang,
        seen.width
    );
    problems_of_page(browser, &name).await
}

/// The menu is usable with the keyboard alone: Tab reaches its button, Enter opens it, Tab
/// reaches its links, Escape closes it.
#[tokio::test]
async fn the_menu_works_with_the_keyboard_alone_on_a_phone() {
    let app = spawn_app().await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let Some(browser) = open_at("en", 390).await else {
        return;
    };
    log_in(&browser, &app, &reader).await;
    let menu = wait_for(&browser, Locator::Id("menu")).await;
    let logout = wait_for(&browser, Locator::Id("logout")).await;
    assert!(!logout.is_displayed().await.expect("displayed?"), "folded");
    let summary = wait_for(&browser, Locator::Id("menu-button")).await;
    summary.send_keys("\u{e007}").await.expect("Enter");
    assert!(
        menu.attr("open").await.expect("open").is_some(),
        "Enter opens the menu"
    );
    assert!(logout.is_displayed().await.expect("displayed?"), "unfolded");
    assert!(!overflows(&browser).await);
    summary.send_keys("\u{e00c}").await.expect("Escape");
    assert_eq!(
        menu.attr("open").await.expect("open"),
        None,
        "Escape closes it"
    );
    browser.close().await;
}
