//! The month-end settlement job, for schedulers that run one program per job (cron, systemd
//! timers): the same as `obole settle`, whose logic lives in `obole::settlement`.
//!
//! Usage: obole-settle --month YYYY-MM [--dry-run | --retry]   (configuration: the OBOLE_*
//! variables)

use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "obole-settle",
    about = "Settle a closed month (same as `obole settle`)."
)]
struct Args {
    /// The month to settle, such as 2026-10; it must be over.
    #[arg(long)]
    month: String,
    /// Print what the month would pay without writing anything.
    #[arg(long)]
    dry_run: bool,
    /// Try again a month whose run failed its self-check (after the cause is fixed).
    #[arg(long, conflicts_with = "dry_run")]
    retry: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let settings = match obole::config::Settings::from_environment() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("obole-settle: invalid configuration: {e}");
            return ExitCode::from(2);
        }
    };
    let filter =
        tracing_subscriber::EnvFilter::try_new(&settings.log).unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    match obole::settlement::command::run(&settings, &args.month, args.dry_run, args.retry) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("obole-settle: {e:#}");
            ExitCode::FAILURE
        }
    }
}
