//! The `card_payments` and `stripe_events` tables.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::backend::is_unique_violation;
use crate::db::schema::{card_payments, stripe_events};
use crate::domain::states::CardPaymentState;
use crate::domain::{Money, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = card_payments)]
pub struct CardPaymentRow {
    pub id: i64,
    pub user_id: i64,
    pub intent_id: String,
    pub amount_micros: i64,
    pub currency: String,
    #[diesel(deserialize_as = String)]
    pub state: CardPaymentState,
    pub failure_message: Option<String>,
    pub refunded_micros: i64,
    pub refund_shortfall_micros: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl CardPaymentRow {
    pub fn amount(&self) -> Money {
        Money::from_micros(self.amount_micros)
    }

    pub fn refunded(&self) -> Money {
        Money::from_micros(self.refunded_micros)
    }
}

/// Records an intent Stripe created for `user`. A retried form finds the row its first
/// submission wrote (same intent, thanks to the idempotency key).
pub fn insert(
    conn: &mut DbConnection,
    user: UserId,
    intent_id: &str,
    amount: Money,
    currency: &str,
    idempotency_key: &str,
    now: DateTime<Utc>,
) -> QueryResult<CardPaymentRow> {
    let inserted = crate::db::backend::write_transaction(conn, |conn| {
        diesel::insert_into(card_payments::table)
            .values((
                card_payments::user_id.eq(user.0),
                card_payments::intent_id.eq(intent_id),
                card_payments::amount_micros.eq(amount.micros()),
                card_payments::currency.eq(currency),
                card_payments::idempotency_key.eq(idempotency_key),
                card_payments::created_at.eq(now.naive_utc()),
                card_payments::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {}
        Err(e) => return Err(e),
    }
    find_by_intent(conn, intent_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find_by_intent(
    conn: &mut DbConnection,
    intent_id: &str,
) -> QueryResult<Option<CardPaymentRow>> {
    card_payments::table
        .filter(card_payments::intent_id.eq(intent_id))
        .select(CardPaymentRow::as_select())
        .get_result(conn)
        .optional()
}

/// A reader's card payments, newest first.
pub fn for_user(
    conn: &mut DbConnection,
    user: UserId,
    limit: i64,
) -> QueryResult<Vec<CardPaymentRow>> {
    card_payments::table
        .filter(card_payments::user_id.eq(user.0))
        .order(card_payments::id.desc())
        .limit(limit)
        .select(CardPaymentRow::as_select())
        .load(conn)
}

/// Moves a payment to `state` unless it already succeeded (a success is final; only refunds
/// follow it).
pub fn set_state_unless_succeeded(
    conn: &mut DbConnection,
    id: i64,
    state: CardPaymentState,
    failure_message: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        card_payments::table
            .find(id)
            .filter(card_payments::state.ne(CardPaymentState::Succeeded.as_str())),
    )
    .set((
        card_payments::state.eq(state.as_str()),
        card_payments::failure_message.eq(failure_message),
        card_payments::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    Ok(())
}

/// Records the total refunded so far and the part no unspent funds covered.
pub fn set_refunded(
    conn: &mut DbConnection,
    id: i64,
    refunded: Money,
    shortfall: Money,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(card_payments::table.find(id))
        .set((
            card_payments::refunded_micros.eq(refunded.micros()),
            card_payments::refund_shortfall_micros.eq(shortfall.micros()),
            card_payments::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that an event was applied; `false` when it had been already. Inside the caller's
/// transaction, so that the record and the event's effects stand or fall together.
pub fn record_event(
    conn: &mut DbConnection,
    event_id: &str,
    kind: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    // In a savepoint: on PostgreSQL a failed statement would abort the caller's transaction.
    let inserted = crate::db::backend::write_transaction(conn, |conn| {
        diesel::insert_into(stripe_events::table)
            .values((
                stripe_events::event_id.eq(event_id),
                stripe_events::kind.eq(kind),
                stripe_events::received_at.eq(now.naive_utc()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Moves a payment to `succeeded`; `false` when it was already (it is credited once).
pub fn mark_succeeded(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> QueryResult<bool> {
    let changed = diesel::update(
        card_payments::table
            .find(id)
            .filter(card_payments::state.ne(CardPaymentState::Succeeded.as_str())),
    )
    .set((
        card_payments::state.eq(CardPaymentState::Succeeded.as_str()),
        card_payments::failure_message.eq(None::<String>),
        card_payments::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Takes the row's write lock (an update: both backends lock with it) and reads it again.
pub fn lock(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> QueryResult<CardPaymentRow> {
    diesel::update(card_payments::table.find(id))
        .set(card_payments::updated_at.eq(now.naive_utc()))
        .execute(conn)?;
    card_payments::table
        .find(id)
        .select(CardPaymentRow::as_select())
        .get_result(conn)
}
