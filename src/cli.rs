//! The `obole` command line. No subcommand means `serve`.

use std::net::TcpListener;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::startup;

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
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "obole stopped");
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

fn migrate(settings: Settings) -> anyhow::Result<()> {
    let pool = crate::db::connect_pool(&settings.database_url, 1)?;
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
