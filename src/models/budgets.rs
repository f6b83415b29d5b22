//! The `budgets` table: each reader's current choice.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::budgets;
use crate::domain::{Money, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub amount: Money,
    pub paused: bool,
}

pub fn find(conn: &mut DbConnection, user: UserId) -> QueryResult<Option<Budget>> {
    let row: Option<(i64, bool)> = budgets::table
        .find(user.0)
        .select((budgets::amount_micros, budgets::paused))
        .first(conn)
        .optional()?;
    Ok(row.map(|(micros, paused)| Budget {
        amount: Money::from_micros(micros),
        paused,
    }))
}

/// Saves the reader's choice. Call inside a write transaction: update, else insert (diesel's
/// upsert does not go through MultiConnection).
pub fn save(
    conn: &mut DbConnection,
    user: UserId,
    budget: Budget,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let values = (
        budgets::amount_micros.eq(budget.amount.micros()),
        budgets::paused.eq(budget.paused),
        budgets::updated_at.eq(now.naive_utc()),
    );
    let updated = diesel::update(budgets::table.find(user.0))
        .set(values)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(budgets::table)
            .values((budgets::user_id.eq(user.0), values))
            .execute(conn)?;
    }
    Ok(())
}
