//! The idle month to charity (PRODUCT.md money rule 6, "Claims"): a reader may choose that a
//! month without clicks gives their budget to the charity the instance names; settlement
//! moves it from their funds once, never more than the budget nor the funds; statements and
//! the monthly mail say so; held shares nobody claims go to the charity for those readers.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use obole::domain::budget::{BudgetAmount, Unspent};
use obole::domain::ledger::{AccountKind, AccountRef};
use obole::domain::{Locale, Money, Month, UserId};
use obole::settlement::SettlementError;
use obole::settlement::run::{Outcome, RunOptions, settle};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::claims::call;
use crate::helpers::TestApp;
use crate::helpers::app::{spawn_app, spawn_app_with};
use crate::helpers::builders::{TestUser, a_thing, an_unclaimed_thing, funded_reader};
use crate::helpers::mail::{self, MailServer};
use crate::helpers::month::click_in_october;

const CHARITY: &str = "Les Restos du Cœur";
const IBAN: &str = "FR76 3000 6000 0112 3456 7890 189";
/// Before October began: a choice made then applies to October.
const SEPTEMBER: &str = "2026-09-20T12:00:00Z";

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

fn money(text: &str) -> Money {
    Money::parse_user_amount(text).expect("amount")
}

async fn charity_app() -> TestApp {
    spawn_app_with(&[
        ("OBOLE_CHARITY_NAME", CHARITY),
        (
            "OBOLE_CHARITY_PAYOUT_DETAILS",
            &format!("{IBAN}\\nRestos du Cœur"),
        ),
    ])
    .await
}

/// Saves `reader`'s budget and idle-month choice as at `at`, through the library (as the
/// budget page does), whatever the instance names.
async fn choose(
    app: &TestApp,
    reader: &TestUser,
    budget: &str,
    unspent: Unspent,
    paused: bool,
    at: &str,
) {
    let (id, at) = (UserId(reader.id), instant(at));
    let amount = BudgetAmount::parse(budget, money("100.00")).expect("budget");
    app.db(move |conn| {
        obole::use_cases::wallet::set_budget_choice(
            conn,
            id,
            amount,
            Some(paused),
            Some(unspent),
            true,
            at,
        )
        .expect("choose")
    })
    .await;
}

/// A reader with `funds` and a `budget` whose idle months give to the charity (chosen in
/// September).
async fn giver(app: &TestApp, funds: &str, budget: &str) -> (TestUser, String) {
    let (reader, token) = funded_reader(app, funds, budget).await;
    choose(app, &reader, budget, Unspent::Charity, false, SEPTEMBER).await;
    (reader, token)
}

fn options(charity: Option<&str>) -> RunOptions {
    RunOptions {
        charity: charity.map(str::to_owned),
        ..RunOptions::default()
    }
}

async fn try_settle(
    app: &TestApp,
    month: &str,
    at: &str,
    options: RunOptions,
) -> Result<Outcome, SettlementError> {
    let (pool, lock_file) = (app.pool.clone(), app.settlement_lock_file());
    let (month, now) = (Month::parse(month).expect("month"), instant(at));
    tokio::task::spawn_blocking(move || {
        settle(
            &pool,
            lock_file.as_deref(),
            month,
            Decimal::TEN,
            now,
            options,
            &mut |_| {},
        )
    })
    .await
    .expect("settlement thread")
}

/// Settles October as on 2 November with the instance's charity; panics unless it settles.
async fn settle_october_giving(app: &TestApp) -> obole::settlement::run::Settled {
    match try_settle(
        app,
        "2026-10",
        "2026-11-02T08:00:00Z",
        options(Some(CHARITY)),
    )
    .await
    {
        Ok(Outcome::Settled(settled)) => settled,
        other => panic!("{other:?}"),
    }
}

async fn funds(app: &TestApp, token: &str) -> String {
    me(app, token).await["funds"]
        .as_str()
        .expect("funds")
        .to_owned()
}

async fn me(app: &TestApp, token: &str) -> Value {
    let (status, body) = call(app, Method::GET, "/api/v1/me", token, None, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn contributions(app: &TestApp, token: &str, month: &str) -> Value {
    let path = format!("/api/v1/me/contributions?month={month}");
    let (status, body) = call(app, Method::GET, &path, token, None, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn put_budget(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    call(
        app,
        Method::PUT,
        "/api/v1/me/budget",
        token,
        Some(body),
        None,
    )
    .await
}

async fn charity_balance(app: &TestApp) -> Money {
    app.db(|conn| {
        obole::models::ledger::balance(conn, AccountRef::Platform(AccountKind::Charity))
            .expect("balance")
    })
    .await
}

async fn gifts(app: &TestApp) -> Vec<(String, i64, i64)> {
    use obole::db::schema::month_donations as d;
    app.db(|conn| {
        d::table
            .order((d::month.asc(), d::reader_id.asc()))
            .select((d::month, d::reader_id, d::amount_micros))
            .load(conn)
            .expect("gifts")
    })
    .await
}

async fn ledger_entries(app: &TestApp) -> i64 {
    use obole::db::schema::ledger_entries;
    app.db(|conn| {
        ledger_entries::table
            .count()
            .get_result(conn)
            .expect("count")
    })
    .await
}

/// Someone clicked in October, so that the month has something to settle besides the gifts.
async fn a_busy_october(app: &TestApp) {
    let creator = app.a_user().create().await;
    let thing = a_thing(app, &creator, "https://creator.example.org/post", "Post").await;
    let (clicker, _) = funded_reader(app, "10.00", "2.00").await;
    click_in_october(app, &clicker, thing).await;
}

#[tokio::test]
async fn choosing_the_charity_where_the_instance_names_none_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (_, token) = funded_reader(&app, "10.00", "2.00").await;

    let (status, body) = put_budget(
        &app,
        &token,
        json!({ "amount": "3.00", "unspent": "charity" }),
    )
    .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "no_charity", "{body}");
    let budget = &me(&app, &token).await["budget"];
    assert_eq!(budget["amount"], "2.00", "{budget}");
    assert_eq!(budget["unspent"], "keep", "{budget}");
    // Keeping is always possible.
    let (status, body) =
        put_budget(&app, &token, json!({ "amount": "3.00", "unspent": "keep" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["unspent"], "keep");
}

#[tokio::test]
async fn an_unknown_or_hostile_choice_is_refused() {
    let app = charity_app().await;
    let (_, token) = funded_reader(&app, "10.00", "2.00").await;
    for hostile in [
        json!("Charity"),
        json!("charity<script>"),
        json!(""),
        json!(1),
    ] {
        let (status, body) = put_budget(
            &app,
            &token,
            json!({ "amount": "3.00", "unspent": hostile }),
        )
        .await;
        assert!(status.is_client_error(), "{hostile}: {status} {body}");
    }
    let budget = &me(&app, &token).await["budget"];
    assert_eq!(budget["amount"], "2.00", "{budget}");
    assert_eq!(budget["unspent"], "keep", "{budget}");
}

#[tokio::test]
async fn the_choice_is_saved_and_an_update_without_it_keeps_it() {
    let app = charity_app().await;
    let (_, token) = funded_reader(&app, "10.00", "2.00").await;

    let (status, body) = put_budget(
        &app,
        &token,
        json!({ "amount": "3.00", "unspent": "charity" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({ "amount": "3.00", "paused": false, "unspent": "charity" })
    );

    let (status, body) =
        put_budget(&app, &token, json!({ "amount": "4.00", "paused": true })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["unspent"], "charity", "{body}");
    assert_eq!(me(&app, &token).await["budget"]["unspent"], "charity");
}

#[tokio::test]
async fn an_idle_month_gives_the_budget_to_the_charity_never_more_than_the_funds() {
    let app = charity_app().await;
    a_busy_october(&app).await;
    let (rich, rich_token) = giver(&app, "10.00", "3.00").await;
    let (_, poor_token) = giver(&app, "1.50", "5.00").await;

    let settled = settle_october_giving(&app).await;

    assert_eq!(funds(&app, &rich_token).await, "7.00", "the budget, once");
    assert_eq!(funds(&app, &poor_token).await, "0.00", "the funds, no more");
    assert_eq!(charity_balance(&app).await, money("4.50"));
    assert_eq!(settled.donated, money("4.50"));
    let statement = contributions(&app, &rich_token, "2026-10").await;
    assert_eq!(statement["settled"], true, "{statement}");
    assert_eq!(statement["donated"], "3.00", "{statement}");
    assert_eq!(statement["charity"], CHARITY, "{statement}");
    assert_eq!(statement["debited"], "0.00", "{statement}");
    assert_eq!(statement["allocations"], json!([]), "{statement}");
    assert_eq!(
        contributions(&app, &poor_token, "2026-10").await["donated"],
        "1.50"
    );
    // The person's export keeps the gift, with the choice that made it.
    let export = app.get_json_as(&rich_token, "/api/v1/me/export").await;
    assert_eq!(
        export["donations"],
        json!([{"month": "2026-10", "budget": "3.00", "amount": "3.00", "charity": CHARITY}])
    );
    assert_eq!(export["budget"]["unspent"], "charity");
    // The page shows months from the account's first (fixtures are created today).
    let id = rich.id;
    app.db(move |conn| {
        use obole::db::schema::users;
        diesel::update(users::table.find(id))
            .set(users::created_at.eq(instant(SEPTEMBER).naive_utc()))
            .execute(conn)
            .expect("backdate")
    })
    .await;
    let visitor = app.logged_in_visitor(&rich).await;
    let page = app
        .html(&visitor, "/contributions?month=2026-10", "en")
        .await;
    assert!(
        page.contains("As you chose, €3.00 of your budget went to Les Restos du Cœur."),
        "{page}"
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn readers_who_clicked_kept_their_budget_or_paused_it_give_nothing() {
    let app = charity_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://creator.example.org/post", "Post").await;
    let (clicker, clicker_token) = giver(&app, "10.00", "2.00").await;
    click_in_october(&app, &clicker, thing).await;
    let (keeper, keeper_token) = funded_reader(&app, "10.00", "2.00").await;
    choose(&app, &keeper, "2.00", Unspent::Keep, false, SEPTEMBER).await;
    let (paused, paused_token) = funded_reader(&app, "10.00", "2.00").await;
    choose(&app, &paused, "2.00", Unspent::Charity, true, SEPTEMBER).await;

    let settled = settle_october_giving(&app).await;

    assert_eq!(settled.donated, Money::ZERO);
    assert_eq!(
        funds(&app, &clicker_token).await,
        "8.00",
        "charged, not given"
    );
    assert_eq!(funds(&app, &keeper_token).await, "10.00");
    assert_eq!(funds(&app, &paused_token).await, "10.00");
    assert_eq!(charity_balance(&app).await, Money::ZERO);
    assert!(gifts(&app).await.is_empty());
    let statement = contributions(&app, &clicker_token, "2026-10").await;
    assert!(statement.get("donated").is_none(), "{statement}");
    assert_eq!(statement["debited"], "2.00", "{statement}");
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_choice_made_during_the_month_applies_from_the_next_one() {
    let app = charity_app().await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    choose(
        &app,
        &reader,
        "2.00",
        Unspent::Charity,
        false,
        "2026-10-10T12:00:00Z",
    )
    .await;

    settle_october_giving(&app).await;
    assert_eq!(funds(&app, &token).await, "10.00", "October is not given");

    let november = try_settle(
        &app,
        "2026-11",
        "2026-12-02T08:00:00Z",
        options(Some(CHARITY)),
    )
    .await;
    assert!(matches!(november, Ok(Outcome::Settled(_))), "{november:?}");
    assert_eq!(funds(&app, &token).await, "8.00", "November is");
    assert_eq!(
        gifts(&app).await,
        vec![("2026-11".to_owned(), reader.id, 2_000_000)]
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn settling_again_or_resuming_after_a_stop_gives_only_once() {
    let app = charity_app().await;
    a_busy_october(&app).await;
    let (_, token) = giver(&app, "10.00", "3.00").await;

    // The run stops after its first commit, as if the process had died, then resumes.
    let stopped = RunOptions {
        stop_after_chunks: Some(1),
        ..options(Some(CHARITY))
    };
    let first = try_settle(&app, "2026-10", "2026-11-02T08:00:00Z", stopped).await;
    assert!(
        matches!(first, Err(SettlementError::Stopped(1))),
        "{first:?}"
    );
    assert_eq!(funds(&app, &token).await, "10.00");
    settle_october_giving(&app).await;
    assert_eq!(funds(&app, &token).await, "7.00");
    let entries = ledger_entries(&app).await;

    let again = try_settle(
        &app,
        "2026-10",
        "2026-11-03T08:00:00Z",
        options(Some(CHARITY)),
    )
    .await;

    assert!(matches!(again, Ok(Outcome::AlreadySettled(_))), "{again:?}");
    assert_eq!(ledger_entries(&app).await, entries, "nothing written again");
    assert_eq!(funds(&app, &token).await, "7.00");
    assert_eq!(charity_balance(&app).await, money("3.00"));
    assert_eq!(gifts(&app).await.len(), 1);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn without_a_charity_a_choice_left_from_before_keeps_the_budget_and_the_page_says_so() {
    let app = spawn_app().await;
    let (reader, token) = giver(&app, "10.00", "3.00").await;

    let settled = try_settle(&app, "2026-10", "2026-11-02T08:00:00Z", options(None)).await;

    assert!(matches!(settled, Ok(Outcome::Settled(_))), "{settled:?}");
    assert_eq!(funds(&app, &token).await, "10.00");
    assert_eq!(charity_balance(&app).await, Money::ZERO);
    let visitor = app.logged_in_visitor(&reader).await;
    let page = app.html(&visitor, "/budget", "en").await;
    assert!(page.contains("id=\"charity-gone\""), "{page}");
    assert!(!page.contains("name=\"unspent\""), "{page}");
}

#[tokio::test]
async fn the_budget_page_offers_the_charity_by_name_and_saves_the_choice() {
    let app = charity_app().await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    let visitor = app.logged_in_visitor(&reader).await;
    let page = app.html(&visitor, "/budget", "fr").await;
    assert!(page.contains("id=\"unspent-charity\""), "{page}");
    assert!(
        page.contains("Give my budget to Les Restos du Cœur"),
        "{page}"
    );

    let response = app
        .submit_form(
            &visitor,
            "/budget",
            "/budget",
            &[("amount", "3,00"), ("unspent", "charity")],
            "fr",
        )
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let budget = &me(&app, &token).await["budget"];
    assert_eq!(budget["unspent"], "charity", "{budget}");
    assert_eq!(budget["amount"], "3.00", "{budget}");
    let page = app.html(&visitor, "/budget", "en").await;
    assert!(
        page.contains("value=\"charity\" id=\"unspent-charity\" checked"),
        "{page}"
    );
}

#[tokio::test]
async fn the_operator_sees_what_readers_gave_the_charity_and_where_to_send_it() {
    let app = charity_app().await;
    giver(&app, "10.00", "3.00").await;
    settle_october_giving(&app).await;
    let operator = app.a_user().create().await;
    let email = obole::domain::Email::parse(&operator.email).expect("email");
    app.db(move |conn| obole::models::users::grant_operator(conn, &email).expect("grant"))
        .await;
    let visitor = app.logged_in_visitor(&operator).await;

    let page = app.html(&visitor, "/operator/settlements", "en").await;

    assert!(page.contains("id=\"charity-balance\""), "{page}");
    assert!(page.contains("3.00"), "{page}");
    assert!(page.contains(IBAN), "{page}");
    assert!(page.contains(CHARITY), "{page}");
}

/// An instance with a charity whose holds last one month, and two things: one unclaimed
/// (Bob's: its shares are held), one claimed (Carol's).
async fn holds_for_a_month() -> (TestApp, [i64; 2]) {
    let app = spawn_app_with(&[
        ("OBOLE_CHARITY_NAME", CHARITY),
        ("OBOLE_CLAIM_HOLD_MONTHS", "1"),
    ])
    .await;
    let bob = app.a_user().create().await;
    let carol = app.a_user().create().await;
    let unclaimed = an_unclaimed_thing(&app, &bob, "https://alice.example.org/post", "Alice").await;
    let claimed = a_thing(&app, &carol, "https://carol.example.org/post", "Carol").await;
    (app, [unclaimed, claimed])
}

/// Settles November, which ends October's holds (held for one month).
async fn settle_november_ending_octobers_holds(app: &TestApp) -> Result<Outcome, SettlementError> {
    let options = RunOptions {
        hold_months: 1,
        ..options(Some(CHARITY))
    };
    try_settle(app, "2026-11", "2026-12-02T08:00:00Z", options).await
}

#[tokio::test]
async fn held_shares_of_a_reader_who_chose_the_charity_go_to_it_when_their_hold_ends() {
    let (app, [unclaimed, claimed]) = holds_for_a_month().await;
    let (reader, token) = giver(&app, "10.00", "2.00").await;
    click_in_october(&app, &reader, unclaimed).await;
    click_in_october(&app, &reader, claimed).await;
    settle_october_giving(&app).await;
    // Paused since: November gives no idle budget, but the choice still sends the return.
    choose(
        &app,
        &reader,
        "2.00",
        Unspent::Charity,
        true,
        "2026-10-20T12:00:00Z",
    )
    .await;
    let before = funds(&app, &token).await;

    let november = settle_november_ending_octobers_holds(&app).await;

    assert!(matches!(november, Ok(Outcome::Settled(_))), "{november:?}");
    assert_eq!(
        funds(&app, &token).await,
        before,
        "nothing back to the funds"
    );
    assert_eq!(charity_balance(&app).await, money("1.00"), "the held share");
    let october = contributions(&app, &token, "2026-10").await;
    let share = october["allocations"]
        .as_array()
        .expect("allocations")
        .iter()
        .find(|a| a["thing_id"] == unclaimed)
        .expect("the unclaimed share")
        .clone();
    assert_eq!(share["status"], "donated", "{october}");
    let donated: bool = app
        .db(|conn| {
            use obole::db::schema::held_returns as h;
            h::table.select(h::donated).first(conn).expect("return")
        })
        .await;
    assert!(donated);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn the_monthly_mail_says_the_idle_budget_went_to_the_charity() {
    let Some(server) = MailServer::start().await else {
        return;
    };
    let app = spawn_app_with(&[
        ("OBOLE_SMTP_URL", &mail::smtp_url(server.smtp_port)),
        ("OBOLE_MAIL_RETRY_SECONDS", "1"),
        ("OBOLE_CHARITY_NAME", CHARITY),
    ])
    .await;
    let french = app.a_user().locale(Locale::Fr).create().await;
    let (french_id, amount) = (
        UserId(french.id),
        BudgetAmount::parse("3.00", money("100.00")).expect("budget"),
    );
    for code in app.vouchers("10.00", 1).await {
        app.db(move |conn| {
            obole::use_cases::wallet::redeem_voucher(conn, french_id, &code, Utc::now())
                .expect("redeem")
        })
        .await;
    }
    app.db(move |conn| {
        obole::use_cases::wallet::set_budget_choice(
            conn,
            french_id,
            amount,
            Some(false),
            Some(Unspent::Charity),
            true,
            instant(SEPTEMBER),
        )
        .expect("choose")
    })
    .await;
    let (keeper, _) = funded_reader(&app, "10.00", "2.00").await;

    settle_october_giving(&app).await;

    let statement = |m: &&Value| m["subject"].as_str().unwrap_or_default().contains("2026");
    let messages = server
        .wait_for(60, |all| mail::to(all, &french.email).iter().any(statement))
        .await;
    let mine: Vec<&Value> = mail::to(&messages, &french.email)
        .into_iter()
        .filter(statement)
        .collect();
    assert_eq!(mine.len(), 1, "{messages:?}");
    assert_eq!(
        mine[0]["subject"],
        "Où est allé votre budget en octobre 2026"
    );
    let text = mine[0]["text"].as_str().unwrap_or_default();
    assert!(text.contains("3,00 €") && text.contains(CHARITY), "{text}");
    let html = mine[0]["html"].as_str().unwrap_or_default();
    assert!(html.contains("Restos du C"), "{html}");
    // A reader who kept an idle month's budget gets no mail, as before.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let all = server.messages().await;
    assert!(
        !mail::to(&all, &keeper.email).iter().any(statement),
        "{all:?}"
    );
}

/// The statement mails read a run of readers at once (`statements::contributions_of`): each
/// reader's month read among others is the month read alone, in the order asked, whatever it
/// holds: shares held then given to the charity or returned to the funds, an idle month's
/// gift, no budget at all, a reader asked for twice, a month not settled.
#[tokio::test]
async fn readers_read_together_get_the_months_they_get_alone() {
    use obole::domain::hold::ShareStatus;
    use obole::use_cases::statements::{Contributions, contributions, contributions_of};
    let (app, [unclaimed, claimed]) = holds_for_a_month().await;
    let dan = app.a_user().create().await;
    let dans = a_thing(&app, &dan, "https://dan.example.org/post", "Dan").await;
    let (giving, _) = giver(&app, "10.00", "2.00").await;
    let (keeping, _) = funded_reader(&app, "10.00", "3.00").await;
    let (idle, _) = giver(&app, "10.00", "2.50").await;
    for (reader, things) in [
        (&giving, [unclaimed, claimed]),
        (&keeping, [unclaimed, dans]),
    ] {
        for thing in things {
            click_in_october(&app, reader, thing).await;
        }
    }
    settle_october_giving(&app).await;
    let november = settle_november_ending_octobers_holds(&app).await;
    assert!(matches!(november, Ok(Outcome::Settled(_))), "{november:?}");

    let nobody = app.a_user().create().await;
    let readers: Vec<UserId> = [&keeping, &nobody, &idle, &giving, &keeping]
        .iter()
        .map(|user| UserId(user.id))
        .collect();
    let [october, december] = ["2026-10", "2026-12"].map(|m| Month::parse(m).expect("month"));
    type Read = (Vec<Contributions>, Vec<Contributions>);
    let ((together, alone), (unsettled, _)): (Read, Read) = app
        .db(move |conn| {
            let mut read = |month: Month| -> Read {
                let together = contributions_of(conn, &readers, month).expect("together");
                let alone: Vec<_> = readers
                    .iter()
                    .map(|reader| contributions(conn, *reader, month).expect("alone"))
                    .collect();
                assert_eq!(together, alone, "{month}");
                (together, alone)
            };
            (read(october), read(december))
        })
        .await;

    assert_eq!(together, alone);
    // The cases the run holds, so that the comparison is not between empty months: each
    // reader's own things, in order.
    let lines = |at: usize| -> Vec<(i64, ShareStatus)> {
        let allocations = &together[at].allocations;
        allocations.iter().map(|a| (a.thing_id, a.status)).collect()
    };
    let paid = ShareStatus::Paid;
    assert_eq!(lines(0), [(unclaimed, ShareStatus::Returned), (dans, paid)]);
    assert_eq!(
        lines(3),
        [(unclaimed, ShareStatus::Donated), (claimed, paid)]
    );
    assert_eq!(together[0].debited, money("3.00"));
    assert_eq!(together[3].debited, money("2.00"));
    assert_eq!(together[4], together[0], "a reader asked for twice");
    assert_eq!(
        together[2].donated,
        Some((money("2.50"), CHARITY.to_owned()))
    );
    let nothing = &together[1];
    assert!(nothing.settled && nothing.allocations.is_empty() && nothing.donated.is_none());
    assert!(
        unsettled
            .iter()
            .all(|month| !month.settled && month.allocations.is_empty())
    );
}
