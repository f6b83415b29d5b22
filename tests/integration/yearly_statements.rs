//! Yearly statements (issue 23, item 4): `?year=YYYY` on the earnings and contributions API
//! and pages, CSV and a printable page. Each month's gross, fee (at the rate its run kept)
//! and net, payouts sent, held and returned money; a reader's debited, paid, held, returned
//! and donated money; the months add up to the year, and the API, CSV and page agree.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use obole::domain::budget::{BudgetAmount, Unspent};
use obole::domain::payout::{AccountHolder, Iban};
use obole::domain::{Money, Month, ThingId, UserId};
use obole::settlement::run::{Outcome, RunOptions, settle};
use obole::use_cases::payouts::{Decision, PayoutRequest};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::earnings_statement::assert_french_typography;
use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{TestUser, a_thing, an_unclaimed_thing, funded_reader};
use crate::helpers::month::verify_email;

/// "Now" for these tests: 2026 is over, so every month of it is listed.
const NOW: &str = "2027-01-10T12:00:00Z";
const CHARITY: &str = "Les Restos du Cœur";

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

fn decimal(value: &Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("an amount, not {value}"))
        .parse()
        .unwrap_or_else(|_| panic!("an amount, not {value}"))
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

/// Sets when `user`'s account was opened: 1 September 2026.
async fn opened_in_september(app: &TestApp, user: &TestUser) {
    let id = user.id;
    let at = NaiveDate::from_ymd_opt(2026, 9, 1)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("time");
    app.db(move |conn| {
        use obole::db::schema::users;
        diesel::update(users::table.find(id))
            .set(users::created_at.eq(at))
            .execute(conn)
            .expect("opened")
    })
    .await;
}

/// `reader` clicks `thing` at `at`.
async fn click_at(app: &TestApp, reader: &TestUser, thing: i64, at: &str) {
    let (reader, at) = (UserId(reader.id), instant(at));
    app.db(move |conn| {
        obole::use_cases::clicks::click(conn, reader, ThingId(thing), at).expect("click")
    })
    .await;
}

/// Settles `month` as on the 2nd of the next month with `fee` percent; panics unless it
/// settles.
async fn settle_month(app: &TestApp, month: &str, at: &str, fee: Decimal, options: RunOptions) {
    let (pool, lock_file) = (app.pool.clone(), app.settlement_lock_file());
    let (month, now) = (Month::parse(month).expect("month"), instant(at));
    let outcome = tokio::task::spawn_blocking(move || {
        settle(
            &pool,
            lock_file.as_deref(),
            month,
            fee,
            now,
            options,
            &mut |_| {},
        )
    })
    .await
    .expect("settlement thread")
    .expect("settle");
    assert!(matches!(outcome, Outcome::Settled(_)), "{outcome:?}");
}

async fn get(app: &TestApp, token: &str, path: &str, language: &str) -> (StatusCode, Value) {
    let response = app
        .api()
        .get(app.url(path))
        .bearer_auth(token)
        .header("Accept-Language", language)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.expect("json"))
}

async fn year_of(app: &TestApp, token: &str, side: &str) -> Value {
    let (status, body) = get(app, token, &format!("/api/v1/me/{side}?year=2026"), "en").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Every amount field of `totals` is the sum of the months' (`fields`).
fn assert_months_add_up(body: &Value, fields: &[&str]) {
    let months = body["months"].as_array().expect("months");
    for field in fields {
        let sum: Decimal = months.iter().map(|m| decimal(&m[*field])).sum();
        assert_eq!(sum, decimal(&body["totals"][*field]), "{field}: {body}");
    }
}

fn month<'a>(body: &'a Value, month: &str) -> &'a Value {
    body["months"]
        .as_array()
        .expect("months")
        .iter()
        .find(|m| m["month"] == month)
        .unwrap_or_else(|| panic!("{month} in {body}"))
}

/// An English amount as pages show it (`€4.00`), as a decimal.
fn shown(html: &str, id: &str) -> Decimal {
    let marker = format!("id=\"{id}\"");
    let rest = html
        .split(&marker)
        .nth(1)
        .unwrap_or_else(|| panic!("{id} in {html}"));
    let rest = &rest[rest.find('>').map_or(0, |at| at + 1)..];
    let rest = rest.trim_start_matches("<strong>");
    rest.split('<')
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches('€')
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("an amount at {id}: {rest}"))
}

async fn csv_rows(app: &TestApp, visitor: &reqwest::Client, path: &str) -> Vec<Vec<String>> {
    let response = visitor.get(app.url(path)).send().await.expect("csv");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let text = response.text().await.expect("text");
    let semicolon = text.starts_with('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(if semicolon { b';' } else { b',' })
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect()
}

/// Alice's payout of 5.00, requested on 5 December and sent on 6 December.
async fn a_payout_sent_in_december(app: &TestApp, creator: &TestUser) {
    verify_email(app, creator).await;
    let operator = app.a_user().create().await;
    let (id, operator) = (UserId(creator.id), UserId(operator.id));
    app.db(move |conn| {
        let request = PayoutRequest {
            iban: Iban::parse("FR76 3000 6000 0112 3456 7890 189").expect("iban"),
            holder: AccountHolder::parse("Alice Martin").expect("holder"),
            amount: Some(Money::from_micros(5_000_000)),
            key: "year-payout".into(),
        };
        let requested = obole::use_cases::payouts::request(
            conn,
            id,
            &request,
            Money::from_micros(1_000_000),
            instant("2026-12-05T09:00:00Z"),
        )
        .expect("request");
        obole::use_cases::payouts::decide(
            conn,
            requested.payout.id,
            &Decision::Sent {
                reference: "OBOLE-2026-12".into(),
            },
            operator,
            instant("2026-12-06T09:00:00Z"),
        )
        .expect("sent");
    })
    .await;
}

#[tokio::test]
async fn a_creators_year_adds_up_at_the_rate_each_run_kept_in_the_api_csv_and_pages() {
    let app = spawn_app_with(&[
        ("OBOLE_CLOCK", NOW),
        ("OBOLE_INSTANCE_NAME", "Obole Lyon"),
        ("OBOLE_OPERATOR_LEGAL_NAME", "Association Obole Lyon"),
        ("OBOLE_OPERATOR_ADDRESS", "12 rue de la Paix\\n69001 Lyon"),
    ])
    .await;
    let alice = app.a_user().display_name("Alice").create().await;
    opened_in_september(&app, &alice).await;
    let claimed = a_thing(&app, &alice, "https://alice.example/one", "One").await;
    let unclaimed = an_unclaimed_thing(&app, &alice, "https://elsewhere.example/2", "Two").await;
    let (r1, r1_token) = funded_reader(&app, "20.00", "3.00").await;
    let (r2, _) = funded_reader(&app, "10.00", "2.00").await;
    click_at(&app, &r1, claimed, "2026-10-15T12:00:00Z").await;
    click_at(&app, &r2, claimed, "2026-10-15T12:00:00Z").await;
    click_at(&app, &r2, unclaimed, "2026-10-15T12:00:00Z").await;
    // October at 10 %, November at 7.5 %: the operator changed OBOLE_FEE_PERCENT between runs.
    settle_month(
        &app,
        "2026-10",
        "2026-11-02T08:00:00Z",
        Decimal::TEN,
        RunOptions::default(),
    )
    .await;
    click_at(&app, &r1, claimed, "2026-11-15T12:00:00Z").await;
    settle_month(
        &app,
        "2026-11",
        "2026-12-02T08:00:00Z",
        dec("7.5"),
        RunOptions::default(),
    )
    .await;
    a_payout_sent_in_december(&app, &alice).await;
    let token = alice.direct_token(&app).await;

    let year = year_of(&app, &token, "earnings").await;
    assert_eq!(year["year"], 2026);
    assert_eq!(year["currency"], "EUR");
    assert_eq!(year["first_month"], "2026-09", "{year}");
    let listed: Vec<&str> = year["months"]
        .as_array()
        .expect("months")
        .iter()
        .filter_map(|m| m["month"].as_str())
        .collect();
    assert_eq!(listed, ["2026-09", "2026-10", "2026-11", "2026-12"]);
    let october = month(&year, "2026-10");
    assert_eq!(october["settled"], true);
    assert_eq!(october["fee_percent"], "10");
    assert_eq!(
        ["gross", "fee", "net", "held"].map(|f| decimal(&october[f])),
        [dec("4.00"), dec("0.40"), dec("3.60"), dec("1.00")],
        "{october}"
    );
    let november = month(&year, "2026-11");
    assert_eq!(november["fee_percent"], "7.5");
    assert_eq!(
        ["gross", "fee", "net"].map(|f| decimal(&november[f])),
        [dec("3.00"), dec("0.225"), dec("2.775")],
        "{november}"
    );
    let december = month(&year, "2026-12");
    assert_eq!(december["settled"], false);
    assert!(december["fee_percent"].is_null());
    assert_eq!(decimal(&december["paid_out"]), dec("5.00"));
    for m in year["months"].as_array().expect("months") {
        assert_eq!(
            decimal(&m["gross"]) - decimal(&m["fee"]),
            decimal(&m["net"]),
            "{m}"
        );
    }
    let fields = [
        "gross", "fee", "net", "held", "released", "returned", "paid_out",
    ];
    assert_months_add_up(&year, &fields);
    assert_eq!(decimal(&year["totals"]["net"]), dec("6.375"));
    // The monthly statement says the same of October as the year does.
    let (_, monthly) = get(&app, &token, "/api/v1/me/earnings?month=2026-10", "en").await;
    for field in ["gross", "fee", "net", "held", "fee_percent"] {
        assert_eq!(monthly[field], october[field], "{field}");
    }
    assert!(
        monthly.get("year").is_none(),
        "the month's shape is unchanged"
    );

    // The CSV: a line per month, then the totals, the same figures as the API.
    let visitor = app.logged_in_visitor(&alice).await;
    let rows = csv_rows(&app, &visitor, "/earnings.csv?year=2026&sep=comma").await;
    assert_eq!(
        rows.len(),
        4 + 1 + 1,
        "header, four months, totals: {rows:?}"
    );
    let (header, total) = (&rows[0], &rows[5]);
    for (column, field) in fields.iter().enumerate().map(|(i, f)| (i + 4, f)) {
        let sum: Decimal = rows[1..5].iter().map(|r| dec(&r[column])).sum();
        assert_eq!(sum, dec(&total[column]), "{}", header[column]);
        assert_eq!(
            dec(&total[column]),
            decimal(&year["totals"][*field]),
            "{field}"
        );
    }
    assert_eq!(rows[2][2], "10");
    assert_eq!(rows[3][2], "7.5");
    let french = csv_rows(&app, &visitor, "/earnings.csv?year=2026&sep=semicolon").await;
    assert_eq!(french[3][2], "7,5", "a French spreadsheet's decimal comma");

    // The page and the printable statement: the same totals, and the instance named.
    for path in ["/earnings?year=2026", "/earnings/year/2026/statement"] {
        let page = app.html(&visitor, path, "en").await;
        for field in fields {
            assert_eq!(
                shown(&page, &format!("total-{field}")),
                decimal(&year["totals"][field]),
                "{path}: {field}"
            );
        }
        assert!(page.contains("data-month=\"2026-11\""), "{path}");
        assert!(
            page.contains("7.5%"),
            "{path}: the rate November's run kept"
        );
    }
    let statement = app
        .html(&visitor, "/earnings/year/2026/statement", "en")
        .await;
    assert!(statement.contains("<strong id=\"instance-name\">Obole Lyon</strong>"));
    assert!(statement.contains("Operated by Association Obole Lyon"));
    assert!(statement.contains("69001 Lyon"));
    assert!(statement.contains("<script src=\"/assets/print.js\" defer></script>"));
    let monthly_page = app.html(&visitor, "/earnings?month=2026-10", "en").await;
    assert!(
        monthly_page.contains("href=\"/earnings?year=2026\""),
        "a link to the year"
    );
    // In French (the account's language, which a log-in sets), with the rate written so.
    let id = UserId(alice.id);
    app.db(move |conn| {
        obole::models::users::set_locale(conn, id, obole::domain::Locale::Fr).expect("locale")
    })
    .await;
    let visitor = app.logged_in_visitor(&alice).await;
    let french_page = app.html(&visitor, "/earnings?year=2026", "fr").await;
    assert!(french_page.contains("Gains en 2026"), "{french_page}");
    assert!(french_page.contains("7,5\u{a0}%"), "{french_page}");

    // Nobody else sees any of it: another creator's year is empty, and so is a reader's.
    let eve = app.a_user().create().await;
    let eve_token = eve.direct_token(&app).await;
    let eves = year_of(&app, &eve_token, "earnings").await;
    for field in fields {
        assert_eq!(
            decimal(&eves["totals"][field]),
            Decimal::ZERO,
            "{field}: {eves}"
        );
    }
    let eves = year_of(&app, &eve_token, "contributions").await;
    for field in ["debited", "paid", "held", "returned", "donated"] {
        assert_eq!(
            decimal(&eves["totals"][field]),
            Decimal::ZERO,
            "{field}: {eves}"
        );
    }
    let eve_visitor = app.logged_in_visitor(&eve).await;
    let page = app.html(&eve_visitor, "/earnings?year=2026", "en").await;
    assert!(
        !page.contains("€6.375") && !page.contains("€5.00"),
        "{page}"
    );
    // The reader who tipped Alice sees their side only.
    let r1_year = year_of(&app, &r1_token, "contributions").await;
    assert_eq!(decimal(&r1_year["totals"]["debited"]), dec("6.00"));
    assert_eq!(decimal(&r1_year["totals"]["paid"]), dec("6.00"));
    app.assert_ledger_sound().await;
}

/// Saves `reader`'s budget and idle-month choice as in September.
async fn give_idle_months_to_charity(app: &TestApp, reader: &TestUser) {
    let id = UserId(reader.id);
    let amount =
        BudgetAmount::parse("2.00", Money::from_micros(100_000_000)).expect("budget amount");
    app.db(move |conn| {
        obole::use_cases::wallet::set_budget_choice(
            conn,
            id,
            amount,
            Some(false),
            Some(Unspent::Charity),
            true,
            instant("2026-09-20T12:00:00Z"),
        )
        .expect("choose")
    })
    .await;
}

fn with_charity() -> RunOptions {
    RunOptions {
        charity: Some(CHARITY.to_owned()),
        hold_months: 1,
        ..RunOptions::default()
    }
}

#[tokio::test]
async fn a_readers_year_shows_paid_held_returned_and_donated_money_that_adds_up() {
    let app = spawn_app_with(&[
        ("OBOLE_CLOCK", NOW),
        ("OBOLE_CHARITY_NAME", CHARITY),
        ("OBOLE_CLAIM_HOLD_MONTHS", "1"),
    ])
    .await;
    let bob = app.a_user().create().await;
    let carol = app.a_user().create().await;
    let paid = a_thing(&app, &carol, "https://carol.example/post", "Carol").await;
    let october_unclaimed =
        an_unclaimed_thing(&app, &bob, "https://nobody.example/a", "Unproven A").await;
    let november_unclaimed =
        an_unclaimed_thing(&app, &bob, "https://nobody.example/b", "Unproven B").await;
    let (keeper, keeper_token) = funded_reader(&app, "10.00", "2.00").await;
    let (giver, giver_token) = funded_reader(&app, "10.00", "2.00").await;
    give_idle_months_to_charity(&app, &giver).await;
    for user in [&bob, &keeper, &giver] {
        opened_in_september(&app, user).await;
    }
    for reader in [&keeper, &giver] {
        click_at(&app, reader, paid, "2026-10-15T12:00:00Z").await;
        click_at(&app, reader, october_unclaimed, "2026-10-15T12:00:00Z").await;
    }
    settle_month(
        &app,
        "2026-10",
        "2026-11-02T08:00:00Z",
        Decimal::TEN,
        with_charity(),
    )
    .await;
    // November: the keeper tips again (one share held), the giver clicks nothing (an idle
    // month, given to the charity); its run ends October's holds, nobody having proven A.
    click_at(&app, &keeper, paid, "2026-11-15T12:00:00Z").await;
    click_at(&app, &keeper, november_unclaimed, "2026-11-15T12:00:00Z").await;
    settle_month(
        &app,
        "2026-11",
        "2026-12-02T08:00:00Z",
        Decimal::TEN,
        with_charity(),
    )
    .await;

    let fields = [
        "debited",
        "paid",
        "held",
        "returned",
        "donated",
        "idle_gift",
    ];
    let keepers = year_of(&app, &keeper_token, "contributions").await;
    assert_months_add_up(&keepers, &fields);
    let october = month(&keepers, "2026-10");
    assert_eq!(
        ["debited", "paid", "held", "returned", "donated"].map(|f| decimal(&october[f])),
        [dec("2.00"), dec("1.00"), dec("0"), dec("1.00"), dec("0")],
        "{october}"
    );
    let november = month(&keepers, "2026-11");
    assert_eq!(
        ["debited", "paid", "held", "returned"].map(|f| decimal(&november[f])),
        [dec("2.00"), dec("1.00"), dec("1.00"), dec("0")],
        "{november}"
    );
    let givers = year_of(&app, &giver_token, "contributions").await;
    assert_months_add_up(&givers, &fields);
    let october = month(&givers, "2026-10");
    assert_eq!(decimal(&october["donated"]), dec("1.00"), "{october}");
    let november = month(&givers, "2026-11");
    assert_eq!(
        ["debited", "donated", "idle_gift"].map(|f| decimal(&november[f])),
        [dec("0"), dec("2.00"), dec("2.00")],
        "{november}"
    );
    // Every month: what was debited went somewhere, and only there.
    for body in [&keepers, &givers] {
        for m in body["months"].as_array().expect("months") {
            let went = ["paid", "held", "returned", "donated"]
                .map(|f| decimal(&m[f]))
                .iter()
                .sum::<Decimal>()
                - decimal(&m["idle_gift"]);
            assert_eq!(went, decimal(&m["debited"]), "{m}");
        }
    }
    // The creator of the unproven pages: October's shares returned, November's held.
    let bob_token = bob.direct_token(&app).await;
    let bobs = year_of(&app, &bob_token, "earnings").await;
    assert_eq!(decimal(&month(&bobs, "2026-10")["returned"]), dec("2.00"));
    assert_eq!(decimal(&month(&bobs, "2026-11")["held"]), dec("1.00"));
    assert_eq!(decimal(&bobs["totals"]["gross"]), Decimal::ZERO);

    // The page and the CSV agree with the API.
    let visitor = app.logged_in_visitor(&giver).await;
    let page = app.html(&visitor, "/contributions?year=2026", "en").await;
    for field in ["debited", "paid", "held", "returned", "donated"] {
        assert_eq!(
            shown(&page, &format!("total-{field}")),
            decimal(&givers["totals"][field]),
            "{field}"
        );
    }
    assert!(page.contains("id=\"idle-gift\""), "{page}");
    let rows = csv_rows(&app, &visitor, "/contributions.csv?year=2026&sep=comma").await;
    let total = rows.last().expect("totals");
    assert_eq!(dec(&total[6]), decimal(&givers["totals"]["donated"]));
    let monthly = app
        .html(&visitor, "/contributions?month=2026-10", "en")
        .await;
    assert!(
        monthly.contains("href=\"/contributions?year=2026\""),
        "{monthly}"
    );
    let statement = app
        .html(&visitor, "/contributions/year/2026/statement", "en")
        .await;
    assert!(statement.contains("id=\"instance-name\""), "{statement}");
    assert_eq!(shown(&statement, "total-donated"), dec("3.00"));
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_bad_year_is_refused_in_the_persons_language_and_month_with_year_is_ambiguous() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", NOW)]).await;
    let user = app.a_user().create().await;
    let token = user.direct_token(&app).await;
    for side in ["earnings", "contributions"] {
        for bad in [
            "26", "1999", "2100", "abcd", "", "20266", "-2026", "2026-10",
        ] {
            let path = format!("/api/v1/me/{side}?year={bad}");
            let (status, body) = get(&app, &token, &path, "en").await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
            assert_eq!(body["error"]["code"], "invalid_year", "{path}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("YYYY")),
                "{body}"
            );
            let (_, french) = get(&app, &token, &path, "fr").await;
            let message = french["error"]["message"].as_str().expect("message");
            assert!(message.contains("AAAA"), "{french}");
            assert_french_typography(message);
        }
        // A year not begun yet is allowed, and lists nothing yet.
        let (status, body) = get(&app, &token, &format!("/api/v1/me/{side}?year=2028"), "en").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["months"], serde_json::json!([]));
        // A year asks for the year, whatever the month says.
        let path = format!("/api/v1/me/{side}?year=2026&month=2026-10");
        let (status, body) = get(&app, &token, &path, "en").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["year"], 2026);
    }
    let anonymous = app
        .api()
        .get(app.url("/api/v1/me/earnings?year=2026"))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // The pages say it in the page's language, as a page.
    let visitor = app.logged_in_visitor(&user).await;
    for path in [
        "/earnings?year=1999",
        "/contributions?year=abcd",
        "/earnings.csv?year=3000",
        "/contributions.csv?year=99",
        "/earnings/year/1999/statement",
        "/contributions/year/20x6/statement",
    ] {
        let response = visitor
            .get(app.url(path))
            .header("Accept-Language", "en")
            .send()
            .await
            .expect("page");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}"
        );
        let html = response.text().await.expect("html");
        assert!(html.contains("A year is written YYYY"), "{path}: {html}");
    }
    let french = app
        .a_user()
        .locale(obole::domain::Locale::Fr)
        .create()
        .await;
    let visitor = app.logged_in_visitor(&french).await;
    let response = visitor
        .get(app.url("/earnings?year=1999"))
        .header("Accept-Language", "fr")
        .send()
        .await
        .expect("page");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("Une année s’écrit AAAA"), "{html}");
}
