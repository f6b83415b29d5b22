//! The `payout_batches` and `payout_batch_items` tables: SEPA files exported for the bank,
//! and which payouts each pays.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{payout_batch_items, payout_batches, payouts};
use crate::domain::sepa::BatchState;
use crate::domain::states::PayoutState;
use crate::domain::{Money, UserId};
use crate::models::payouts::PayoutRow;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payout_batches)]
pub struct BatchRow {
    pub id: i64,
    pub message_id: String,
    pub payout_count: i32,
    pub control_sum_micros: i64,
    #[diesel(deserialize_as = String)]
    pub state: BatchState,
    pub document: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub sent_by: Option<i64>,
    pub sent_at: Option<NaiveDateTime>,
    pub cancelled_by: Option<i64>,
    pub cancelled_at: Option<NaiveDateTime>,
}

impl BatchRow {
    pub fn control_sum(&self) -> Money {
        Money::from_micros(self.control_sum_micros)
    }
}

/// What a new batch records.
pub struct NewBatch<'a> {
    pub message_id: &'a str,
    pub count: i32,
    pub control_sum: Money,
    pub document: &'a str,
    pub created_by: Option<UserId>,
}

/// Records an open batch and its payouts with their references, in the caller's
/// transaction. Fails on the unique indexes when another batch is open or a payout is in one.
pub fn insert(
    conn: &mut DbConnection,
    batch: &NewBatch<'_>,
    items: &[(i64, String)],
    now: DateTime<Utc>,
) -> QueryResult<BatchRow> {
    let id = diesel::insert_into(payout_batches::table)
        .values((
            payout_batches::message_id.eq(batch.message_id),
            payout_batches::payout_count.eq(batch.count),
            payout_batches::control_sum_micros.eq(batch.control_sum.micros()),
            payout_batches::document.eq(batch.document),
            payout_batches::created_by.eq(batch.created_by.map(|u| u.0)),
            payout_batches::created_at.eq(now.naive_utc()),
        ))
        .returning(payout_batches::id)
        .get_result::<i64>(conn)?;
    // One statement per payout: a batch holds what one operator pays at once (tens,
    // hundreds), and a multi-row insert does not go through MultiConnection.
    for (payout, reference) in items {
        diesel::insert_into(payout_batch_items::table)
            .values((
                payout_batch_items::payout_id.eq(*payout),
                payout_batch_items::batch_id.eq(id),
                payout_batch_items::end_to_end_id.eq(reference.as_str()),
            ))
            .execute(conn)?;
    }
    find(conn, id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<BatchRow>> {
    payout_batches::table
        .find(id)
        .select(BatchRow::as_select())
        .get_result(conn)
        .optional()
}

/// The open batch, if any (there is one at most).
pub fn open(conn: &mut DbConnection) -> QueryResult<Option<BatchRow>> {
    payout_batches::table
        .filter(payout_batches::state.eq(BatchState::Open.as_str()))
        .select(BatchRow::as_select())
        .first(conn)
        .optional()
}

/// The latest batches, newest first.
pub fn latest(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<BatchRow>> {
    payout_batches::table
        .order(payout_batches::id.desc())
        .limit(limit)
        .select(BatchRow::as_select())
        .load(conn)
}

/// The pending payouts no batch holds yet, oldest first: what the next batch pays.
pub fn unbatched_pending(conn: &mut DbConnection) -> QueryResult<Vec<PayoutRow>> {
    payouts::table
        .left_join(payout_batch_items::table)
        .filter(payout_batch_items::payout_id.is_null())
        .filter(payouts::state.eq(PayoutState::Pending.as_str()))
        .order(payouts::id.asc())
        .select(PayoutRow::as_select())
        .load(conn)
}

/// A batch's payouts with their references, in the file's order.
pub fn items(conn: &mut DbConnection, batch: i64) -> QueryResult<Vec<(PayoutRow, String)>> {
    payouts::table
        .inner_join(payout_batch_items::table)
        .filter(payout_batch_items::batch_id.eq(batch))
        .order(payouts::id.asc())
        .select((PayoutRow::as_select(), payout_batch_items::end_to_end_id))
        .load(conn)
}

/// The batch that holds a payout, while that batch is open.
pub fn open_batch_of(conn: &mut DbConnection, payout: i64) -> QueryResult<Option<i64>> {
    payout_batch_items::table
        .inner_join(payout_batches::table)
        .filter(payout_batch_items::payout_id.eq(payout))
        .filter(payout_batches::state.eq(BatchState::Open.as_str()))
        .select(payout_batches::id)
        .first(conn)
        .optional()
}

/// Moves an open batch to `sent`; `false` when it was not open (marked before).
pub fn mark_sent(
    conn: &mut DbConnection,
    id: i64,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        payout_batches::table
            .filter(payout_batches::id.eq(id))
            .filter(payout_batches::state.eq(BatchState::Open.as_str())),
    )
    .set((
        payout_batches::state.eq(BatchState::Sent.as_str()),
        payout_batches::sent_by.eq(by.map(|u| u.0)),
        payout_batches::sent_at.eq(Some(now.naive_utc())),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Takes a pending payout's row for a batch: `false` when it is no longer pending. A
/// conditional update, not a read: on PostgreSQL it waits for a concurrent decision on the
/// row and re-reads its state once that commits, so a payout rejected or sent meanwhile is
/// never claimed.
pub fn claim_pending(conn: &mut DbConnection, payout: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        payouts::table
            .filter(payouts::id.eq(payout))
            .filter(payouts::state.eq(PayoutState::Pending.as_str())),
    )
    .set(payouts::state.eq(payouts::state))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Takes a payout's row lock (a no-op update, on both backends) until the transaction ends:
/// a decision takes it before looking for an open batch, so that an export claiming the row
/// at the same time is either seen, or waits and then sees the decision.
pub fn lock_payout(conn: &mut DbConnection, payout: i64) -> QueryResult<()> {
    diesel::update(payouts::table.filter(payouts::id.eq(payout)))
        .set(payouts::state.eq(payouts::state))
        .execute(conn)?;
    Ok(())
}

/// Moves an open batch to `cancelled` and releases its payouts (its document keeps what it
/// held); `false` when it was not open.
pub fn cancel(
    conn: &mut DbConnection,
    id: i64,
    by: UserId,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        payout_batches::table
            .filter(payout_batches::id.eq(id))
            .filter(payout_batches::state.eq(BatchState::Open.as_str())),
    )
    .set((
        payout_batches::state.eq(BatchState::Cancelled.as_str()),
        payout_batches::cancelled_by.eq(Some(by.0)),
        payout_batches::cancelled_at.eq(Some(now.naive_utc())),
    ))
    .execute(conn)?;
    if changed == 1 {
        diesel::delete(payout_batch_items::table.filter(payout_batch_items::batch_id.eq(id)))
            .execute(conn)?;
    }
    Ok(changed == 1)
}
