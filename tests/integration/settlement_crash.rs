//! A settlement killed at many points, then run again, ends with the same ledger, row for
//! row, as one that ran uninterrupted: nothing paid twice, nothing lost.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use diesel::prelude::*;
use obole::db::DbConnection;
use obole::domain::budget::BudgetAmount;
use obole::domain::thing::{ContentLanguage, ThingInput};
use obole::domain::{Money, NewAccount, ThingId, UserId};
use rand::Rng as _;

use crate::helpers::database::TestDatabase;
use crate::helpers::program::program;

const READERS: i64 = 36;
const CREATORS: i64 = 40;

fn at(day: u32) -> chrono::DateTime<chrono::Utc> {
    format!("2026-10-{day:02}T12:00:00Z")
        .parse()
        .expect("instant")
}

/// The same October in any fresh database: 40 creators with a thing each, 36 readers with
/// budgets from 2.00 up, each clicking a different selection of ten things. Settled with
/// chunks of one, the readers' stage and each creator commit on their own: 41 commits.
fn october(database: &TestDatabase) {
    let pool = database.pool(1);
    let mut conn = pool.get().expect("connection");
    let password = obole::domain::NewPassword::parse("correct horse").expect("password");
    let hash = obole::security::passwords::hash(&password).expect("hash");
    let account = |conn: &mut DbConnection, n: i64| -> UserId {
        let new = NewAccount::parse(
            &format!("user{n}@example.org"),
            "correct horse",
            None,
            None,
            Default::default(),
        )
        .expect("account");
        let user = obole::models::users::insert(conn, &new, &hash, at(1)).expect("insert");
        obole::models::ledger::open_user_accounts(conn, user.user_id()).expect("accounts");
        user.user_id()
    };
    let mut things: Vec<ThingId> = Vec::new();
    for creator in 0..CREATORS {
        let owner = account(&mut conn, creator);
        let input = ThingInput::parse(
            &format!("https://creator{creator}.example/"),
            "A thing",
            None,
            None,
            None,
            ContentLanguage::French,
        )
        .expect("thing");
        things.push(
            obole::use_cases::things::add(&mut conn, owner, &input, at(1))
                .expect("add")
                .thing_id(),
        );
        crate::helpers::builders::claim_page(
            &mut conn,
            owner,
            &format!("https://creator{creator}.example/"),
        );
    }
    let ten = Money::parse_user_amount("50.00").expect("amount");
    for n in 0..READERS {
        let reader = account(&mut conn, 100 + n);
        let code = obole::use_cases::wallet::issue_vouchers(&mut conn, ten, 1, None, at(1))
            .expect("voucher");
        obole::use_cases::wallet::redeem_voucher(&mut conn, reader, &code[0].display(), at(1))
            .expect("redeem");
        let budget = format!("{}.{:02}", 2 + n % 5, (n * 37) % 100);
        let budget = BudgetAmount::parse(&budget, Money::from_micros(100_000_000)).expect("budget");
        obole::use_cases::wallet::set_budget(&mut conn, reader, budget, Some(false), at(1))
            .expect("budget");
        for (t, thing) in things.iter().enumerate() {
            let t = i64::try_from(t).expect("index");
            if (n * 5 + t * 3) % 4 == 0 {
                obole::use_cases::clicks::click(&mut conn, reader, *thing, at(10)).expect("click");
            }
        }
    }
}

/// Everything settlement writes, without row ids (PostgreSQL does not give back the sequence
/// values of a killed transaction).
fn snapshot(database: &TestDatabase) -> Vec<String> {
    use obole::db::schema::{
        creator_month_totals as c, ledger_accounts as a, ledger_entries as e, ledger_groups as g,
        settlement_runs as r, thing_month_totals as t,
    };
    let pool = database.pool(1);
    let mut conn = pool.get().expect("connection");
    let mut rows = Vec::new();
    type Entry = (Option<String>, String, String, Option<i64>, i64, i64);
    let entries: Vec<Entry> = e::table
        .inner_join(g::table)
        .inner_join(a::table)
        .order((g::id.asc(), e::id.asc()))
        .select((
            g::unique_key,
            g::kind,
            a::kind,
            a::owner_id,
            e::amount_micros,
            e::balance_after_micros,
        ))
        .load(&mut conn)
        .expect("entries");
    rows.extend(entries.into_iter().map(|row| format!("entry {row:?}")));
    let accounts: Vec<(String, Option<i64>, i64)> = a::table
        .order((a::kind.asc(), a::owner_id.asc()))
        .select((a::kind, a::owner_id, a::balance_micros))
        .load(&mut conn)
        .expect("accounts");
    rows.extend(accounts.into_iter().map(|row| format!("account {row:?}")));
    let creators: Vec<(i64, String, i64, i64, i64)> = c::table
        .order(c::creator_id.asc())
        .select((
            c::creator_id,
            c::month,
            c::clicks,
            c::gross_micros,
            c::fee_micros,
        ))
        .load(&mut conn)
        .expect("creator totals");
    rows.extend(creators.into_iter().map(|row| format!("creator {row:?}")));
    let things: Vec<(i64, String, i64, i64)> = t::table
        .order(t::thing_id.asc())
        .select((t::thing_id, t::month, t::clicks, t::amount_micros))
        .load(&mut conn)
        .expect("thing totals");
    rows.extend(things.into_iter().map(|row| format!("thing {row:?}")));
    let runs: Vec<(String, String, String, i64, i64, i64, i64)> = r::table
        .select((
            r::month,
            r::state,
            r::stage,
            r::readers,
            r::clicks,
            r::debited_micros,
            r::fees_micros,
        ))
        .load(&mut conn)
        .expect("runs");
    rows.extend(runs.into_iter().map(|row| format!("run {row:?}")));
    rows
}

fn settle(database: &TestDatabase, extra: &[(&str, &str)]) -> Command {
    let mut command = program(env!("CARGO_BIN_EXE_obole"));
    command
        .args(["settle", "--month", "2026-10"])
        .env("OBOLE_LOG", "off")
        .env("OBOLE_DATABASE_URL", database.url())
        .env("OBOLE_CLOCK", "2026-11-02T08:00:00Z")
        .env("OBOLE_SETTLE_CHUNK", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in extra {
        command.env(name, value);
    }
    command
}

/// Runs to the end, waiting out the lock of a killed run's last moments.
fn finish(database: &TestDatabase) -> String {
    for _ in 0..50 {
        let output = settle(database, &[]).output().expect("run");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        if output.status.success() {
            return text;
        }
        assert!(text.contains("already running"), "{text}");
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the settlement never finished");
}

#[test]
fn a_settlement_killed_anywhere_ends_exactly_like_an_uninterrupted_one() {
    let reference = TestDatabase::fresh();
    october(&reference);
    finish(&reference);
    let expected = snapshot(&reference);
    assert!(
        expected.iter().any(|row| row.contains("\"done\"")),
        "{expected:?}"
    );

    // Stopped after every committed chunk: one process per chunk, to the end.
    let stopped = TestDatabase::fresh();
    october(&stopped);
    let mut stops = 0;
    loop {
        let output = settle(&stopped, &[("OBOLE_SETTLE_STOP_AFTER_CHUNKS", "1")])
            .output()
            .expect("run");
        if output.status.success() {
            break;
        }
        let text = String::from_utf8_lossy(&output.stderr);
        assert!(text.contains("stopped on request"), "{text}");
        stops += 1;
        assert!(stops < 1_000, "the stops never end");
    }
    assert_eq!(snapshot(&stopped), expected, "after {stops} stops");

    // Killed with SIGKILL after random delays, at whatever it was doing, in fresh copies of
    // the month until the kills have landed at enough different points of the run. A run of
    // this small month lasts a few milliseconds after the program's start: every other copy
    // pauses a millisecond after each chunk, so that the kills spread over the whole run
    // rather than bunch at its start, even on a busy machine.
    let mut rng = rand::thread_rng();
    let mut points = BTreeSet::new();
    for copy in 0..20 {
        let killed = TestDatabase::fresh();
        october(&killed);
        let pause: &[(&str, &str)] = if copy % 2 == 0 {
            &[("OBOLE_SETTLE_PAUSE_MS", "1")]
        } else {
            &[]
        };
        for _ in 0..200 {
            let mut child = settle(&killed, pause).spawn().expect("spawn");
            std::thread::sleep(Duration::from_micros(rng.gen_range(2_000..60_000)));
            let running = child.try_wait().expect("wait").is_none();
            let _ = child.kill();
            child.wait().expect("wait");
            let progress = run_progress(&killed);
            if running && progress.0 != "done" {
                points.insert(progress.clone());
            }
            if progress.0 == "done" {
                break;
            }
        }
        finish(&killed);
        assert_eq!(snapshot(&killed), expected, "after kills at {points:?}");
        if points.len() >= 20 {
            break;
        }
    }
    assert!(
        stops >= 30 && points.len() >= 20,
        "{stops} stops and kills at {} points of the run",
        points.len()
    );
}

/// Where the month's run stands: (stage, reader cursor, creator cursor).
fn run_progress(database: &TestDatabase) -> (String, i64, i64) {
    use obole::db::schema::settlement_runs as r;
    let pool = database.pool(1);
    let mut conn = pool.get().expect("connection");
    r::table
        .select((r::stage, r::reader_cursor, r::creator_cursor))
        .first(&mut conn)
        .optional()
        .expect("run")
        .unwrap_or(("none".into(), 0, 0))
}

/// The fee rate is the run's: a run stopped at 10 % and resumed after `OBOLE_FEE_PERCENT`
/// changed to 20 finishes at 10 %, exactly like a run that was never stopped.
#[test]
fn a_resumed_run_keeps_the_fee_rate_it_started_with() {
    let reference = TestDatabase::fresh();
    october(&reference);
    finish(&reference);
    let expected = snapshot(&reference);

    let resumed = TestDatabase::fresh();
    october(&resumed);
    let first = settle(&resumed, &[("OBOLE_SETTLE_STOP_AFTER_CHUNKS", "1")])
        .output()
        .expect("run");
    assert!(!first.status.success(), "stopped after one chunk");
    let mut runs = 0;
    loop {
        let output = settle(&resumed, &[("OBOLE_FEE_PERCENT", "20")])
            .output()
            .expect("run");
        if output.status.success() {
            break;
        }
        runs += 1;
        assert!(runs < 50, "{}", String::from_utf8_lossy(&output.stderr));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(snapshot(&resumed), expected);
    let pool = resumed.pool(1);
    let rate: Option<String> = obole::db::schema::settlement_runs::table
        .select(obole::db::schema::settlement_runs::fee_percent)
        .first(&mut pool.get().expect("connection"))
        .expect("run");
    assert_eq!(rate.as_deref(), Some("10"));
}
