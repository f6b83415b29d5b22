//! PostgreSQL only: many clicks on reserved months in one statement.
//!
//! On PostgreSQL every statement is a round trip and every commit a WAL flush, and the
//! server's CPU is shared with the application here. The click batcher (`writes`) gathers
//! the clicks that arrive together and sends them as arrays to this one autocommitted
//! statement, a data-modifying CTE (which SQLite lacks, hence this module): it inserts the
//! clicks that may be made (visible thing, not the reader's own, month reserved, month open,
//! token live), counts them on the reservation rows and the counter shards, and reports on
//! every input row the facts it read, so that the click module (`use_cases::clicks`) can
//! answer each click by the same rules as on SQLite. A click that needs the month's
//! reservation first is reported as such and takes the general path.

use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Integer, Nullable, Text, Timestamp, Untyped};

use super::writes::ClickRequest;

/// What the statement found and did for one input click.
#[derive(Debug, Clone, QueryableByName)]
pub struct ClickRow {
    /// The input's position, from 1.
    #[diesel(sql_type = BigInt)]
    pub ord: i64,
    /// The click came with an API token that is no longer live: nothing was recorded.
    #[diesel(sql_type = Bool)]
    pub revoked: bool,
    /// The month's settlement has begun: nothing was recorded.
    #[diesel(sql_type = Bool)]
    pub closed: bool,
    /// The thing's owner, 0 while nobody has claimed it (whoever added it may click it then:
    /// the share is held); `None` when the thing does not exist or is hidden.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub owner_id: Option<i64>,
    /// Whether the month's budget was reserved before the statement.
    #[diesel(sql_type = Bool)]
    pub reserved: bool,
    /// The reserved budget, when this click was recorded.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub budget: Option<i64>,
    /// The reader's clicks of the month up to and including this one, when it was recorded.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub clicks: Option<i64>,
}

/// The statement as a typed query with a static query id, so that diesel prepares it once per
/// connection (`diesel::sql_query` is never cached, and planning this CTE costs more than
/// running it).
#[derive(Debug, Clone, QueryId)]
struct ClickBatch {
    readers: Vec<i64>,
    things: Vec<i64>,
    shards: Vec<i32>,
    months: Vec<String>,
    created: Vec<chrono::NaiveDateTime>,
    tokens: Vec<Option<String>>,
}

impl Query for ClickBatch {
    type SqlType = Untyped;
}

impl RunQueryDsl<PgConnection> for ClickBatch {}

impl QueryFragment<Pg> for ClickBatch {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("WITH input AS (SELECT * FROM unnest(");
        out.push_bind_param::<Array<BigInt>, _>(&self.readers)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<BigInt>, _>(&self.things)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Integer>, _>(&self.shards)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Text>, _>(&self.months)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Timestamp>, _>(&self.created)?;
        out.push_sql(", ");
        out.push_bind_param::<Array<Nullable<Text>>, _>(&self.tokens)?;
        // `looked`: each lookup is a scalar subquery, which PostgreSQL runs per row with the
        // primary key, whatever its statistics say (as joins, a table that was small when the
        // statement was prepared got scanned whole at every batch). The reservation row is
        // locked, so that an undo of the month's last click cannot release it between this
        // read and the count's update. `first`: a pair sent twice in one batch is one click;
        // its second copy is then already clicked. Rows are locked in key order (the caller
        // sorts the batch), so that two processes' batches do not deadlock.
        //
        // `held`: the months of the batch, share-locked (see `models::months::hold_open`) so
        // that settlement cannot close one before this statement commits, and read after the
        // lock: MATERIALIZED keeps the `closed_at` test out of the locking scan, where it would
        // be judged on the statement's snapshot, before a concurrent close.
        out.push_sql(
            ") WITH ORDINALITY AS i (reader_id, thing_id, shard, month, created_at, token, ord)), \
             held AS MATERIALIZED (SELECT m.month, m.closed_at FROM months m \
                 WHERE m.month IN (SELECT month FROM input) FOR SHARE), \
             looked AS (SELECT i.*, \
                 (i.token IS NOT NULL AND NOT EXISTS (SELECT 1 FROM api_tokens a \
                     WHERE a.token_hash = i.token AND a.user_id = i.reader_id AND a.revoked_at IS NULL)) AS revoked, \
                 EXISTS (SELECT 1 FROM held h WHERE h.month = i.month AND h.closed_at IS NOT NULL) AS closed, \
                 (SELECT CASE WHEN t.site_id IS NULL THEN 0 ELSE t.owner_id END FROM things t \
                  WHERE t.id = i.thing_id AND NOT t.hidden) AS owner_id, \
                 (SELECT mb.amount_micros FROM month_budgets mb \
                  WHERE mb.reader_id = i.reader_id AND mb.month = i.month FOR NO KEY UPDATE) AS reserved \
                 FROM input i), \
             first AS (SELECT DISTINCT ON (reader_id, thing_id, month) * FROM looked \
                       ORDER BY reader_id, thing_id, month, ord), \
             c AS (INSERT INTO clicks (reader_id, thing_id, month, created_at) \
                   SELECT reader_id, thing_id, month, created_at FROM first \
                   WHERE owner_id <> reader_id AND reserved IS NOT NULL AND NOT closed AND NOT revoked \
                   ORDER BY month, reader_id, thing_id \
                   ON CONFLICT (month, reader_id, thing_id) DO NOTHING \
                   RETURNING reader_id, thing_id, month), \
             recorded AS (SELECT f.ord, f.reader_id, f.thing_id, f.month, f.shard, \
                          row_number() OVER (PARTITION BY f.reader_id, f.month ORDER BY f.ord DESC) - 1 AS later \
                          FROM c JOIN first f USING (reader_id, thing_id, month)), \
             r AS (UPDATE month_budgets mb SET clicks = mb.clicks + n.clicks \
                   FROM (SELECT reader_id, month, count(*) AS clicks FROM recorded GROUP BY reader_id, month) n \
                   WHERE mb.reader_id = n.reader_id AND mb.month = n.month \
                   RETURNING mb.reader_id, mb.month, mb.amount_micros, mb.clicks), \
             counted AS (INSERT INTO thing_month_counts (thing_id, month, shard, clicks) \
                   SELECT thing_id, month, shard, count(*) FROM recorded \
                   GROUP BY thing_id, month, shard ORDER BY thing_id, month, shard \
                   ON CONFLICT (thing_id, month, shard) \
                   DO UPDATE SET clicks = thing_month_counts.clicks + excluded.clicks) \
             SELECT l.ord, l.revoked, l.closed, l.owner_id, (l.reserved IS NOT NULL) AS reserved, a.budget, a.clicks \
             FROM looked l LEFT JOIN \
                  (SELECT k.ord, r.amount_micros AS budget, r.clicks - k.later AS clicks \
                   FROM recorded k JOIN r USING (reader_id, month)) a ON a.ord = l.ord \
             ORDER BY l.ord",
        );
        Ok(())
    }
}

/// Runs the statement for `clicks`, answering one row per click, in input order. Sort the
/// clicks by reader and thing first (see the statement's lock order).
pub fn click_batch(pg: &mut PgConnection, clicks: &[ClickRequest]) -> QueryResult<Vec<ClickRow>> {
    ClickBatch {
        readers: clicks.iter().map(|c| c.reader.0).collect(),
        things: clicks.iter().map(|c| c.thing.0).collect(),
        shards: clicks.iter().map(|c| c.shard).collect(),
        months: clicks.iter().map(|c| c.month.to_string()).collect(),
        created: clicks.iter().map(|c| c.at.naive_utc()).collect(),
        tokens: clicks.iter().map(|c| c.token.clone()).collect(),
    }
    .load(pg)
}
