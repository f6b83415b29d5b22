//! The `obole` command line. No subcommand means `serve`.

use std::io::Write as _;
use std::net::TcpListener;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::domain::{Email, Money};
use crate::models::{ledger, users, vouchers};
use crate::startup;
use crate::use_cases::wallet;

#[derive(Parser)]
#[command(
    name = "obole",
    version,
    about = "Monthly pooled tipping: fund, click, settle, pay out."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations, then exit. Safe to run again.
    Migrate,
    /// Prepaid vouchers.
    Vouchers {
        #[command(subcommand)]
        command: VoucherCommand,
    },
    /// Accounts.
    Users {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Settle a closed month: split each reader's budget over their clicks and pay creators.
    Settle {
        /// The month to settle, such as 2026-10; it must be over.
        #[arg(long)]
        month: String,
        /// Print what the month would pay without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Try again a month whose run failed its self-check (after the cause is fixed): the
        /// run resumes where it stopped.
        #[arg(long, conflicts_with = "dry_run")]
        retry: bool,
    },
    /// The double-entry ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Creators' sites: the proofs that pages are theirs.
    Sites {
        #[command(subcommand)]
        command: SiteCommand,
    },
}

#[derive(Subcommand)]
enum SiteCommand {
    /// Vouch, as an operator, that sites are an account's: the things under them become its,
    /// with what was held for them. With --existing-things, vouch for every thing nobody has
    /// claimed yet, each for its owner of today (an instance's creators before claims).
    Grant {
        /// The account's email address.
        #[arg(long, required_unless_present = "existing_things")]
        email: Option<String>,
        /// The site: an origin (https://example.org/) or a profile page; may be repeated.
        #[arg(long = "url", required_unless_present = "existing_things")]
        urls: Vec<String>,
        /// Vouch for the page of every unclaimed thing, for its owner.
        #[arg(long, conflicts_with_all = ["email", "urls"])]
        existing_things: bool,
    },
}

#[derive(Subcommand)]
enum VoucherCommand {
    /// Issue vouchers and print one code per line (the only time the codes are shown).
    Create {
        /// The value of each voucher, such as 10.00.
        #[arg(long)]
        amount: String,
        /// How many vouchers to issue.
        #[arg(long, default_value_t = 1)]
        count: u32,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Give an account the operator role.
    GrantOperator { email: String },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Prove that every movement balances and every cached balance equals its entries.
    Check,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_environment() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("obole: invalid configuration: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&settings.log);
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(settings),
        Command::Vouchers {
            command: VoucherCommand::Create { amount, count },
        } => create_vouchers(settings, &amount, count),
        Command::Users {
            command: UserCommand::GrantOperator { email },
        } => grant_operator(settings, &email),
        Command::Settle {
            month,
            dry_run,
            retry,
        } => settle(settings, &month, dry_run, retry),
        Command::Ledger {
            command: LedgerCommand::Check,
        } => check_ledger(settings),
        Command::Sites {
            command:
                SiteCommand::Grant {
                    email,
                    urls,
                    existing_things,
                },
        } => {
            let now = clock(&settings).now();
            open_database(&settings).and_then(|pool| {
                let mut conn = pool.get()?;
                if existing_things {
                    crate::use_cases::claims::command::grant_existing(&mut conn, now)
                } else {
                    crate::use_cases::claims::command::grant(
                        &mut conn,
                        email.as_deref(),
                        &urls,
                        now,
                    )
                }
            })
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::debug!(error = format!("{e:#}"), "obole stopped");
            eprintln!("obole: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let bind = settings.bind;
    let backend = settings.database_url.backend_name();
    let base_url = settings.base_url.clone();
    let prepared = startup::prepare(settings)?;
    let listener =
        TcpListener::bind(bind).with_context(|| format!("cannot listen on {bind} (OBOLE_BIND)"))?;
    tracing::info!(%bind, database = backend, "Obole is serving {base_url}");
    actix_web::rt::System::new().block_on(async move {
        startup::serve(prepared, listener, None)?
            .await
            .context("the server stopped with an error")
    })
}

/// A small pool with migrations applied, for one-shot commands.
fn open_database(settings: &Settings) -> anyhow::Result<DbPool> {
    let pool = db::connect_pool(&settings.database_url, 1)?;
    startup::migrate(&pool)?;
    Ok(pool)
}

fn clock(settings: &Settings) -> Clock {
    settings.clock.map_or(Clock::System, Clock::Fixed)
}

fn migrate(settings: Settings) -> anyhow::Result<()> {
    let pool = db::connect_pool(&settings.database_url, 1)?;
    let applied = startup::migrate(&pool)?;
    if applied.is_empty() {
        println!(
            "The {} database is up to date.",
            settings.database_url.backend_name()
        );
    } else {
        println!(
            "Applied {} migration(s): {}",
            applied.len(),
            applied.join(", ")
        );
    }
    Ok(())
}

fn create_vouchers(settings: Settings, amount: &str, count: u32) -> anyhow::Result<()> {
    let amount = Money::parse_user_amount(amount)
        .map_err(|e| anyhow::anyhow!("--amount {amount:?}: {e}"))?;
    let pool = open_database(&settings)?;
    let mut conn = pool.get()?;
    let codes = wallet::issue_vouchers(&mut conn, amount, count, None, clock(&settings).now())
        .with_context(|| format!("cannot issue {count} voucher(s) of {amount}"))?;
    let mut out = std::io::stdout().lock();
    for code in codes {
        writeln!(out, "{}", code.display())?;
    }
    tracing::info!(count, amount = %amount, "issued vouchers");
    Ok(())
}

fn grant_operator(settings: Settings, email: &str) -> anyhow::Result<()> {
    let parsed =
        Email::parse(email).map_err(|_| anyhow::anyhow!("{email:?} is not an email address"))?;
    let pool = open_database(&settings)?;
    if !users::grant_operator(&mut *pool.get()?, &parsed)? {
        anyhow::bail!("no account has the email {}", parsed.as_str());
    }
    println!("{} is now an operator.", parsed.as_str());
    Ok(())
}

fn settle(settings: Settings, month: &str, dry_run: bool, retry: bool) -> anyhow::Result<()> {
    crate::settlement::command::run(&settings, month, dry_run, retry)
}

fn check_ledger(settings: Settings) -> anyhow::Result<()> {
    let pool = open_database(&settings)?;
    let mut conn = pool.get()?;
    let report = ledger::check(&mut conn)?;
    let outstanding = ledger::balance(
        &mut conn,
        crate::domain::ledger::AccountRef::Platform(
            crate::domain::ledger::AccountKind::VouchersOutstanding,
        ),
    )?;
    let unredeemed = Money::from_micros(vouchers::outstanding_micros(&mut conn)?);
    if !report.is_sound() || outstanding != unredeemed {
        anyhow::bail!(
            "the ledger is NOT sound: unbalanced groups {:?}, cached balances that differ from their entries {:?}, \
             negative holding accounts {:?}, reserved-budget accounts that differ from the budgets reserved {:?}, \
             pending payouts that differ from the requests waiting {:?}, card payments that differ from the payments credited less refunds {:?}, \
             a held account that differs from the holds waiting {:?}, vouchers outstanding {outstanding} against {unredeemed} unredeemed",
            report.unbalanced_groups,
            report.cache_mismatches,
            report.negative_holdings,
            report.reservation_mismatches,
            report.pending_payout_mismatches,
            report.card_payment_mismatches,
            report.held_mismatches
        );
    }
    println!(
        "The ledger is sound: every movement balances, every balance equals its entries, the reserved budgets \
         are the budgets not yet settled, pending payouts are the requests waiting, card payments are the payments credited less refunds, \
         the held account is the holds waiting, vouchers outstanding {outstanding}."
    );
    Ok(())
}
