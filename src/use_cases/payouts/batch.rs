//! Paying creators through the bank (PRODUCT.md flow 11): the waiting payouts as one SEPA
//! credit-transfer batch, and the operator's word that the bank took it.
//!
//! One batch is open at a time. Exporting while one is open gives that batch, the same file
//! byte for byte (it is stored as written): a second download must never pay anyone twice.
//! Payouts asked for after the export wait for the next batch. Marking the batch sent marks
//! each of its payouts sent, in one transaction, with the same ledger movement and mail as
//! an operator's single "sent" decision ([`super::decide`]); marking it again changes nothing.

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng as _;

use super::{Decision, PayoutRequestError, decide};
use crate::db::DbConnection;
use crate::db::backend::{is_unique_violation, write_transaction};
use crate::domain::UserId;
use crate::domain::payout::Iban;
use crate::domain::sepa::{self, Batch, BatchState, CreditTransfer, Debtor, SepaError};
use crate::domain::states::PayoutState;
use crate::models::payout_batches::{self as rows, BatchRow, NewBatch};

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// No payout waits outside a batch: there is nothing to export.
    #[error("no payout is waiting")]
    NothingToPay,
    #[error("no such batch")]
    NotFound,
    /// Four eyes on money that leaves: a batch holding the operator's own payout is marked
    /// by another operator.
    #[error("the batch holds the operator's own payout")]
    OwnPayout,
    #[error(transparent)]
    Sepa(#[from] SepaError),
    #[error(transparent)]
    Payout(#[from] PayoutRequestError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The reference of a payout's transfer: its `EndToEndId` and remittance text.
pub fn reference(payout: i64) -> String {
    format!("OBOLE-P{payout}")
}

/// The open batch, or a new one holding every payout waiting outside a batch.
pub fn export(
    conn: &mut DbConnection,
    debtor: &Debtor,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<BatchRow, BatchError> {
    let created = write_transaction(conn, |conn| {
        if let Some(open) = rows::open(conn)? {
            return Ok(open);
        }
        create(conn, debtor, by, now)
    });
    match created {
        // Another export created the open batch meanwhile (the one-open index): that one.
        Err(BatchError::Database(e)) if is_unique_violation(&e) => {
            rows::open(conn)?.ok_or(BatchError::Database(e))
        }
        other => other,
    }
}

fn create(
    conn: &mut DbConnection,
    debtor: &Debtor,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<BatchRow, BatchError> {
    let waiting = rows::unbatched_pending(conn)?;
    if waiting.is_empty() {
        return Err(BatchError::NothingToPay);
    }
    let mut transfers = Vec::with_capacity(waiting.len());
    for payout in &waiting {
        // The IBAN was checked when the creator typed it; read back, it is checked again.
        let creditor_iban = Iban::parse(&payout.iban)
            .map_err(|e| BatchError::Payout(PayoutRequestError::Rule(e)))?;
        transfers.push(CreditTransfer {
            reference: reference(payout.id),
            amount: payout.amount(),
            creditor_name: payout.holder.clone(),
            creditor_iban,
        });
    }
    let batch = Batch {
        message_id: message_id(now),
        created_at: now.naive_utc(),
        // The next day: a file handed to the bank today is executed on its next run.
        execution_date: (now + TimeDelta::days(1)).date_naive(),
        debtor: debtor.clone(),
        transfers,
    };
    let (count, sum) = batch.totals()?;
    let document = sepa::document::write(&batch)?;
    let items: Vec<(i64, String)> = batch
        .transfers
        .iter()
        .zip(&waiting)
        .map(|(t, p)| (p.id, t.reference.clone()))
        .collect();
    let new = NewBatch {
        message_id: &batch.message_id,
        count: i32::try_from(count).map_err(|_| SepaError::Overflow)?,
        control_sum: sum,
        document: &document,
        created_by: by,
    };
    let row = rows::insert(conn, &new, &items, now)?;
    tracing::info!(batch = row.id, message_id = %row.message_id, count, control_sum = %sum.to_api_string(), "SEPA batch exported");
    Ok(row)
}

/// `OBOLE-` + the time + 8 random hexadecimal digits: unique per batch (the column is UNIQUE
/// too), at most 35 characters of the SEPA set.
fn message_id(now: DateTime<Utc>) -> String {
    let random: u32 = rand::rngs::OsRng.r#gen();
    format!("OBOLE-{}-{random:08X}", now.format("%Y%m%d%H%M%S"))
}

/// What marking a batch sent did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marked {
    /// The batch is now sent, with this many payouts marked sent (a payout decided on its own
    /// meanwhile keeps its decision).
    Now(usize),
    /// It was sent before: nothing changed.
    Already,
}

/// Marks a batch sent, and each of its payouts still pending sent with its reference, once.
pub fn mark_sent(
    conn: &mut DbConnection,
    batch: i64,
    operator: UserId,
    now: DateTime<Utc>,
) -> Result<Marked, BatchError> {
    write_transaction(conn, |conn| {
        let row = rows::find(conn, batch)?.ok_or(BatchError::NotFound)?;
        if row.state == BatchState::Sent {
            return Ok(Marked::Already);
        }
        let items = rows::items(conn, batch)?;
        if items.iter().any(|(p, _)| p.user_id == operator.0) {
            return Err(BatchError::OwnPayout);
        }
        if !rows::mark_sent(conn, batch, Some(operator), now)? {
            return Ok(Marked::Already);
        }
        let mut marked = 0;
        for (payout, reference) in items {
            if payout.state != PayoutState::Pending {
                continue;
            }
            decide(
                conn,
                payout.id,
                &Decision::Sent { reference },
                operator,
                now,
            )?;
            marked += 1;
        }
        tracing::info!(
            batch,
            marked,
            operator = operator.0,
            "SEPA batch marked sent"
        );
        Ok(Marked::Now(marked))
    })
}
