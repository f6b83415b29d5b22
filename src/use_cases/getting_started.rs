//! The dashboard's getting-started checklist: what a new reader or creator has done and what
//! is left, read from the facts Obole already keeps (no "done" flags of its own to go stale).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{email_tokens, holds, sites, thing_month_counts, things};
use crate::domain::ledger::{AccountKind, AccountRef};
use crate::domain::{Money, UserId};
use crate::models::email_tokens::Purpose;
use crate::models::{budgets, ledger, users};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checklist {
    pub email_verified: bool,
    /// When the latest verification link was sent, while the address is unverified.
    pub verification_sent_at: Option<DateTime<Utc>>,
    pub funded: bool,
    pub budget_set: bool,
    pub has_things: bool,
    pub site_proven: bool,
    pub tipped: bool,
}

impl Checklist {
    /// Everything a reader needs is done.
    pub fn reader_done(&self) -> bool {
        self.email_verified && self.funded && self.budget_set
    }

    pub fn creator_done(&self) -> bool {
        self.has_things && self.site_proven && self.tipped
    }
}

pub fn load(conn: &mut DbConnection, user: UserId) -> QueryResult<Checklist> {
    let email_verified = users::find(conn, user)?.is_some_and(|u| u.email_verified_at.is_some());
    let verification_sent_at = if email_verified {
        None
    } else {
        email_tokens::table
            .filter(email_tokens::user_id.eq(user.0))
            .filter(email_tokens::purpose.eq(Purpose::VerifyEmail.code()))
            .select(email_tokens::created_at)
            .order(email_tokens::created_at.desc())
            .first::<NaiveDateTime>(conn)
            .optional()?
            .map(|at| at.and_utc())
    };
    // Funded: any movement ever reached the funds account (spent funds count too).
    let funded =
        !ledger::movements(conn, AccountRef::User(user, AccountKind::Funds), Some(1))?.is_empty();
    let budget_set = budgets::find(conn, user)?.is_some_and(|b| b.amount > Money::ZERO);
    let has_things = things::table
        .filter(things::owner_id.eq(user.0))
        .select(things::id)
        .first::<i64>(conn)
        .optional()?
        .is_some();
    let site_proven = sites::table
        .filter(sites::user_id.eq(user.0))
        .filter(sites::verified_at.is_not_null())
        .filter(sites::superseded_at.is_null())
        .filter(sites::removed_at.is_null())
        .select(sites::id)
        .first::<i64>(conn)
        .optional()?
        .is_some();
    // Tipped: a click counted for one of their things in some month, or money held for one
    // (the same facts as `models::things::was_tipped`, for all their things in two queries).
    let owned = || {
        things::table
            .filter(things::owner_id.eq(user.0))
            .select(things::id)
    };
    let tipped = thing_month_counts::table
        .filter(thing_month_counts::thing_id.eq_any(owned()))
        .filter(thing_month_counts::clicks.gt(0))
        .select(thing_month_counts::thing_id)
        .first::<i64>(conn)
        .optional()?
        .is_some()
        || holds::table
            .filter(holds::thing_id.eq_any(owned()))
            .select(holds::thing_id)
            .first::<i64>(conn)
            .optional()?
            .is_some();
    Ok(Checklist {
        email_verified,
        verification_sent_at,
        funded,
        budget_set,
        has_things,
        site_proven,
        tipped,
    })
}
