//! Subscriptions (PRODUCT.md flow 9): a reader subscribes to a thing, and the server clicks it
//! for them once in every month, at its first chance in the month (`monthly.rs`, run by the
//! worker in `worker.rs` and once right after subscribing). The click is an ordinary click,
//! marked `via = subscription`: it reserves the month's budget like a first click and is
//! undone like any other.

mod monthly;
mod worker;

use chrono::{DateTime, Utc};

pub use monthly::{Taken, take_for_month, take_for_month_in};
pub use worker::{BATCH, Subscriber};

use crate::db::DbConnection;
use crate::db::backend::{is_unique_violation, write_transaction};
use crate::domain::click::ThingSeen;
use crate::domain::{ThingId, UserId, Zone};
use crate::models::clicks as click_rows;
use crate::models::subscriptions::{self, Subscribed};
use crate::use_cases::clicks::ClickError;

#[derive(Debug, thiserror::Error)]
pub enum SubscriptionError {
    /// No such thing, a hidden one, or (cancelling) no such subscription.
    #[error("no such thing or subscription")]
    NotFound,
    #[error("one cannot subscribe to one's own thing")]
    OwnThing,
    #[error("already subscribed")]
    AlreadySubscribed,
    #[error(transparent)]
    Click(#[from] ClickError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Subscribes `reader` to `thing`, under the click's rules (a visible thing, not one they
/// claimed), then takes the subscription in the current month at once: this month's click is
/// made now if it was not yet (or the reader is told that funds are short). The current month
/// is the one of `now` on the UTC calendar: for tools and tests of a UTC instance; the server
/// passes the instance's zone to [`subscribe_in`].
pub fn subscribe(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<(Subscribed, Taken), SubscriptionError> {
    subscribe_in(conn, reader, thing, now, Zone::UTC)
}

/// [`subscribe`], the current month being the one of `now` on the calendar of `zone`.
pub fn subscribe_in(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<(Subscribed, Taken), SubscriptionError> {
    write_transaction(conn, |conn| {
        match click_rows::thing_seen(conn, thing)? {
            ThingSeen::Missing => return Err(SubscriptionError::NotFound),
            ThingSeen::ClaimedBy(owner) if owner == reader => {
                return Err(SubscriptionError::OwnThing);
            }
            ThingSeen::ClaimedBy(_) | ThingSeen::Unclaimed => {}
        }
        if subscriptions::exists(conn, reader, thing)? {
            return Err(SubscriptionError::AlreadySubscribed);
        }
        // In a savepoint: a concurrent twin's insert makes this one a UNIQUE violation,
        // which on PostgreSQL would spoil the transaction around it.
        write_transaction(conn, |conn| subscriptions::insert(conn, reader, thing, now)).map_err(
            |e| {
                if is_unique_violation(&e) {
                    SubscriptionError::AlreadySubscribed
                } else {
                    e.into()
                }
            },
        )
    })?;
    let taken = take_for_month_in(conn, reader, thing, now, zone)?;
    let subscribed = subscriptions::of_reader(conn, reader)?
        .into_iter()
        .find(|s| s.thing_id == thing.0)
        .ok_or(SubscriptionError::NotFound)?;
    Ok((subscribed, taken))
}

/// `reader`'s subscriptions, oldest first.
pub fn list(conn: &mut DbConnection, reader: UserId) -> Result<Vec<Subscribed>, SubscriptionError> {
    Ok(subscriptions::shown_of_reader(conn, reader)?)
}

/// Cancels `reader`'s subscription to `thing`. This month's click, if made, stays: it is
/// undone as any click.
pub fn cancel(
    conn: &mut DbConnection,
    reader: UserId,
    thing: ThingId,
) -> Result<(), SubscriptionError> {
    if subscriptions::delete(conn, reader, thing)? {
        Ok(())
    } else {
        Err(SubscriptionError::NotFound)
    }
}
