//! The `sites` table (what people say is theirs, and the proofs) and the claim each thing
//! carries (`things.site_id`).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::sites;
use crate::domain::UserId;
use crate::domain::site::{ProofMethod, SiteUrl};

mod claims;

pub use claims::{
    ClaimedThing, claimed_since, set_claim, state_before_changes_after, things_of_site,
    things_under,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sites)]
pub struct SiteRow {
    pub id: i64,
    pub user_id: i64,
    pub url: String,
    pub url_key: String,
    pub token: String,
    pub created_at: NaiveDateTime,
    pub verified_at: Option<NaiveDateTime>,
    pub method: Option<String>,
    pub vouched_by: Option<i64>,
    pub superseded_at: Option<NaiveDateTime>,
    pub removed_at: Option<NaiveDateTime>,
    pub last_failure: Option<String>,
    pub last_checked_at: Option<NaiveDateTime>,
}

impl SiteRow {
    /// Proven, and not proven by someone else since: the site's things are its owner's.
    pub fn is_current(&self) -> bool {
        self.verified_at.is_some() && self.superseded_at.is_none() && self.removed_at.is_none()
    }

    pub fn method(&self) -> Option<ProofMethod> {
        self.method.as_deref().and_then(ProofMethod::parse)
    }

    pub fn site_url(&self) -> Option<SiteUrl> {
        SiteUrl::parse(&self.url).ok()
    }
}

/// A person's live site with this key, if they added it before.
pub fn live_for(conn: &mut DbConnection, user: UserId, key: &str) -> QueryResult<Option<SiteRow>> {
    sites::table
        .filter(sites::user_id.eq(user.0))
        .filter(sites::url_key.eq(key))
        .filter(sites::removed_at.is_null())
        .select(SiteRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConnection,
    user: UserId,
    url: &SiteUrl,
    token: &str,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(sites::table)
        .values((
            sites::user_id.eq(user.0),
            sites::url.eq(url.as_str()),
            sites::url_key.eq(url.key()),
            sites::token.eq(token),
            sites::created_at.eq(now.naive_utc()),
        ))
        .returning(sites::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SiteRow>> {
    sites::table
        .find(id)
        .select(SiteRow::as_select())
        .get_result(conn)
        .optional()
}

/// A person's live sites, oldest first.
pub fn live_of(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<SiteRow>> {
    sites::table
        .filter(sites::user_id.eq(user.0))
        .filter(sites::removed_at.is_null())
        .order(sites::id.asc())
        .select(SiteRow::as_select())
        .load(conn)
}

/// The current proofs on one host (keys that start with `host_prefix`, such as
/// `example.org/`): the candidates to cover a thing there.
pub fn current_on_host(
    conn: &mut DbConnection,
    host_prefix: &str,
) -> QueryResult<Vec<(i64, i64, String)>> {
    sites::table
        .filter(
            sites::url_key
                .like(format!("{}%", escape_like(host_prefix)))
                .escape('\\'),
        )
        .filter(sites::verified_at.is_not_null())
        .filter(sites::superseded_at.is_null())
        .filter(sites::removed_at.is_null())
        .select((sites::id, sites::user_id, sites::url_key))
        .load(conn)
}

/// Marks whoever else held the current proof of `key` as superseded by a newer proof.
pub fn supersede_others(
    conn: &mut DbConnection,
    key: &str,
    except: i64,
    now: DateTime<Utc>,
) -> QueryResult<Vec<i64>> {
    diesel::update(
        sites::table
            .filter(sites::url_key.eq(key))
            .filter(sites::id.ne(except))
            .filter(sites::verified_at.is_not_null())
            .filter(sites::superseded_at.is_null())
            .filter(sites::removed_at.is_null()),
    )
    .set(sites::superseded_at.eq(now.naive_utc()))
    .returning(sites::id)
    .get_results(conn)
}

pub fn mark_verified(
    conn: &mut DbConnection,
    id: i64,
    method: ProofMethod,
    vouched_by: Option<UserId>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(sites::table.find(id))
        .set((
            sites::verified_at.eq(Some(now.naive_utc())),
            sites::method.eq(Some(method.code())),
            sites::vouched_by.eq(vouched_by.map(|u| u.0)),
            sites::superseded_at.eq(None::<NaiveDateTime>),
            sites::last_failure.eq(None::<String>),
            sites::last_checked_at.eq(Some(now.naive_utc())),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records what a failed check found (a JSON object the page renders in its language).
pub fn record_failure(
    conn: &mut DbConnection,
    id: i64,
    failure: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(sites::table.find(id))
        .set((
            sites::last_failure.eq(Some(failure)),
            sites::last_checked_at.eq(Some(now.naive_utc())),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn mark_removed(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(sites::table.find(id).filter(sites::removed_at.is_null()))
        .set(sites::removed_at.eq(Some(now.naive_utc())))
        .execute(conn)
}

/// `LIKE` reads `%` and `_` as wildcards: a key is matched literally.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
