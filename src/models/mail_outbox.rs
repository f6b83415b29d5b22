//! The `mail_outbox` table: messages waiting to be sent, claimed by one worker at a time, and
//! retried with a growing delay. Times here are the machine's (`clock::wall_time`).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::{mail_outbox, settlement_runs};
use crate::domain::states::RunState;
use crate::domain::{Month, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    /// `None` for a pending sign-up's code, whose address has no account yet.
    pub user_id: Option<i64>,
    pub payload: String,
    pub dedupe_key: String,
    pub attempts: i32,
}

/// Queues a message unless one with the same dedupe key exists. Returns whether it was new.
/// `ON CONFLICT DO NOTHING` (both backends) rather than catching the violation, which would
/// abort a caller's PostgreSQL transaction. `user` is `None` only for a message whose
/// recipient has no account yet (the payload then names it).
pub fn enqueue(
    conn: &mut DbConnection,
    kind: &str,
    user: Option<UserId>,
    payload: &str,
    dedupe_key: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::sql_query(
        "INSERT INTO mail_outbox (kind, user_id, payload, dedupe_key, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind::<Text, _>(kind)
    .bind::<Nullable<BigInt>, _>(user.map(|u| u.0))
    .bind::<Text, _>(payload)
    .bind::<Text, _>(dedupe_key)
    .bind::<Timestamp, _>(now.naive_utc())
    .execute(conn)?;
    Ok(inserted == 1)
}

/// Settled months whose statement mails are not queued yet.
pub fn months_without_statements(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    settlement_runs::table
        .filter(settlement_runs::state.eq(RunState::Done.as_str()))
        .filter(settlement_runs::statements_queued_at.is_null())
        .order(settlement_runs::month.asc())
        .select(settlement_runs::month)
        .load(conn)
}

/// Queues a settled month's statements, one per reader charged or whose idle month was given
/// to the charity, and one per creator paid, in two set-based statements, and marks the
/// month done. Call inside a write transaction.
pub fn enqueue_statements(
    conn: &mut DbConnection,
    month: Month,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let month_text = month.to_string();
    let payload = serde_json::json!({ "month": month_text }).to_string();
    let mut queued = 0;
    for (kind, source) in [
        (
            "reader_statement",
            // Readers who clicked, and readers whose idle month went to the charity.
            "SELECT reader_id AS user_id FROM month_budgets WHERE month = $3 AND clicks > 0 \
             UNION SELECT reader_id AS user_id FROM month_donations WHERE month = $3",
        ),
        (
            "creator_statement",
            "SELECT creator_id AS user_id FROM creator_month_totals WHERE month = $3",
        ),
    ] {
        // Parameters appear in number order: SQLite numbers `$n` by first appearance.
        let sql = format!(
            "INSERT INTO mail_outbox (kind, user_id, payload, dedupe_key, created_at, next_attempt_at) \
             SELECT $1, s.user_id, $2, $1 || ':' || $3 || ':' || CAST(s.user_id AS TEXT), $4, $4 \
             FROM ({source}) s WHERE NOT EXISTS (SELECT 1 FROM users u \
             WHERE u.id = s.user_id AND u.deleted_at IS NOT NULL) ON CONFLICT (dedupe_key) DO NOTHING"
        );
        queued += diesel::sql_query(sql)
            .bind::<Text, _>(kind)
            .bind::<Text, _>(&payload)
            .bind::<Text, _>(&month_text)
            .bind::<Timestamp, _>(now.naive_utc())
            .execute(conn)?;
    }
    diesel::update(settlement_runs::table.find(&month_text))
        .set(settlement_runs::statements_queued_at.eq(Some(now.naive_utc())))
        .execute(conn)?;
    Ok(queued)
}

/// Ids of messages due now, oldest first.
pub fn due(conn: &mut DbConnection, now: DateTime<Utc>, limit: i64) -> QueryResult<Vec<i64>> {
    let now = now.naive_utc();
    mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::next_attempt_at.le(now))
        .filter(
            mail_outbox::claimed_until
                .is_null()
                .or(mail_outbox::claimed_until.lt(now)),
        )
        .order(mail_outbox::id.asc())
        .limit(limit)
        .select(mail_outbox::id)
        .load(conn)
}

/// Takes a message for `until`; `None` if it was sent or another worker holds it. One
/// conditional update, so two workers (or two processes) never both take it.
pub fn claim(
    conn: &mut DbConnection,
    id: i64,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Option<OutboxRow>> {
    let now = now.naive_utc();
    let taken = diesel::update(
        mail_outbox::table
            .filter(mail_outbox::id.eq(id))
            .filter(mail_outbox::sent_at.is_null())
            .filter(
                mail_outbox::claimed_until
                    .is_null()
                    .or(mail_outbox::claimed_until.lt(now)),
            ),
    )
    .set(mail_outbox::claimed_until.eq(Some(until.naive_utc())))
    .execute(conn)?;
    if taken != 1 {
        return Ok(None);
    }
    mail_outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .get_result(conn)
        .optional()
}

/// The message left: it is never sent again. A one-time link in its payload is erased.
pub fn mark_sent(
    conn: &mut DbConnection,
    id: i64,
    erase_payload: bool,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let query = diesel::update(mail_outbox::table.find(id));
    if erase_payload {
        query
            .set((
                mail_outbox::sent_at.eq(Some(now.naive_utc())),
                mail_outbox::claimed_until.eq(None::<NaiveDateTime>),
                mail_outbox::payload.eq("{}"),
            ))
            .execute(conn)?;
    } else {
        query
            .set((
                mail_outbox::sent_at.eq(Some(now.naive_utc())),
                mail_outbox::claimed_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Sending failed: try again at `retry_at`.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    error: &str,
    retry_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
            mail_outbox::next_attempt_at.eq(retry_at.naive_utc()),
            mail_outbox::claimed_until.eq(None::<NaiveDateTime>),
            mail_outbox::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(())
}
