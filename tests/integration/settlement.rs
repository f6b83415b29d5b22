//! `obole settle`: a closed month computed (`--dry-run`), settled once into the ledger,
//! resumed after a stop, and refused while another run holds it.

use std::process::Command;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use obole::db::DbConnection;
use obole::domain::budget::BudgetAmount;
use obole::domain::thing::{ContentLanguage, ThingInput};
use obole::domain::{Money, NewAccount, ThingId, UserId};

use crate::helpers::database::TestDatabase;
use crate::helpers::program::program;

fn obole(database: &TestDatabase) -> Command {
    on_october_database(program(env!("CARGO_BIN_EXE_obole")), database)
}

/// `command` on `database`, early in November: October is over.
fn on_october_database(mut command: Command, database: &TestDatabase) -> Command {
    command
        .env("OBOLE_DATABASE_URL", database.url())
        .env("OBOLE_CLOCK", "2026-11-02T08:00:00Z");
    command
}

fn october(day: u32) -> DateTime<Utc> {
    format!("2026-10-{day:02}T12:00:00Z")
        .parse()
        .expect("instant")
}

fn account(conn: &mut DbConnection, name: &str) -> UserId {
    let new = NewAccount::parse(
        &format!("{name}@example.org"),
        "correct horse",
        Some(name),
        None,
        Default::default(),
    )
    .expect("account");
    let hash = obole::security::passwords::hash(&new.password).expect("hash");
    let user = obole::models::users::insert(conn, &new, &hash, october(1)).expect("insert");
    obole::models::ledger::open_user_accounts(conn, user.user_id()).expect("accounts");
    user.user_id()
}

fn reader(conn: &mut DbConnection, name: &str, budget: &str) -> UserId {
    let id = account(conn, name);
    let ten = Money::parse_user_amount("10.00").expect("amount");
    let code =
        obole::use_cases::wallet::issue_vouchers(conn, ten, 1, None, october(1)).expect("voucher");
    obole::use_cases::wallet::redeem_voucher(conn, id, &code[0].display(), october(1))
        .expect("redeem");
    let budget = BudgetAmount::parse(budget, Money::from_micros(100_000_000)).expect("budget");
    obole::use_cases::wallet::set_budget(conn, id, budget, Some(false), october(1))
        .expect("set budget");
    id
}

fn thing(conn: &mut DbConnection, owner: UserId, n: u32) -> ThingId {
    let input = ThingInput::parse(
        &format!("https://creator.example/{n}"),
        &format!("Thing {n}"),
        None,
        None,
        None,
        ContentLanguage::English,
    )
    .expect("thing");
    let thing = obole::use_cases::things::add(conn, owner, &input, october(1))
        .expect("add")
        .thing_id();
    crate::helpers::builders::claim_page(conn, owner, &format!("https://creator.example/{n}"));
    thing
}

fn ledger_groups(conn: &mut DbConnection) -> i64 {
    use diesel::prelude::*;
    obole::db::schema::ledger_groups::table
        .count()
        .get_result(conn)
        .expect("count")
}

/// October 2026 with a creator, two things, two readers who clicked (2.00 over two things,
/// 3.00 over one), one who undid their only click, one who never clicked, and a November click.
struct October {
    database: TestDatabase,
    pool: obole::db::DbPool,
    creator: UserId,
    alice: UserId,
    bob: UserId,
}

impl October {
    fn new() -> October {
        let database = TestDatabase::fresh();
        let pool = database.pool(2);
        let mut conn = pool.get().expect("connection");
        let creator = account(&mut conn, "creator");
        let (first, second) = (thing(&mut conn, creator, 1), thing(&mut conn, creator, 2));
        let alice = reader(&mut conn, "alice", "2.00");
        let bob = reader(&mut conn, "bob", "3.00");
        let undoer = reader(&mut conn, "undoer", "2.00");
        reader(&mut conn, "idle", "2.00");
        for (who, what) in [
            (alice, first),
            (alice, second),
            (bob, first),
            (undoer, second),
        ] {
            obole::use_cases::clicks::click(&mut conn, who, what, october(10)).expect("click");
        }
        obole::use_cases::clicks::undo(&mut conn, undoer, second, october(11)).expect("undo");
        // A November click is not October's.
        let november = "2026-11-01T09:00:00Z".parse().expect("instant");
        obole::use_cases::clicks::click(&mut conn, bob, second, november).expect("click");
        drop(conn);
        October {
            database,
            pool,
            creator,
            alice,
            bob,
        }
    }

    fn settle(&self, extra: &[(&str, &str)]) -> (bool, String) {
        let mut command = obole(&self.database);
        command.args(["settle", "--month", "2026-10"]);
        for (name, value) in extra {
            command.env(name, value);
        }
        let output = command.output().expect("run");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    }

    fn balance(&self, account: obole::domain::ledger::AccountRef) -> String {
        let mut conn = self.pool.get().expect("connection");
        obole::models::ledger::balance(&mut conn, account)
            .expect("balance")
            .to_api_string()
    }

    fn groups(&self) -> i64 {
        ledger_groups(&mut self.pool.get().expect("connection"))
    }

    /// Every balance that settlement moves, and the ledger's own check.
    fn assert_settled(&self) {
        use obole::domain::ledger::{AccountKind, AccountRef};
        assert_eq!(
            self.balance(AccountRef::User(self.creator, AccountKind::Revenue)),
            "4.50"
        );
        assert_eq!(
            self.balance(AccountRef::Platform(AccountKind::Fees)),
            "0.50"
        );
        let reserved = |user| {
            let mut conn = self.pool.get().expect("connection");
            obole::models::ledger::user_balances(&mut conn, user)
                .expect("balances")
                .reserved
                .to_api_string()
        };
        assert_eq!(reserved(self.alice), "0.00");
        // Bob's November budget stays reserved; his October one is spent.
        assert_eq!(reserved(self.bob), "3.00");
        let report =
            obole::models::ledger::check(&mut self.pool.get().expect("connection")).expect("check");
        assert!(report.is_sound(), "{report:?}");
    }
}

const OCTOBER_FIGURES: [&str; 7] = [
    "readers:  2",
    "clicks:   3",
    "creators: 1",
    "debited:  5.00",
    "gross:    5.00",
    "fees:     0.50",
    "net:      4.50",
];

#[test]
fn a_dry_run_shows_what_a_closed_month_pays_and_writes_nothing() {
    let month = October::new();
    let groups = month.groups();
    let (ok, text) = {
        let output = obole(&month.database)
            .args(["settle", "--month", "2026-10", "--dry-run"])
            .output()
            .expect("run");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    assert!(ok, "{text}");
    for line in OCTOBER_FIGURES {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert_eq!(month.groups(), groups, "a dry run writes nothing");
    // The job's own entry point (jobs/settle.rs) says the same.
    let output = on_october_database(program(env!("CARGO_BIN_EXE_obole-settle")), &month.database)
        .args(["--month", "2026-10", "--dry-run"])
        .output()
        .expect("run obole-settle");
    let job_text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{job_text}");
    for line in OCTOBER_FIGURES {
        assert!(job_text.contains(line), "{line:?} in {job_text}");
    }

    let output = obole(&month.database)
        .args(["settle", "--month", "2026-10", "--dry-run"])
        .env("OBOLE_FEE_PERCENT", "7.5")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&output.stdout).contains("fees:     0.375"));

    for (args, expected) in [
        (
            ["settle", "--month", "2026-11", "--dry-run"],
            "not over yet",
        ),
        (["settle", "--month", "2026-13", "--dry-run"], "--month"),
        (["settle", "--month", "2026-09", "--dry-run"], "readers:  0"),
    ] {
        let output = obole(&month.database).args(args).output().expect("run");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(text.contains(expected), "{args:?}: {text}");
        assert_eq!(
            output.status.success(),
            expected.starts_with("readers"),
            "{args:?}"
        );
    }
}

#[test]
fn a_closed_month_settles_once_into_the_ledger() {
    let month = October::new();
    let (ok, text) = month.settle(&[]);
    assert!(ok, "{text}");
    assert!(text.contains("Settlement of 2026-10: done"), "{text}");
    for line in OCTOBER_FIGURES {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    month.assert_settled();
    let groups = month.groups();
    let (ok, text) = month.settle(&[]);
    assert!(
        ok && text.contains("already settled, nothing changed"),
        "{text}"
    );
    assert_eq!(month.groups(), groups);
    month.assert_settled();
    // A month without clicks settles to zero totals.
    let output = obole(&month.database)
        .args(["settle", "--month", "2026-09"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && text.contains("readers:  0") && text.contains("fees:     0.00"),
        "{text}"
    );
}

#[test]
fn a_stopped_settlement_resumes_without_paying_twice() {
    let month = October::new();
    // The first run stops once the readers are charged; the second credits the creator and
    // stops before the self-check; the third checks.
    for stop in ["1", "1"] {
        let (ok, text) = month.settle(&[
            ("OBOLE_SETTLE_CHUNK", "1"),
            ("OBOLE_SETTLE_STOP_AFTER_CHUNKS", stop),
        ]);
        assert!(!ok && text.contains("stopped on request"), "{text}");
    }
    let (ok, text) = month.settle(&[("OBOLE_SETTLE_CHUNK", "1")]);
    assert!(ok, "{text}");
    for line in OCTOBER_FIGURES {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    month.assert_settled();
}

#[test]
fn reserved_budgets_that_differ_from_the_reservations_are_caught() {
    let month = October::new();
    let mut conn = month.pool.get().expect("connection");
    let report = obole::models::ledger::check(&mut conn).expect("check");
    assert!(report.is_sound(), "{report:?}");
    // Bob's November reservation says one micro-unit more than his shard received.
    diesel::sql_query(format!(
        "UPDATE month_budgets SET amount_micros = amount_micros + 1 \
         WHERE reader_id = {} AND month = '2026-11'",
        month.bob.0
    ))
    .execute(&mut conn)
    .expect("alter");
    let report = obole::models::ledger::check(&mut conn).expect("check");
    assert_eq!(report.reservation_mismatches.len(), 1, "{report:?}");
    assert!(!report.is_sound());
    let output = obole(&month.database)
        .args(["ledger", "check"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && text.contains("reserved-budget accounts"),
        "{text}"
    );
    // October's settlement then refuses to call the month settled.
    let (ok, text) = month.settle(&[]);
    assert!(
        !ok && text.contains("FAILED its self-check") && text.contains("reserved budgets"),
        "{text}"
    );
}

#[test]
fn a_settlement_that_fails_its_self_check_is_marked_failed_until_retried() {
    let month = October::new();
    // The readers charged, then the creator credited: stopped just before the self-check…
    let (ok, text) = month.settle(&[
        ("OBOLE_SETTLE_CHUNK", "1"),
        ("OBOLE_SETTLE_STOP_AFTER_CHUNKS", "2"),
    ]);
    assert!(!ok && text.contains("stopped on request"), "{text}");
    // …and a statement total altered by hand in between.
    let mut conn = month.pool.get().expect("connection");
    diesel::sql_query("UPDATE creator_month_totals SET gross_micros = gross_micros + 1")
        .execute(&mut conn)
        .expect("alter");
    let (ok, text) = month.settle(&[]);
    assert!(
        !ok && text.contains("FAILED its self-check") && text.contains("creator totals"),
        "{text}"
    );
    use obole::db::schema::settlement_runs as r;
    let (state, error): (String, Option<String>) = r::table
        .select((r::state, r::error))
        .first(&mut conn)
        .expect("run");
    assert_eq!(state, "failed", "nothing is marked settled");
    assert!(error.is_some_and(|e| e.contains("creator totals")));
    // A failed month waits for an operator: running again changes nothing.
    let groups = month.groups();
    let (ok, text) = month.settle(&[]);
    assert!(!ok && text.contains("needs an operator"), "{text}");
    assert_eq!(month.groups(), groups);
    // Once the operator has put the total right, the run can be tried again: it checks, and
    // the month is settled.
    diesel::sql_query("UPDATE creator_month_totals SET gross_micros = gross_micros - 1")
        .execute(&mut conn)
        .expect("repair");
    let (ok, text) = month.settle(&[]);
    assert!(!ok && text.contains("--retry"), "{text}");
    let mut retry = obole(&month.database);
    retry.args(["settle", "--month", "2026-10", "--retry"]);
    let output = retry.output().expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    for line in OCTOBER_FIGURES {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    month.assert_settled();
}

#[test]
fn a_second_settlement_of_the_same_month_is_refused_while_one_runs() {
    let month = October::new();
    let october = obole::domain::Month::new(2026, 10).expect("month");
    // Hold the run's lock as a running settlement would.
    let mut conn = month.pool.get().expect("connection");
    let _file = match &mut *conn {
        DbConnection::Postgres(pg) => {
            use diesel::prelude::*;
            let key = obole::settlement::lock::advisory_key(october);
            diesel::sql_query(format!("SELECT pg_advisory_lock({key})"))
                .execute(pg)
                .expect("lock");
            None
        }
        DbConnection::Sqlite(_) => {
            let path =
                obole::settlement::lock::lock_file_of(std::path::Path::new(month.database.url()));
            let file = std::fs::File::create(path).expect("lock file");
            file.try_lock().expect("lock");
            Some(file)
        }
    };
    let groups = month.groups();
    let (ok, text) = month.settle(&[]);
    assert!(!ok && text.contains("already running"), "{text}");
    assert_eq!(month.groups(), groups, "the refused run wrote nothing");
}

#[tokio::test]
async fn operators_watch_each_months_settlement() {
    let app = crate::helpers::app::spawn_app_with(&[("OBOLE_CLOCK", "2026-11-02T08:00:00Z")]).await;
    let reader = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&reader).await;
    let forbidden = visitor
        .get(app.url("/operator/settlements"))
        .send()
        .await
        .expect("page");
    assert_eq!(forbidden.status(), reqwest::StatusCode::FORBIDDEN);

    let operator = app.a_user().create().await;
    let email = obole::domain::Email::parse(&operator.email).expect("email");
    app.db(move |conn| obole::models::users::grant_operator(conn, &email).expect("grant"))
        .await;
    let visitor = app.logged_in_visitor(&operator).await;
    let page = app.html(&visitor, "/operator/settlements", "en").await;
    assert!(page.contains("id=\"no-runs\""), "{page}");

    // October had no click: it settles to zero totals, and the page says so.
    let lock = tempfile::tempdir().expect("dir");
    let lock_file = lock.path().join("settle-lock");
    let pool = app.pool.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        obole::settlement::run::settle(
            &pool,
            Some(&lock_file),
            obole::domain::Month::new(2026, 10).expect("month"),
            rust_decimal::Decimal::from(10),
            "2026-11-02T08:00:00Z".parse().expect("instant"),
            Default::default(),
            &mut |_| {},
        )
        .expect("settle")
    })
    .await
    .expect("join");
    assert!(
        matches!(outcome, obole::settlement::run::Outcome::Settled(_)),
        "{outcome:?}"
    );
    let page = app.html(&visitor, "/operator/settlements", "en").await;
    assert!(
        page.contains("2026-10") && page.contains("Settled"),
        "{page}"
    );
    app.switch_language(&visitor, "fr").await;
    let page = app.html(&visitor, "/operator/settlements", "fr").await;
    assert!(
        page.contains("Règlements mensuels") && page.contains("Réglé"),
        "{page}"
    );
}

#[test]
fn two_settlements_started_together_write_once() {
    let month = October::new();
    let start = || {
        let mut command = obole(&month.database);
        command
            .args(["settle", "--month", "2026-10"])
            .env("OBOLE_SETTLE_CHUNK", "1")
            .env("OBOLE_SETTLE_PAUSE_MS", "300")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command.spawn().expect("spawn")
    };
    let (first, second) = (start(), start());
    let mut outcomes: Vec<(bool, String)> = [first, second]
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("wait");
            let text = String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr);
            (output.status.success(), text)
        })
        .collect();
    outcomes.sort();
    let [(false, refused), (true, settled)] = &outcomes[..] else {
        panic!("expected one refusal and one settlement: {outcomes:?}");
    };
    assert!(refused.contains("already running"), "{refused}");
    assert!(settled.contains("Settlement of 2026-10: done"), "{settled}");
    month.assert_settled();
}

#[tokio::test]
async fn the_server_settles_the_closed_month_by_itself() {
    let app = crate::helpers::app::spawn_app_with(&[
        ("OBOLE_CLOCK", "2026-11-02T08:00:00Z"),
        ("OBOLE_AUTO_SETTLE", "true"),
    ])
    .await;
    let october = obole::domain::Month::new(2026, 10).expect("month");
    let mut state = None;
    for _ in 0..100 {
        state = app
            .db(move |conn| {
                obole::models::settlement::find_run(conn, october)
                    .expect("run")
                    .map(|run| run.state.as_str().to_owned())
            })
            .await;
        if state.as_deref() == Some("done") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        state.as_deref(),
        Some("done"),
        "October settled by the server"
    );
    let november = obole::domain::Month::new(2026, 11).expect("month");
    let open = app
        .db(move |conn| obole::models::settlement::find_run(conn, november).expect("run"))
        .await;
    assert!(open.is_none(), "the open month is left alone");
}

/// A month settles only after a grace period past midnight (`OBOLE_SETTLE_GRACE_SECONDS`,
/// five minutes by default), so that a click sent in its last instant still lands in it.
#[test]
fn a_month_settles_only_once_its_grace_after_midnight_is_over() {
    let month = October::new();
    let early = [("OBOLE_CLOCK", "2026-11-01T00:02:00Z")];
    let (settled, text) = month.settle(&early);
    assert!(!settled, "{text}");
    assert!(text.contains("OBOLE_SETTLE_GRACE_SECONDS"), "{text}");
    assert!(text.contains("2026-11-01 00:05:00"), "{text}");
    let runs: i64 = obole::db::schema::settlement_runs::table
        .count()
        .get_result(&mut month.pool.get().expect("connection"))
        .expect("count");
    assert_eq!(runs, 0, "nothing started");
    let shorter = [
        ("OBOLE_CLOCK", "2026-11-01T00:02:00Z"),
        ("OBOLE_SETTLE_GRACE_SECONDS", "60"),
    ];
    let (settled, text) = month.settle(&shorter);
    assert!(settled, "{text}");
    month.assert_settled();
    let (settled, text) = month.settle(&[("OBOLE_SETTLE_GRACE_SECONDS", "soon")]);
    assert!(
        !settled && text.contains("OBOLE_SETTLE_GRACE_SECONDS"),
        "{text}"
    );
}
