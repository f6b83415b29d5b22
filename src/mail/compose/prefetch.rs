//! What a run of claimed messages needs from the database, read for all of them at once: their
//! recipients, and the months that readers' statements describe. A few set queries for the run
//! rather than several per message: on PostgreSQL each query's round trip and the backend's
//! work cost more than rendering the mail, and a month's statements are a million messages.
//!
//! It is only a head start: a message whose rows are not here (a kind not read ahead, or a
//! read that failed) reads its own when it is composed, exactly as before.

use std::collections::{BTreeMap, HashMap};

use super::MailError;
use super::statement_mails::month_of;
use crate::db::DbConnection;
use crate::domain::{Month, UserId};
use crate::mail::MailKind;
use crate::models::mail_outbox::OutboxRow;
use crate::models::users::{self, UserRow};
use crate::use_cases::statements::{self, Contributions};

#[derive(Debug, Default)]
pub struct Prefetched {
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
        let mut prefetched = Prefetched::default();
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

    /// The recipient, if it was read ahead (each is handed out once).
    pub(super) fn take_user(&mut self, id: i64) -> Option<UserRow> {
        self.users.remove(&id)
    }

    /// A reader's month, if it was read ahead (each is handed out once).
    pub(super) fn take_contributions(
        &mut self,
        reader: i64,
        month: Month,
    ) -> Option<Contributions> {
        self.contributions.remove(&(reader, month))
    }
}
