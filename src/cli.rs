//! The `obole` command line. No subcommand means `serve`.

mod args;
mod backup;
mod payouts;
mod receipts;
use args::{
    Cli, Command, LedgerCommand, PayoutCommand, ReceiptCommand, SiteCommand, UserCommand,
    VoucherCommand,
};

use std::io::Write as _;
use std::net::TcpListener;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::domain::{Email, Money};
use crate::models::{ledger, users, vouchers};
use crate::startup;
use crate::use_cases::wallet;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Checking a receipt needs no database and no configuration: it runs before the settings
    // are read, so that anyone can run it anywhere, whatever their environment holds.
    if let Some(Command::Receipts {
        command: ReceiptCommand::Verify { file, root },
    }) = &cli.command
    {
        return receipts::verify(file, root.as_deref());
    }
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
        Command::Backup { to } => backup::run(&settings, &to),
        Command::Payouts {
            command: PayoutCommand::Export { format, to },
        } => payouts::export(&settings, &format, to.as_deref()),
        // Answered above, before the settings.
        Command::Receipts { .. } => Ok(()),
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
    Clock::from_settings(settings)
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
