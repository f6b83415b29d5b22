//! Headless Chromium as a person uses Obole: signs up, logs out and logs in, in English and
//! in French; redeems a voucher and reads the funds page in each language; browses, searches
//! and opens a creator page.

use std::time::Duration;

use fantoccini::Locator;
use obole::domain::Locale;

use crate::helpers::browser::{
    self, click, click_element, fill, log_in, open_at, overflows, save_screenshot, text_of,
    wait_for, wait_for_url, wider_than_the_window,
};
use crate::helpers::spawn_app;

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
    let lang = &words.accept_language[..2];
    browser.goto(&app.url("/")).await.expect("home");
    save_screenshot(&browser, &format!("home-{lang}")).await;
    click(&browser, Locator::LinkText(words.sign_up)).await;
    wait_for(&browser, Locator::Id("signup-submit")).await;
    fill(&browser, "email", "ana@example.org").await;
    fill(&browser, "password", "correct horse").await;
    fill(&browser, "display_name", "Ana").await;
    click(&browser, Locator::Id("signup-submit")).await;

    assert_eq!(
        text_of(&wait_for(&browser, Locator::Id("welcome")).await).await,
        words.welcome
    );
    assert_eq!(
        text_of(&wait_for(&browser, Locator::Id("funds")).await).await,
        words.zero
    );

    browser::log_out(&browser).await;
    click_element(wait_for(&browser, Locator::LinkText(words.log_in)).await).await;
    wait_for(&browser, Locator::Id("login-submit")).await;
    fill(&browser, "email", "ana@example.org").await;
    fill(&browser, "password", "correct horse").await;
    click(&browser, Locator::Id("login-submit")).await;

    assert_eq!(
        text_of(&wait_for(&browser, Locator::Id("welcome")).await).await,
        words.welcome
    );
    let html = browser.find(Locator::Css("html")).await.expect("html");
    assert_eq!(
        html.attr("lang").await.expect("attr").as_deref(),
        Some(lang)
    );
    save_screenshot(&browser, &format!("dashboard-{lang}")).await;
    browser.close().await;
}

#[tokio::test]
async fn the_funds_page_shows_a_redemption_in_english_and_in_french() {
    let app = spawn_app().await;
    for (locale, funds, movement) in [
        (Locale::En, "€10.00", "Voucher redeemed"),
        (Locale::Fr, "10,00 €", "Bon utilisé"),
    ] {
        let user = app.a_user().locale(locale).create().await;
        let code = app.vouchers("10.00", 1).await.remove(0);
        let Some(browser) = browser::open(locale.code()).await else {
            return;
        };
        log_in(&browser, &app, &user).await;

        browser.goto(&app.url("/funds")).await.expect("funds page");
        fill(&browser, "code", &code.to_lowercase()).await;
        click(&browser, Locator::Id("redeem-submit")).await;
        wait_for(&browser, Locator::Id("redeemed")).await;
        assert_eq!(
            text_of(&wait_for(&browser, Locator::Id("funds")).await).await,
            funds
        );
        let table = text_of(&wait_for(&browser, Locator::Id("movements")).await).await;
        assert!(
            table.contains(movement) && table.contains(&format!("+{funds}")),
            "{table}"
        );
        save_screenshot(&browser, &format!("funds-{}", locale.code())).await;
        browser.close().await;
    }
}

#[tokio::test]
async fn a_reader_tips_from_a_third_party_site_with_the_button_and_with_the_plain_link() {
    use crate::helpers::builders::{a_thing, funded_reader};
    use crate::helpers::third_party::ThirdPartySite;

    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(
        &app,
        &creator,
        "https://blog.example/post",
        "A post worth a tip",
    )
    .await;
    let link = app.url(&format!("/t/{thing}"));
    let blog = ThirdPartySite::serve(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title></head><body>
<h1>A creator's blog</h1>
<p><a class="obole-button" id="tip-button" href="{link}"><img id="badge" src="{link}/badge.svg" alt="Obole"></a></p>
<p><a id="plain-link" href="{link}">Tip this with Obole</a></p>
<script async src="{app}/embed.js"></script>
</body></html>"#,
        app = app.address
    ));
    let badge_count = || async {
        let svg = app
            .api()
            .get(app.url(&format!("/t/{thing}/badge.svg")))
            .send()
            .await
            .expect("badge")
            .text()
            .await
            .expect("svg");
        let end = svg.rfind("</text>").expect("count");
        svg[svg[..end].rfind('>').expect("text") + 1..end].to_owned()
    };

    // With JavaScript: the script turns the link into a button that opens a popup.
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let Some(browser) = browser::open("en").await else {
        return;
    };
    log_in(&browser, &app, &reader).await;

    browser.goto(&blog.url).await.expect("the blog");
    wait_for(&browser, Locator::Css("a.obole-button[data-obole='1']")).await;
    let blog_window = browser.window().await.expect("window");
    click(&browser, Locator::Id("tip-button")).await;
    let mut popup = None;
    for _ in 0..50 {
        let windows = browser.windows().await.expect("windows");
        popup = windows.into_iter().find(|w| *w != blog_window);
        if popup.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser
        .switch_to_window(popup.expect("a popup opened"))
        .await
        .expect("switch to popup");
    click(&browser, Locator::Id("confirm-tip")).await;
    wait_for(&browser, Locator::Id("tipped")).await;
    save_screenshot(&browser, "popup-tipped").await;
    browser.close_window().await.expect("close popup");
    browser
        .switch_to_window(blog_window)
        .await
        .expect("back to the blog");
    assert_eq!(badge_count().await, "1");
    // Each return to the blog refreshes the badge; however many, its address stays valid and
    // the image loads (it once alternated with a broken `badge.svg&_=…`).
    for _ in 0..3 {
        browser
            .execute("window.dispatchEvent(new Event('focus'));", vec![])
            .await
            .expect("focus");
        let mut state = (String::new(), None);
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            state = browser
                .execute(
                    "const b = document.getElementById('badge'); \
                     return [b.getAttribute('src'), b.complete && b.naturalWidth > 0];",
                    vec![],
                )
                .await
                .expect("badge state")
                .as_array()
                .map(|v| (v[0].as_str().unwrap_or("").to_owned(), v[1].as_bool()))
                .expect("pair");
            if state.1 == Some(true) {
                break;
            }
        }
        let (src, loaded) = state;
        assert_eq!(src.matches('?').count(), 1, "{src}");
        assert!(src.contains("/badge.svg?_="), "{src}");
        assert_eq!(loaded, Some(true), "{src} loads");
    }
    browser.refresh().await.expect("reload the blog");
    wait_for(&browser, Locator::Id("badge")).await;
    save_screenshot(&browser, "blog-after-tip").await;
    // What the browser shows, not only what the server says: open the badge it displays.
    browser
        .goto(&format!("{link}/badge.svg"))
        .await
        .expect("badge");
    let texts = browser
        .find_all(Locator::Css("text"))
        .await
        .expect("svg text");
    assert_eq!(text_of(texts.last().expect("the count")).await, "1");
    browser.close().await;

    // Without JavaScript: the plain link opens the thing page itself.
    let (second, _) = funded_reader(&app, "10.00", "2.00").await;
    let Some(browser) = browser::open_with("en", false).await else {
        return;
    };
    log_in(&browser, &app, &second).await;
    browser.goto(&blog.url).await.expect("the blog");
    click(&browser, Locator::Id("plain-link")).await;
    click(&browser, Locator::Id("confirm-tip")).await;
    wait_for(&browser, Locator::Id("tipped")).await;
    assert_eq!(
        browser
            .find_all(Locator::Id("close-window"))
            .await
            .expect("find")
            .len(),
        1
    );
    assert_eq!(badge_count().await, "2");
    browser.close().await;
}

#[tokio::test]
async fn the_earnings_dashboard_draws_the_chart_with_the_bundled_font() {
    use crate::helpers::builders::{a_thing, funded_reader};
    use crate::helpers::month::{click_in_october, settle_october};
    // Early November: October is the last closed month, the chart's right-most bar.
    let app = crate::helpers::app::spawn_app_with(&[("OBOLE_CLOCK", "2026-11-02T08:00:00Z")]).await;
    let mut creators = Vec::new();
    for (locale, budget) in [(Locale::Fr, "3.00"), (Locale::En, "2.00")] {
        let creator = app.a_user().locale(locale).create().await;
        let url = format!("https://c.example/{}", creator.id);
        let thing = a_thing(&app, &creator, &url, "Page").await;
        let (reader, _) = funded_reader(&app, "10.00", budget).await;
        click_in_october(&app, &reader, thing).await;
        creators.push((creator, locale));
    }
    settle_october(&app).await;
    for ((creator, locale), (net, label)) in creators
        .into_iter()
        .zip([("2,70 €", "oct."), ("€1.80", "Oct")])
    {
        let Some(browser) = browser::open(locale.code()).await else {
            return;
        };
        log_in(&browser, &app, &creator).await;
        browser
            .goto(&app.url("/earnings"))
            .await
            .expect("earnings page");
        let chart = wait_for(&browser, Locator::Css("#chart svg")).await;
        assert_eq!(
            text_of(&wait_for(&browser, Locator::Id("net")).await).await,
            net
        );
        let bars = browser
            .find_all(Locator::Css("#chart svg rect[fill='#0B5CAD']"))
            .await
            .expect("bars");
        assert_eq!(bars.len(), 1, "one month with earnings, one bar");
        let labels = text_of(&chart).await;
        assert!(labels.contains(label), "{labels}");
        let font_ready = browser
            .execute(
                "return document.fonts.load('13px \"Obole Sans\"').then(f => f.length > 0)",
                vec![],
            )
            .await
            .expect("font check");
        assert_eq!(
            font_ready,
            serde_json::json!(true),
            "the bundled font loads"
        );
        browser
            .execute("document.getElementById('chart').scrollIntoView()", vec![])
            .await
            .expect("scroll");
        save_screenshot(&browser, &format!("earnings-{}", locale.code())).await;
        browser.close().await;
    }
}

#[tokio::test]
async fn a_reader_signs_in_with_an_oauth_provider_and_comes_back_to_the_same_account() {
    let Some(provider) = crate::helpers::oauth::OAuthProvider::start().await else {
        return;
    };
    let app = crate::helpers::app::spawn_app_with_peer(&provider.settings()).await;
    provider
        .will_say(serde_json::json!({
            "sub": "zoe-42", "email": "zoe@example.org", "email_verified": true, "name": "Zoé"
        }))
        .await;
    let Some(browser) = browser::open("fr").await else {
        return;
    };
    for round in ["first", "second"] {
        browser.goto(&app.url("/login")).await.expect("log-in page");
        let button = wait_for(&browser, Locator::Id("provider-local")).await;
        assert_eq!(text_of(&button).await, "Continuer avec Local");
        click_element(button).await;
        let welcome = text_of(&wait_for(&browser, Locator::Id("welcome")).await).await;
        assert_eq!(welcome, "Bienvenue, Zoé !", "{round} sign-in");
        let url = browser.current_url().await.expect("URL");
        assert_eq!(url.path(), "/dashboard", "{round} sign-in");
        if round == "first" {
            save_screenshot(&browser, "oauth-dashboard-fr").await;
        }
        browser::log_out(&browser).await;
        wait_for(&browser, Locator::Css("a[href='/login']")).await;
    }
    assert_eq!(
        app.count_users().await,
        1,
        "the second sign-in reached the same account"
    );
    browser.close().await;
}

#[tokio::test]
async fn the_card_form_loads_stripe_js_under_the_pages_own_policy() {
    let Some(stripe) = crate::helpers::stripe::LocalStripe::start().await else {
        return;
    };
    let app = crate::helpers::app::spawn_app_with_peer(&stripe.settings()).await;
    let user = app.a_user().locale(Locale::En).create().await;
    let Some(browser) = browser::open("en").await else {
        return;
    };
    log_in(&browser, &app, &user).await;
    browser.goto(&app.url("/funds")).await.expect("funds page");
    click(
        &browser,
        Locator::Css("input[name='amount'][value='20.00']"),
    )
    .await;
    click(&browser, Locator::Id("card-submit")).await;
    // The card page's own element first: the funds page's heading may still be there (and
    // go stale under the reader) until the new page has loaded.
    wait_for(&browser, Locator::Id("card-element")).await;
    let title = text_of(&wait_for(&browser, Locator::Css("h1")).await).await;
    assert_eq!(title, "Pay €20.00 by card");
    // Stripe.js (localstripe's stand-in) ran and mounted its card fields: the policy let it.
    wait_for(&browser, Locator::Css("#card-element input")).await;
    let error = wait_for(&browser, Locator::Id("card-pay-error")).await;
    assert!(
        !error.is_displayed().await.expect("visible?"),
        "no loading error"
    );
    save_screenshot(&browser, "card-form-en").await;
    browser.close().await;
}

/// Types `words` into the browse page's search field and sends the form; returns the text of
/// the results (or of the "nothing matches" note).
async fn search(browser: &browser::Browser, words: &str, in_url: &str) -> String {
    let field = wait_for(browser, Locator::Id("q")).await;
    field.clear().await.expect("clear");
    field.send_keys(words).await.expect("type");
    click(browser, Locator::Id("browse-submit")).await;
    wait_for_url(browser, in_url).await;
    let shown = wait_for(browser, Locator::Css("#results, #no-results")).await;
    text_of(&shown).await
}

#[tokio::test]
async fn a_visitor_browses_by_language_and_category_searches_and_opens_a_creator_page() {
    let app = spawn_app().await;
    let c = crate::discovery::catalogue(&app).await;
    crate::discovery::a_public_page(&app, &c.zoe, "radio-zoe", "Radio Zoé", false).await;
    let Some(browser) = browser::open("fr-FR,fr").await else {
        return;
    };
    browser.goto(&app.url("/")).await.expect("home");
    click(&browser, Locator::Id("nav-browse")).await;
    // Every language, French first for a French visitor; a language chosen filters, and
    // every language is one click away again.
    let french = text_of(&wait_for(&browser, Locator::Id("results")).await).await;
    assert!(
        french.contains("Le carnet des élèves") && french.contains("Chansons d’été"),
        "{french}"
    );
    let garden = french.find("Garden notes").expect("English things too");
    assert!(
        french
            .find("Le carnet des élèves")
            .is_some_and(|at| at < garden)
    );
    click(&browser, Locator::Css("#lang option[value='fr']")).await;
    click(&browser, Locator::Id("browse-submit")).await;
    wait_for_url(&browser, "lang=fr").await;
    let only = text_of(&wait_for(&browser, Locator::Id("results")).await).await;
    assert!(!only.contains("Garden notes"), "{only}");
    click(&browser, Locator::Id("all-languages")).await;
    wait_for_url(&browser, "lang=all").await;
    let all = text_of(&wait_for(&browser, Locator::Id("results")).await).await;
    assert!(
        all.contains("Garden notes") && all.contains("Le carnet des élèves"),
        "{all}"
    );
    // A category.
    click(&browser, Locator::Css("#category option[value='music']")).await;
    click(&browser, Locator::Id("browse-submit")).await;
    wait_for_url(&browser, "category=music").await;
    let music = text_of(&wait_for(&browser, Locator::Id("results")).await).await;
    assert!(
        music.contains("Chansons d’été") && !music.contains("Le carnet"),
        "{music}"
    );
    click(&browser, Locator::Css("#category option[value='all']")).await;
    // French words, with and without their accents.
    let accented = search(&browser, "élève", "q=%C3%A9l%C3%A8ve").await;
    assert!(accented.contains("Le carnet des élèves"), "{accented}");
    let plain = search(&browser, "eleve", "q=eleve").await;
    assert!(
        plain.contains("Le carnet des élèves") && !plain.contains("Brouillon"),
        "{plain}"
    );
    save_screenshot(&browser, "browse-search-fr").await;
    let nothing = search(&browser, "xylophone", "q=xylophone").await;
    assert!(
        nothing
            .replace('\u{a0}', " ")
            .contains("Rien ne correspond à « xylophone »"),
        "{nothing}"
    );

    // In English: an accented word typed without its accents, and the other way round.
    click(&browser, Locator::Css("a[hreflang='en']")).await;
    wait_for(&browser, Locator::Css("html[lang='en']")).await;
    let summer = search(&browser, "ete", "q=ete").await;
    assert!(summer.contains("Chansons d’été"), "{summer}");
    let by_name = search(&browser, "Zoé garden", "q=Zo%C3%A9+garden").await;
    assert!(
        by_name.contains("Garden notes") && by_name.contains("City walks"),
        "{by_name}"
    );
    let first = wait_for(&browser, Locator::Css("#results .thing-link")).await;
    assert_eq!(
        text_of(&first).await,
        "Garden notes",
        "the title match ranks first"
    );

    // The creator's page, from a result.
    click(&browser, Locator::Css("#results .creator-link")).await;
    wait_for_url(&browser, "/c/radio-zoe").await;
    assert_eq!(
        text_of(&wait_for(&browser, Locator::Id("creator-name")).await).await,
        "Radio Zoé"
    );
    let things = text_of(&wait_for(&browser, Locator::Id("creator-things")).await).await;
    assert!(
        things.contains("City walks") && !things.contains("Brouillon"),
        "{things}"
    );
    save_screenshot(&browser, "creator-page-en").await;
    browser.close().await;
}

#[tokio::test]
async fn a_reader_whose_provider_gave_no_proven_address_types_the_mailed_code_on_a_phone() {
    let Some(provider) = crate::helpers::oauth::OAuthProvider::start().await else {
        return;
    };
    let Some(server) = crate::helpers::mail::MailServer::start().await else {
        return;
    };
    let mut settings = provider.settings();
    settings.push((
        "OBOLE_SMTP_URL",
        crate::helpers::mail::smtp_url(server.smtp_port),
    ));
    let app = crate::helpers::app::spawn_app_with_peer(&settings).await;
    for (language, width, expected) in [
        ("fr", 390, "Consultez votre messagerie"),
        ("en", 1280, "Check your mailbox"),
    ] {
        let address = format!("sam-{language}@example.org");
        provider
            .will_say(serde_json::json!({
                "sub": format!("sam-{language}"), "email": address, "email_verified": false, "name": "Sam"
            }))
            .await;
        let Some(browser) = open_at(language, width).await else {
            return;
        };
        browser.goto(&app.url("/login")).await.expect("log-in page");
        click(&browser, Locator::Id("provider-local")).await;
        let title = text_of(&wait_for(&browser, Locator::Css("h1")).await).await;
        assert_eq!(title, expected);
        assert!(!overflows(&browser).await, "{language} at {width} px");
        save_screenshot(&browser, &format!("oauth-code-{language}-{width}")).await;
        let messages = server
            .wait_for(30, |all| {
                !crate::helpers::mail::to(all, &address).is_empty()
            })
            .await;
        let text = crate::helpers::mail::to(&messages, &address)[0]["text"]
            .as_str()
            .expect("text")
            .to_owned();
        let code = text
            .lines()
            .map(str::trim)
            .find(|line| line.len() == 9 && line.as_bytes()[4] == b'-')
            .expect("a code")
            .to_owned();
        let field = wait_for(&browser, Locator::Id("code")).await;
        field.send_keys(&code).await.expect("type");
        click(&browser, Locator::Id("oauth-confirm-submit")).await;
        wait_for(&browser, Locator::Id("welcome")).await;
        assert_eq!(
            browser.current_url().await.expect("URL").path(),
            "/dashboard"
        );
        browser.close().await;
    }
    assert_eq!(app.count_users().await, 2);
}

#[tokio::test]
async fn a_reader_sees_on_a_phone_that_the_month_is_closed_before_tipping() {
    let app = crate::helpers::app::spawn_app_with(&[("OBOLE_CLOCK", "2026-10-31T23:59:59Z")]).await;
    let creator = app.a_user().create().await;
    let thing =
        crate::helpers::builders::a_thing(&app, &creator, "https://carnet.example/", "Carnet")
            .await;
    let (reader, _) = crate::helpers::builders::funded_reader(&app, "10.00", "2.00").await;
    crate::helpers::month::settle_october(&app).await;
    for (language, width, expected) in [
        ("fr", 390, "Ce mois est clos"),
        ("en", 1280, "This month is closed"),
    ] {
        let Some(browser) = open_at(language, width).await else {
            return;
        };
        log_in(&browser, &app, &reader).await;
        // The language switcher, as the reader would use it.
        browser
            .goto(&app.url(&format!("/lang/{language}")))
            .await
            .expect("language");
        browser
            .goto(&app.url(&format!("/t/{thing}")))
            .await
            .expect("thing page");
        let said = text_of(&wait_for(&browser, Locator::Id("month-closed")).await).await;
        assert!(said.starts_with(expected), "{said}");
        assert!(
            browser.find(Locator::Id("confirm-tip")).await.is_err(),
            "no tip button in a closed month"
        );
        save_screenshot(&browser, &format!("month-closed-{language}-{width}")).await;
        // The closed notice itself fits the phone (the signed-in layout's header does not
        // yet: issue 20 makes the pages responsive).
        let notice_fits: bool = browser
            .execute(
                "const r = document.getElementById('month-closed').getBoundingClientRect(); \
                 return r.right <= window.innerWidth;",
                vec![],
            )
            .await
            .expect("script")
            .as_bool()
            .unwrap_or(false);
        assert!(notice_fits, "{language} at {width} px");
        browser.close().await;
    }
}

#[tokio::test]
async fn an_operator_sees_their_own_payout_waiting_for_another_and_a_verified_owner_is_told_of_removed_links()
 {
    use crate::helpers::builders::{a_thing, funded_reader};
    use crate::helpers::month::{click_in_october, settle_october, verify_email};
    let app = spawn_app().await;
    let creator = app.a_user().locale(Locale::Fr).create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/", "Carnet").await;
    let (reader, _) = funded_reader(&app, "20.00", "20.00").await;
    click_in_october(&app, &reader, thing).await;
    settle_october(&app).await;
    verify_email(&app, &creator).await;
    let id = obole::domain::UserId(creator.id);
    let email = obole::domain::Email::parse(&creator.email).expect("email");
    app.db(move |conn| {
        obole::models::users::grant_operator(conn, &email).expect("grant");
        let request = obole::use_cases::payouts::PayoutRequest {
            iban: obole::domain::payout::Iban::parse("FR76 3000 6000 0112 3456 7890 189")
                .expect("iban"),
            holder: obole::domain::payout::AccountHolder::parse("Camille").expect("holder"),
            amount: None,
            key: "own".into(),
        };
        let minimum = obole::domain::Money::from_micros(10_000_000);
        obole::use_cases::payouts::request(conn, id, &request, minimum, chrono::Utc::now())
            .expect("payout");
    })
    .await;
    let Some(browser) = open_at("fr", 390).await else {
        return;
    };
    log_in(&browser, &app, &creator).await;
    browser
        .goto(&app.url("/operator/payouts"))
        .await
        .expect("operator page");
    let pending = text_of(&wait_for(&browser, Locator::Id("pending-payouts")).await).await;
    assert!(pending.contains("Votre propre demande"), "{pending}");
    save_screenshot(&browser, "operator-own-payout-fr-390").await;
    browser.close().await;

    // An address proven after a provider was linked to it: the page says what happened.
    for (language, width) in [("fr", 390), ("en", 1280)] {
        let owner = app.a_user().create().await;
        let owner_id = obole::domain::UserId(owner.id);
        let token = app
            .db(move |conn| {
                let now = chrono::Utc::now();
                obole::models::oauth_identities::insert(
                    conn, owner_id, "local", "early", None, now,
                )
                .expect("an early link");
                obole::models::email_tokens::issue(
                    conn,
                    owner_id,
                    obole::models::email_tokens::Purpose::VerifyEmail,
                    now,
                    now + chrono::TimeDelta::days(1),
                )
                .expect("token")
            })
            .await;
        let Some(browser) = open_at(language, width).await else {
            return;
        };
        browser
            .goto(&app.url(&format!("/lang/{language}")))
            .await
            .expect("language");
        browser
            .goto(&app.url(&format!("/verify-email?token={token}")))
            .await
            .expect("link");
        wait_for(&browser, Locator::Id("verified")).await;
        if language == "fr" {
            let said = text_of(&wait_for(&browser, Locator::Id("signed-out")).await).await;
            assert!(said.contains("Choisir un mot de passe"), "{said}");
        }
        assert!(!overflows(&browser).await, "{language} at {width} px");
        save_screenshot(&browser, &format!("verify-signed-out-{language}-{width}")).await;
        browser.close().await;
    }
}

/// A creator proves their site on the sites page, in French, on a phone and on a laptop: the
/// page shows the tag to copy, a failed check says what was fetched and what was missing,
/// and once the tag is on the site, the site and the thing under it are verified.
#[tokio::test]
async fn a_creator_proves_their_site_on_the_sites_page_in_french() {
    use crate::helpers::builders::an_unclaimed_thing;
    use crate::helpers::site::{Reply, SiteServer};
    for width in [390, 1280] {
        let app =
            crate::helpers::app::spawn_app_with(&[("OBOLE_FETCH_ALLOW_PRIVATE", "true")]).await;
        let site = SiteServer::start().await;
        let creator = app.a_user().locale(Locale::Fr).create().await;
        let thing = an_unclaimed_thing(&app, &creator, &site.url("/carnet"), "Carnet").await;
        let Some(browser) = open_at("fr", width).await else {
            return;
        };
        log_in(&browser, &app, &creator).await;
        browser
            .goto(&app.url("/settings/sites"))
            .await
            .expect("sites page");
        fill(&browser, "site-url", &site.origin()).await;
        click(&browser, Locator::Id("site-add")).await;
        let state = text_of(&wait_for(&browser, Locator::Css("[id^='site-state-']")).await).await;
        assert_eq!(state, "pas encore prouvé");
        let tag = wait_for(&browser, Locator::Css("textarea[id^='meta-']")).await;
        let tag = tag.prop("value").await.expect("value").unwrap_or_default();
        assert!(
            tag.starts_with("<meta name=\"obole-verification\" content=\"obole-"),
            "{tag}"
        );
        // The copy buttons appear with JavaScript.
        let copy = wait_for(&browser, Locator::Css("button.copy")).await;
        assert!(copy.is_displayed().await.expect("visible?"));

        // The page without the tag yet: the check says what it fetched and what was missing.
        site.serve(
            "/",
            Reply::html("<html><head></head><body>Carnet</body></html>"),
        );
        click(&browser, Locator::Css("button[id^='check-']")).await;
        let problems =
            text_of(&wait_for(&browser, Locator::Css("[id^='site-problems-']")).await).await;
        assert!(
            problems.contains(&format!("{}/ a été lu", site.origin())),
            "{problems}"
        );
        assert!(problems.contains("n’y figure pas"), "{problems}");
        save_screenshot(&browser, &format!("sites-failed-fr-{width}")).await;
        assert_eq!(
            wider_than_the_window(&browser).await,
            "",
            "fr at {width} px, failed check"
        );

        // The tag on the site: the check proves it, and the thing is claimed.
        site.serve(
            "/",
            Reply::html(format!(
                "<html><head>{tag}</head><body>Carnet</body></html>"
            )),
        );
        click(&browser, Locator::Css("button[id^='check-']")).await;
        // The failed check's page had a notice too: wait for what only the new page has.
        let state =
            text_of(&wait_for(&browser, Locator::Css("[id^='site-state-'].tag-ok")).await).await;
        assert_eq!(state, "vérifié ✓");
        let flash = text_of(&wait_for(&browser, Locator::Id("sites-flash")).await).await;
        assert!(flash.starts_with("Le site est prouvé"), "{flash}");
        save_screenshot(&browser, &format!("sites-proven-fr-{width}")).await;
        assert_eq!(
            wider_than_the_window(&browser).await,
            "",
            "fr at {width} px, proven"
        );
        browser
            .goto(&app.url(&format!("/t/{thing}")))
            .await
            .expect("thing page");
        let claimed = text_of(&wait_for(&browser, Locator::Id("thing-claimed")).await).await;
        assert_eq!(claimed, "vérifié ✓");
        browser.close().await;
    }
}
