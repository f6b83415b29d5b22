//! What `GET /metrics` reads from the database at each scrape: the outbox's backlog and the
//! newest successful settlement. Two small queries: the outbox's unsent messages are what its
//! partial index `mail_outbox_due` holds, and `settlement_runs` has a row per month.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{count, count_star, max};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{mail_outbox, settlement_runs};
use crate::domain::states::RunState;

/// The outbox's unsent messages, and how many of them failed their last attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxBacklog {
    pub pending: i64,
    pub failing: i64,
}

pub fn outbox_backlog(conn: &mut DbConnection) -> QueryResult<OutboxBacklog> {
    let (pending, failing) = mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        // `last_error` is set by a failed attempt and stays until the message is sent.
        .select((count_star(), count(mail_outbox::last_error)))
        .get_result::<(i64, i64)>(conn)?;
    Ok(OutboxBacklog { pending, failing })
}

/// When the newest run that settled its month finished, whichever process ran it.
pub fn last_settlement(conn: &mut DbConnection) -> QueryResult<Option<DateTime<Utc>>> {
    let finished = settlement_runs::table
        .filter(settlement_runs::state.eq(RunState::Done.as_str()))
        .select(max(settlement_runs::finished_at))
        .get_result::<Option<NaiveDateTime>>(conn)?;
    Ok(finished.map(|at| at.and_utc()))
}
