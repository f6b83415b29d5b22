//! `obole payouts export --format sepa [--to FILE]`: the waiting payouts as one SEPA
//! credit-transfer batch (PRODUCT.md flow 11). While a batch is open, the same file again.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use crate::config::Settings;
use crate::use_cases::payouts::batch::{self, BatchError};

pub(super) fn export(settings: &Settings, format: &str, to: Option<&Path>) -> anyhow::Result<()> {
    if format != "sepa" {
        anyhow::bail!("--format {format:?}: the only format is sepa");
    }
    // Said before anything is written: the file names the account that pays.
    let debtor = settings.sepa.debtor()?;
    if let Some(path) = to
        && path.exists()
    {
        anyhow::bail!("{} exists already: it is not overwritten", path.display());
    }
    let pool = super::open_database(settings)?;
    let mut conn = pool.get()?;
    let now = super::clock(settings).now();
    // Said on stderr whatever follows: these payouts are in no file and wait for a decision.
    for payout in batch::outside_sepa(&mut conn).context("cannot read the waiting payouts")? {
        eprintln!(
            "Left out: payout {} to {} ({}…, {}) goes outside the SEPA area; pay it another way.",
            payout.id,
            payout.holder,
            payout.iban.get(..2).unwrap_or(""),
            payout.amount().to_api_string()
        );
    }
    // No operator here: every waiting payout SEPA can pay goes in, operators' own included
    // (marking the batch sent is then for another operator; see `batch`).
    let row = match batch::export(&mut conn, &debtor, None, now) {
        Err(BatchError::NothingToPay) => anyhow::bail!("no payout is waiting: nothing to export"),
        other => other.context("cannot export the SEPA batch")?,
    };
    match to {
        Some(path) => {
            // `create_new`: refused if the file appeared since the check above.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            file.write_all(row.document.as_bytes())?;
            file.sync_all()?;
            eprintln!(
                "Batch {} ({} payouts, {}) written to {}.",
                row.message_id,
                row.payout_count,
                row.control_sum().to_api_string(),
                path.display()
            );
        }
        None => std::io::stdout()
            .lock()
            .write_all(row.document.as_bytes())?,
    }
    Ok(())
}
