//! The `budgets` table: each reader's current choice.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Timestamp};

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
        .get_result(conn)
        .optional()?;
    Ok(row.map(|(micros, paused)| Budget {
        amount: Money::from_micros(micros),
        paused,
    }))
}

/// Saves the reader's choice in one atomic upsert (the same `ON CONFLICT` syntax on both
/// backends), so two concurrent saves cannot both try to insert.
pub fn save(
    conn: &mut DbConnection,
    user: UserId,
    budget: Budget,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO budgets (user_id, amount_micros, paused, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET amount_micros = $2, paused = $3, updated_at = $4",
    )
    .bind::<BigInt, _>(user.0)
    .bind::<BigInt, _>(budget.amount.micros())
    .bind::<Bool, _>(budget.paused)
    .bind::<Timestamp, _>(now.naive_utc())
    .execute(conn)?;
    Ok(())
}
