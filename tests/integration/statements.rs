//! Statements after a settlement: the creator's dashboard, CSV and API agree with the ledger to
//! the micro-unit; each reader's contributions add up to their budget and, thing by thing,
//! to what the creators were paid; the statement mails arrive once each, in each recipient's
//! language, also when the SMTP server was down during settlement.

use obole::domain::Locale;
use rust_decimal::Decimal;

use crate::helpers::builders::{TestUser, a_thing, funded_reader};
use crate::helpers::mail::{self, MailServer};
use crate::helpers::month::{OCTOBER, click_in_october, settle_october};
use crate::helpers::{TestApp, spawn_app};

fn dec(value: &serde_json::Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("an amount string, not {value}"))
        .parse()
        .expect("a decimal amount")
}

fn micros(amount: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (amount * Decimal::from(1_000_000))
        .to_i64()
        .expect("micro-units")
}

async fn get(app: &TestApp, token: &str, path: &str) -> serde_json::Value {
    let response = app
        .api()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("json")
}

/// Two creators (English and French), three things, three readers (2.00 over three things,
/// which leaves a micro-unit over, 3.00 over two, 5.00 on one), October settled.
struct SettledMonth {
    creators: [(TestUser, String); 2],
    readers: Vec<(TestUser, String, Decimal)>,
}

async fn a_settled_october(app: &TestApp) -> SettledMonth {
    let alice = app
        .a_user()
        .display_name("Alice")
        .locale(Locale::En)
        .create()
        .await;
    let benoit = app
        .a_user()
        .display_name("Benoît")
        .locale(Locale::Fr)
        .create()
        .await;
    let t1 = a_thing(app, &alice, "https://alice.example/1", "Alice one").await;
    let t2 = a_thing(app, &alice, "https://alice.example/2", "Alice two").await;
    let t3 = a_thing(
        app,
        &benoit,
        "https://benoit.example/3",
        "Le truc de Benoît",
    )
    .await;
    let mut readers = Vec::new();
    for (budget, clicks) in [
        ("2.00", vec![t1, t2, t3]),
        ("3.00", vec![t1, t3]),
        ("5.00", vec![t2]),
    ] {
        let (reader, token) = funded_reader(app, "20.00", budget).await;
        for thing in clicks {
            click_in_october(app, &reader, thing).await;
        }
        readers.push((reader, token, budget.parse().expect("budget")));
    }
    // The readers' languages: the first reads French.
    let first = obole::domain::UserId(readers[0].0.id);
    app.db(move |conn| obole::models::users::set_locale(conn, first, Locale::Fr).expect("locale"))
        .await;
    settle_october(app).await;
    let alice_token = alice.direct_token(app).await;
    let benoit_token = benoit.direct_token(app).await;
    SettledMonth {
        creators: [(alice, alice_token), (benoit, benoit_token)],
        readers,
    }
}

#[tokio::test]
async fn earnings_in_the_api_csv_and_dashboard_agree_with_the_ledger() {
    let app = spawn_app().await;
    let month = a_settled_october(&app).await;
    let mut paid_per_thing = std::collections::BTreeMap::<i64, Decimal>::new();
    let mut debited_total = Decimal::ZERO;
    for (_, token, budget) in &month.readers {
        let mine = get(
            &app,
            token,
            &format!("/api/v1/me/contributions?month={OCTOBER}"),
        )
        .await;
        assert_eq!(mine["settled"], true);
        assert_eq!(dec(&mine["debited"]), *budget, "{mine}");
        let allocations = mine["allocations"].as_array().expect("allocations");
        let sum: Decimal = allocations.iter().map(|a| dec(&a["amount"])).sum();
        assert_eq!(sum, *budget, "the shares add up to the budget: {mine}");
        for a in allocations {
            *paid_per_thing
                .entry(a["thing_id"].as_i64().expect("id"))
                .or_default() += dec(&a["amount"]);
        }
        debited_total += *budget;
    }
    let mut gross_total = Decimal::ZERO;
    let mut fee_total = Decimal::ZERO;
    for ((creator, token), locale) in month.creators.iter().zip([Locale::En, Locale::Fr]) {
        let earnings = get(&app, token, &format!("/api/v1/me/earnings?month={OCTOBER}")).await;
        assert_eq!(earnings["settled"], true);
        let gross = dec(&earnings["gross"]);
        let fee = dec(&earnings["fee"]);
        let net = dec(&earnings["net"]);
        assert_eq!(gross - fee, net);
        let things = earnings["things"].as_array().expect("things");
        let per_thing: Decimal = things.iter().map(|t| dec(&t["amount"])).sum();
        assert_eq!(
            per_thing, gross,
            "the things add up to the gross: {earnings}"
        );
        for thing in things {
            let id = thing["thing_id"].as_i64().expect("id");
            assert_eq!(
                dec(&thing["amount"]),
                paid_per_thing[&id],
                "what the readers' statements gave thing {id} is what it earned"
            );
        }
        // The ledger: the creator's revenue is exactly the month's net.
        let me = get(&app, token, "/api/v1/me").await;
        assert_eq!(dec(&me["revenue"]), net, "{me}");

        // The CSV (comma dialect) says the same, line by line.
        let visitor = app.logged_in_visitor(creator).await;
        let (csv, records) = crate::earnings_statement::october_csv(&app, &visitor).await;
        assert_eq!(records.len(), things.len() + 3, "{csv}");
        for (record, thing) in records.iter().zip(things) {
            assert_eq!(record[1].parse::<i64>().ok(), thing["thing_id"].as_i64());
            assert_eq!(
                record[4].parse::<Decimal>().ok(),
                Some(dec(&thing["amount"]))
            );
        }
        let tail: Vec<Decimal> = records[things.len()..]
            .iter()
            .map(|r| r[4].parse().expect("amount"))
            .collect();
        assert_eq!(tail, vec![gross, fee, net], "{csv}");

        // The semicolon dialect for French spreadsheets: BOM, `;`, decimal commas.
        let french = visitor
            .get(app.url(&format!("/earnings.csv?month={OCTOBER}&sep=semicolon")))
            .send()
            .await
            .expect("csv")
            .bytes()
            .await
            .expect("bytes");
        assert!(
            french.starts_with("\u{feff}".as_bytes()),
            "a byte-order mark"
        );
        let french = String::from_utf8(french.to_vec()).expect("utf-8");
        let net_fr = net.to_string().replace('.', ",");
        assert!(french.contains(&format!(";{net_fr}")), "{french}");

        // The dashboard shows the same net, formatted for the page's language.
        let page = app
            .html(&visitor, &format!("/earnings?month={OCTOBER}"), "en")
            .await;
        let shown = obole::domain::Money::from_micros(micros(net))
            .format(locale, obole::domain::Currency::Eur);
        assert!(
            page.contains(&format!("id=\"net\">{shown}<")),
            "{shown} in {page}"
        );
        assert!(page.contains("<svg"), "the chart is on the page");
        gross_total += gross;
        fee_total += fee;
    }
    assert_eq!(
        gross_total, debited_total,
        "every debited micro-unit reached a creator"
    );
    let fees = app
        .db(|conn| {
            obole::models::ledger::balance(
                conn,
                obole::domain::ledger::AccountRef::Platform(
                    obole::domain::ledger::AccountKind::Fees,
                ),
            )
            .expect("fees")
        })
        .await;
    assert_eq!(
        micros(fee_total),
        fees.micros(),
        "the fees account holds the fees"
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn statement_mails_arrive_once_each_in_each_recipients_language() {
    let Some(server) = MailServer::start().await else {
        return;
    };
    let app = mail::app_mailing_to(server.smtp_port).await;
    let month = a_settled_october(&app).await;
    expect_statements(&server, &month).await;
    // Settling again, or the worker passing again, sends nothing more.
    let pool = app.pool.clone();
    let lock_file = app.settlement_lock_file();
    let again = tokio::task::spawn_blocking(move || {
        obole::settlement::run::settle(
            &pool,
            lock_file.as_deref(),
            crate::helpers::month::october(),
            Decimal::TEN,
            "2026-11-03T08:00:00Z".parse().expect("instant"),
            obole::settlement::run::RunOptions::default(),
            &mut |_| {},
        )
    })
    .await
    .expect("thread")
    .expect("settle");
    assert!(matches!(
        again,
        obole::settlement::run::Outcome::AlreadySettled(_)
    ));
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    expect_statements(&server, &month).await;
}

#[tokio::test]
async fn statement_mails_wait_for_an_smtp_server_that_was_down() {
    let port = mail::free_port();
    if std::env::var("OBOLE_TEST_MAILDEV").is_err() && std::env::var_os("CI").is_none() {
        eprintln!("skipped: no OBOLE_TEST_MAILDEV");
        return;
    }
    let app = mail::app_mailing_to(port).await;
    let month = a_settled_october(&app).await;
    // Nobody listens on the port: the worker tries, fails and keeps the statements.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let failed: i64 = app
            .db(|conn| {
                use diesel::prelude::*;
                use obole::db::schema::mail_outbox;
                mail_outbox::table
                    .filter(mail_outbox::kind.eq_any(["reader_statement", "creator_statement"]))
                    .filter(mail_outbox::attempts.ge(1))
                    .filter(mail_outbox::sent_at.is_null())
                    .count()
                    .get_result(conn)
                    .expect("count")
            })
            .await;
        if failed == 5 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the statements were not tried ({failed} of 5)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // The server comes back: every statement arrives, once.
    let server = MailServer::start_on(port).await.expect("maildev");
    expect_statements(&server, &month).await;
}

/// Each reader and creator of the month has exactly one statement, in their language.
async fn expect_statements(server: &MailServer, month: &SettledMonth) {
    let is_statement = |m: &serde_json::Value| {
        let subject = m["subject"].as_str().unwrap_or_default();
        subject.contains("octobre 2026") || subject.contains("October 2026")
    };
    let messages = server
        .wait_for(60, |all| {
            all.iter().filter(|m| is_statement(m)).count() >= 5
        })
        .await;
    let subjects = |address: &str| -> Vec<String> {
        mail::to(&messages, address)
            .into_iter()
            .filter(|m| is_statement(m))
            .map(|m| m["subject"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(
        subjects(&month.readers[0].0.email),
        vec!["Où est allé votre budget en octobre 2026"]
    );
    for (reader, _, _) in &month.readers[1..] {
        assert_eq!(
            subjects(&reader.email),
            vec!["Where your budget went in October 2026"]
        );
    }
    assert_eq!(
        subjects(&month.creators[0].0.email),
        vec!["What you earned in October 2026"]
    );
    assert_eq!(
        subjects(&month.creators[1].0.email),
        vec!["Ce que vous avez gagné en octobre 2026"]
    );
    // The French reader's mail names the things and amounts in French, in both parts.
    let french = mail::to(&messages, &month.readers[0].0.email)
        .into_iter()
        .find(|m| is_statement(m))
        .expect("statement");
    let text = french["text"].as_str().unwrap_or_default();
    assert!(text.contains("Le truc de Benoît"), "{text}");
    assert!(text.contains("2,00 €"), "{text}");
    assert!(
        text.contains("0,666667 €") || text.contains("0,666666 €"),
        "{text}"
    );
    assert!(
        french["html"]
            .as_str()
            .unwrap_or_default()
            .contains("Budget dépensé")
    );
}

/// A title that a spreadsheet would run as a formula is exported as text, in both dialects
/// and in the readers' export too, while amounts stay numbers.
#[tokio::test]
async fn csv_exports_neutralise_formulas_and_keep_amounts_numbers() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let title = "=HYPERLINK(\"https://evil.example\",\"Open\")";
    let thing = a_thing(&app, &creator, "https://formula.example/", title).await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    click_in_october(&app, &reader, thing).await;
    settle_october(&app).await;
    let exports = [
        (
            &creator,
            format!("/earnings.csv?month={OCTOBER}&sep=comma"),
            ',',
        ),
        (
            &creator,
            format!("/earnings.csv?month={OCTOBER}&sep=semicolon"),
            ';',
        ),
        (
            &reader,
            format!("/contributions.csv?month={OCTOBER}&sep=comma"),
            ',',
        ),
        (&reader, "/funds.csv?sep=comma".to_owned(), ','),
    ];
    for (who, path, separator) in exports {
        let visitor = app.logged_in_visitor(who).await;
        let text = visitor
            .get(app.url(&path))
            .send()
            .await
            .expect("csv")
            .text()
            .await
            .expect("text");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(u8::try_from(separator).expect("ascii"))
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let cells: Vec<String> = reader
            .records()
            .flat_map(|r| {
                r.expect("row")
                    .iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(
            cells
                .iter()
                .all(|cell| !cell.starts_with(['=', '+', '@', '\t', '\r'])),
            "{path}: {cells:?}"
        );
        if !path.starts_with("/funds") {
            assert!(
                cells.iter().any(|cell| cell == &format!("'{title}")),
                "{path}: {cells:?}"
            );
        }
        // Amounts are plain numbers, negative ones included (a reservation in the funds).
        let amounts: Vec<&String> = cells
            .iter()
            .filter(|c| {
                c.chars()
                    .all(|ch| ch.is_ascii_digit() || ".,-".contains(ch))
                    && c.contains(['.', ','])
            })
            .collect();
        assert!(!amounts.is_empty(), "{path}: {cells:?}");
    }
}
