//! The sender threads: a claimed batch of messages composed and sent by a few threads at
//! once, so that one message's database reads and templates overlap another's SMTP exchange.
//! A thread takes `RUN` messages at a time and reads their rows ahead in a few set queries.
//! Each thread has a database connection of its own, and sender `i` uses the SMTP connection
//! of slot `i` (`smtp::Pool`), kept between batches. Written with scoped threads and a shared
//! cursor rather than a thread-pool crate: a batch is a slice, and the threads live no longer
//! than it.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;

use super::compose::{self, MailError};
use super::transport::{Session, Transport};
use crate::clock::wall_time;
use crate::config::Settings;
use crate::db::pool::PooledConnection;
use crate::db::{DbConnection, DbPool};
use crate::models::mail_outbox::OutboxRow;
use crate::templates::Templates;

/// The most messages a thread takes at a time and reads ahead for (`compose::Prefetched`):
/// enough that the set queries cost little per message. Runs shrink as the batch drains
/// (`run_length`), so that a small batch (a few password resets) still spreads over the
/// threads and none is left sending a long run alone at the end of a batch.
const RUN: usize = 16;

/// The next run's length when `left` messages of the batch are untaken: about half of an
/// even share of them per thread, 1 to `RUN`.
fn run_length(left: usize, threads: usize) -> usize {
    (left / threads.max(1) / 2).clamp(1, RUN)
}

/// What became of a claimed message.
#[derive(Debug)]
pub enum Outcome {
    /// The server (or the folder) accepted it.
    Sent,
    /// It was not accepted: try again later.
    Failed(MailError),
    /// Not tried: the claim was about to expire, or no database connection could be had. The
    /// row is left as it is and falls due again when its claim expires.
    NotTried,
}

/// Everything a sender thread needs to turn a row into a delivered message.
pub struct Senders {
    settings: Arc<Settings>,
    templates: Templates,
    transport: Transport,
    from: Mailbox,
}

impl Senders {
    pub fn new(settings: Arc<Settings>) -> anyhow::Result<Senders> {
        let templates = Templates::load()?;
        let transport = Transport::from_settings(&settings)?;
        let from: Mailbox = settings
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("OBOLE_MAIL_FROM: {e}"))?;
        Ok(Senders {
            settings,
            templates,
            transport,
            from,
        })
    }

    /// How many threads send (`OBOLE_MAIL_SENDERS`).
    pub fn threads(&self) -> usize {
        usize::try_from(self.settings.mail_senders)
            .unwrap_or(1)
            .max(1)
    }

    /// Composes and sends `rows` on the sender threads; the outcomes are in `rows`' order. No
    /// message is started after `stop_at`, so that none is sent after its claim may have
    /// passed to another worker.
    pub fn send(&self, pool: &DbPool, rows: &[OutboxRow], stop_at: DateTime<Utc>) -> Vec<Outcome> {
        let next = AtomicUsize::new(0);
        let threads = self.threads().min(rows.len());
        let mut outcomes: Vec<Outcome> = rows.iter().map(|_| Outcome::NotTried).collect();
        let done: Vec<Vec<(usize, Outcome)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|sender| {
                    let next = &next;
                    scope.spawn(move || self.drain(sender, pool, rows, next, stop_at))
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().unwrap_or_default())
                .collect()
        });
        for (index, outcome) in done.into_iter().flatten() {
            if let Some(slot) = outcomes.get_mut(index) {
                *slot = outcome;
            }
        }
        outcomes
    }

    /// One thread's share: the next untaken run of rows, until none is left or time is up.
    fn drain(
        &self,
        sender: usize,
        pool: &DbPool,
        rows: &[OutboxRow],
        next: &AtomicUsize,
        stop_at: DateTime<Utc>,
    ) -> Vec<(usize, Outcome)> {
        let mut conn = match pool.get() {
            Ok(conn) => conn,
            Err(error) => {
                // The other threads take its rows; if none has a connection, the rows wait
                // for their claims to expire.
                tracing::warn!(%error, "a mail sender has no database connection");
                return Vec::new();
            }
        };
        let mut session = match self.transport.session(sender) {
            Ok(session) => session,
            Err(error) => {
                tracing::warn!(%error, "a mail sender cannot start");
                return Vec::new();
            }
        };
        let (total, threads) = (rows.len(), self.threads());
        let mut done = Vec::new();
        loop {
            let taken = next.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |first| {
                (first < total).then(|| first + run_length(total - first, threads))
            });
            let Ok(first) = taken else {
                return done;
            };
            let Some(run) = rows.get(first..first + run_length(total - first, threads)) else {
                return done;
            };
            if wall_time() >= stop_at {
                return done;
            }
            let read = panic::catch_unwind(AssertUnwindSafe(|| {
                compose::Prefetched::load(&mut conn, run)
            }));
            let mut prefetched = match read {
                Ok(Ok(prefetched)) => prefetched,
                // Each message then reads its own rows, and fails alone if it must.
                Ok(Err(error)) => {
                    tracing::warn!(%error, "reading ahead for a run of mails failed");
                    compose::Prefetched::default()
                }
                Err(_) => {
                    tracing::error!("reading ahead for a run of mails panicked");
                    let Some(fresh) = fresh_connection(conn, pool) else {
                        return done;
                    };
                    conn = fresh;
                    compose::Prefetched::default()
                }
            };
            for (index, row) in (first..).zip(run) {
                if wall_time() >= stop_at {
                    return done;
                }
                // A panic in one message's composing or sending (a bug meeting odd data)
                // fails that message only: unwinding out of the thread would lose the
                // outcomes of the messages it already sent, which would then leave again when
                // the claim expires.
                let sent = panic::catch_unwind(AssertUnwindSafe(|| {
                    self.send_one(&mut conn, &mut session, row, &mut prefetched)
                }));
                let outcome = match sent {
                    Ok(Ok(())) => Outcome::Sent,
                    Ok(Err(error)) => Outcome::Failed(error),
                    Err(cause) => {
                        tracing::error!(id = row.id, kind = %row.kind, "composing or sending a mail panicked");
                        done.push((index, Outcome::Failed(panicked(cause.as_ref()))));
                        // (An SMTP connection is out of its slot during an exchange, so a
                        // panic in one dropped it.)
                        let Some(fresh) = fresh_connection(conn, pool) else {
                            return done;
                        };
                        conn = fresh;
                        continue;
                    }
                };
                done.push((index, outcome));
            }
        }
    }

    /// Renders one message and hands it to the transport. Its Message-ID comes from the row,
    /// so that a message sent again after a crash carries the same one.
    fn send_one(
        &self,
        conn: &mut DbConnection,
        session: &mut Session<'_>,
        row: &OutboxRow,
        prefetched: &mut compose::Prefetched,
    ) -> Result<(), MailError> {
        let message_id = format!("<outbox-{}@{}>", row.id, self.from.email.domain());
        let composed = compose::compose(conn, &self.templates, &self.settings, row, prefetched)?;
        session.send(&self.from, &composed, &message_id)
    }
}

/// Another database connection after a panic, which may have left `conn` inside a
/// transaction. `conn` goes back first: the worker's pool has one connection per thread.
/// `None`: none could be had.
fn fresh_connection(conn: PooledConnection, pool: &DbPool) -> Option<PooledConnection> {
    drop(conn);
    pool.get().ok()
}

/// The failure recorded for a message whose composing or sending panicked, with the panic's
/// text when it has one (the row's `last_error`, for the operator).
fn panicked(cause: &(dyn Any + Send)) -> MailError {
    let text = cause
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| cause.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned());
    MailError::Malformed(format!("composing or sending it panicked: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_shrink_as_a_batch_drains_and_a_small_batch_spreads_over_the_threads() {
        assert_eq!(run_length(256, 4), RUN);
        assert_eq!(run_length(40, 4), 5);
        assert_eq!(run_length(10, 4), 1);
        assert_eq!(run_length(1, 64), 1);
        assert_eq!(run_length(256, 64), 2);
        // The runs cover a batch exactly, whatever its size and the threads.
        for (total, threads) in [(256, 4), (255, 4), (7, 4), (256, 64), (1, 1), (100, 3)] {
            let mut first = 0;
            let mut runs = 0;
            while first < total {
                let length = run_length(total - first, threads);
                assert!((1..=RUN).contains(&length));
                first += length;
                runs += 1;
            }
            assert_eq!(first, total, "{total} over {threads}");
            assert!(
                runs >= threads.min(total),
                "{total} over {threads}: {runs} runs"
            );
        }
    }

    #[test]
    fn a_panic_becomes_a_failure_with_its_text() {
        let caught = panic::catch_unwind(|| panic!("odd {}", "data")).expect_err("a panic");
        assert!(panicked(caught.as_ref()).to_string().contains("odd data"));
        let caught = panic::catch_unwind(|| std::panic::panic_any(7_u8)).expect_err("a panic");
        assert!(panicked(caught.as_ref()).to_string().contains("no message"));
    }
}
