//! The `payouts` table: creators' payout requests and what operators decided.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{payouts, users};
use crate::domain::payout::{AccountHolder, Iban};
use crate::domain::states::PayoutState;
use crate::domain::{Money, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payouts)]
pub struct PayoutRow {
    pub id: i64,
    pub user_id: i64,
    pub amount_micros: i64,
    pub iban: String,
    pub holder: String,
    #[diesel(deserialize_as = String)]
    pub state: PayoutState,
    pub reference: Option<String>,
    pub idempotency_key: String,
    pub requested_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<i64>,
}

impl PayoutRow {
    pub fn amount(&self) -> Money {
        Money::from_micros(self.amount_micros)
    }
}

/// Records a pending request; the ledger movement is the caller's, in the same transaction.
pub fn insert(
    conn: &mut DbConnection,
    user: UserId,
    amount: Money,
    iban: &Iban,
    holder: &AccountHolder,
    idempotency_key: &str,
    now: DateTime<Utc>,
) -> QueryResult<PayoutRow> {
    let id = diesel::insert_into(payouts::table)
        .values((
            payouts::user_id.eq(user.0),
            payouts::amount_micros.eq(amount.micros()),
            payouts::iban.eq(iban.as_str()),
            payouts::holder.eq(holder.as_str()),
            payouts::idempotency_key.eq(idempotency_key),
            payouts::requested_at.eq(now.naive_utc()),
        ))
        .returning(payouts::id)
        .get_result::<i64>(conn)?;
    // `returning(PayoutRow::as_returning())` does not go through MultiConnection.
    payouts::table
        .find(id)
        .select(PayoutRow::as_select())
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<PayoutRow>> {
    payouts::table
        .find(id)
        .select(PayoutRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn find_by_key(
    conn: &mut DbConnection,
    user: UserId,
    key: &str,
) -> QueryResult<Option<PayoutRow>> {
    payouts::table
        .filter(payouts::user_id.eq(user.0))
        .filter(payouts::idempotency_key.eq(key))
        .select(PayoutRow::as_select())
        .get_result(conn)
        .optional()
}

/// Whether one of the creator's requests waits for an operator.
pub fn has_pending(conn: &mut DbConnection, user: UserId) -> QueryResult<bool> {
    let n: i64 = payouts::table
        .filter(payouts::user_id.eq(user.0))
        .filter(payouts::state.eq(PayoutState::Pending.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A creator's requests, newest first.
pub fn of_user(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<PayoutRow>> {
    payouts::table
        .filter(payouts::user_id.eq(user.0))
        .order(payouts::id.desc())
        .select(PayoutRow::as_select())
        .load(conn)
}

/// The requests waiting, oldest first (what operators work through), with each creator's
/// address, in one query.
pub fn pending_with_emails(
    conn: &mut DbConnection,
    limit: i64,
) -> QueryResult<Vec<(PayoutRow, String)>> {
    payouts::table
        .inner_join(users::table.on(users::id.eq(payouts::user_id)))
        .filter(payouts::state.eq(PayoutState::Pending.as_str()))
        .order(payouts::id.asc())
        .limit(limit)
        .select((PayoutRow::as_select(), users::email))
        .load(conn)
}

/// The latest decided requests, most recent decision first.
pub fn decided(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<PayoutRow>> {
    payouts::table
        .filter(payouts::state.ne(PayoutState::Pending.as_str()))
        .order(payouts::decided_at.desc())
        .limit(limit)
        .select(PayoutRow::as_select())
        .load(conn)
}

/// Moves a pending request to `state`; false when it was no longer pending (someone else
/// decided first), in which case nothing changed.
pub fn decide(
    conn: &mut DbConnection,
    id: i64,
    state: PayoutState,
    reference: Option<&str>,
    operator: UserId,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        payouts::table
            .filter(payouts::id.eq(id))
            .filter(payouts::state.eq(PayoutState::Pending.as_str())),
    )
    .set((
        payouts::state.eq(state.as_str()),
        payouts::reference.eq(reference),
        payouts::decided_at.eq(Some(now.naive_utc())),
        payouts::decided_by.eq(Some(operator.0)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
