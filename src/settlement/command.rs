//! `obole settle` and `jobs/settle.rs` (`obole-settle`): parse, run, print the summary.

use std::io::Write as _;

use anyhow::Context as _;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db;
use crate::domain::{Money, Month};

/// `obole settle --month M [--dry-run | --retry]`: prints the month's totals, or settles it
/// (again, after a failed self-check, with `retry`) and prints them.
pub fn run(settings: &Settings, month: &str, dry_run: bool, retry: bool) -> anyhow::Result<()> {
    let month = Month::parse(month)
        .map_err(|_| anyhow::anyhow!("--month {month:?}: expected a month such as 2026-10"))?;
    let now = Clock::from_settings(settings).now();
    super::check_closed(month, now, settings.settle_grace, settings.time_zone)?;
    let started = std::time::Instant::now();
    // Two connections: on PostgreSQL a run writes the statements beside the ledger.
    let pool = db::connect_pool(&settings.database_url, 2)?;
    // The schema is brought up to date here rather than through `startup`, which sits above
    // settlement: the command may be the first thing to open a new database.
    for version in db::migrations::run_pending(&mut *pool.get()?)? {
        tracing::info!(%version, "applied migration");
    }
    if !dry_run {
        return settle_for_real(settings, &pool, month, now, started, retry);
    }
    let mut conn = pool.get()?;
    let totals = super::dry_run(
        &mut conn,
        month,
        settings.fee_percent,
        now,
        settings.settle_grace,
        settings.time_zone,
    )
    .with_context(|| format!("cannot compute the settlement of {month}"))?;
    let money = Money::to_api_string;
    let gross = super::sum(totals.creators.values().map(|e| e.gross))?;
    let net = gross
        .checked_sub(totals.fees)
        .ok_or(super::SettlementError::Overflow)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Settlement of {month} (dry run: nothing was written)")?;
    writeln!(out, "readers:  {}", totals.readers)?;
    writeln!(out, "clicks:   {}", totals.clicks)?;
    writeln!(out, "creators: {}", totals.creators.len())?;
    writeln!(out, "debited:  {}", money(totals.debited))?;
    writeln!(out, "gross:    {}", money(gross))?;
    writeln!(out, "fees:     {}", money(totals.fees))?;
    writeln!(out, "net:      {}", money(net))?;
    writeln!(out, "held:     {}", money(totals.held))?;
    writeln!(out, "duration: {:.3} s", started.elapsed().as_secs_f64())?;
    Ok(())
}

/// Settles `month` in the database. `OBOLE_SETTLE_CHUNK` (readers per chunk),
/// `OBOLE_SETTLE_STOP_AFTER_CHUNKS` (stop as if the process died) and `OBOLE_SETTLE_PAUSE_MS`
/// (a pause after each chunk) are for tests only.
fn settle_for_real(
    settings: &Settings,
    pool: &crate::db::DbPool,
    month: Month,
    now: chrono::DateTime<chrono::Utc>,
    started: std::time::Instant,
    retry: bool,
) -> anyhow::Result<()> {
    use super::run::{Outcome, RunOptions, settle};
    let number = |name: &str| -> anyhow::Result<Option<u64>> {
        std::env::var(name)
            .ok()
            .map(|text| {
                text.trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| anyhow::anyhow!("{name}: a positive whole number"))
            })
            .transpose()
    };
    let mut options = RunOptions {
        retry_failed: retry,
        grace: settings.settle_grace,
        zone: settings.time_zone,
        hold_months: settings.claim_hold_months,
        charity: settings.operator.charity.as_ref().map(|c| c.name.clone()),
        head_key: Some(crate::security::head_key::load_or_create(settings)?),
        stop_after_chunks: number("OBOLE_SETTLE_STOP_AFTER_CHUNKS")?,
        pause_after_chunk: number("OBOLE_SETTLE_PAUSE_MS")?.map(std::time::Duration::from_millis),
        ..RunOptions::default()
    };
    if let Some(chunk) = number("OBOLE_SETTLE_CHUNK")? {
        options.readers_per_chunk = i64::try_from(chunk)?;
        options.creators_per_chunk = i64::try_from(chunk)?;
    }
    let lock_file = super::lock::lock_file_for(&settings.database_url);
    // On a terminal only: indicatif draws nothing when standard error is not one.
    let readers = crate::models::settlement::readers_to_settle(&mut *pool.get()?, month)?;
    let bar = indicatif::ProgressBar::new(u64::try_from(readers).unwrap_or(0));
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {human_pos}/{human_len} readers, {eta} left",
        )?
        .progress_chars("=> "),
    );
    bar.set_message(format!("Settling {month}"));
    let outcome = settle(
        pool,
        lock_file.as_deref(),
        month,
        settings.fee_percent,
        now,
        options,
        &mut |done| bar.set_position(u64::try_from(done).unwrap_or(0)),
    );
    bar.finish_and_clear();
    let outcome = outcome?;
    let (settled, fresh) = match outcome {
        Outcome::Settled(settled) => (settled, true),
        Outcome::AlreadySettled(settled) => (settled, false),
    };
    let mut out = std::io::stdout().lock();
    if fresh {
        writeln!(out, "Settlement of {month}: done")?;
    } else {
        writeln!(
            out,
            "Settlement of {month}: already settled, nothing changed"
        )?;
    }
    // The creators' gross is what was debited less what was held for unclaimed things.
    let gross = settled
        .debited
        .checked_sub(settled.held)
        .ok_or(super::SettlementError::Overflow)?;
    writeln!(out, "readers:  {}", settled.readers)?;
    writeln!(out, "clicks:   {}", settled.clicks)?;
    writeln!(out, "creators: {}", settled.creators)?;
    writeln!(out, "debited:  {}", settled.debited.to_api_string())?;
    writeln!(out, "gross:    {}", gross.to_api_string())?;
    writeln!(out, "fees:     {}", settled.fees.to_api_string())?;
    let net = gross
        .checked_sub(settled.fees)
        .ok_or(super::SettlementError::Overflow)?;
    writeln!(out, "net:      {}", net.to_api_string())?;
    writeln!(out, "held:     {}", settled.held.to_api_string())?;
    if settled.donated > Money::ZERO {
        writeln!(out, "donated:  {}", settled.donated.to_api_string())?;
    }
    writeln!(out, "duration: {:.3} s", started.elapsed().as_secs_f64())?;
    Ok(())
}
