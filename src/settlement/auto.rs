//! `obole serve` settles the previous month by itself once it has closed
//! (`OBOLE_AUTO_SETTLE`, on by default). Several server processes may try at once: the run's
//! lock lets one settle and the others learn that it is running, and a settled month is only
//! read. A run that failed its self-check is left for an operator, loudly.

use std::sync::Arc;
use std::time::Duration;

use super::SettlementError;
use super::lock::lock_file_for;
use super::run::{Outcome, RunOptions, settle};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::DbPool;
use crate::domain::Month;
use crate::domain::states::RunState;
use crate::metrics::SettlementStages;
use crate::models::settlement as rows;
use crate::workers::{self, Round, Running};

/// How often a server looks for a closed month to settle.
const CHECK_EVERY: Duration = Duration::from_secs(10 * 60);

/// Starts the worker that looks now, then every `CHECK_EVERY`, with a pool of its own: a run
/// holds its connections for its whole length, which the requests' pool must not miss. The
/// runs' stage durations go to `stages`.
pub fn start(
    settings: Arc<Settings>,
    clock: Clock,
    stages: SettlementStages,
) -> anyhow::Result<Running> {
    let pool = crate::db::connect_pool(&settings.database_url, 2)?;
    Ok(workers::start(
        AutoSettle {
            pool,
            settings,
            clock,
            stages,
        },
        CHECK_EVERY,
    )?)
}

struct AutoSettle {
    pool: DbPool,
    settings: Arc<Settings>,
    clock: Clock,
    stages: SettlementStages,
}

impl workers::Worker for AutoSettle {
    fn name(&self) -> &'static str {
        "auto-settle"
    }

    /// Failures are logged where they happen, with the month: the round itself never fails.
    fn round(&mut self) -> anyhow::Result<Round> {
        settle_previous_month(&self.pool, &self.settings, &self.clock, &self.stages);
        Ok(Round::Idle)
    }
}

fn settle_previous_month(
    pool: &DbPool,
    settings: &Settings,
    clock: &Clock,
    stages: &SettlementStages,
) {
    let now = clock.now();
    // The month before the one that contains `now - grace` on the instance's calendar: the
    // last month whose grace is over.
    let month = Month::containing(now - settings.settle_grace, clock.zone()).previous();
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!(error = %e, %month, "no connection to settle the closed month");
            return;
        }
    };
    match rows::find_run(&mut conn, month) {
        Ok(Some(run)) if run.state == RunState::Done => return,
        Ok(Some(run)) if run.state == RunState::Failed => {
            tracing::error!(%month, reason = run.error.unwrap_or_default(), "the settlement failed and waits for an operator");
            return;
        }
        Ok(_) => {}
        Err(e) => {
            tracing::warn!(error = %e, %month, "cannot read the settlement run");
            return;
        }
    }
    let lock_file = lock_file_for(&settings.database_url);
    // The run takes its own connections.
    drop(conn);
    // Money first: without its key the month is settled and its head left unsigned (a later
    // `obole settle --month` with the key cannot sign a done month; the log says so loudly).
    let head_key = match crate::security::head_key::load_or_create(settings) {
        Ok(key) => Some(key),
        Err(e) => {
            tracing::error!(error = %e, %month, "the key that signs tree heads is unreadable: the month's head stays unsigned");
            None
        }
    };
    let outcome = settle(
        pool,
        lock_file.as_deref(),
        month,
        settings.fee_percent,
        now,
        RunOptions {
            grace: settings.settle_grace,
            hold_months: settings.claim_hold_months,
            charity: settings.operator.charity.as_ref().map(|c| c.name.clone()),
            head_key,
            stages: stages.clone(),
            zone: clock.zone(),
            ..RunOptions::default()
        },
        &mut |_| {},
    );
    match outcome {
        Ok(Outcome::Settled(settled)) => tracing::info!(
            %month,
            readers = settled.readers,
            clicks = settled.clicks,
            debited = %settled.debited,
            fees = %settled.fees,
            "settled the closed month"
        ),
        Ok(Outcome::AlreadySettled(_)) => {}
        Err(SettlementError::AlreadyRunning(_)) => {
            tracing::info!(%month, "another process is settling the closed month");
        }
        Err(e) => tracing::error!(error = %e, %month, "the settlement of the closed month failed"),
    }
}
