//! `obole settle`: so far the arithmetic over a closed month, read from the database
//! (`--dry-run`); the writing part of issue 5 is to come.

use std::process::Command;

use chrono::{DateTime, Utc};
use obole::db::DbConnection;
use obole::domain::budget::BudgetAmount;
use obole::domain::thing::{ContentLanguage, ThingInput};
use obole::domain::{Money, NewAccount, ThingId, UserId};

use crate::helpers::database::TestDatabase;

fn obole(database: &TestDatabase) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_obole"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("OBOLE_")) {
        command.env_remove(name);
    }
    command
        .env("OBOLE_LOG", "warn")
        .env("OBOLE_DATABASE_URL", database.url())
        // Early November: October is over.
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
    let code = obole::wallet::issue_vouchers(conn, ten, 1, None, october(1)).expect("voucher");
    obole::wallet::redeem_voucher(conn, id, &code[0].display(), october(1)).expect("redeem");
    let budget = BudgetAmount::parse(budget, Money::from_micros(100_000_000)).expect("budget");
    obole::wallet::set_budget(conn, id, budget, Some(false), october(1)).expect("set budget");
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
    obole::things::add(conn, owner, &input, october(1))
        .expect("add")
        .thing_id()
}

fn ledger_groups(conn: &mut DbConnection) -> i64 {
    use diesel::prelude::*;
    obole::db::schema::ledger_groups::table
        .count()
        .get_result(conn)
        .expect("count")
}

#[test]
fn a_dry_run_shows_what_a_closed_month_pays_and_writes_nothing() {
    let database = TestDatabase::fresh();
    let settings = obole::config::Settings::from_pairs(&[("OBOLE_DATABASE_URL", database.url())])
        .expect("settings");
    let pool = obole::db::connect_pool(&settings.database_url, 1).expect("pool");
    obole::startup::migrate(&pool).expect("migrate");
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
        obole::clicks::click(&mut conn, who, what, october(10)).expect("click");
    }
    obole::clicks::undo(&mut conn, undoer, second, october(11)).expect("undo");
    // A November click is not October's.
    obole::clicks::click(
        &mut conn,
        bob,
        second,
        "2026-11-01T09:00:00Z".parse().expect("instant"),
    )
    .expect("click");
    let groups = ledger_groups(&mut conn);

    let output = obole(&database)
        .args(["settle", "--month", "2026-10", "--dry-run"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "readers:  2",
        "clicks:   3",
        "creators: 1",
        "debited:  5.00",
        "gross:    5.00",
        "fees:     0.50",
        "net:      4.50",
    ] {
        assert!(stdout.contains(line), "{line:?} in {stdout}");
    }
    assert_eq!(ledger_groups(&mut conn), groups, "a dry run writes nothing");

    let output = obole(&database)
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
        let output = obole(&database).args(args).output().expect("run");
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
