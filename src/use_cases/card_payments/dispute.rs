//! Card disputes (chargebacks), handled like refunds: when the reader's bank takes a payment
//! back, what of it is still in the reader's funds leaves them, the rest (already spent on
//! budgets) is the platform's shortfall, and the reader is told by mail. A dispute the
//! platform wins gives the debited part back and clears the shortfall; a lost one keeps it.
//!
//! Events may come in any order and more than once: each dispute is one row (by Stripe's
//! id), opened by whichever event comes first and closed once; a `closed` that comes before
//! its `created` applies both at once. Ledger keys (`card_dispute:<id>:opened`, `…:won`)
//! make each movement happen once whatever the events.

use chrono::{DateTime, Utc};

use super::CardError;
use crate::db::DbConnection;
use crate::domain::dispute::{self, DisputeState};
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::mail::MailKind;
use crate::domain::states::CardPaymentState;
use crate::domain::{Money, UserId};
use crate::models::card_disputes::{self, DisputeRow, NewDispute};
use crate::models::card_payments::{self, CardPaymentRow};
use crate::models::{ledger, mail_queue};

/// What one dispute event says, checked against its payment by the caller.
pub struct DisputeEvent<'a> {
    /// Stripe's `dp_…`.
    pub dispute_id: &'a str,
    pub disputed: Money,
    /// `None` for `charge.dispute.created`; Stripe's final status for `closed`.
    pub closed_status: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// Applies a dispute event to its payment, in the caller's transaction.
pub fn apply(
    conn: &mut DbConnection,
    payment: &CardPaymentRow,
    event: &DisputeEvent<'_>,
    now: DateTime<Utc>,
) -> Result<(), CardError> {
    if payment.state != CardPaymentState::Succeeded {
        return Err(CardError::RefundBeforePayment);
    }
    // The payment's lock serialises this with its refunds and its other events.
    let payment = card_payments::lock(conn, payment.id, now)?;
    let closing = event.closed_status.map(dispute::closing_state);
    match card_disputes::find(conn, event.dispute_id)? {
        None => match closing {
            // Closed in our favour before we heard it opened: nothing was, or is, taken.
            Some(DisputeState::Won) => Ok(()),
            state => open(
                conn,
                &payment,
                event,
                state.unwrap_or(DisputeState::Open),
                now,
            ),
        },
        Some(existing) => match closing {
            Some(state) if existing.state == DisputeState::Open => {
                close(conn, &existing, state, now)
            }
            // Created again, or closed again: nothing more.
            _ => Ok(()),
        },
    }
}

fn open(
    conn: &mut DbConnection,
    payment: &CardPaymentRow,
    event: &DisputeEvent<'_>,
    state: DisputeState,
    now: DateTime<Utc>,
) -> Result<(), CardError> {
    let amount = dispute::disputable(event.disputed, payment.amount(), payment.refunded());
    if amount <= Money::ZERO {
        tracing::warn!(dispute = event.dispute_id, intent = %payment.intent_id, "dispute of a payment refunded in full: nothing left to take");
        return Ok(());
    }
    let user = UserId(payment.user_id);
    let funds = AccountRef::User(user, AccountKind::Funds);
    let (debit, shortfall) = dispute::split(amount, ledger::balance(conn, funds)?);
    if debit > Money::ZERO {
        let transfer = Transfer::between(
            MovementKind::CardDispute,
            funds,
            AccountRef::Platform(AccountKind::CardPayments),
            debit,
        )?;
        let key = format!("card_dispute:{}:opened", event.dispute_id);
        ledger::post(conn, &transfer, Some(&key), now)?;
    }
    let reason = event.reason.map(|r| {
        r.chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect::<String>()
    });
    let row = card_disputes::insert(
        conn,
        &NewDispute {
            dispute_id: event.dispute_id,
            payment_id: payment.id,
            user,
            amount,
            debited: debit,
            shortfall,
            state,
            reason: reason.as_deref(),
        },
        now,
    )?;
    mail_queue::enqueue(
        conn,
        MailKind::CardDispute,
        user,
        &serde_json::json!({ "dispute": row.id }),
        &format!("card_dispute:{}:opened", row.id),
    )?;
    if shortfall > Money::ZERO {
        tracing::warn!(user_id = payment.user_id, dispute = event.dispute_id, shortfall = %shortfall.to_api_string(), "dispute larger than the unspent funds: the platform bears the rest");
    }
    Ok(())
}

fn close(
    conn: &mut DbConnection,
    existing: &DisputeRow,
    state: DisputeState,
    now: DateTime<Utc>,
) -> Result<(), CardError> {
    if !card_disputes::close(conn, existing.id, state, now)? {
        return Ok(());
    }
    if state == DisputeState::Won && existing.debited() > Money::ZERO {
        let transfer = Transfer::between(
            MovementKind::CardDisputeWon,
            AccountRef::Platform(AccountKind::CardPayments),
            AccountRef::User(UserId(existing.user_id), AccountKind::Funds),
            existing.debited(),
        )?;
        let key = format!("card_dispute:{}:won", existing.dispute_id);
        ledger::post(conn, &transfer, Some(&key), now)?;
    }
    tracing::info!(dispute = %existing.dispute_id, state = %state, "dispute closed");
    Ok(())
}
