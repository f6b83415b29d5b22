//! The `mail_outbox` table: messages waiting to be sent, claimed in batches by one worker at a
//! time, marked in batches, and retried with a growing delay. Times here are the machine's (`clock::wall_time`).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use crate::db::DbConnection;
use crate::db::dialect::{self, write_transaction};
use crate::db::schema::{mail_outbox, settlement_runs};
use crate::domain::states::RunState;
use crate::domain::{Month, UserId};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
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

/// The most messages one claim takes: the claim statement's `LIMIT` is written into its text
/// (SQLite plans with a bound `LIMIT`'s value, so it would re-prepare it at every claim).
pub const MAX_CLAIM: usize = 1_000;

/// The condition of the `mail_outbox_urgent_due` partial index (migration 000023), written
/// here exactly as there: both backends use a partial index only for a query whose condition
/// contains the index's own. The month's statements are the only bulk kinds.
const NOT_STATEMENT: &str = "kind NOT IN ('reader_statement', 'creator_statement')";

/// Takes up to `limit` due messages (at most [`MAX_CLAIM`]) for this worker until `until`, and
/// returns them in the order they became due, the transactional ones first. A taken row's
/// `next_attempt_at` moves to `until` as well, so that the due messages are exactly a range
/// of the `mail_outbox_due` index and a dead worker's messages fall due when its claim
/// expires. On PostgreSQL the rows are locked with `SKIP LOCKED` (several processes each take
/// other rows, none waits for another); SQLite has one writer, which makes each statement
/// alone. A row another worker claimed meanwhile fails the re-checked condition and is left.
///
/// Two claims: first the due messages that are not statements (a password reset, a sign-up
/// code: their links expire, and a month's statements all fall due at once on the 1st, a
/// million of them on a large instance), through their own small partial index; then, with
/// what room is left, any due message in order.
pub fn claim_due(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: usize,
) -> QueryResult<Vec<OutboxRow>> {
    let limit = limit.min(MAX_CLAIM);
    let mut rows = claim_some(conn, now, until, limit, Some(NOT_STATEMENT))?;
    let room = limit.saturating_sub(rows.len());
    if room > 0 {
        // The urgent rows just taken are no longer due (their `next_attempt_at` is `until`).
        rows.extend(claim_some(conn, now, until, room, None)?);
    }
    Ok(rows)
}

/// One claim statement: up to `limit` due rows that also meet `only`, oldest first.
fn claim_some(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: usize,
    only: Option<&str>,
) -> QueryResult<Vec<OutboxRow>> {
    let only = only
        .map(|condition| format!(" AND {condition}"))
        .unwrap_or_default();
    let sql = format!(
        "UPDATE mail_outbox SET claimed_until = $1, next_attempt_at = $1 WHERE id IN ( \
         SELECT id FROM mail_outbox WHERE sent_at IS NULL{only} AND next_attempt_at <= $2 \
         AND (claimed_until IS NULL OR claimed_until < $2) \
         ORDER BY next_attempt_at, id LIMIT {limit}{}) \
         RETURNING id, kind, user_id, payload, dedupe_key, attempts",
        dialect::of(conn).skip_locked_sql(),
    );
    let mut rows: Vec<OutboxRow> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(until.naive_utc())
        .bind::<Timestamp, _>(now.naive_utc())
        .load(conn)?;
    // `RETURNING` promises no order; the oldest go first.
    rows.sort_by_key(|row| row.id);
    Ok(rows)
}

/// These messages left: none is sent again. The one-time links in `erase`'s payloads (a
/// subset of `sent`) are erased. One statement for the batch (two when it holds such links).
pub fn mark_sent(
    conn: &mut DbConnection,
    sent: &[i64],
    erase: &[i64],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    if sent.is_empty() {
        return Ok(());
    }
    write_transaction(conn, |conn| {
        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(sent)))
            .set((
                mail_outbox::sent_at.eq(Some(now.naive_utc())),
                mail_outbox::claimed_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        if !erase.is_empty() {
            diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(erase)))
                .set(mail_outbox::payload.eq("{}"))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Messages that were not sent, to try again at `retry_at`, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub ids: Vec<i64>,
    pub error: String,
    pub retry_at: DateTime<Utc>,
}

/// Sending failed: each group is tried again at its `retry_at`. One statement per group (a
/// batch that failed for one reason, an SMTP server down, is one group).
pub fn mark_failed(conn: &mut DbConnection, groups: &[Failed]) -> QueryResult<()> {
    write_transaction(conn, |conn| {
        for group in groups {
            diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&group.ids)))
                .set((
                    mail_outbox::attempts.eq(mail_outbox::attempts + 1),
                    mail_outbox::next_attempt_at.eq(group.retry_at.naive_utc()),
                    mail_outbox::claimed_until.eq(None::<NaiveDateTime>),
                    mail_outbox::last_error.eq(Some(&group.error)),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mail::MailKind;

    #[test]
    fn the_urgent_claim_names_the_statements_as_its_index_does() {
        for kind in [MailKind::ReaderStatement, MailKind::CreatorStatement] {
            assert!(NOT_STATEMENT.contains(&format!("'{}'", kind.code())));
        }
        // The claim's condition must be the index's, word for word, or neither backend uses it.
        for index in [
            include_str!(
                "../../migrations/sqlite/2026-12-06-000023_mail_outbox_urgent_failing/up.sql"
            ),
            include_str!(
                "../../migrations/postgres/2026-12-06-000023_mail_outbox_urgent_failing/up.sql"
            ),
        ] {
            assert!(index.contains(NOT_STATEMENT), "{index}");
        }
    }
}
