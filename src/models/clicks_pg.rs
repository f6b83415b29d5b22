//! PostgreSQL only: a click on a month already reserved, in one statement.
//!
//! The general path costs about eight round trips (begin, checks, insert, counters, commit);
//! on PostgreSQL each is a network round trip and the server's CPU is the limit. Data-modifying
//! CTEs (which SQLite lacks, hence this module) do the same work in one autocommitted
//! statement. The click is inserted first, and the reservation's count and the counter shard
//! are updated only if that insert happened, so a repeated click writes nothing.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp, Untyped};

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

/// The statement as a typed query with a static query id, so that diesel prepares it once per
/// connection: `diesel::sql_query` marks itself unsafe to cache, and PostgreSQL would then plan
/// this CTE at every click, which costs three times as long as running it.
#[derive(Debug, Clone, QueryId)]
struct ClickQuery {
    thing: i64,
    reader: i64,
    month: String,
    now: NaiveDateTime,
    shard: i32,
}

impl Query for ClickQuery {
    type SqlType = Untyped;
}

impl RunQueryDsl<PgConnection> for ClickQuery {}

impl QueryFragment<Pg> for ClickQuery {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        // Each placeholder is its own bind, in order of appearance.
        out.push_sql("WITH t AS (SELECT owner_id, hidden FROM things WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.thing)?;
        out.push_sql("), res AS (SELECT amount_micros FROM month_budgets WHERE reader_id = ");
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(" AND month = ");
        out.push_bind_param::<Text, _>(&self.month)?;
        out.push_sql(
            "), c AS (INSERT INTO clicks (reader_id, thing_id, month, created_at) SELECT ",
        );
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.thing)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.month)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&self.now)?;
        out.push_sql(" WHERE EXISTS (SELECT 1 FROM t WHERE NOT hidden AND owner_id <> ");
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(") AND EXISTS (SELECT 1 FROM res) ON CONFLICT (reader_id, thing_id, month) DO NOTHING RETURNING 1 AS done), \
                      r AS (UPDATE month_budgets SET clicks = clicks + 1 WHERE reader_id = ");
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(" AND month = ");
        out.push_bind_param::<Text, _>(&self.month)?;
        out.push_sql(" AND EXISTS (SELECT 1 FROM c) RETURNING clicks), \
                      n AS (INSERT INTO thing_month_counts (thing_id, month, shard, clicks) SELECT ");
        out.push_bind_param::<BigInt, _>(&self.thing)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.month)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&self.shard)?;
        out.push_sql(", 1 FROM c ON CONFLICT (thing_id, month, shard) DO UPDATE SET clicks = thing_month_counts.clicks + 1) \
                      SELECT (SELECT owner_id FROM t) AS owner_id, (SELECT hidden FROM t) AS hidden, \
                      (SELECT amount_micros FROM res) AS budget, (SELECT clicks FROM r) AS clicks");
        Ok(())
    }
}

/// Runs the click statement; only for a PostgreSQL connection.
pub fn click(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    shard: i32,
    now: DateTime<Utc>,
) -> QueryResult<FastClick> {
    let DbConnection::Postgres(pg) = conn else {
        return Err(diesel::result::Error::QueryBuilderError(
            "the one-statement click is PostgreSQL's".into(),
        ));
    };
    ClickQuery {
        thing: thing.0,
        reader: reader.0,
        month: month.to_string(),
        now: now.naive_utc(),
        shard,
    }
    .get_result(pg)
}
