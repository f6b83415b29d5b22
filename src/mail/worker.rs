//! The mail outbox's worker: queues the statements of newly settled months, then sends what is
//! due in batches, and schedules a failed message again after a growing delay. Any number of
//! processes may run it.
//!
//! A round claims up to `BATCH` due messages in one statement (`mail_outbox::claim_due`; on
//! PostgreSQL with `SKIP LOCKED`), so a message is taken by one worker only. The claim commits
//! before anything is composed; the sender threads (`senders.rs`) then compose and send the
//! batch, and the round marks what was sent, and what failed, one statement each.
//!
//! A claim lasts `CLAIM_FOR`; a worker that dies holding one leaves its messages due again when
//! it expires, to be taken over. A worker starts no message later than `SEND_MARGIN` before
//! its claim ends, so a live worker never sends a message another may have taken. A message
//! can leave twice only if the process dies between the SMTP server's acceptance and the
//! `sent` mark (for a batch, the time it takes to send it); it then carries the same
//! Message-ID, which mail systems use to drop duplicates.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::MailKind;
use super::senders::{Outcome, Senders};
use crate::clock::wall_time;
use crate::config::Settings;
use crate::db::backend::write_transaction;
use crate::db::{DbConnection, DbPool};
use crate::domain::Month;
use crate::models::mail_outbox::{self, Failed};
use crate::workers::{self, Round, Running};

/// How often the worker looks for due messages.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How long a worker may take to send a batch before another may take its messages over.
const CLAIM_FOR: TimeDelta = TimeDelta::minutes(5);
/// No message of a batch is started this close to the claim's end: longer than a slow SMTP
/// exchange can take (`smtp::SMTP_TIMEOUT` for opening a connection, and for each message).
const SEND_MARGIN: TimeDelta = TimeDelta::minutes(2);
/// Messages claimed per round: large enough that claiming and marking cost little per
/// message, small enough that a batch is sent well within its claim.
pub const BATCH: usize = 256;
/// The delay doubles with each failure up to this many doublings.
const MAX_DOUBLINGS: u32 = 6;

pub struct Outbox {
    settings: Arc<Settings>,
    senders: Senders,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub statements_queued: usize,
    pub sent: usize,
    pub failed: usize,
    /// Messages this pass claimed (sent, failed, or left for their claim to expire).
    pub taken: usize,
}

impl Outbox {
    pub fn new(settings: Arc<Settings>) -> anyhow::Result<Outbox> {
        let senders = Senders::new(settings.clone())?;
        Ok(Outbox { settings, senders })
    }

    /// Starts the worker (every `POLL_EVERY`) with a connection pool of its own: one
    /// connection for claims and marks, one per sender thread.
    pub fn start(self) -> anyhow::Result<Running> {
        let size = self.settings.mail_senders.saturating_add(1);
        let pool = crate::db::connect_pool(&self.settings.database_url, size)?;
        Ok(workers::start(
            OutboxWorker { outbox: self, pool },
            POLL_EVERY,
        )?)
    }

    /// One pass: queue new statements, claim a batch of due messages, send it, mark it.
    pub fn pass(&self, pool: &DbPool) -> anyhow::Result<Pass> {
        let mut conn = pool.get()?;
        let mut pass = Pass {
            statements_queued: queue_statements(&mut conn)?,
            ..Pass::default()
        };
        let now = wall_time();
        let until = now + CLAIM_FOR;
        let rows = mail_outbox::claim_due(&mut conn, now, until, BATCH)?;
        pass.taken = rows.len();
        if rows.is_empty() {
            return Ok(pass);
        }
        let outcomes = self.senders.send(pool, &rows, until - SEND_MARGIN);
        let mut sent = Vec::new();
        let mut erase = Vec::new();
        // Failures grouped by attempt count and reason: one statement per group.
        let mut failed: BTreeMap<(i32, String), Vec<i64>> = BTreeMap::new();
        for (row, outcome) in rows.iter().zip(outcomes) {
            match outcome {
                Outcome::Sent => {
                    sent.push(row.id);
                    if MailKind::parse(&row.kind).is_some_and(MailKind::carries_secret) {
                        erase.push(row.id);
                    }
                }
                Outcome::Failed(error) => {
                    tracing::debug!(id = row.id, kind = %row.kind, %error, "a mail was not sent");
                    failed
                        .entry((row.attempts, error.to_string()))
                        .or_default()
                        .push(row.id);
                }
                Outcome::NotTried => {}
            }
        }
        // The messages left already: losing this mark to a passing error (SQLite busy) would
        // send the whole batch again once its claim expires.
        with_retries("marking mails sent", || {
            mail_outbox::mark_sent(&mut conn, &sent, &erase, wall_time())
        })?;
        pass.sent = sent.len();
        let groups: Vec<Failed> = failed
            .into_iter()
            .map(|((attempts, error), ids)| {
                let retry_at = wall_time() + self.delay_after(attempts);
                tracing::warn!(count = ids.len(), attempts = attempts + 1, %retry_at,
                    error = %error, "mails were not sent; they will be retried");
                Failed {
                    ids,
                    error,
                    retry_at,
                }
            })
            .collect();
        pass.failed = groups.iter().map(|g| g.ids.len()).sum();
        with_retries("marking mails failed", || {
            mail_outbox::mark_failed(&mut conn, &groups)
        })?;
        Ok(pass)
    }

    /// `OBOLE_MAIL_RETRY_SECONDS`, doubled after each failure (up to 64 times that).
    fn delay_after(&self, attempts: i32) -> TimeDelta {
        let doublings = u32::try_from(attempts).unwrap_or(0).min(MAX_DOUBLINGS);
        let seconds = i64::from(self.settings.mail_retry_seconds) << doublings;
        TimeDelta::seconds(seconds)
    }
}

/// How many times a batch's mark is tried, and the pause before the first retry (it doubles).
const MARK_TRIES: u32 = 4;
const MARK_PAUSE: Duration = Duration::from_millis(200);

/// Runs `mark` until it succeeds or has failed `MARK_TRIES` times, pausing between tries: a
/// busy database or a dropped connection usually passes within a second.
fn with_retries(
    what: &str,
    mut mark: impl FnMut() -> diesel::QueryResult<()>,
) -> anyhow::Result<()> {
    let mut pause = MARK_PAUSE;
    let mut tries = 1;
    loop {
        match mark() {
            Ok(()) => return Ok(()),
            Err(error) if tries < MARK_TRIES => {
                tracing::warn!(%error, tries, "{what} failed; trying again");
                std::thread::sleep(pause);
                pause = pause.saturating_mul(2);
                tries += 1;
            }
            Err(error) => return Err(anyhow::Error::new(error).context(what.to_owned())),
        }
    }
}

/// The outbox with its connections, as a background worker.
struct OutboxWorker {
    outbox: Outbox,
    pool: DbPool,
}

impl workers::Worker for OutboxWorker {
    fn name(&self) -> &'static str {
        "mail"
    }

    fn round(&mut self) -> anyhow::Result<Round> {
        let pass = self.outbox.pass(&self.pool)?;
        // A full batch: more are probably due.
        Ok(if pass.taken >= BATCH {
            Round::Busy
        } else {
            Round::Idle
        })
    }
}

/// Queues the statement mails of every settled month that has none queued yet.
fn queue_statements(conn: &mut DbConnection) -> anyhow::Result<usize> {
    let mut queued = 0;
    for text in mail_outbox::months_without_statements(conn)? {
        let month = Month::parse(&text).map_err(|_| anyhow::anyhow!("bad month {text}"))?;
        let now: DateTime<Utc> = wall_time();
        let count = write_transaction(conn, |conn| {
            mail_outbox::enqueue_statements(conn, month, now)
        })?;
        tracing::info!(%month, count, "statement mails queued");
        queued += count;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_that_fails_for_a_moment_is_tried_again() {
        let mut failures = 2;
        let marked = with_retries("marking", || {
            if failures > 0 {
                failures -= 1;
                Err(diesel::result::Error::NotFound)
            } else {
                Ok(())
            }
        });
        assert!(marked.is_ok());
        let mut calls = 0;
        let marked = with_retries("marking", || {
            calls += 1;
            Err(diesel::result::Error::NotFound)
        });
        assert!(marked.is_err());
        assert_eq!(calls, MARK_TRIES);
    }
}
