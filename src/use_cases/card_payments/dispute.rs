//! Card disputes (chargebacks), handled like refunds: when the reader's bank takes a payment
//! back, what of it is still in the reader's funds leaves them, the rest (already spent on
//! budgets) is the platform's shortfall, and the reader is told by mail. A dispute the
//! platform wins gives back what it took and was not refunded since, clears the shortfall,
//! and tells the reader; a lost one keeps it.
//!
//! Events may come in any order and more than once: each dispute is one row (by Stripe's
//! id), recorded by whichever event comes first, its money withdrawn once and closed once.
//! An inquiry (`warning_*` statuses) is recorded but moves nothing until a chargeback status
//! or `charge.dispute.funds_withdrawn` comes; a dispute won before we heard it opened is
//! recorded won, having taken nothing, so that its late `created` does nothing either; a
//! lost one takes the money once. Ledger keys (`card_dispute:<id>:opened`, `…:won`) make
//! each movement happen once whatever the events.
//!
//! Refunds and disputes of one payment add up to at most the payment: a dispute takes at most
//! what refunds and other disputes left of it, and a refund of a part a dispute already took
//! moves no money again (`refund_covered`).

use chrono::{DateTime, Utc};

use super::CardError;
use crate::db::DbConnection;
use crate::domain::dispute::{self, DisputeNotice, DisputeState};
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
    /// `None` while open; Stripe's final status for `closed`.
    pub closed_status: Option<&'a str>,
    /// Stripe's status on the other events (`warning_*` for an inquiry).
    pub status: Option<&'a str>,
    /// `charge.dispute.funds_withdrawn`.
    pub funds_withdrawn: bool,
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
    let withdraws = closing.is_none() && dispute::withdraws(event.status, event.funds_withdrawn);
    let row = match card_disputes::find(conn, event.dispute_id)? {
        Some(row) => row,
        None => {
            // First heard of. Closed won: nothing was, or will be, taken; recorded so that a
            // later `created` finds it closed. Closed lost: taken now, once.
            let state = closing.unwrap_or(DisputeState::Open);
            let row = record(conn, &payment, event, state, now)?;
            if state == DisputeState::Lost || withdraws {
                withdraw(conn, &payment, &row, now)?;
            }
            return Ok(());
        }
    };
    if row.state != DisputeState::Open {
        // Closed once: whatever comes later changes nothing.
        return Ok(());
    }
    match closing {
        Some(DisputeState::Lost) => {
            // Lost without our hearing the money leave: it leaves now.
            withdraw(conn, &payment, &row, now)?;
            close(conn, &row.dispute_id, DisputeState::Lost, now)
        }
        Some(state) => close(conn, &row.dispute_id, state, now),
        None if withdraws => withdraw(conn, &payment, &row, now),
        // An inquiry again, or an update that moves nothing.
        None => Ok(()),
    }
}

/// Records a dispute that has taken nothing yet.
fn record(
    conn: &mut DbConnection,
    payment: &CardPaymentRow,
    event: &DisputeEvent<'_>,
    state: DisputeState,
    now: DateTime<Utc>,
) -> Result<DisputeRow, CardError> {
    let reason = event.reason.map(|r| {
        r.chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect::<String>()
    });
    Ok(card_disputes::insert(
        conn,
        &NewDispute {
            dispute_id: event.dispute_id,
            payment_id: payment.id,
            user: UserId(payment.user_id),
            amount: event.disputed,
            state,
            reason: reason.as_deref(),
        },
        now,
    )?)
}

/// The bank took the money: what of the disputed amount refunds and other disputes left of
/// the payment leaves the reader's funds as far as they hold it, once; the reader is told.
fn withdraw(
    conn: &mut DbConnection,
    payment: &CardPaymentRow,
    row: &DisputeRow,
    now: DateTime<Utc>,
) -> Result<(), CardError> {
    if row.withdrawn_at.is_some() {
        return Ok(());
    }
    let others = card_disputes::taken_from_payment(conn, payment.id)?;
    let gone = payment
        .refunded()
        .checked_add(others)
        .unwrap_or(payment.amount());
    let amount = dispute::disputable(row.amount(), payment.amount(), gone);
    let user = UserId(row.user_id);
    let funds = AccountRef::User(user, AccountKind::Funds);
    let (debit, shortfall) = dispute::split(amount, ledger::balance(conn, funds)?);
    if !card_disputes::withdraw(conn, row.id, debit, shortfall, now)? {
        return Ok(());
    }
    if debit > Money::ZERO {
        let transfer = Transfer::between(
            MovementKind::CardDispute,
            funds,
            AccountRef::Platform(AccountKind::CardPayments),
            debit,
        )?;
        let key = format!("card_dispute:{}:opened", row.dispute_id);
        ledger::post(conn, &transfer, Some(&key), now)?;
    }
    if amount <= Money::ZERO {
        tracing::warn!(dispute = %row.dispute_id, intent = %payment.intent_id, "dispute of a payment refunded in full: nothing left to take");
        return Ok(());
    }
    // The figures of this withdrawal travel with its mail: a refund taking part of it over,
    // or a win, changes the row's before the mail may be sent.
    let payload = serde_json::json!({
        "dispute": row.id,
        "notice": DisputeNotice::Withdrawn.as_str(),
        "debited": debit.micros(),
        "shortfall": shortfall.micros(),
    });
    mail_queue::enqueue(
        conn,
        MailKind::CardDispute,
        user,
        &payload,
        &format!("card_dispute:{}:opened", row.id),
    )?;
    if shortfall > Money::ZERO {
        tracing::warn!(user_id = row.user_id, dispute = %row.dispute_id, shortfall = %shortfall.to_api_string(), "dispute larger than the unspent funds: the platform bears the rest");
    }
    Ok(())
}

fn close(
    conn: &mut DbConnection,
    dispute_id: &str,
    state: DisputeState,
    now: DateTime<Utc>,
) -> Result<(), CardError> {
    // Read again: a withdrawal just now changed what it took.
    let Some(existing) = card_disputes::find(conn, dispute_id)? else {
        return Ok(());
    };
    if !card_disputes::close(conn, existing.id, state, now)? {
        return Ok(());
    }
    // What it still holds of the reader's money: a refund since may have taken over part of
    // it (`refund_covered`), and that part went back to the card already.
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
    if state == DisputeState::Won && existing.withdrawn_at.is_some() {
        mail_queue::enqueue(
            conn,
            MailKind::CardDispute,
            UserId(existing.user_id),
            &serde_json::json!({ "dispute": existing.id, "notice": DisputeNotice::Won.as_str() }),
            &format!("card_dispute:{}:won", existing.id),
        )?;
    }
    tracing::info!(dispute = %existing.dispute_id, state = %state, "dispute closed");
    Ok(())
}

/// What of a refund's new part `new_part` of `payment` open or lost disputes already took:
/// that part moves no money again. It is handed from the disputes to the refund (their
/// debited part first, then their shortfall), so that a dispute won later gives back only
/// what it still holds. Returns (the covered part, of which the platform had borne).
pub fn refund_covered(
    conn: &mut DbConnection,
    payment: &CardPaymentRow,
    new_part: Money,
) -> Result<(Money, Money), CardError> {
    let taken = card_disputes::taken_from_payment(conn, payment.id)?;
    let room = payment
        .amount()
        .checked_sub(payment.refunded())
        .and_then(|m| m.checked_sub(taken))
        .unwrap_or(Money::ZERO)
        .max(Money::ZERO);
    let fresh = new_part.min(room);
    let mut left = new_part.checked_sub(fresh).unwrap_or(Money::ZERO);
    let covered = left;
    let mut borne = Money::ZERO;
    for row in card_disputes::taking_from_payment(conn, payment.id)? {
        if left <= Money::ZERO {
            break;
        }
        let from_debit = left.min(row.debited());
        left = left.checked_sub(from_debit).unwrap_or(Money::ZERO);
        let from_shortfall = left.min(row.shortfall());
        left = left.checked_sub(from_shortfall).unwrap_or(Money::ZERO);
        borne = borne.checked_add(from_shortfall).unwrap_or(borne);
        card_disputes::set_take(
            conn,
            row.id,
            row.debited().checked_sub(from_debit).unwrap_or(Money::ZERO),
            row.shortfall()
                .checked_sub(from_shortfall)
                .unwrap_or(Money::ZERO),
        )?;
    }
    Ok((covered, borne))
}
