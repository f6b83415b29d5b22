//! A creator's month, thing by thing (issue 20): the earnings table, the printable statement
//! and the statement mail give each thing's gross, its part of the fee and its net, which add
//! up exactly to the month's; the statement names the instance and its operator and has a
//! print button; months before the account are neither listed nor shown.

use chrono::NaiveDate;
use diesel::prelude::*;
use obole::domain::Locale;
use obole::models::mail_outbox::OutboxRow;
use rust_decimal::Decimal;

use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{TestUser, a_thing, an_unclaimed_thing, funded_reader};
use crate::helpers::month::{OCTOBER, click_in_october, settle_october};
use crate::helpers::{TestApp, spawn_app};

/// An English amount as shown (`€2.166667`, `€1,234.50`), as a decimal.
fn amount(shown: &str) -> Decimal {
    shown
        .trim()
        .trim_start_matches('€')
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("an amount, not {shown:?}"))
}

/// The first text after `marker` (the end of its tag, and any tags that open then), up to
/// the next tag.
fn text_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let mut rest = html
        .split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    rest = &rest[rest.find('>').map_or(0, |at| at + 1)..];
    while rest.starts_with('<') {
        rest = &rest[rest.find('>').map_or(0, |at| at + 1)..];
    }
    rest.split('<').next().unwrap_or("")
}

/// Each row of a things table: (thing id, gross, fee, net).
fn thing_rows(html: &str, table_id: &str) -> Vec<(i64, Decimal, Decimal, Decimal)> {
    let table = html
        .split(&format!("id=\"{table_id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("table {table_id} in {html}"));
    let body = table.split("</tbody>").next().unwrap_or(table);
    body.split("<tr data-thing=\"")
        .skip(1)
        .map(|row| {
            let id = row
                .split('"')
                .next()
                .and_then(|id| id.parse().ok())
                .expect("id");
            let cell = |column: &str| amount(text_after(row, &format!("data-column=\"{column}\"")));
            (id, cell("gross"), cell("fee"), cell("net"))
        })
        .collect()
}

pub struct Month {
    pub creator: TestUser,
    claimed: [i64; 3],
    unclaimed: i64,
    readers: Vec<i64>,
}

/// Three claimed things and an unclaimed one: budgets of 2.00 over three things (thirds),
/// 3.00 over two and 2.00 over a claimed and the unclaimed thing. Gross 6.00, fee 0.60, held
/// 1.00; per thing the fee is 0.216667 or so, never a whole micro-unit.
pub async fn a_month_with_uneven_shares(app: &TestApp) -> Month {
    let creator = app.a_user().display_name("Alice").create().await;
    let t1 = a_thing(app, &creator, "https://alice.example/1", "Alice one").await;
    let t2 = a_thing(app, &creator, "https://alice.example/2", "Alice two").await;
    let t3 = a_thing(app, &creator, "https://alice.example/3", "Alice three").await;
    let t4 = an_unclaimed_thing(app, &creator, "https://elsewhere.example/4", "Not proven").await;
    let mut readers = Vec::new();
    for (budget, things) in [
        ("2.00", vec![t1, t2, t3]),
        ("3.00", vec![t1, t2]),
        ("2.00", vec![t3, t4]),
    ] {
        let (reader, _) = funded_reader(app, "10.00", budget).await;
        readers.push(reader.id);
        for thing in things {
            click_in_october(app, &reader, thing).await;
        }
    }
    settle_october(app).await;
    Month {
        creator,
        claimed: [t1, t2, t3],
        unclaimed: t4,
        readers,
    }
}

/// The per-thing figures add up to the month's, each net is its gross less its fee, and each
/// fee is its gross's 10 % within a micro-unit.
fn assert_add_up(rows: &[(i64, Decimal, Decimal, Decimal)], totals: [Decimal; 3]) {
    let [gross, fee, net] = totals;
    let sum = |pick: fn(&(i64, Decimal, Decimal, Decimal)) -> Decimal| -> Decimal {
        rows.iter().map(pick).sum()
    };
    assert_eq!(sum(|r| r.1), gross, "gross: {rows:?}");
    assert_eq!(sum(|r| r.2), fee, "fee: {rows:?}");
    assert_eq!(sum(|r| r.3), net, "net: {rows:?}");
    let micro = Decimal::new(1, 6);
    for (id, gross, fee, net) in rows {
        assert_eq!(*gross - *fee, *net, "thing {id}");
        let exact = *gross / Decimal::TEN;
        assert!(
            (*fee - exact).abs() < micro,
            "thing {id}: {fee} for {gross}"
        );
    }
}

#[tokio::test]
async fn the_earnings_table_and_the_statement_add_up_thing_by_thing() {
    let app = spawn_app().await;
    let month = a_month_with_uneven_shares(&app).await;
    let visitor = app.logged_in_visitor(&month.creator).await;
    let page = app
        .html(&visitor, &format!("/earnings?month={OCTOBER}"), "en")
        .await;
    let totals =
        ["gross", "fee", "net"].map(|id| amount(text_after(&page, &format!("id=\"{id}\""))));
    assert_eq!(
        totals,
        ["6.00", "0.60", "5.40"].map(|a| a.parse::<Decimal>().expect("decimal"))
    );
    let rows = thing_rows(&page, "month-things");
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        month.claimed,
        "the claimed things, by id"
    );
    assert_add_up(&rows, totals);
    // A fee that is not a whole number of micro-units per thing was shared out.
    assert!(rows.iter().any(|r| r.2.scale() == 6), "{rows:?}");
    // The table's totals row says the same as the headline.
    for id in ["gross", "fee", "net"] {
        assert_eq!(
            amount(text_after(&page, &format!("id=\"total-{id}\""))),
            amount(text_after(&page, &format!("id=\"{id}\"")))
        );
    }
    // The unclaimed thing is listed apart, held, outside the totals.
    assert_eq!(amount(text_after(&page, "id=\"held\"")), Decimal::ONE);
    let unclaimed = page
        .split("id=\"unclaimed-things\"")
        .nth(1)
        .expect("the unclaimed things' table");
    assert!(unclaimed.contains(&format!("data-thing=\"{}\"", month.unclaimed)));
    assert!(
        unclaimed.contains("€1.00") && unclaimed.contains("held"),
        "{unclaimed}"
    );

    // The printable statement: the same lines and totals.
    let statement = app
        .html(&visitor, &format!("/earnings/{OCTOBER}/statement"), "en")
        .await;
    let rows = thing_rows(&statement, "statement-things");
    assert_eq!(rows.len(), 3);
    let totals =
        ["gross", "fee", "net"].map(|id| amount(text_after(&statement, &format!("id=\"{id}\""))));
    assert_add_up(&rows, totals);
    assert!(statement.contains("id=\"statement-unclaimed\""));

    // The CSV gives each thing's fee and net too.
    let (csv, records) = october_csv(&app, &visitor).await;
    let csv_fees: Decimal = records
        .iter()
        .filter_map(|r| r.get(5).and_then(|fee| fee.parse::<Decimal>().ok()))
        .sum();
    assert_eq!(csv_fees, totals[1], "{csv}");
}

async fn composed(app: &TestApp, user: i64, kind: &str) -> obole::mail::compose::Composed {
    let kind = kind.to_owned();
    app.db(move |conn| {
        let templates = obole::templates::Templates::load().expect("templates");
        let settings = obole::config::Settings::from_pairs(&[]).expect("settings");
        let row = OutboxRow {
            id: 0,
            kind,
            user_id: Some(user),
            payload: serde_json::json!({ "month": OCTOBER }).to_string(),
            dedupe_key: String::new(),
            attempts: 0,
        };
        let alone = &mut obole::mail::compose::Prefetched::default();
        obole::mail::compose::compose(conn, &templates, &settings, &row, alone).expect("compose")
    })
    .await
}

/// The sender threads read a run's rows ahead (`compose::Prefetched`): each mail of a run
/// mixing readers who clicked different things, a creator, a reader twice and a month not
/// settled is the mail composed alone, and every row read ahead is used.
#[tokio::test]
async fn a_run_read_ahead_composes_each_mail_as_it_is_composed_alone() {
    use obole::mail::compose::{Prefetched, compose};
    let app = spawn_app().await;
    let month = a_month_with_uneven_shares(&app).await;
    let row = |user: i64, kind: &str, month: &str| OutboxRow {
        id: 0,
        kind: kind.to_owned(),
        user_id: Some(user),
        payload: serde_json::json!({ "month": month }).to_string(),
        dedupe_key: String::new(),
        attempts: 0,
    };
    let [first, second, third] = [month.readers[0], month.readers[1], month.readers[2]];
    let run = vec![
        row(third, "reader_statement", OCTOBER),
        row(month.creator.id, "creator_statement", OCTOBER),
        row(first, "reader_statement", OCTOBER),
        row(second, "reader_statement", OCTOBER),
        row(first, "reader_statement", "2026-11"),
        row(third, "reader_statement", OCTOBER),
    ];
    let (held, texts) = app
        .db(move |conn| {
            let templates = obole::templates::Templates::load().expect("templates");
            let settings = obole::config::Settings::from_pairs(&[]).expect("settings");
            let mut ahead = Prefetched::load(conn, &run).expect("read ahead");
            // Four recipients; three readers' Octobers and the first reader's November.
            let held = ahead.len();
            let mut texts = Vec::new();
            for row in &run {
                let read_ahead = compose(conn, &templates, &settings, row, &mut ahead);
                let alone = compose(conn, &templates, &settings, row, &mut Prefetched::default());
                let (read_ahead, alone) = (read_ahead.expect("compose"), alone.expect("alone"));
                assert_eq!(
                    (
                        &read_ahead.to_address,
                        &read_ahead.subject,
                        &read_ahead.text
                    ),
                    (&alone.to_address, &alone.subject, &alone.text)
                );
                assert_eq!(read_ahead.html, alone.html);
                texts.push(read_ahead.text);
            }
            assert!(ahead.is_empty(), "{ahead:?}");
            (held, texts)
        })
        .await;
    assert_eq!(held, 8);
    // The readers' mails differ: each names its own things.
    assert!(texts[2].contains("Alice one") && !texts[2].contains("Not proven"));
    assert!(texts[0].contains("Not proven") && !texts[0].contains("Alice one"));
    assert!(!texts[3].contains("Alice three"), "{}", texts[3]);
    assert_eq!(texts[0], texts[5]);
}

#[tokio::test]
async fn the_statement_mail_gives_gross_fee_and_net_per_thing_in_french_typography() {
    let app = spawn_app().await;
    let month = a_month_with_uneven_shares(&app).await;
    let creator = month.creator.id;
    let english = composed(&app, creator, "creator_statement").await;
    let lines: Vec<&str> = english
        .text
        .lines()
        .filter(|l| l.starts_with("- Alice"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", english.text);
    let mut fees = Decimal::ZERO;
    for line in &lines {
        let figure = |word: &str| {
            amount(
                line.split(&format!("{word} "))
                    .nth(1)
                    .and_then(|rest| rest.split(',').next())
                    .unwrap_or_else(|| panic!("{word} in {line}")),
            )
        };
        assert_eq!(figure("gross") - figure("fee"), figure("net"), "{line}");
        fees += figure("fee");
    }
    assert_eq!(fees, "0.60".parse::<Decimal>().expect("fee"));
    assert!(
        english.text.contains("Unclaimed things"),
        "{}",
        english.text
    );
    assert!(
        english.text.contains("- Not proven (1 click): €1.00, held"),
        "{}",
        english.text
    );

    // In French: "brut", "commission", and a no-break space before every colon.
    let id = obole::domain::UserId(creator);
    app.db(move |conn| obole::models::users::set_locale(conn, id, Locale::Fr).expect("locale"))
        .await;
    let french = composed(&app, creator, "creator_statement").await;
    assert!(french.text.contains("\u{a0}: brut "), "{}", french.text);
    for text in [&french.text, &french.subject] {
        assert_french_typography(text);
    }
    // A reader's statement too: the shares held for the unclaimed thing say so.
    let reader = month.readers[2];
    let id = obole::domain::UserId(reader);
    app.db(move |conn| obole::models::users::set_locale(conn, id, Locale::Fr).expect("locale"))
        .await;
    let french = composed(&app, reader, "reader_statement").await;
    assert!(french.text.contains("\u{a0}: 1,00 €"), "{}", french.text);
    for text in [&french.text, &french.subject] {
        assert_french_typography(text);
    }
}

/// No plain space, and no letter, right before `:`, `;`, `!`, `?` or `»`, nor right after
/// `«` (web addresses aside: `https://…/x?month=…`).
pub fn assert_french_typography(text: &str) {
    let words: Vec<&str> = text
        .split([' ', '\n'])
        .map(|word| match word.contains("://") {
            true => "URL",
            false => word,
        })
        .collect();
    let text = words.join(" ");
    let chars: Vec<char> = text.chars().collect();
    for (at, c) in chars.iter().enumerate() {
        let before = at.checked_sub(1).and_then(|b| chars.get(b)).copied();
        let after = chars.get(at + 1).copied();
        let bad = match c {
            ':' | ';' | '!' | '?' | '»' => before.is_some_and(|b| b == ' ' || b.is_alphabetic()),
            '«' => after.is_some_and(|a| a == ' ' || a.is_alphabetic()),
            _ => false,
        };
        let around: String = chars[at.saturating_sub(20)..(at + 10).min(chars.len())]
            .iter()
            .collect();
        assert!(!bad, "{c:?} without a no-break space in {around:?}");
    }
}

/// An instance in Lyon run by an association, its address on three lines.
pub async fn an_instance_in_lyon() -> TestApp {
    spawn_app_with(&[
        ("OBOLE_INSTANCE_NAME", "Obole Lyon"),
        ("OBOLE_OPERATOR_LEGAL_NAME", "Association Obole Lyon"),
        (
            "OBOLE_OPERATOR_ADDRESS",
            "12 rue de la Paix\\n69001 Lyon\\nFrance",
        ),
    ])
    .await
}

/// October's earnings CSV (comma dialect) as `visitor` downloads it: the text and its rows.
pub async fn october_csv(
    app: &TestApp,
    visitor: &reqwest::Client,
) -> (String, Vec<csv::StringRecord>) {
    let csv = visitor
        .get(app.url(&format!("/earnings.csv?month={OCTOBER}&sep=comma")))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    let records = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("row"))
        .collect();
    (csv, records)
}

#[tokio::test]
async fn the_statement_names_the_instance_and_its_operator_and_prints() {
    let app = an_instance_in_lyon().await;
    let creator = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&creator).await;
    let statement = app
        .html(&visitor, &format!("/earnings/{OCTOBER}/statement"), "fr")
        .await;
    // The account's language (English) beats the browser's.
    assert_eq!(text_after(&statement, "id=\"instance-name\""), "Obole Lyon");
    assert_eq!(
        text_after(&statement, "id=\"operator-name\""),
        "Operated by Association Obole Lyon"
    );
    let address = statement
        .split("<address id=\"operator\">")
        .nth(1)
        .and_then(|a| a.split("</address>").next())
        .expect("the operator's address");
    let lines: Vec<&str> = address
        .split("class=\"operator-address-line\">")
        .skip(1)
        .filter_map(|l| l.split('<').next())
        .collect();
    assert_eq!(lines, ["12 rue de la Paix", "69001 Lyon", "France"]);
    // The print button: in a template that only the script (same origin, no inline code)
    // puts on the page.
    assert!(
        statement.contains(
            "<template data-print><button type=\"button\" class=\"button\" id=\"print-statement\">"
        ),
        "{statement}"
    );
    assert!(statement.contains("<script src=\"/assets/print.js\" defer></script>"));
    let script = app
        .api()
        .get(app.url("/assets/print.js"))
        .send()
        .await
        .expect("script");
    assert_eq!(script.status(), 200);
    assert!(
        script
            .text()
            .await
            .expect("text")
            .contains("window.print()")
    );

    // Without the settings: "Obole", and no operator block.
    let plain = spawn_app().await;
    let creator = plain.a_user().create().await;
    let visitor = plain.logged_in_visitor(&creator).await;
    let statement = plain
        .html(&visitor, &format!("/earnings/{OCTOBER}/statement"), "en")
        .await;
    assert_eq!(text_after(&statement, "id=\"instance-name\""), "Obole");
    assert!(!statement.contains("<address"), "{statement}");
}

#[test]
fn a_bad_operator_setting_stops_the_program_with_its_name() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().expect("dir");
    let long = "x".repeat(201);
    for (variable, value) in [
        ("OBOLE_INSTANCE_NAME", "Obole\tLyon"),
        ("OBOLE_OPERATOR_LEGAL_NAME", long.as_str()),
        (
            "OBOLE_OPERATOR_ADDRESS",
            "a\\nb\\nc\\nd\\ne\\nf\\ng\\nh\\ni",
        ),
    ] {
        let output = crate::helpers::program::program(env!("CARGO_BIN_EXE_obole"))
            .current_dir(dir.path())
            .arg("serve")
            .env(variable, value)
            .stdin(Stdio::null())
            .output()
            .expect("run obole");
        assert!(!output.status.success(), "{variable} must stop the program");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(variable), "{variable}: {stderr}");
    }
}

/// Sets when `user`'s account was opened.
async fn opened_on(app: &TestApp, user: &TestUser, day: NaiveDate) {
    let id = user.id;
    let at = day.and_hms_opt(10, 0, 0).expect("time");
    app.db(move |conn| {
        use obole::db::schema::users;
        diesel::update(users::table.find(id))
            .set(users::created_at.eq(at))
            .execute(conn)
            .expect("opened")
    })
    .await;
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

#[tokio::test]
async fn months_before_the_account_are_neither_listed_nor_shown() {
    // March 2027, for an account opened in December 2026: three closed months to list.
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2027-03-10T12:00:00Z")]).await;
    let creator = app.a_user().create().await;
    opened_on(&app, &creator, day("2026-12-05")).await;
    let visitor = app.logged_in_visitor(&creator).await;
    let page = app.html(&visitor, "/earnings", "en").await;
    let history = page
        .split("id=\"history\"")
        .nth(1)
        .and_then(|h| h.split("</table>").next())
        .expect("the chart's table");
    let months: Vec<&str> = history
        .split("href=\"/earnings?month=")
        .skip(1)
        .filter_map(|m| m.split('"').next())
        .collect();
    assert_eq!(months, ["2027-02", "2027-01", "2026-12"]);
    let chart_labels = page.matches("font-family=\"Obole Sans\"").count();
    assert!(chart_labels > 0, "the chart is drawn");
    assert!(
        !page.contains("Nov"),
        "no November, on the chart or elsewhere"
    );
    assert!(
        !page.contains("id=\"before-account\""),
        "February is the account's"
    );

    // A month before the account, asked for: not shown, and said why.
    for path in [
        "/earnings?month=2026-11",
        "/earnings/2026-11/statement",
        "/contributions?month=2026-06",
    ] {
        let page = app.html(&visitor, path, "en").await;
        assert!(
            page.contains("id=\"before-account\"")
                && page.contains("your statements start in December 2026"),
            "{path}: {page}"
        );
        assert!(!page.contains("id=\"not-settled\""), "{path}");
    }
    let page = app.html(&visitor, "/contributions", "en").await;
    assert!(
        !page.contains("id=\"before-account\""),
        "February is the account's"
    );

    // An account opened this month: nothing closed to list yet.
    let newcomer = app.a_user().create().await;
    opened_on(&app, &newcomer, day("2027-03-01")).await;
    let visitor = app.logged_in_visitor(&newcomer).await;
    let page = app.html(&visitor, "/earnings", "fr").await;
    assert!(page.contains("id=\"no-history\""), "{page}");
    assert!(
        !page.contains("<svg"),
        "no chart of months before the account"
    );
    // Last month, the default, is before the account: no section only to say so.
    assert!(
        !page.contains("id=\"month-detail\"") && !page.contains("id=\"before-account\""),
        "February is before it: {page}"
    );
    let page = app.html(&visitor, "/contributions", "fr").await;
    assert!(page.contains("id=\"before-account\""), "{page}");
}

#[tokio::test]
async fn held_money_of_a_month_before_the_account_still_shows_that_month() {
    // A reader tipped a page in October; its creator opened an account in December and
    // proved it: October paid them, so October is theirs to see.
    let app = spawn_app().await;
    let adder = app.a_user().create().await;
    let thing = an_unclaimed_thing(&app, &adder, "https://late.example/page", "Late").await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    click_in_october(&app, &reader, thing).await;
    settle_october(&app).await;
    let creator = app.a_user().create().await;
    opened_on(&app, &creator, day("2026-12-05")).await;
    let owner = obole::domain::UserId(creator.id);
    app.db(move |conn| {
        crate::helpers::builders::claim_page(conn, owner, "https://late.example/page")
    })
    .await;
    let visitor = app.logged_in_visitor(&creator).await;
    let page = app
        .html(&visitor, &format!("/earnings?month={OCTOBER}"), "en")
        .await;
    assert!(!page.contains("id=\"before-account\""), "{page}");
    assert!(page.contains("id=\"released\""), "{page}");
}
