//! Card top-ups through Stripe (PRODUCT.md core flow 2). The server creates a PaymentIntent,
//! the reader's browser confirms it with Stripe.js, and only Stripe's signed webhook credits
//! the funds: what a browser says about a payment is never believed.
//!
//! Each event is applied once (its id is recorded in the same transaction as its effects),
//! and each intent is credited once whatever the events (the row's state moves to
//! `succeeded` once, by a conditional update). A refund debits what of the payment is still
//! in the reader's funds; the rest, already spent on budgets, is recorded as the platform's
//! shortfall and shown to operators. A dispute (chargeback) is handled the same way
//! (`dispute.rs`), and undone when the platform wins it.

pub mod dispute;
pub mod event;
pub mod stripe_api;

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer, TransferError};
use crate::domain::states::CardPaymentState;
use crate::domain::top_up::{TopUpAmount, from_minor_units};
use crate::domain::{Currency, Money, UserId};
use crate::models::card_payments::{self, CardPaymentRow};
use crate::models::ledger::{self, PostError};
use event::{EventBody, StripeEvent};

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The event's amount or currency is not the intent's: credit nothing, and say so loudly.
    #[error("the event's amount or currency differs from the payment Obole created")]
    Mismatch,
    /// A refund (or a dispute) arrived before its payment's success: Stripe will deliver it
    /// again.
    #[error("a refund arrived before the payment it refunds")]
    RefundBeforePayment,
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error(transparent)]
    Ledger(#[from] PostError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// What applying an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The payment's state or the ledger changed (or had nothing left to change).
    Applied,
    /// This event id was applied before: nothing changed.
    Duplicate,
    /// The event names an intent this instance did not create (another application on the
    /// same Stripe account): acknowledged, ignored.
    UnknownIntent,
    /// An event type Obole does not act on.
    Ignored,
}

/// Records the intent Stripe created for a top-up, so that its webhook can be matched.
pub fn record_intent(
    conn: &mut DbConnection,
    user: UserId,
    intent: &stripe_api::PaymentIntent,
    amount: TopUpAmount,
    idempotency_key: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<CardPaymentRow> {
    card_payments::insert(
        conn,
        user,
        &intent.id,
        amount.money(),
        &intent.currency,
        idempotency_key,
        now,
    )
}

/// Applies a verified event, once.
pub fn apply(
    conn: &mut DbConnection,
    event: &StripeEvent,
    currency: Currency,
    now: DateTime<Utc>,
) -> Result<Applied, CardError> {
    write_transaction(conn, |conn| {
        if !card_payments::record_event(conn, &event.id, &event.kind, now)? {
            return Ok(Applied::Duplicate);
        }
        match &event.body {
            EventBody::PaymentSucceeded {
                intent,
                amount,
                currency: paid_in,
            } => {
                let Some(row) = card_payments::find_by_intent(conn, intent)? else {
                    return Ok(Applied::UnknownIntent);
                };
                if from_minor_units(*amount) != Some(row.amount())
                    || !same_currency(paid_in, &row.currency, currency)
                {
                    return Err(CardError::Mismatch);
                }
                credit(conn, &row, now)?;
                Ok(Applied::Applied)
            }
            EventBody::PaymentFailed { intent, message } => set_state(
                conn,
                intent,
                CardPaymentState::Failed,
                message.as_deref(),
                now,
            ),
            EventBody::PaymentCanceled { intent } => {
                set_state(conn, intent, CardPaymentState::Canceled, None, now)
            }
            EventBody::ChargeRefunded {
                intent,
                amount_refunded,
                currency: paid_in,
            } => {
                let Some(row) = card_payments::find_by_intent(conn, intent)? else {
                    return Ok(Applied::UnknownIntent);
                };
                let refunded = from_minor_units(*amount_refunded)
                    .filter(|r| *r <= row.amount() && !r.is_negative())
                    .ok_or(CardError::Mismatch)?;
                if !same_currency(paid_in, &row.currency, currency) {
                    return Err(CardError::Mismatch);
                }
                refund(conn, row, refunded, now)?;
                Ok(Applied::Applied)
            }
            EventBody::Dispute {
                dispute: dispute_id,
                intent,
                amount,
                currency: paid_in,
                closed_status,
                status,
                funds_withdrawn,
                reason,
            } => {
                let Some(row) = card_payments::find_by_intent(conn, intent)? else {
                    return Ok(Applied::UnknownIntent);
                };
                let disputed = from_minor_units(*amount)
                    .filter(|a| *a > Money::ZERO && *a <= row.amount())
                    .ok_or(CardError::Mismatch)?;
                if !same_currency(paid_in, &row.currency, currency) {
                    return Err(CardError::Mismatch);
                }
                let event = dispute::DisputeEvent {
                    dispute_id,
                    disputed,
                    closed_status: closed_status.as_deref(),
                    status: status.as_deref(),
                    funds_withdrawn: *funds_withdrawn,
                    reason: reason.as_deref(),
                };
                dispute::apply(conn, &row, &event, now)?;
                Ok(Applied::Applied)
            }
            EventBody::Ignored => Ok(Applied::Ignored),
        }
    })
}

fn same_currency(paid_in: &str, recorded: &str, instance: Currency) -> bool {
    paid_in.eq_ignore_ascii_case(recorded) && paid_in.eq_ignore_ascii_case(instance.code())
}

/// Card payments → the reader's funds, the first time the intent succeeds.
fn credit(
    conn: &mut DbConnection,
    row: &CardPaymentRow,
    now: DateTime<Utc>,
) -> Result<(), CardError> {
    if !card_payments::mark_succeeded(conn, row.id, now)? {
        return Ok(());
    }
    let transfer = Transfer::between(
        MovementKind::CardPayment,
        AccountRef::Platform(AccountKind::CardPayments),
        AccountRef::User(UserId(row.user_id), AccountKind::Funds),
        row.amount(),
    )?;
    ledger::post(
        conn,
        &transfer,
        Some(&format!("card_payment:{}", row.intent_id)),
        now,
    )?;
    tracing::info!(user_id = row.user_id, intent = %row.intent_id, amount = %row.amount().to_api_string(), "card payment credited");
    Ok(())
}

fn set_state(
    conn: &mut DbConnection,
    intent: &str,
    state: CardPaymentState,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Applied, CardError> {
    let Some(row) = card_payments::find_by_intent(conn, intent)? else {
        return Ok(Applied::UnknownIntent);
    };
    card_payments::set_state_unless_succeeded(conn, row.id, state, message, now)?;
    Ok(Applied::Applied)
}

/// Brings the payment's refunded total up to `refunded` (Stripe reports the running total, so
/// an event delivered late or twice moves nothing): the new part leaves the reader's funds as
/// far as they still hold it, less what an open or lost dispute of the payment already took
/// (that part is handed over from the dispute: the payment is never taken back twice).
fn refund(
    conn: &mut DbConnection,
    row: CardPaymentRow,
    refunded: Money,
    now: DateTime<Utc>,
) -> Result<(), CardError> {
    if row.state != CardPaymentState::Succeeded {
        return Err(CardError::RefundBeforePayment);
    }
    // Take the row's lock before reading what was refunded, so two refund events of one
    // payment cannot both debit the same part.
    let row = card_payments::lock(conn, row.id, now)?;
    let Some(new_part) = refunded
        .checked_sub(row.refunded())
        .filter(|m| *m > Money::ZERO)
    else {
        return Ok(());
    };
    // A part a dispute already took moves no money again; the rest is a fresh refund.
    let (covered, borne) = dispute::refund_covered(conn, &row, new_part)?;
    let fresh = new_part.checked_sub(covered).unwrap_or(Money::ZERO);
    let user = UserId(row.user_id);
    let funds = AccountRef::User(user, AccountKind::Funds);
    let available = ledger::balance(conn, funds)?;
    let debit = fresh.min(available.max(Money::ZERO));
    if debit > Money::ZERO {
        let transfer = Transfer::between(
            MovementKind::CardRefund,
            funds,
            AccountRef::Platform(AccountKind::CardPayments),
            debit,
        )?;
        ledger::post(
            conn,
            &transfer,
            Some(&format!(
                "card_refund:{}:{}",
                row.intent_id,
                refunded.micros()
            )),
            now,
        )?;
    }
    let uncovered = fresh.checked_sub(debit).unwrap_or(Money::ZERO);
    let shortfall = Money::from_micros(row.refund_shortfall_micros)
        .checked_add(uncovered)
        .and_then(|m| m.checked_add(borne))
        .unwrap_or(refunded);
    card_payments::set_refunded(conn, row.id, refunded, shortfall, now)?;
    if uncovered > Money::ZERO {
        tracing::warn!(user_id = row.user_id, intent = %row.intent_id, uncovered = %uncovered.to_api_string(), "refund larger than the unspent funds: the platform bears the rest");
    }
    Ok(())
}
