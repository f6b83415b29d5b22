//! Payout use cases (PRODUCT.md flow 7): a creator asks to be paid their revenue, an operator
//! sends it or rejects it, and a creator may instead move revenue into their own funds. Each
//! runs in one write transaction with its ledger movement and its notification mail. SEPA
//! batches of the waiting payouts are `batch.rs`.

pub mod batch;

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::{is_unique_violation, write_transaction};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer, TransferError};
use crate::domain::mail::MailKind;
use crate::domain::payout::{self, AccountHolder, Iban, PayoutError};
use crate::domain::states::PayoutState;
use crate::domain::{Money, UserId};
use crate::models::ledger::{self, PostError};
use crate::models::mail_queue;
use crate::models::payouts::{self as rows, PayoutRow};
use crate::models::users;

#[derive(Debug, thiserror::Error)]
pub enum PayoutRequestError {
    #[error(transparent)]
    Rule(#[from] PayoutError),
    /// Payouts go to people whose address we know reaches them.
    #[error("the email address is not verified yet")]
    EmailNotVerified,
    /// One request waits at a time.
    #[error("a payout request is already waiting")]
    AlreadyPending,
    #[error("no such payout request")]
    NotFound,
    #[error("this payout request was already decided")]
    AlreadyDecided,
    /// Four eyes on money that leaves: an operator's own request waits for another operator.
    #[error("an operator cannot decide their own payout request")]
    OwnPayout,
    #[error("the reference is missing or too long")]
    InvalidReference,
    /// An exported SEPA batch pays it: the batch is marked sent as a whole.
    #[error("this payout is in an open SEPA batch")]
    InOpenBatch,
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error(transparent)]
    Ledger(#[from] PostError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// What a creator typed to ask for a payout.
#[derive(Debug, Clone)]
pub struct PayoutRequest {
    pub iban: Iban,
    pub holder: AccountHolder,
    /// `None`: the whole revenue, rounded down to the cent.
    pub amount: Option<Money>,
    /// The client's idempotency key: the same key finds the same request.
    pub key: String,
}

/// A request as recorded, and whether this call recorded it (false: an earlier call with the
/// same key did).
#[derive(Debug, Clone)]
pub struct Requested {
    pub payout: PayoutRow,
    pub new: bool,
}

/// Records a payout request and moves its amount from the creator's revenue to the pending
/// payouts. The same key returns the request it made before, whatever happened since.
pub fn request(
    conn: &mut DbConnection,
    user: UserId,
    request: &PayoutRequest,
    minimum: Money,
    now: DateTime<Utc>,
) -> Result<Requested, PayoutRequestError> {
    let replay = |conn: &mut DbConnection| -> Result<Option<Requested>, PayoutRequestError> {
        Ok(rows::find_by_key(conn, user, &request.key)?
            .map(|payout| Requested { payout, new: false }))
    };
    if let Some(done) = replay(conn)? {
        return Ok(done);
    }
    match record_request(conn, user, request, minimum, now) {
        Ok(payout) => Ok(Requested { payout, new: true }),
        // A concurrent call with the same key may have committed while this one ran: under
        // PostgreSQL's read committed, this one then meets its unique key, its waiting
        // request or the revenue it already took. Whatever the refusal, that call answers.
        Err(refused) => replay(conn)?.ok_or(refused),
    }
}

fn record_request(
    conn: &mut DbConnection,
    user: UserId,
    request: &PayoutRequest,
    minimum: Money,
    now: DateTime<Utc>,
) -> Result<PayoutRow, PayoutRequestError> {
    write_transaction(conn, |conn| {
        if rows::find_by_key(conn, user, &request.key)?.is_some() {
            // Recorded by a concurrent call since the look above: that call answers.
            return Err(PayoutRequestError::AlreadyPending);
        }
        let account = users::find(conn, user)?.ok_or(PayoutRequestError::NotFound)?;
        if account.email_verified_at.is_none() {
            return Err(PayoutRequestError::EmailNotVerified);
        }
        // Said first: while one waits, the revenue left is rarely enough for another.
        if rows::has_pending(conn, user)? {
            return Err(PayoutRequestError::AlreadyPending);
        }
        let revenue = ledger::balance(conn, AccountRef::User(user, AccountKind::Revenue))?;
        let amount = payout::payout_amount(revenue, request.amount, minimum)?;
        let row = match rows::insert(
            conn,
            user,
            amount,
            &request.iban,
            &request.holder,
            &request.key,
            now,
        ) {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e) => return Err(PayoutRequestError::AlreadyPending),
            Err(e) => return Err(e.into()),
        };
        let transfer = Transfer::between(
            MovementKind::PayoutRequest,
            AccountRef::User(user, AccountKind::Revenue),
            AccountRef::Platform(AccountKind::PendingPayouts),
            amount,
        )?;
        ledger::post(
            conn,
            &transfer,
            Some(&format!("payout:{}:request", row.id)),
            now,
        )?;
        Ok(row)
    })
}

/// What an operator decided.
#[derive(Debug, Clone)]
pub enum Decision {
    /// Paid through the bank; the reference is what the transfer carries.
    Sent { reference: String },
    /// Not paid; the amount goes back to the creator's revenue.
    Rejected { reason: String },
}

/// Records an operator's decision on a pending request, its ledger movement, and the mail
/// that tells the creator. A request is decided once: a second decision changes nothing. An
/// operator never decides their own request: another operator must.
pub fn decide(
    conn: &mut DbConnection,
    id: i64,
    decision: &Decision,
    operator: UserId,
    now: DateTime<Utc>,
) -> Result<PayoutRow, PayoutRequestError> {
    let (state, note) = match decision {
        Decision::Sent { reference } => (PayoutState::Sent, reference.trim()),
        Decision::Rejected { reason } => (PayoutState::Rejected, reason.trim()),
    };
    let note_ok = note.chars().count() <= 140 && !note.chars().any(char::is_control);
    if !note_ok || (state == PayoutState::Sent && note.is_empty()) {
        return Err(PayoutRequestError::InvalidReference);
    }
    write_transaction(conn, |conn| {
        // The row's lock first: an export claiming this payout concurrently either committed
        // (its batch is seen below) or waits for this decision (and then leaves it out).
        crate::models::payout_batches::lock_payout(conn, id)?;
        let row = rows::find(conn, id)?.ok_or(PayoutRequestError::NotFound)?;
        if row.user_id == operator.0 {
            return Err(PayoutRequestError::OwnPayout);
        }
        // The bank has (or will have) the batch's file: deciding one of its payouts alone
        // would pay it twice or reject what the bank pays.
        if crate::models::payout_batches::open_batch_of(conn, id)?.is_some() {
            return Err(PayoutRequestError::InOpenBatch);
        }
        let stored = (!note.is_empty()).then_some(note);
        if !rows::decide(conn, id, state, stored, operator, now)? {
            return Err(PayoutRequestError::AlreadyDecided);
        }
        let creator = UserId(row.user_id);
        let destination = match decision {
            Decision::Sent { .. } => AccountRef::Platform(AccountKind::PayoutsSent),
            Decision::Rejected { .. } => AccountRef::User(creator, AccountKind::Revenue),
        };
        let kind = match decision {
            Decision::Sent { .. } => MovementKind::PayoutSent,
            Decision::Rejected { .. } => MovementKind::PayoutRejected,
        };
        let transfer = Transfer::between(
            kind,
            AccountRef::Platform(AccountKind::PendingPayouts),
            destination,
            row.amount(),
        )?;
        ledger::post(conn, &transfer, Some(&format!("payout:{id}:{state}")), now)?;
        mail_queue::enqueue(
            conn,
            MailKind::PayoutStatus,
            creator,
            &serde_json::json!({ "payout": id }),
            &format!("payout:{id}:{state}"),
        )?;
        rows::find(conn, id)?.ok_or(PayoutRequestError::NotFound)
    })
}

/// Moves `amount` of a creator's revenue (all of it when `None`) into their own funds, to
/// spend through budgets. Returns the amount moved.
pub fn revenue_to_funds(
    conn: &mut DbConnection,
    user: UserId,
    amount: Option<Money>,
    now: DateTime<Utc>,
) -> Result<Money, PayoutRequestError> {
    write_transaction(conn, |conn| {
        let revenue = ledger::balance(conn, AccountRef::User(user, AccountKind::Revenue))?;
        let amount = match amount {
            Some(a) if a <= Money::ZERO || !a.is_whole_cents() => {
                return Err(PayoutError::InvalidAmount.into());
            }
            Some(a) if a > revenue => return Err(PayoutError::AboveRevenue.into()),
            Some(a) => a,
            None if revenue > Money::ZERO => revenue,
            None => return Err(PayoutError::InvalidAmount.into()),
        };
        let transfer = Transfer::between(
            MovementKind::RevenueToFunds,
            AccountRef::User(user, AccountKind::Revenue),
            AccountRef::User(user, AccountKind::Funds),
            amount,
        )?;
        ledger::post(conn, &transfer, None, now)?;
        Ok(amount)
    })
}
