//! The `card_disputes` table: chargebacks of card payments and what each took.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{card_disputes, users};
use crate::domain::dispute::DisputeState;
use crate::domain::{Money, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = card_disputes)]
pub struct DisputeRow {
    pub id: i64,
    pub dispute_id: String,
    pub payment_id: i64,
    pub user_id: i64,
    pub amount_micros: i64,
    pub debited_micros: i64,
    pub shortfall_micros: i64,
    #[diesel(deserialize_as = String)]
    pub state: DisputeState,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    /// When the bank took the money; `None` for an inquiry, or a dispute won before it did.
    pub withdrawn_at: Option<NaiveDateTime>,
}

impl DisputeRow {
    pub fn amount(&self) -> Money {
        Money::from_micros(self.amount_micros)
    }
    pub fn debited(&self) -> Money {
        Money::from_micros(self.debited_micros)
    }
    pub fn shortfall(&self) -> Money {
        Money::from_micros(self.shortfall_micros)
    }
}

/// What a new dispute records: nothing taken yet ([`withdraw`] records that).
pub struct NewDispute<'a> {
    pub dispute_id: &'a str,
    pub payment_id: i64,
    pub user: UserId,
    pub amount: Money,
    pub state: DisputeState,
    pub reason: Option<&'a str>,
}

/// Records a dispute, in the caller's transaction.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewDispute<'_>,
    now: DateTime<Utc>,
) -> QueryResult<DisputeRow> {
    let closed_at = (new.state != DisputeState::Open).then(|| now.naive_utc());
    diesel::insert_into(card_disputes::table)
        .values((
            card_disputes::dispute_id.eq(new.dispute_id),
            card_disputes::payment_id.eq(new.payment_id),
            card_disputes::user_id.eq(new.user.0),
            card_disputes::amount_micros.eq(new.amount.micros()),
            card_disputes::debited_micros.eq(0_i64),
            card_disputes::shortfall_micros.eq(0_i64),
            card_disputes::state.eq(new.state.as_str()),
            card_disputes::reason.eq(new.reason),
            card_disputes::created_at.eq(now.naive_utc()),
            card_disputes::closed_at.eq(closed_at),
        ))
        .execute(conn)?;
    find(conn, new.dispute_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find(conn: &mut DbConnection, dispute_id: &str) -> QueryResult<Option<DisputeRow>> {
    card_disputes::table
        .filter(card_disputes::dispute_id.eq(dispute_id))
        .select(DisputeRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<DisputeRow>> {
    card_disputes::table
        .find(id)
        .select(DisputeRow::as_select())
        .get_result(conn)
        .optional()
}

/// Closes an open dispute; `false` when it was closed already (it closes once). A dispute
/// won owes the platform nothing more: its shortfall goes to zero.
pub fn close(
    conn: &mut DbConnection,
    id: i64,
    state: DisputeState,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let open = card_disputes::table
        .filter(card_disputes::id.eq(id))
        .filter(card_disputes::state.eq(DisputeState::Open.as_str()));
    let changed = if state == DisputeState::Won {
        diesel::update(open)
            .set((
                card_disputes::state.eq(state.as_str()),
                card_disputes::shortfall_micros.eq(0_i64),
                card_disputes::closed_at.eq(Some(now.naive_utc())),
            ))
            .execute(conn)?
    } else {
        diesel::update(open)
            .set((
                card_disputes::state.eq(state.as_str()),
                card_disputes::closed_at.eq(Some(now.naive_utc())),
            ))
            .execute(conn)?
    };
    Ok(changed == 1)
}

/// The latest disputes, open ones first, each with its reader's address.
pub fn latest_with_emails(
    conn: &mut DbConnection,
    limit: i64,
) -> QueryResult<Vec<(DisputeRow, String)>> {
    let mut rows: Vec<(DisputeRow, String)> = card_disputes::table
        .inner_join(users::table.on(users::id.eq(card_disputes::user_id)))
        .order(card_disputes::id.desc())
        .limit(limit)
        .select((DisputeRow::as_select(), users::email))
        .load(conn)?;
    // Stable: open disputes first, newest first within each group.
    rows.sort_by_key(|(row, _)| row.state != DisputeState::Open);
    Ok(rows)
}

/// Records that the bank took a dispute's money: what left the reader's funds and what the
/// platform bears. `false` when it was recorded before (the money leaves once).
pub fn withdraw(
    conn: &mut DbConnection,
    id: i64,
    debited: Money,
    shortfall: Money,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        card_disputes::table
            .filter(card_disputes::id.eq(id))
            .filter(card_disputes::withdrawn_at.is_null()),
    )
    .set((
        card_disputes::debited_micros.eq(debited.micros()),
        card_disputes::shortfall_micros.eq(shortfall.micros()),
        card_disputes::withdrawn_at.eq(Some(now.naive_utc())),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A payment's disputes that hold part of it (open or lost), oldest first.
pub fn taking_from_payment(conn: &mut DbConnection, payment: i64) -> QueryResult<Vec<DisputeRow>> {
    card_disputes::table
        .filter(card_disputes::payment_id.eq(payment))
        .filter(card_disputes::state.ne(DisputeState::Won.as_str()))
        .order(card_disputes::id.asc())
        .select(DisputeRow::as_select())
        .load(conn)
}

/// What a payment's open and lost disputes hold of it (debited and borne).
pub fn taken_from_payment(conn: &mut DbConnection, payment: i64) -> QueryResult<Money> {
    // A payment has a dispute or two: summed here rather than in SQL.
    Ok(Money::from_micros(
        taking_from_payment(conn, payment)?
            .iter()
            .map(|d| d.debited_micros + d.shortfall_micros)
            .sum(),
    ))
}

/// Sets what a dispute still holds, after a refund took part of it over.
pub fn set_take(
    conn: &mut DbConnection,
    id: i64,
    debited: Money,
    shortfall: Money,
) -> QueryResult<()> {
    diesel::update(card_disputes::table.filter(card_disputes::id.eq(id)))
        .set((
            card_disputes::debited_micros.eq(debited.micros()),
            card_disputes::shortfall_micros.eq(shortfall.micros()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The platform's shortfall over every open and lost dispute (not only those shown).
pub fn shortfall_total(conn: &mut DbConnection) -> QueryResult<Money> {
    let total: i64 = card_disputes::table
        .filter(card_disputes::state.ne(DisputeState::Won.as_str()))
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "CAST(COALESCE(SUM(shortfall_micros), 0) AS BIGINT)",
        ))
        .get_result(conn)?;
    Ok(Money::from_micros(total))
}
