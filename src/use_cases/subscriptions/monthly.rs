//! A subscription taken in a month: claimed and clicked in one write, so that of several
//! processes (or a restarted one) exactly one clicks it, and an undone subscription click is
//! not made again that month.

use chrono::{DateTime, Utc};

use super::SubscriptionError;
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::mail::MailKind;
use crate::domain::{Month, ThingId, UserId, Zone};
use crate::models::clicks as click_rows;
use crate::models::{mail_queue, subscriptions};
use crate::use_cases::clicks::{self, ClickError};

/// What taking a subscription in a month came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Clicked for the reader, `via = subscription`.
    Clicked,
    /// The reader's funds are below the month's budget: told by mail (once a month), not
    /// charged.
    NoFunds,
    /// No budget, a paused one, a hidden or own thing, a clicked one, a closed month: nothing
    /// to do this month.
    Skipped,
    /// Another process (or an earlier round) took it in this month already.
    AlreadyTaken,
}

/// Takes `reader`'s subscription to `thing` in the month of `now` on the UTC calendar (tools
/// and tests of a UTC instance; the server uses [`take_for_month_in`] with its zone).
pub fn take_for_month(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<Taken, SubscriptionError> {
    take_for_month_in(conn, reader, thing, now, Zone::UTC)
}

/// Takes `reader`'s subscription to `thing` in the month of `now` on the calendar of `zone`:
/// claims the month on the subscription and makes the click, in one write transaction (a
/// click that the rules refuse leaves the claim: the month is done with).
pub fn take_for_month_in(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Taken, SubscriptionError> {
    let month = Month::containing(now, zone);
    // A concurrent first click of the month (PostgreSQL) asks for the whole write again.
    for _ in 0..3 {
        let outcome = write_transaction(conn, |conn| {
            take_within(conn, reader, thing, month, now, zone)
        });
        match outcome {
            Err(SubscriptionError::Click(ClickError::Conflict)) => continue,
            other => return other,
        }
    }
    Err(ClickError::Conflict.into())
}

fn take_within(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    month: Month,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Taken, SubscriptionError> {
    if !subscriptions::take(conn, reader, thing, month)? {
        return Ok(Taken::AlreadyTaken);
    }
    // Inside this transaction, a refused first click of the month rolls back to its own
    // savepoint: the claim stays.
    match clicks::click_in(conn, reader, thing, now, zone) {
        Ok(_) => {
            click_rows::mark_subscription(conn, reader, thing, month)?;
            Ok(Taken::Clicked)
        }
        Err(ClickError::InsufficientFunds) => {
            let payload = serde_json::json!({ "month": month.to_string() });
            let key = format!("subscription_funds:{}:{month}", reader.0);
            mail_queue::enqueue(conn, MailKind::SubscriptionFunds, reader, &payload, &key)?;
            Ok(Taken::NoFunds)
        }
        Err(
            ClickError::NoBudget
            | ClickError::ThingNotFound
            | ClickError::OwnThing
            | ClickError::AlreadyClicked
            | ClickError::MonthClosed,
        ) => Ok(Taken::Skipped),
        Err(other) => Err(other.into()),
    }
}
