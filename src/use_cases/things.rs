//! Thing use cases: add, edit, hide, find. Browse's counts and the search index follow the
//! model's insert and update, in the same transaction.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::thing::ThingInput;
use crate::domain::{Month, ThingId, UserId};
use crate::models::things::{self, SaveThingError, ThingRow};
use crate::use_cases::claims::ClaimError;
use crate::use_cases::claims::mails::tell_previous_owners;
use crate::use_cases::claims::ownership;
use crate::use_cases::claims::release::lock_holds;

#[derive(Debug, thiserror::Error)]
pub enum ThingError {
    #[error("no such thing")]
    NotFound,
    #[error("this page is already a thing")]
    Exists,
    #[error("only its creator may change a thing")]
    NotOwner,
    /// A thing readers tipped keeps its address.
    #[error("this thing was tipped: its address can no longer change")]
    UrlLocked,
    #[error(transparent)]
    Claim(#[from] ClaimError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl From<SaveThingError> for ThingError {
    fn from(e: SaveThingError) -> Self {
        match e {
            SaveThingError::Exists => ThingError::Exists,
            SaveThingError::Database(e) => ThingError::Database(e),
        }
    }
}

pub fn add(
    conn: &mut DbConnection,
    owner: UserId,
    input: &ThingInput,
    now: DateTime<Utc>,
) -> Result<ThingRow, ThingError> {
    write_transaction(conn, |conn| {
        lock_holds(conn)?;
        let id = things::insert(conn, owner, input, now)?;
        // A page under someone's proven site is theirs, whoever adds it.
        ownership::settle_thing(conn, input.url.key(), now)?;
        things::find(conn, id)?.ok_or(ThingError::NotFound)
    })
}

/// A thing its owner may change. Someone else's visible thing is `NotOwner` (its page is
/// public anyway, so saying whose it is reveals nothing); someone else's hidden thing is
/// `NotFound`, as it is to everyone but its owner.
pub fn owned(conn: &mut DbConnection, owner: UserId, id: ThingId) -> Result<ThingRow, ThingError> {
    let thing = things::find(conn, id)?.ok_or(ThingError::NotFound)?;
    match thing.owner() == owner {
        true => Ok(thing),
        false if thing.hidden => Err(ThingError::NotFound),
        false => Err(ThingError::NotOwner),
    }
}

pub fn edit(
    conn: &mut DbConnection,
    owner: UserId,
    id: ThingId,
    input: &ThingInput,
    hidden: bool,
    now: DateTime<Utc>,
) -> Result<(), ThingError> {
    write_transaction(conn, |conn| {
        // The held account's lock first, as every claim takes it (one lock order).
        lock_holds(conn)?;
        let before = owned(conn, owner, id)?;
        let moved = before.url_key != input.url.key();
        // What readers gave was for the page they tipped: a tipped thing keeps its address
        // (otherwise its clicks and held money would follow it to another site).
        if moved && things::was_tipped(conn, id)? {
            return Err(ThingError::UrlLocked);
        }
        things::update(conn, id, input, hidden)?;
        if moved {
            // The new URL may lie under someone's proven site, or out of the owner's.
            let settled = ownership::settle_thing(conn, input.url.key(), now)?;
            let proof = format!("thing:{}:{}", id.0, now.timestamp_micros());
            tell_previous_owners(conn, input.url.as_str(), &proof, &settled.moved)?;
        }
        Ok(())
    })
}

/// A thing anyone may see: hidden things do not exist for the public.
pub fn public(conn: &mut DbConnection, id: ThingId) -> Result<ThingRow, ThingError> {
    things::find(conn, id)?
        .filter(|t| !t.hidden)
        .ok_or(ThingError::NotFound)
}

/// A public thing with its clicks of the month.
pub fn public_with_clicks(
    conn: &mut DbConnection,
    id: ThingId,
    month: Month,
) -> Result<(ThingRow, i64), ThingError> {
    let thing = public(conn, id)?;
    let clicks = things::month_clicks(conn, id, month)?;
    Ok((thing, clicks))
}
