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

use chrono::NaiveDateTime;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable};

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

crate::statement! {
    /// The statement, prepared once per connection (planning this CTE costs more than running
    /// it): one array per column of the batch, `unnest`ed with each row's position.
    pub struct ClickBatch {
        pub readers: Vec<i64>,
        pub things: Vec<i64>,
        pub shards: Vec<i32>,
        pub months: Vec<String>,
        pub created: Vec<NaiveDateTime>,
        pub tokens: Vec<Option<String>>,
    }
    "WITH input AS (SELECT * FROM unnest(", {readers}, ", ", {things}, ", ", {shards}, ", ",
    {months}, ", ", {created}, ", ", {tokens}, CLICK_BATCH
}

// `looked`: each lookup is a scalar subquery, which PostgreSQL runs per row with the
// primary key, whatever its statistics say (as joins, a table that was small when the
// statement was prepared got scanned whole at every batch). The reservation row is
// locked, so that an undo of the month's last click cannot release it between this
// read and the count's update. `first`: a pair sent twice in one batch is one click;
// its second copy is then already clicked. Rows are locked in key order (the caller
// sorts the batch), so that two processes' batches do not deadlock.
//
// The token's row is share-locked too: deleting an account deletes its tokens first, and so
// waits for the clicks already past this check, and the clicks after it find no token.
//
// `held`: the months of the batch, share-locked (see `models::months::hold_open`) so
// that settlement cannot close one before this statement commits, and read after the
// lock: MATERIALIZED keeps the `closed_at` test out of the locking scan, where it would
// be judged on the statement's snapshot, before a concurrent close.
const CLICK_BATCH: &str = ") WITH ORDINALITY AS i (reader_id, thing_id, shard, month, created_at, token, ord)), \
             held AS MATERIALIZED (SELECT m.month, m.closed_at FROM months m \
                 WHERE m.month IN (SELECT month FROM input) FOR SHARE), \
             looked AS (SELECT i.*, \
                 (i.token IS NOT NULL AND NOT EXISTS (SELECT 1 FROM api_tokens a \
                     WHERE a.token_hash = i.token AND a.user_id = i.reader_id AND a.revoked_at IS NULL \
                     FOR KEY SHARE)) AS revoked, \
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
             ORDER BY l.ord";

/// Runs the statement, answering one row per click, in input order. Sort the clicks by reader
/// and thing first (see the statement's lock order).
pub fn click_batch(pg: &mut PgConnection, batch: ClickBatch) -> QueryResult<Vec<ClickRow>> {
    batch.load(pg)
}
