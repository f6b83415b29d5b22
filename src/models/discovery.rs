//! Public listings of things: browse, search, creator pages and feeds share one query.
//! Hidden things are never listed. The order reads the totals on `things` (kept by
//! `popularity.rs`); the clicks shown are the exact sums of the counters. Each listing reads
//! the page's ids first (from an index, bounded work whatever the catalogue's size), then the
//! details of those few things.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use crate::db::DbConnection;
use crate::domain::search::SearchTerms;
use crate::domain::thing::{Category, ContentLanguage};
use crate::domain::{Month, UserId};
use crate::models::thing_counts;

mod order;
mod preferred;
mod search;

use order::{Plan, count_things, ordered_by};
use search::search;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (searches only; a listing without words falls back to `Popular`).
    Relevance,
    /// Most clicked this month.
    #[default]
    Popular,
    New,
    AllTime,
}

impl Sort {
    pub fn code(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Popular => "popular",
            Sort::New => "new",
            Sort::AllTime => "all_time",
        }
    }

    pub fn parse(code: &str) -> Option<Sort> {
        [Sort::Relevance, Sort::Popular, Sort::New, Sort::AllTime]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What to list. Every filter is optional; all given ones apply.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub terms: Option<SearchTerms>,
    pub language: Option<ContentLanguage>,
    /// Without `language`: every language, this one's things first (browse's visitor's).
    pub preferred_language: Option<ContentLanguage>,
    /// Every language but this one: browse's others, after the preferred language's things.
    pub excluded_language: Option<ContentLanguage>,
    pub category: Option<Category>,
    pub owner: Option<UserId>,
    /// Things this reader clicked in this month.
    pub clicked_by: Option<(UserId, Month)>,
    pub sort: Sort,
    /// From 1.
    pub page: i64,
    pub per_page: i64,
}

impl Listing {
    /// Filtered by language and category at most: counted by `thing_counts`.
    pub fn counts_by_facets(&self) -> bool {
        self.terms.is_none()
            && self.owner.is_none()
            && self.clicked_by.is_none()
            && self.excluded_language.is_none()
    }

    /// How many things come before the page.
    fn offset(&self) -> i64 {
        self.page.saturating_sub(1).saturating_mul(self.per_page)
    }
}

#[derive(Debug, Clone, QueryableByName)]
pub struct ListedThing {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub url: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Text)]
    pub language: String,
    #[diesel(sql_type = Text)]
    pub category: String,
    #[diesel(sql_type = Timestamp)]
    pub created_at: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    pub owner_id: i64,
    #[diesel(sql_type = Text)]
    pub creator_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub creator_handle: Option<String>,
    /// The sum of the thing's counter shards for the month.
    #[diesel(sql_type = BigInt)]
    pub clicks_this_month: i64,
}

/// How many things a listing has in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: i64,
    /// A search counts its matches up to `SEARCH_COUNT_LIMIT`: true when there are more.
    pub more: bool,
}

impl Total {
    pub fn exact(count: i64) -> Total {
        Total { count, more: false }
    }
}

/// A search counts at most this many matches ("more than 100"): counting a common word's
/// matches reads each of them (on PostgreSQL, 5 to 15 ms for 1,000 under load).
pub const SEARCH_COUNT_LIMIT: i64 = 100;
/// On PostgreSQL, a search first tests this many things in the order's index: finding more
/// matches there than it counts proves a common word without counting (1,000 tests take
/// about 1.5 ms; a count of a common word 3 to 5 ms).
const QUICK_WALK: i64 = 1000;
/// A search with more matches than it counts tests this many things at most in the order's
/// index, looking for a page (or the ranked candidates); then it reads its matches instead.
const WALK: i64 = 5000;
/// "Best match" ranks this many of the most tipped matches by relevance; further matches
/// follow, most tipped first. Scoring every match of a common word would cost tens of
/// milliseconds (see docs/PERFORMANCE.md).
pub const RANKED_CANDIDATES: i64 = 100;

/// One page of things and how many there are, with this month's exact clicks.
pub fn list(
    conn: &mut DbConnection,
    month: Month,
    listing: &Listing,
) -> QueryResult<(Vec<ListedThing>, Total)> {
    let offset = listing.offset();
    let (ids, total) = match (&listing.terms, listing.preferred_language) {
        (Some(terms), _) if terms.is_empty() => return Ok((Vec::new(), Total::exact(0))),
        (_, Some(first)) if listing.language.is_none() => {
            preferred::page(conn, listing, first, offset)?
        }
        (Some(terms), _) => {
            let (head, total) = search(
                conn,
                listing,
                terms,
                offset.saturating_add(listing.per_page),
            )?;
            (page_of(head, offset, listing.per_page), total)
        }
        (None, _) => {
            let ids = ordered_by(conn, listing, Plan::Browse, listing.per_page, offset)?;
            (ids, Total::exact(browse_count(conn, listing)?))
        }
    };
    Ok((details(conn, month, &ids)?, total))
}

/// The things of a listing without words.
fn browse_count(conn: &mut DbConnection, listing: &Listing) -> QueryResult<i64> {
    match listing.counts_by_facets() {
        true => thing_counts::count(conn, listing.language, listing.category),
        false => count_things(conn, listing),
    }
}

/// `per_page` ids from `offset` of the first ids in order.
fn page_of(ids: Vec<i64>, offset: i64, per_page: i64) -> Vec<i64> {
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(per_page).unwrap_or(0);
    ids.into_iter().skip(skip).take(take).collect()
}

/// Ids are integers of our own: written into a statement, they cannot inject anything.
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a list shows of each of these things, in the order of `ids`, with this month's
/// exact clicks (the sums of their counter shards), in one statement.
fn details(conn: &mut DbConnection, month: Month, ids: &[i64]) -> QueryResult<Vec<ListedThing>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<ListedThing> = diesel::sql_query(format!(
        "SELECT t.id, t.url, t.title, t.description, t.language, t.category, t.created_at, \
           t.owner_id, COALESCE(p.public_name, u.display_name) AS creator_name, \
           p.handle AS creator_handle, \
           (SELECT CAST(COALESCE(SUM(c.clicks), 0) AS BIGINT) FROM thing_month_counts c \
            WHERE c.thing_id = t.id AND c.month = $1) AS clicks_this_month \
         FROM things t JOIN users u ON u.id = t.owner_id \
         LEFT JOIN creator_profiles p ON p.user_id = t.owner_id \
         WHERE t.id IN ({})",
        id_list(ids)
    ))
    .bind::<Text, _>(month.to_string())
    .load(conn)?;
    let mut by_id: HashMap<i64, ListedThing> = rows.into_iter().map(|t| (t.id, t)).collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}
