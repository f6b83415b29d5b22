//! Site use cases: add one (and get its token), list, remove, and record a proof — found on
//! the site (`verify.rs`) or vouched for by an operator — after which the things under the
//! site, and what was held for them, are the prover's.

use chrono::{DateTime, Utc};

use super::ClaimError;
use super::mails::tell_previous_owners;
use super::ownership::{Settled, settle_under};
use super::release::lock_holds;
use crate::db::DbConnection;
use crate::db::backend::{is_unique_violation, write_transaction};
use crate::domain::site::{ProofMethod, SiteUrl};
use crate::domain::{Email, UserId};
use crate::models::sites::{self, SiteRow};
use crate::models::users;
use crate::security::tokens;

/// A site's token: what its owner puts on the site. Random, so that nobody can guess it
/// and prove someone else's site by copying a token from the page of another.
fn new_token() -> String {
    format!("obole-{}", tokens::random_secret())
}

/// Adds a site for `user` and gives its token; adding the same site again gives the same
/// row and token.
pub fn add(
    conn: &mut DbConnection,
    user: UserId,
    url: &SiteUrl,
    now: DateTime<Utc>,
) -> Result<SiteRow, ClaimError> {
    write_transaction(conn, |conn| {
        if let Some(site) = sites::live_for(conn, user, url.key())? {
            return Ok(site);
        }
        // In a savepoint of its own: on PostgreSQL a failed insert spoils the transaction
        // around it, and a concurrent request that added the site first must be read after.
        let inserted = write_transaction(conn, |conn| {
            sites::insert(conn, user, url, &new_token(), now)
        });
        let id = match inserted {
            Ok(id) => id,
            // A concurrent request added it first: give that one.
            Err(e) if is_unique_violation(&e) => {
                return sites::live_for(conn, user, url.key())?.ok_or(ClaimError::NotFound);
            }
            Err(e) => return Err(e.into()),
        };
        sites::find(conn, id)?.ok_or(ClaimError::NotFound)
    })
}

/// A live site of `user` (someone else's is "not found", as if it did not exist).
pub fn owned(conn: &mut DbConnection, user: UserId, id: i64) -> Result<SiteRow, ClaimError> {
    sites::find(conn, id)?
        .filter(|site| site.user_id == user.0 && site.removed_at.is_none())
        .ok_or(ClaimError::NotFound)
}

pub fn list(conn: &mut DbConnection, user: UserId) -> Result<Vec<SiteRow>, ClaimError> {
    Ok(sites::live_of(conn, user)?)
}

/// Removes a site: its things stay with their owner but are no longer claimed (unless
/// another of the owner's proofs covers them); history keeps the row.
pub fn remove(
    conn: &mut DbConnection,
    user: UserId,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), ClaimError> {
    write_transaction(conn, |conn| {
        let site = owned(conn, user, id)?;
        lock_holds(conn)?;
        sites::mark_removed(conn, site.id, now)?;
        // Things under a shorter proof of someone else's (an origin under a profile page)
        // are theirs now: their owner is told.
        let settled = settle_under(conn, &site.url_key, now)?;
        let proof = format!("removed:{}:{}", site.id, now.timestamp_micros());
        tell_previous_owners(conn, &site.url, &proof, &settled.moved)?;
        Ok(())
    })
}

/// What a proof did.
#[derive(Debug, Clone)]
pub struct Proven {
    pub site: SiteRow,
    pub settled: Settled,
}

/// Records a proof of `site` (found on it, or an operator's word) and gives the prover the
/// things under it, with their held money; a proof someone else held before is superseded
/// (sites change hands; both rows stay). The previous owners are told by mail.
pub fn prove(
    conn: &mut DbConnection,
    site_id: i64,
    method: ProofMethod,
    vouched_by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Proven, ClaimError> {
    write_transaction(conn, |conn| {
        lock_holds(conn)?;
        let site = sites::find(conn, site_id)?
            .filter(|s| s.removed_at.is_none())
            .ok_or(ClaimError::NotFound)?;
        sites::supersede_others(conn, &site.url_key, site.id, now)?;
        sites::mark_verified(conn, site.id, method, vouched_by, now)?;
        let settled = settle_under(conn, &site.url_key, now)?;
        let proof = format!("{}:{}", site.id, now.timestamp_micros());
        tell_previous_owners(conn, &site.url, &proof, &settled.moved)?;
        let site = sites::find(conn, site_id)?.ok_or(ClaimError::NotFound)?;
        Ok(Proven { site, settled })
    })
}

/// An operator vouches that `url` is the site of the account with `email`.
pub fn grant(
    conn: &mut DbConnection,
    email: &Email,
    url: &SiteUrl,
    operator: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Proven, ClaimError> {
    let user = users::find_by_email(conn, email)?.ok_or(ClaimError::NoSuchUser)?;
    let site = add(conn, user.user_id(), url, now)?;
    prove(conn, site.id, ProofMethod::Operator, operator, now)
}
