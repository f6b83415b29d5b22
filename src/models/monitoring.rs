//! What `GET /metrics` reads from the database at each scrape: the outbox's backlog and the
//! newest successful settlement. Three small queries, each bounded whatever the backlog: the
//! outbox's counts stop at [`COUNT_CAP`] and read its partial indexes only (`mail_outbox_due`
//! holds exactly the unsent messages, `mail_outbox_failing` those whose last attempt failed),
//! and `settlement_runs` has a row per month.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::max;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::DbConnection;
use crate::db::schema::settlement_runs;
use crate::domain::Month;
use crate::domain::states::RunState;

/// The most messages a scrape counts: on the 1st a large instance queues a million statements,
/// and every process's scrape would otherwise count them all, every 15 seconds. A backlog that
/// large is an alert either way; the gauge reads this value while it lasts.
pub const COUNT_CAP: i64 = 1_000_000;

/// The outbox's unsent messages, and how many of them failed their last attempt, each at most
/// [`COUNT_CAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxBacklog {
    pub pending: i64,
    pub failing: i64,
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub fn outbox_backlog(conn: &mut DbConnection) -> QueryResult<OutboxBacklog> {
    // The conditions are the partial indexes' own, so that each count reads its index alone.
    // `last_error` is set by a failed attempt and stays until the message is sent.
    let pending = capped_count(conn, "sent_at IS NULL")?;
    let failing = capped_count(conn, "sent_at IS NULL AND last_error IS NOT NULL")?;
    Ok(OutboxBacklog { pending, failing })
}

/// `count(*)` of the outbox's rows that meet `condition`, stopping at [`COUNT_CAP`].
fn capped_count(conn: &mut DbConnection, condition: &str) -> QueryResult<i64> {
    let sql = format!(
        "SELECT CAST(count(*) AS BIGINT) AS n FROM \
         (SELECT 1 AS one FROM mail_outbox WHERE {condition} LIMIT {COUNT_CAP}) capped"
    );
    Ok(diesel::sql_query(sql).get_result::<Counted>(conn)?.n)
}

/// The newest successful settlement, whichever process ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastSettlement {
    /// When it finished.
    pub finished: DateTime<Utc>,
    /// The month it settled.
    pub month: Month,
}

/// The newest month settled, and when the newest run that settled a month finished (the two
/// are the same run but for a re-run of an older month).
pub fn last_settlement(conn: &mut DbConnection) -> QueryResult<Option<LastSettlement>> {
    let (finished, month) = settlement_runs::table
        .filter(settlement_runs::state.eq(RunState::Done.as_str()))
        .select((
            max(settlement_runs::finished_at),
            max(settlement_runs::month),
        ))
        .get_result::<(Option<NaiveDateTime>, Option<String>)>(conn)?;
    let (Some(finished), Some(month)) = (finished, month) else {
        return Ok(None);
    };
    // Months are stored as `YYYY-MM`, which sort as text in calendar order.
    let month = Month::parse(&month).map_err(|_| {
        diesel::result::Error::DeserializationError(format!("month {month:?}").into())
    })?;
    Ok(Some(LastSettlement {
        finished: finished.and_utc(),
        month,
    }))
}
