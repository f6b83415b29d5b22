//! Seeds a database for the click benchmark (`jobs/bench/bench_http.sh`): one creator with `--things`
//! things, `--readers` readers with funds, a budget and an API token each, written straight
//! through the library (the sign-up API is rate-limited, rightly). Writes a Lua file that
//! wrk's click script reads. Not part of the product.
//!
//! Usage: OBOLE_DATABASE_URL=… obole-bench-seed --readers 4000 --things 100 --lua seed.lua
//! [--reserve] [--clicks N] [--creators C]
//!
//! `--clicks N`: every reader also clicks N of the things (a different selection each), for
//! settlement measurements: settle the month once it is over, e.g. with `OBOLE_CLOCK`.

use std::io::Write as _;

use anyhow::Context as _;
use chrono::Utc;
use obole::config::Settings;
use obole::db::backend::write_transaction;
use obole::domain::budget::BudgetAmount;
use obole::domain::thing::{ContentLanguage, ThingInput};
use obole::domain::{Email, Locale, Money, NewAccount, UserId};
use obole::models::{api_tokens, ledger, users};
use obole::use_cases::{things, wallet};
use obole::{db, security, startup};

#[path = "bench_args.rs"]
mod bench_args;
use bench_args::arg;

fn main() -> anyhow::Result<()> {
    let readers: u32 = arg("--readers", "4000").parse().context("--readers")?;
    let thing_count: u32 = arg("--things", "100").parse().context("--things")?;
    let lua = arg("--lua", "seed.lua");
    let settings = Settings::from_environment().map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = db::connect_pool(&settings.database_url, 2)?;
    startup::migrate(&pool)?;
    let mut conn = pool.get()?;
    let now = Utc::now();
    // One Argon2 hash for every seeded account: hashing thousands would dominate the setup.
    let password = obole::domain::NewPassword::parse("bench password")?;
    let hash = security::passwords::hash(&password)?;
    let account = |n: u32| -> anyhow::Result<NewAccount> {
        Ok(NewAccount {
            email: Email::parse(&format!("bench{n}@example.org"))?,
            password: obole::domain::NewPassword::parse("bench password")?,
            display_name: obole::domain::DisplayName::parse(&format!("Bench {n}"))?,
            locale: Locale::En,
        })
    };
    // Creators are numbered after the readers' range, so their emails never collide.
    let creator_count: u32 = arg("--creators", "1").parse().context("--creators")?;
    let mut creators = Vec::new();
    for c in 0..creator_count.max(1) {
        creators.push(write_transaction(
            &mut conn,
            |conn| -> anyhow::Result<UserId> {
                let number = if c == 0 { 0 } else { 1_000_000_000 + c };
                let user = users::insert(conn, &account(number)?, &hash, now)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                ledger::open_user_accounts(conn, user.user_id())?;
                Ok(user.user_id())
            },
        )?);
    }
    let creator = creators[0];
    let mut thing_ids = Vec::new();
    for n in 0..thing_count {
        let input = ThingInput::parse(
            &format!("https://bench.example/{n}"),
            &format!("Thing {n}"),
            None,
            None,
            None,
            ContentLanguage::English,
        )?;
        let owner = creators[usize::try_from(n).unwrap_or(0) % creators.len()];
        thing_ids.push(things::add(&mut conn, owner, &input, now)?.id);
    }
    let budget = BudgetAmount::parse("2.00", settings.max_budget)?;
    let codes = wallet::issue_vouchers(
        &mut conn,
        Money::from_micros(100_000_000),
        readers,
        None,
        now,
    )?;
    // With --reserve, every reader has clicked a thing that the click script never visits, so
    // the month's budgets are reserved before the run: the steady state of a month.
    let reserve = std::env::args().any(|a| a == "--reserve");
    let clicks_each: usize = arg("--clicks", "0").parse().context("--clicks")?;
    let warm_up_thing = if reserve {
        let input = ThingInput::parse(
            "https://bench.example/warm-up",
            "Warm-up",
            None,
            None,
            None,
            ContentLanguage::English,
        )?;
        Some(things::add(&mut conn, creator, &input, now)?.thing_id())
    } else {
        None
    };
    let mut tokens = Vec::new();
    for (n, code) in (1..=readers).zip(codes) {
        let token = write_transaction(&mut conn, |conn| -> anyhow::Result<String> {
            let user = users::insert(conn, &account(n)?, &hash, now)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let id = user.user_id();
            ledger::open_user_accounts(conn, id)?;
            wallet::redeem_voucher(conn, id, &code.display(), now)?;
            wallet::set_budget(conn, id, budget, Some(false), now)?;
            if let Some(thing) = warm_up_thing {
                obole::use_cases::clicks::click(conn, id, thing, now)?;
            }
            for k in 0..clicks_each {
                let at = (usize::try_from(n).unwrap_or(0) * 7 + k * 13) % thing_ids.len().max(1);
                if let Some(thing) = thing_ids.get(at) {
                    match obole::use_cases::clicks::click(
                        conn,
                        id,
                        obole::domain::ThingId(*thing),
                        now,
                    ) {
                        Ok(_) | Err(obole::use_cases::clicks::ClickError::AlreadyClicked) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            Ok(api_tokens::create(conn, id, now)?.reveal())
        })?;
        tokens.push(token);
    }
    let mut out = std::fs::File::create(&lua)?;
    writeln!(out, "tokens = {{")?;
    for token in &tokens {
        writeln!(out, "  \"{token}\",")?;
    }
    writeln!(
        out,
        "}}\nthings = {{ {} }}",
        thing_ids
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    println!(
        "seeded {readers} readers and {thing_count} things into {}",
        settings.database_url.backend_name()
    );
    Ok(())
}
