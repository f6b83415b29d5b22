//! Ownership follows the proof (PRODUCT.md, "Claims"): a thing belongs to the person whose
//! current proof covers its URL (the longest site wins), whoever added it, and is *claimed*
//! exactly then (`things.site_id`). These functions put every thing under a URL right, in
//! the caller's write transaction, after a proof, a removal or a new or edited thing; the
//! things that became claimed get their held money at once.

use chrono::{DateTime, Utc};

use super::ClaimError;
use super::release::{Released, release_held};
use crate::db::DbConnection;
use crate::domain::site::longest_cover;
use crate::domain::{Month, ThingId, UserId};
use crate::models::clicks as click_rows;
use crate::models::sites;
use crate::use_cases::clicks::{self, ClickError};

/// A thing that changed hands: its previous owner is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub thing: ThingId,
    pub from: UserId,
    pub to: UserId,
}

/// What putting things right did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settled {
    pub moved: Vec<Moved>,
    /// Things that are claimed now and were not before.
    pub claimed: Vec<ThingId>,
    pub released: Vec<Released>,
    /// The prover's own clicks on their things that were undone (months still open).
    pub undone: usize,
}

/// Undoes `owner`'s clicks on `thing` in every month still open.
fn undo_own_clicks(
    conn: &mut DbConnection,
    owner: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
) -> Result<usize, ClaimError> {
    let mut undone = 0;
    for month in click_rows::months_clicked(conn, owner, thing)? {
        match clicks::undo_in(conn, owner, thing, month, now) {
            Ok(()) => undone += 1,
            Err(ClickError::NoClick | ClickError::MonthClosed) => {}
            Err(other) => return Err(ClaimError::Click(other)),
        }
    }
    Ok(undone)
}

/// The host part of a scheme-less key, `example.org/`: the sites that could cover a key
/// there all start with it.
fn host_prefix(key: &str) -> &str {
    match key.find('/') {
        Some(end) => key.get(..=end).unwrap_or(key),
        None => key,
    }
}

/// Puts right every thing whose key starts with `prefix` (a site's key): its owner and claim
/// follow the longest current proof covering it; a thing no proof covers keeps its owner,
/// unclaimed. Things that became claimed get their held money, less the fee.
pub fn settle_under(
    conn: &mut DbConnection,
    prefix: &str,
    now: DateTime<Utc>,
) -> Result<Settled, ClaimError> {
    settle(conn, prefix, false, now)
}

/// Puts one thing right (the thing with key `key`, just added or edited).
pub fn settle_thing(
    conn: &mut DbConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Settled, ClaimError> {
    settle(conn, key, true, now)
}

fn settle(
    conn: &mut DbConnection,
    prefix: &str,
    exact: bool,
    now: DateTime<Utc>,
) -> Result<Settled, ClaimError> {
    let proofs = sites::current_on_host(conn, host_prefix(prefix))?;
    let mut done = Settled::default();
    let candidates = sites::things_under(conn, prefix)?
        .into_iter()
        .filter(|(_, _, key, _)| !exact || key == prefix);
    for (thing, owner, key, site) in candidates {
        let covering = longest_cover(
            &key,
            proofs
                .iter()
                .map(|(id, user, site_key)| (site_key.as_str(), (*id, *user))),
        )
        .map(|(_, found)| found);
        let (new_owner, new_site) = match covering {
            Some((site_id, user)) => (user, Some(site_id)),
            None => (owner, None),
        };
        if (new_owner, new_site) == (owner, site) {
            continue;
        }
        sites::set_claim(
            conn,
            thing,
            (UserId(owner), site),
            (UserId(new_owner), new_site),
            now,
        )?;
        if new_site.is_some() {
            // Nobody tips their own thing: the prover's clicks on it in a month still open
            // are undone (a closed month's are held by its settlement, and the release gives
            // the prover's own share back to their funds).
            done.undone += undo_own_clicks(conn, UserId(new_owner), ThingId(thing), now)?;
        }
        if new_owner != owner {
            done.moved.push(Moved {
                thing: ThingId(thing),
                from: UserId(owner),
                to: UserId(new_owner),
            });
        }
        if new_site.is_some() && site.is_none() {
            done.claimed.push(ThingId(thing));
        }
    }
    // Every thing claimed now has an owner with a proof: what was held for it is theirs.
    let claimed_now: Vec<ThingId> = done.claimed.clone();
    if !claimed_now.is_empty() {
        done.released = release_held(conn, &claimed_now, now)?;
    }
    Ok(done)
}

/// As settlement closes `month` (in its transaction, under the held account's lock): the
/// owners' clicks on their own claimed things in the month, which a claim racing a click can
/// leave on PostgreSQL (the click read the thing before the claim committed), are removed,
/// their budgets' reservations with them when nothing else was clicked. Only things whose
/// claim changed lately can be such.
pub fn drop_own_clicks(
    conn: &mut DbConnection,
    month: Month,
    now: DateTime<Utc>,
) -> Result<usize, ClaimError> {
    // A lower bound for a search, not a month's edge: a week before the month's UTC start
    // covers its start in any zone (at most 14 hours away), so the zone need not come here.
    let since = (month.start(crate::domain::Zone::UTC) - chrono::TimeDelta::days(7)).naive_utc();
    let mut dropped = 0;
    for (thing, owner) in sites::claimed_since(conn, since)? {
        let (owner, thing) = (UserId(owner), ThingId(thing));
        if click_rows::months_clicked(conn, owner, thing)?.contains(&month) {
            clicks::remove_click(conn, owner, thing, month, now).map_err(ClaimError::Click)?;
            dropped += 1;
        }
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_prefix_ends_at_the_first_slash() {
        assert_eq!(host_prefix("example.org/blog/post"), "example.org/");
        assert_eq!(host_prefix("example.org/"), "example.org/");
        assert_eq!(host_prefix("social.example/@alice"), "social.example/");
    }
}
