//! What a run of claimed messages needs from the database, read for all of them at once: their
//! recipients, and the months that readers' statements describe. A few set queries for the run
//! rather than several per message: on PostgreSQL each query's round trip and the backend's
//! work cost more than rendering the mail, and a month's statements are a million messages.
//!
//! It is only a head start: a message whose rows are not here (a kind not read ahead, or a
//! read that failed) reads its own when it is composed, exactly as before. So does a message
//! composed more than `FRESH_FOR` after the read (behind slow SMTP exchanges): a mail says what
//! the database held a moment before it left, never what it held long before (an account
//! deleted meanwhile gets no statement at its old address).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use super::MailError;
use super::statement_mails::month_of;
use crate::db::DbConnection;
use crate::domain::{Month, UserId};
use crate::mail::MailKind;
use crate::models::mail_outbox::OutboxRow;
use crate::models::users::{self, UserRow};
use crate::use_cases::statements::{self, Contributions};

/// How long what was read ahead is used: a run of messages normally leaves well within it.
const FRESH_FOR: Duration = Duration::from_secs(2);

#[derive(Debug, Default)]
pub struct Prefetched {
    /// When the rows were read (`None`: nothing was).
    read_at: Option<Instant>,
    users: HashMap<i64, UserRow>,
    contributions: HashMap<(i64, Month), Contributions>,
}

impl Prefetched {
    /// Reads what `rows` will need: one query for the recipients, and a few per month for
    /// the readers' statements.
    pub fn load(conn: &mut DbConnection, rows: &[OutboxRow]) -> Result<Prefetched, MailError> {
        let mut ids: Vec<i64> = rows.iter().filter_map(|row| row.user_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut prefetched = Prefetched {
            read_at: Some(Instant::now()),
            ..Prefetched::default()
        };
        if ids.is_empty() {
            return Ok(prefetched);
        }
        prefetched.users = users::find_many(conn, &ids)?
            .into_iter()
            .map(|user| (user.id, user))
            .collect();
        let mut readers: BTreeMap<Month, Vec<UserId>> = BTreeMap::new();
        for row in rows
            .iter()
            .filter(|row| MailKind::parse(&row.kind) == Some(MailKind::ReaderStatement))
        {
            let payload = serde_json::from_str::<serde_json::Value>(&row.payload).ok();
            if let (Some(user), Some(month)) =
                (row.user_id, payload.and_then(|p| month_of(&p).ok()))
            {
                readers.entry(month).or_default().push(UserId(user));
            }
        }
        for (month, mut of_month) in readers {
            of_month.sort_unstable_by_key(|reader| reader.0);
            of_month.dedup();
            let found = statements::contributions_of(conn, &of_month, month)?;
            for (reader, report) in of_month.into_iter().zip(found) {
                prefetched.contributions.insert((reader.0, month), report);
            }
        }
        Ok(prefetched)
    }

    /// The recipient, if it was read ahead, and lately (each is handed out once).
    pub(super) fn take_user(&mut self, id: i64) -> Option<UserRow> {
        let user = self.users.remove(&id);
        user.filter(|_| self.fresh())
    }

    /// A reader's month, if it was read ahead, and lately (each is handed out once).
    pub(super) fn take_contributions(
        &mut self,
        reader: i64,
        month: Month,
    ) -> Option<Contributions> {
        let report = self.contributions.remove(&(reader, month));
        report.filter(|_| self.fresh())
    }

    fn fresh(&self) -> bool {
        self.read_at.is_some_and(|at| at.elapsed() < FRESH_FOR)
    }

    /// How many recipients and readers' months are held, not handed out yet.
    pub fn len(&self) -> usize {
        self.users.len() + self.contributions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
