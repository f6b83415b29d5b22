//! Public listings of things: browse, search, creator pages and feeds share one query.
//! Hidden things are never listed. The order reads the totals on `things` (kept by
//! `popularity.rs`); the clicks shown are the exact sums of the counters.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::thing_month_counts;
use crate::domain::search::SearchTerms;
use crate::domain::thing::{Category, ContentLanguage};
use crate::domain::{Month, UserId};

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
    pub category: Option<Category>,
    pub owner: Option<UserId>,
    /// Things this reader clicked in this month.
    pub clicked_by: Option<(UserId, Month)>,
    pub sort: Sort,
    /// From 1.
    pub page: i64,
    pub per_page: i64,
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
    /// Filled from the counters after the query.
    #[diesel(sql_type = BigInt)]
    pub clicks_this_month: i64,
    /// Searches: the number of all matches (read with the page, so that the full-text match
    /// runs once); other listings count with an index instead.
    #[diesel(sql_type = BigInt)]
    matches: i64,
}

enum Value {
    Int(i64),
    Text(String),
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// One page of things and the number of all matches, with this month's exact clicks.
pub fn list(
    conn: &mut DbConnection,
    month: Month,
    listing: &Listing,
) -> QueryResult<(Vec<ListedThing>, i64)> {
    let searching = listing.terms.as_ref();
    if searching.is_some_and(SearchTerms::is_empty) {
        return Ok((Vec::new(), 0));
    }
    let mut conditions = vec!["t.hidden = FALSE".to_owned()];
    // Values are always bound, never spliced. SQLite numbers `$n` parameters in the order
    // they first appear, so conditions are written in the order of their values.
    let mut binds: Vec<Value> = Vec::new();
    let mut bind = |value: Value| {
        binds.push(value);
        format!("${}", binds.len())
    };
    let is_pg = matches!(conn, DbConnection::Postgres(_));
    let (search_from, rank) = match searching {
        None => (String::new(), String::new()),
        Some(terms) if is_pg => {
            let p = bind(Value::Text(terms.tsquery()));
            conditions.push(format!("s.document @@ to_tsquery('simple', {p})"));
            (
                " JOIN thing_search s ON s.thing_id = t.id".to_owned(),
                format!("ts_rank(s.document, to_tsquery('simple', {p})) DESC"),
            )
        }
        Some(terms) => {
            let p = bind(Value::Text(terms.fts5_query()));
            conditions.push(format!("thing_search MATCH {p}"));
            (
                " JOIN thing_search ON thing_search.rowid = t.id".to_owned(),
                "thing_search.rank".to_owned(),
            )
        }
    };
    if let Some(language) = listing.language {
        let p = bind(Value::Text(language.code().to_owned()));
        conditions.push(format!("t.language = {p}"));
    }
    if let Some(category) = listing.category {
        let p = bind(Value::Text(category.code().to_owned()));
        conditions.push(format!("t.category = {p}"));
    }
    if let Some(owner) = listing.owner {
        let p = bind(Value::Int(owner.0));
        conditions.push(format!("t.owner_id = {p}"));
    }
    if let Some((reader, month)) = listing.clicked_by {
        let r = bind(Value::Int(reader.0));
        let m = bind(Value::Text(month.to_string()));
        conditions.push(format!(
            "t.id IN (SELECT c.thing_id FROM clicks c WHERE c.reader_id = {r} AND c.month = {m})"
        ));
    }
    let order = match (listing.sort, rank.is_empty()) {
        (Sort::Relevance, false) => format!("{rank}, t.month_clicks DESC, t.id DESC"),
        (Sort::Relevance | Sort::Popular, _) => "t.month_clicks DESC, t.id DESC".to_owned(),
        (Sort::New, _) => "t.id DESC".to_owned(),
        (Sort::AllTime, _) => "t.all_time_clicks DESC, t.id DESC".to_owned(),
    };
    let filter = conditions.join(" AND ");
    let offset = listing
        .page
        .saturating_sub(1)
        .saturating_mul(listing.per_page);
    let matches = if searching.is_some() {
        "CAST(COUNT(*) OVER () AS BIGINT)"
    } else {
        "CAST(0 AS BIGINT)"
    };
    let select = format!(
        "SELECT t.id, t.url, t.title, t.description, t.language, t.category, t.created_at, \
           t.owner_id, COALESCE(p.public_name, u.display_name) AS creator_name, \
           p.handle AS creator_handle, CAST(0 AS BIGINT) AS clicks_this_month, {matches} AS matches \
         FROM things t{search_from} JOIN users u ON u.id = t.owner_id \
         LEFT JOIN creator_profiles p ON p.user_id = t.owner_id \
         WHERE {filter} ORDER BY {order} LIMIT {} OFFSET {offset}",
        listing.per_page
    );
    let count = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total FROM things t{search_from} WHERE {filter}"
    );
    let mut items = diesel::sql_query(select).into_boxed();
    let mut total = diesel::sql_query(count).into_boxed();
    for value in binds {
        match value {
            Value::Int(value) => {
                items = items.bind::<BigInt, _>(value);
                total = total.bind::<BigInt, _>(value);
            }
            Value::Text(value) => {
                items = items.bind::<Text, _>(value.clone());
                total = total.bind::<Text, _>(value);
            }
        }
    }
    let mut things: Vec<ListedThing> = items.load(conn)?;
    let total = match things.first() {
        Some(first) if searching.is_some() => first.matches,
        None if searching.is_some() && listing.page == 1 => 0,
        _ => total.get_result::<Total>(conn)?.total,
    };
    let clicks = month_clicks(conn, month, things.iter().map(|t| t.id).collect())?;
    for thing in &mut things {
        thing.clicks_this_month = clicks.get(&thing.id).copied().unwrap_or(0);
    }
    Ok((things, total))
}

/// This month's clicks of a few things: the sums of their counter shards, in Rust.
fn month_clicks(
    conn: &mut DbConnection,
    month: Month,
    ids: Vec<i64>,
) -> QueryResult<HashMap<i64, i64>> {
    let shards: Vec<(i64, i64)> = thing_month_counts::table
        .filter(thing_month_counts::month.eq(month.to_string()))
        .filter(thing_month_counts::thing_id.eq_any(ids))
        .select((thing_month_counts::thing_id, thing_month_counts::clicks))
        .load(conn)?;
    let mut sums = HashMap::new();
    for (thing, clicks) in shards {
        *sums.entry(thing).or_insert(0) += clicks;
    }
    Ok(sums)
}
