//! Earnings in a real browser (issue 20). The chart: twelve months with large amounts, on a
//! 1280 px screen and on a 390 px phone, in English and in French; the month labels do not
//! overlap, the text stays readable on the phone, and the chart fits its card. The printable
//! statement's print button, with JavaScript only. Screenshots are kept under
//! `target/screenshots/` for people to look at.

use std::time::Duration;

use chrono::NaiveDate;
use diesel::prelude::*;
use fantoccini::Locator;
use obole::domain::Locale;

use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::TestUser;
use crate::helpers::{TestApp, browser};

const PATIENCE: Duration = Duration::from_secs(10);

/// Twelve months of earnings, November 2025 to October 2026, up to 1,234.56 a month, for a
/// creator whose account is older than all of them.
async fn a_creator_with_a_year(app: &TestApp, locale: Locale) -> TestUser {
    let creator = app.a_user().locale(locale).create().await;
    let id = creator.id;
    app.db(move |conn| {
        use obole::db::schema::{creator_month_totals as totals, users};
        let opened = NaiveDate::from_ymd_opt(2025, 1, 10)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("date");
        diesel::update(users::table.find(id))
            .set(users::created_at.eq(opened))
            .execute(conn)
            .expect("opened");
        let mut month = obole::domain::Month::parse("2025-10").expect("month");
        for n in 0..12_i64 {
            month = month.next();
            // A quiet month, then growing ones, the last one large.
            let gross = if n == 3 {
                0
            } else {
                1_234_560_000 * (n + 1) / 12
            };
            diesel::insert_into(totals::table)
                .values((
                    totals::creator_id.eq(id),
                    totals::month.eq(month.to_string()),
                    totals::clicks.eq(n * 7),
                    totals::gross_micros.eq(gross),
                    totals::fee_micros.eq(gross / 10),
                ))
                .execute(conn)
                .expect("month");
        }
    })
    .await;
    creator
}

/// The bounding boxes (left, top, right, bottom, in CSS pixels) of the chart's month labels.
const MONTH_LABELS: &str = r#"
    return Array.from(document.querySelectorAll('#chart svg text[text-anchor="middle"]'))
        .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, t.textContent.trim()]; });
"#;

#[tokio::test]
async fn the_chart_reads_on_a_phone_and_on_a_wide_screen() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-11-15T12:00:00Z")]).await;
    for locale in [Locale::En, Locale::Fr] {
        let creator = a_creator_with_a_year(&app, locale).await;
        let Some(browser) = browser::open(locale.code()).await else {
            return;
        };
        log_in(&browser, &app, &creator).await;
        for (width, height) in [(1280, 900), (390, 844)] {
            browser
                .set_window_size(width, height)
                .await
                .expect("window size");
            browser.goto(&app.url("/earnings")).await.expect("earnings");
            browser
                .wait()
                .at_most(PATIENCE)
                .for_element(Locator::Css("#chart svg"))
                .await
                .expect("the chart");
            browser
                .execute(
                    "document.getElementById('chart').scrollIntoView(); return document.fonts.ready.then(() => true)",
                    vec![],
                )
                .await
                .expect("scroll");
            // The chart fits the card (the site's navigation is another matter, being redone).
            let overflow = browser
                .execute(
                    "const c = document.getElementById('chart'); \
                     return c.getBoundingClientRect().right > window.innerWidth || c.scrollWidth > c.clientWidth",
                    vec![],
                )
                .await
                .expect("overflow");
            assert_eq!(
                overflow,
                serde_json::json!(false),
                "{width} px: the chart fits"
            );
            let labels = browser.execute(MONTH_LABELS, vec![]).await.expect("labels");
            let labels: Vec<(f64, f64, f64, f64, String)> =
                serde_json::from_value(labels).expect("boxes");
            assert!(labels.len() >= 6, "{width} px: {labels:?}");
            assert_eq!(
                labels.last().map(|l| l.4.as_str()),
                Some(match locale {
                    Locale::En => "Oct",
                    Locale::Fr => "oct.",
                }),
                "the last month is named"
            );
            for pair in labels.windows(2) {
                assert!(pair[0].2 < pair[1].0, "{width} px: {pair:?} overlap");
            }
            let smallest = labels.iter().map(|l| l.3 - l.1).fold(f64::MAX, f64::min);
            assert!(smallest >= 9.0, "{width} px: labels {smallest} px high");
            // Every label inside the chart, none cut at its edges.
            let chart_box = browser
                .execute(
                    "const r = document.querySelector('#chart svg').getBoundingClientRect(); return [r.left, r.right];",
                    vec![],
                )
                .await
                .expect("chart box");
            let [left, right]: [f64; 2] = serde_json::from_value(chart_box).expect("box");
            assert!(
                labels.iter().all(|l| l.0 >= left && l.2 <= right),
                "{width} px: {labels:?} in {left}..{right}"
            );
            save_screenshot(
                &browser,
                &format!("earnings-chart-{}-{width}", locale.code()),
            )
            .await;
        }
        browser.close().await;
    }
}

/// Logs `user` in through the log-in page (a plain form: no script needed).
async fn log_in(browser: &browser::Browser, app: &TestApp, user: &TestUser) {
    browser.goto(&app.url("/login")).await.expect("log-in page");
    for (id, text) in [("email", &user.email), ("password", &user.password)] {
        let field = browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Id(id))
            .await
            .expect("field");
        field.send_keys(text).await.expect("type");
    }
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
        .expect("logged in");
}

#[tokio::test]
async fn the_statements_print_button_comes_with_javascript_and_prints() {
    let app = crate::earnings_statement::an_instance_in_lyon().await;
    let creator = crate::earnings_statement::a_month_with_uneven_shares(&app)
        .await
        .creator;
    for javascript in [true, false] {
        let Some(browser) = browser::open_with("en", javascript).await else {
            return;
        };
        log_in(&browser, &app, &creator).await;
        browser
            .goto(&app.url("/earnings/2026-10/statement"))
            .await
            .expect("statement");
        browser
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Id("statement"))
            .await
            .expect("the statement");
        let buttons = browser
            .find_all(Locator::Id("print-statement"))
            .await
            .expect("find");
        if !javascript {
            assert!(buttons.is_empty(), "no button that would do nothing");
            browser.close().await;
            continue;
        }
        assert_eq!(buttons.len(), 1);
        assert!(buttons[0].is_displayed().await.expect("displayed"));
        assert_eq!(
            buttons[0].text().await.expect("text"),
            "Print or save as PDF"
        );
        // Printing itself opens a dialog: count the calls instead.
        browser
            .execute(
                "window.printed = 0; window.print = () => { window.printed += 1; };",
                vec![],
            )
            .await
            .expect("stub");
        buttons[0].click().await.expect("click");
        let printed = browser
            .execute("return window.printed", vec![])
            .await
            .expect("printed");
        assert_eq!(printed, serde_json::json!(1));
        browser
            .set_window_size(1000, 1400)
            .await
            .expect("window size");
        save_screenshot(&browser, "statement-en").await;
        browser.close().await;
    }
}

/// Keeps a picture of the page under `target/screenshots/`.
async fn save_screenshot(browser: &browser::Browser, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let png = browser.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}
