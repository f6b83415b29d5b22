//! The mail outbox's worker: queues the statements of newly settled months, then sends what is due,
//! one message at a time, and schedules a failed one again after a growing delay. Any number
//! of processes may run it: a message is claimed by one conditional update before it is sent.
//!
//! A message can leave twice only if the process dies between the SMTP server's acceptance
//! and the `sent` mark (milliseconds); it then carries the same Message-ID, which mail
//! systems use to drop duplicates.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use lettre::message::Mailbox;

use super::MailKind;
use super::compose;
use super::transport::Transport;
use crate::clock::wall_time;
use crate::config::Settings;
use crate::db::backend::write_transaction;
use crate::db::{DbConnection, DbPool};
use crate::domain::Month;
use crate::models::mail_outbox;
use crate::templates::Templates;
use crate::workers::{self, Round, Running};

/// How often the worker looks for due messages.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How long a worker may take to send a message before another may take it over.
const CLAIM_FOR: TimeDelta = TimeDelta::minutes(5);
/// Messages taken per look.
const BATCH: usize = 100;
/// The delay doubles with each failure up to this many doublings.
const MAX_DOUBLINGS: u32 = 6;

pub struct Outbox {
    settings: Arc<Settings>,
    templates: Templates,
    transport: Transport,
    from: Mailbox,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub statements_queued: usize,
    pub sent: usize,
    pub failed: usize,
    /// Messages due when the pass looked (sent, failed, or taken by another worker).
    pub taken: usize,
}

impl Outbox {
    pub fn new(settings: Arc<Settings>) -> anyhow::Result<Outbox> {
        let templates = Templates::load()?;
        let transport = Transport::from_settings(&settings)?;
        let from: Mailbox = settings
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("OBOLE_MAIL_FROM: {e}"))?;
        Ok(Outbox {
            settings,
            templates,
            transport,
            from,
        })
    }

    /// Starts the worker (every `POLL_EVERY`) with a connection pool of its own.
    pub fn start(self) -> anyhow::Result<Running> {
        let pool = crate::db::connect_pool(&self.settings.database_url, 1)?;
        Ok(workers::start(
            OutboxWorker { outbox: self, pool },
            POLL_EVERY,
        )?)
    }

    /// One pass: queue new statements, send what is due.
    pub fn pass(&self, conn: &mut DbConnection) -> anyhow::Result<Pass> {
        let mut pass = Pass {
            statements_queued: queue_statements(conn)?,
            ..Pass::default()
        };
        let now = wall_time();
        let due = mail_outbox::due(conn, now, i64::try_from(BATCH)?)?;
        pass.taken = due.len();
        for id in due {
            let Some(row) = mail_outbox::claim(conn, id, now, now + CLAIM_FOR)? else {
                continue;
            };
            let message_id = format!("<outbox-{}@{}>", row.id, self.from.email.domain());
            let outcome = compose::compose(conn, &self.templates, &self.settings, &row)
                .and_then(|composed| self.transport.send(&self.from, &composed, &message_id));
            match outcome {
                Ok(()) => {
                    let secret = MailKind::parse(&row.kind).is_some_and(MailKind::carries_secret);
                    mail_outbox::mark_sent(conn, row.id, secret, wall_time())?;
                    pass.sent += 1;
                }
                Err(error) => {
                    let retry_at = wall_time() + self.delay_after(row.attempts);
                    tracing::warn!(id = row.id, kind = %row.kind, attempts = row.attempts + 1,
                        %retry_at, error = %error, "a mail was not sent; it will be retried");
                    mail_outbox::mark_failed(conn, row.id, &error.to_string(), retry_at)?;
                    pass.failed += 1;
                }
            }
        }
        Ok(pass)
    }

    /// `OBOLE_MAIL_RETRY_SECONDS`, doubled after each failure (up to 64 times that).
    fn delay_after(&self, attempts: i32) -> TimeDelta {
        let doublings = u32::try_from(attempts).unwrap_or(0).min(MAX_DOUBLINGS);
        let seconds = i64::from(self.settings.mail_retry_seconds) << doublings;
        TimeDelta::seconds(seconds)
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
        let mut conn = self.pool.get()?;
        let pass = self.outbox.pass(&mut conn)?;
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
