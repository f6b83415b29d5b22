//! The `budgets` table: each reader's current choice.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::budgets;
use crate::domain::budget::{IdleChoice, Unspent};
use crate::domain::{Money, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub amount: Money,
    pub paused: bool,
    /// What an idle month does with the budget (money rule 6).
    pub unspent: Unspent,
}

/// A stored choice that no longer parses is a corrupted row: an error, never a default.
fn unspent(text: &str) -> QueryResult<Unspent> {
    Unspent::parse(text).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

pub fn find(conn: &mut DbConnection, user: UserId) -> QueryResult<Option<Budget>> {
    let row: Option<(i64, bool, String)> = budgets::table
        .find(user.0)
        .select((budgets::amount_micros, budgets::paused, budgets::unspent))
        .get_result(conn)
        .optional()?;
    row.map(|(micros, paused, text)| {
        Ok(Budget {
            amount: Money::from_micros(micros),
            paused,
            unspent: unspent(&text)?,
        })
    })
    .transpose()
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
        "INSERT INTO budgets (user_id, amount_micros, paused, updated_at, unspent) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE \
         SET amount_micros = $2, paused = $3, updated_at = $4, unspent = $5",
    )
    .bind::<BigInt, _>(user.0)
    .bind::<BigInt, _>(budget.amount.micros())
    .bind::<Bool, _>(budget.paused)
    .bind::<Timestamp, _>(now.naive_utc())
    .bind::<Text, _>(budget.unspent.as_str())
    .execute(conn)?;
    Ok(())
}

/// Every reader whose budget says `charity`, by reader: the few whose idle months may give.
pub fn charity_choices(conn: &mut DbConnection) -> QueryResult<Vec<(UserId, IdleChoice)>> {
    let rows: Vec<(i64, i64, bool, String, chrono::NaiveDateTime)> = budgets::table
        .filter(budgets::unspent.eq(Unspent::Charity.as_str()))
        .order(budgets::user_id.asc())
        .select((
            budgets::user_id,
            budgets::amount_micros,
            budgets::paused,
            budgets::unspent,
            budgets::updated_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(user, micros, paused, text, at)| {
            Ok((
                UserId(user),
                IdleChoice {
                    budget: Money::from_micros(micros),
                    paused,
                    unspent: unspent(&text)?,
                    changed_at: at.and_utc(),
                },
            ))
        })
        .collect()
}

/// Of `readers`, those whose budget says `charity`.
pub fn chose_charity(conn: &mut DbConnection, readers: &[UserId]) -> QueryResult<Vec<UserId>> {
    let mut chosen = Vec::new();
    // In chunks: a bound list stays well under either database's limit.
    for chunk in readers.chunks(10_000) {
        let ids: Vec<i64> = chunk.iter().map(|r| r.0).collect();
        let rows: Vec<i64> = budgets::table
            .filter(budgets::user_id.eq_any(ids))
            .filter(budgets::unspent.eq(Unspent::Charity.as_str()))
            .select(budgets::user_id)
            .load(conn)?;
        chosen.extend(rows.into_iter().map(UserId));
    }
    chosen.sort_unstable();
    Ok(chosen)
}
