//! PostgreSQL only: a click on a month already reserved, in one statement.
//!
//! The general path costs about eight round trips (begin, checks, insert, counters, commit);
//! on PostgreSQL each is a network round trip and the server's CPU is the limit. Data-modifying
//! CTEs (which SQLite lacks, hence this module) do the same work in one autocommitted
//! statement. The click is inserted first, and the reservation's count and the counter shard
//! are updated only if that insert happened, so a repeated click writes nothing.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};

use crate::db::DbConnection;
use crate::domain::{Money, Month, ThingId, UserId};

/// What the one statement found and did.
#[derive(Debug, QueryableByName)]
pub struct FastClick {
    #[diesel(sql_type = Nullable<BigInt>)]
    pub owner_id: Option<i64>,
    #[diesel(sql_type = Nullable<Bool>)]
    pub hidden: Option<bool>,
    /// The month's reserved budget; `None`: first click of the month, take the general path.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub budget: Option<i64>,
    /// The month's clicks after this one; `None` with a budget: already clicked.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub clicks: Option<i64>,
}

impl FastClick {
    pub fn budget(&self) -> Option<Money> {
        self.budget.map(Money::from_micros)
    }
}

const CLICK: &str = "
WITH t AS (SELECT owner_id, hidden FROM things WHERE id = $1),
     res AS (SELECT amount_micros FROM month_budgets WHERE reader_id = $2 AND month = $3),
     c AS (INSERT INTO clicks (reader_id, thing_id, month, created_at)
           SELECT $2, $1, $3, $4
           WHERE EXISTS (SELECT 1 FROM t WHERE NOT hidden AND owner_id <> $2)
             AND EXISTS (SELECT 1 FROM res)
           ON CONFLICT (reader_id, thing_id, month) DO NOTHING
           RETURNING 1 AS done),
     r AS (UPDATE month_budgets SET clicks = clicks + 1
           WHERE reader_id = $2 AND month = $3 AND EXISTS (SELECT 1 FROM c)
           RETURNING clicks),
     n AS (INSERT INTO thing_month_counts (thing_id, month, shard, clicks)
           SELECT $1, $3, $5, 1 FROM c
           ON CONFLICT (thing_id, month, shard) DO UPDATE SET clicks = thing_month_counts.clicks + 1)
SELECT (SELECT owner_id FROM t) AS owner_id, (SELECT hidden FROM t) AS hidden,
       (SELECT amount_micros FROM res) AS budget, (SELECT clicks FROM r) AS clicks";

pub fn click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    shard: i32,
    now: DateTime<Utc>,
) -> QueryResult<FastClick> {
    diesel::sql_query(CLICK)
        .bind::<BigInt, _>(thing.0)
        .bind::<BigInt, _>(reader.0)
        .bind::<Text, _>(month.to_string())
        .bind::<Timestamp, _>(now.naive_utc())
        .bind::<Integer, _>(shard)
        .get_result(conn)
}
