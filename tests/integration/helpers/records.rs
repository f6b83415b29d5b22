//! What the database holds, counted, for tests that check a movement or a mail happened
//! exactly once.

use diesel::prelude::*;

use super::app::TestApp;

impl TestApp {
    /// How many ledger groups of `kind` (`card_payment`, `card_dispute`, …) were posted.
    pub async fn ledger_groups(&self, kind: &'static str) -> i64 {
        self.db(move |conn| {
            use obole::db::schema::ledger_groups as g;
            g::table
                .filter(g::kind.eq(kind))
                .count()
                .get_result(conn)
                .expect("count ledger groups")
        })
        .await
    }

    /// How many messages of `kind` (`card_dispute`, `payout_status`, …) were queued, sent or
    /// not.
    pub async fn queued_mails(&self, kind: &'static str) -> i64 {
        self.db(move |conn| {
            use obole::db::schema::mail_outbox as m;
            m::table
                .filter(m::kind.eq(kind))
                .count()
                .get_result(conn)
                .expect("count queued mails")
        })
        .await
    }
}
