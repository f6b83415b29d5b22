//! Paying creators through the bank (PRODUCT.md flow 11): the waiting payouts as one SEPA
//! credit-transfer batch, and the operator's word that the bank took it.
//!
//! One batch is open at a time. Exporting while one is open gives that batch, the same file
//! byte for byte (it is stored as written): a second download must never pay anyone twice.
//! Payouts asked for after the export wait for the next batch. Marking the batch sent marks
//! each of its payouts sent, in one transaction, with the same ledger movement and mail as
//! an operator's single "sent" decision ([`super::decide`]); marking it again changes nothing.
//! An open batch can be cancelled instead: its file stays as a record, its payouts wait again.
//!
//! Who is in a batch: the waiting payouts whose IBAN a SEPA transfer can reach (the others
//! are named to the operator and decided by hand), less, when an operator exports from the
//! page, that operator's own payouts (four eyes: another operator pays those). The command
//! line has no operator and includes them all; marking such a batch sent is then refused to
//! an operator whose payout is in it, for the whole batch (the bank pays the whole file, so
//! a batch is sent whole or not at all): another operator marks it, or it is cancelled.
//!
//! Export and a single decision on a payout serialise on the payout's row: export claims
//! each payout with a conditional update (`state = 'pending'`), which on PostgreSQL waits for
//! a concurrent decision and then sees it, and builds the file only from the payouts it
//! claimed; [`super::decide`] takes the same row's lock before it looks for an open batch.
//! Whichever comes second sees what the first did: a rejected payout never reaches a file.

use chrono::{DateTime, Utc};
use rand::Rng as _;

use super::{Decision, PayoutRequestError, decide};
use crate::db::DbConnection;
use crate::db::backend::{is_unique_violation, write_transaction};
use crate::domain::UserId;
use crate::domain::payout::Iban;
use crate::domain::sepa::countries::is_sepa_iban;
use crate::domain::sepa::{self, Batch, BatchState, CreditTransfer, Debtor, SepaError};
use crate::domain::states::PayoutState;
use crate::models::payout_batches::{self as rows, BatchRow, NewBatch};
use crate::models::payouts::PayoutRow;

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// No payout waits outside a batch: there is nothing to export.
    #[error("no payout is waiting")]
    NothingToPay,
    #[error("no such batch")]
    NotFound,
    /// The batch was cancelled: it is neither sent nor cancelled again.
    #[error("the batch was cancelled")]
    Cancelled,
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

/// The waiting payouts no SEPA file can pay (their IBAN's country is outside the SEPA
/// scheme): left out of every batch, named to the operator, decided by hand.
pub fn outside_sepa(conn: &mut DbConnection) -> Result<Vec<PayoutRow>, BatchError> {
    Ok(rows::unbatched_pending(conn)?
        .into_iter()
        .filter(|p| !is_sepa_iban(&p.iban))
        .collect())
}

/// The open batch, or a new one holding the payouts waiting outside a batch that SEPA can
/// pay, less the exporting operator's own (`by`).
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
    let candidates = rows::unbatched_pending(conn)?;
    let mut waiting = Vec::with_capacity(candidates.len());
    for payout in candidates {
        if by.is_some_and(|u| u.0 == payout.user_id) || !is_sepa_iban(&payout.iban) {
            continue;
        }
        // The claim: only a payout still pending once its row is ours goes in the file.
        if rows::claim_pending(conn, payout.id)? {
            waiting.push(payout);
        }
    }
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
        // Today: banks execute a past or same-day date on their next run. A file handed to
        // the bank days later is cancelled and exported again (docs/OPERATIONS.md).
        execution_date: now.date_naive(),
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
        match row.state {
            BatchState::Open => {}
            BatchState::Sent => return Ok(Marked::Already),
            BatchState::Cancelled => return Err(BatchError::Cancelled),
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

/// Cancels the open batch `batch`: its document stays as a record, its payouts leave it and
/// wait for the next export. `false` when it was not open (sent, or cancelled before). No
/// money moves: the payouts stay pending in the ledger all along.
pub fn cancel(
    conn: &mut DbConnection,
    batch: i64,
    operator: UserId,
    now: DateTime<Utc>,
) -> Result<bool, BatchError> {
    write_transaction(conn, |conn| {
        rows::find(conn, batch)?.ok_or(BatchError::NotFound)?;
        let cancelled = rows::cancel(conn, batch, operator, now)?;
        if cancelled {
            tracing::info!(batch, operator = operator.0, "SEPA batch cancelled");
        }
        Ok(cancelled)
    })
}
