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
use crate::domain::relevance::{self, Fields};
use crate::domain::search::SearchTerms;
use crate::domain::thing::{Category, ContentLanguage};
use crate::domain::{Month, UserId};
use crate::models::search_index::{self, facet};
use crate::models::thing_counts;

mod preferred;

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

type Backend = <DbConnection as diesel::Connection>::Backend;

enum Value {
    Int(i64),
    Text(String),
}

/// A statement and its values, bound in the order they appear (SQLite numbers `$n` in the
/// order they first appear in the text, so text and values are written together).
#[derive(Default)]
struct Statement {
    sql: String,
    values: Vec<Value>,
}

impl Statement {
    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn bind(&mut self, value: Value) -> &mut Self {
        self.values.push(value);
        let n = self.values.len();
        self.sql.push_str(&format!("${n}"));
        self
    }

    fn query(
        self,
    ) -> diesel::query_builder::BoxedSqlQuery<'static, Backend, diesel::query_builder::SqlQuery>
    {
        let mut query = diesel::sql_query(self.sql).into_boxed();
        for value in self.values {
            query = match value {
                Value::Int(value) => query.bind::<BigInt, _>(value),
                Value::Text(value) => query.bind::<Text, _>(value),
            };
        }
        query
    }

    fn ids(self, conn: &mut DbConnection) -> QueryResult<Vec<i64>> {
        let rows: Vec<Id> = self.query().load(conn)?;
        Ok(rows.into_iter().map(|row| row.id).collect())
    }

    fn count(self, conn: &mut DbConnection) -> QueryResult<i64> {
        let rows: Vec<Count> = self.query().load(conn)?;
        Ok(rows.first().map_or(0, |row| row.total))
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// How a search finds its matches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// No words: `things` alone, read in the order's index.
    Browse,
    /// Up to `SEARCH_COUNT_LIMIT` matches: from the index's matches to `things`, sorted.
    FromMatches,
    /// Many matches: at most `walk` things read in the order's index (after the first `skip`),
    /// each tested against
    /// the search, until enough are found; cheap when matches are common. Neither backend's
    /// planner finds it: SQLite always starts from a full-text match, and PostgreSQL's
    /// estimates of a search and a filter together were off threefold (it joined every
    /// match, 30 ms).
    FromOrder { walk: i64, skip: i64 },
}

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

/// Conditions on `things t`, with ` AND ` before each.
fn things_conditions(statement: &mut Statement, listing: &Listing) {
    if let Some(language) = listing.language {
        statement
            .push(" AND t.language = ")
            .bind(Value::Text(language.code().to_owned()));
    }
    if let Some(language) = listing.excluded_language {
        statement
            .push(" AND t.language <> ")
            .bind(Value::Text(language.code().to_owned()));
    }
    if let Some(category) = listing.category {
        statement
            .push(" AND t.category = ")
            .bind(Value::Text(category.code().to_owned()));
    }
    if let Some(owner) = listing.owner {
        statement
            .push(" AND t.owner_id = ")
            .bind(Value::Int(owner.0));
    }
    if let Some((reader, month)) = listing.clicked_by {
        statement
            .push(" AND t.id IN (SELECT c.thing_id FROM clicks c WHERE c.reader_id = ")
            .bind(Value::Int(reader.0))
            .push(" AND c.month = ")
            .bind(Value::Text(month.to_string()))
            .push(")");
    }
}

/// The full-text condition, language and category included so that the index alone
/// filters (`thing_search` holds visible things only).
fn match_condition(statement: &mut Statement, listing: &Listing, terms: &SearchTerms, is_pg: bool) {
    let facets: Vec<String> = [
        listing.language.map(|l| facet("language", l.code())),
        listing.category.map(|c| facet("category", c.code())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if is_pg {
        statement
            .push("s.document @@ (to_tsquery('simple', ")
            .bind(Value::Text(terms.tsquery()));
        if facets.is_empty() {
            statement.push("))");
        } else {
            // Facets are lexemes as they are, not words for the parser: quoted, and cast.
            let lexemes: Vec<String> = facets.iter().map(|f| format!("'{f}'")).collect();
            statement
                .push(") && CAST(")
                .bind(Value::Text(lexemes.join(" & ")))
                .push(" AS tsquery))");
        }
    } else {
        let mut query = terms.fts5_query();
        for facet in facets {
            query.push_str(&format!(" AND \"{facet}\""));
        }
        statement
            .push("thing_search MATCH ")
            .bind(Value::Text(query));
    }
}

/// The matches of a search, counted up to one more than `SEARCH_COUNT_LIMIT`.
fn count_matches(
    conn: &mut DbConnection,
    listing: &Listing,
    terms: &SearchTerms,
) -> QueryResult<i64> {
    let is_pg = matches!(conn, DbConnection::Postgres(_));
    let needs_things = listing.owner.is_some()
        || listing.clicked_by.is_some()
        || listing.excluded_language.is_some();
    let mut statement = Statement::default();
    if is_pg {
        // The matches in a CTE, planned without the LIMIT: with it, PostgreSQL scanned the
        // whole table when it expected many matches (34 ms when there were none).
        statement.push("WITH m AS MATERIALIZED (SELECT s.thing_id FROM thing_search s ");
        if needs_things {
            statement.push("JOIN things t ON t.id = s.thing_id ");
        }
        statement.push("WHERE ");
        match_condition(&mut statement, listing, terms, true);
        if needs_things {
            things_conditions(&mut statement, listing);
        }
        statement.push(") SELECT CAST(COUNT(*) AS BIGINT) AS total FROM (SELECT 1 FROM m");
    } else {
        statement.push("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM (SELECT 1 FROM ");
        statement.push(match needs_things {
            false => "thing_search WHERE ",
            true => "thing_search JOIN things t ON t.id = thing_search.rowid WHERE ",
        });
        match_condition(&mut statement, listing, terms, false);
        if needs_things {
            things_conditions(&mut statement, listing);
        }
    }
    statement.push(&format!(" LIMIT {}) AS matches", SEARCH_COUNT_LIMIT + 1));
    statement.count(conn)
}

fn count_things(conn: &mut DbConnection, listing: &Listing) -> QueryResult<i64> {
    let mut statement = Statement::default();
    statement.push("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM things t WHERE t.hidden = FALSE");
    things_conditions(&mut statement, listing);
    statement.count(conn)
}

/// The ids of `limit` things from `offset` in the listing's order (`Relevance` meaning most
/// tipped: `rank` reorders them), found as `plan` says.
fn ordered_by(
    conn: &mut DbConnection,
    listing: &Listing,
    plan: Plan,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<i64>> {
    let order = match listing.sort {
        Sort::Relevance | Sort::Popular => "t.month_clicks DESC, t.id DESC",
        Sort::New => "t.id DESC",
        Sort::AllTime => "t.all_time_clicks DESC, t.id DESC",
    };
    let is_pg = matches!(conn, DbConnection::Postgres(_));
    let mut statement = Statement::default();
    match (plan, listing.terms.as_ref()) {
        (Plan::FromMatches, Some(terms)) if is_pg => {
            // The matches first (a CTE), then their things: PostgreSQL's estimates of a
            // search could make it walk an order's index for a few matches instead.
            statement.push("WITH m AS MATERIALIZED (SELECT s.thing_id FROM thing_search s WHERE ");
            match_condition(&mut statement, listing, terms, true);
            statement.push(
                ") SELECT t.id AS id FROM m JOIN things t ON t.id = m.thing_id \
                 WHERE t.hidden = FALSE",
            );
            things_conditions(&mut statement, listing);
        }
        (Plan::FromMatches, Some(terms)) => {
            statement.push(
                "SELECT t.id AS id FROM thing_search JOIN things t ON t.id = thing_search.rowid \
                 WHERE ",
            );
            match_condition(&mut statement, listing, terms, false);
            statement.push(" AND t.hidden = FALSE");
            things_conditions(&mut statement, listing);
        }
        (Plan::FromOrder { walk, skip }, Some(terms)) => {
            statement.push(
                "SELECT t.id AS id FROM (SELECT t.id, t.month_clicks, t.all_time_clicks \
                 FROM things t WHERE t.hidden = FALSE",
            );
            things_conditions(&mut statement, listing);
            statement.push(&format!(
                " ORDER BY {order} LIMIT {walk} OFFSET {skip}) AS t WHERE "
            ));
            if is_pg {
                // A subquery in the condition: PostgreSQL runs it for each thing in turn.
                statement.push("(SELECT ");
                match_condition(&mut statement, listing, terms, true);
                statement.push(" FROM thing_search s WHERE s.thing_id = t.id)");
            } else {
                // The matches as a set, built once, that each thing is tested against.
                statement.push("t.id IN (SELECT rowid FROM thing_search WHERE ");
                match_condition(&mut statement, listing, terms, false);
                statement.push(")");
            }
        }
        _ => {
            statement.push("SELECT t.id AS id FROM things t WHERE t.hidden = FALSE");
            things_conditions(&mut statement, listing);
        }
    }
    statement.push(&format!(" ORDER BY {order} LIMIT {limit} OFFSET {offset}"));
    statement.ids(conn)
}

/// A search's first ids in order, up to `end` (for "best match", at least
/// `RANKED_CANDIDATES`, which it reorders), and its count. Fewer than `end` ids means these
/// are all the matches.
fn search(
    conn: &mut DbConnection,
    listing: &Listing,
    terms: &SearchTerms,
    end: i64,
) -> QueryResult<(Vec<i64>, Total)> {
    let wanted = match listing.sort {
        Sort::Relevance => end.max(RANKED_CANDIDATES),
        _ => end,
    };
    // On PostgreSQL, where counting reads every match, a common word is proved first: more
    // matches than a search counts among the first things in order. SQLite counts from its
    // index alone, cheaper than any walk (which builds the set of all matches).
    let proof = wanted.max(SEARCH_COUNT_LIMIT + 1);
    let proved = match conn {
        DbConnection::Postgres(_) => prove_common(conn, listing, proof)?,
        DbConnection::Sqlite(_) => None,
    };
    let (mut ids, total) = match proved {
        Some(ids) => {
            let total = Total {
                count: SEARCH_COUNT_LIMIT,
                more: true,
            };
            (ids, total)
        }
        None => {
            let counted = count_matches(conn, listing, terms)?;
            let total = Total {
                count: counted.min(SEARCH_COUNT_LIMIT),
                more: counted > SEARCH_COUNT_LIMIT,
            };
            let ids = if counted == 0 {
                Vec::new()
            } else if total.more {
                let walked = ordered_by(
                    conn,
                    listing,
                    Plan::FromOrder {
                        walk: WALK,
                        skip: 0,
                    },
                    wanted,
                    0,
                )?;
                match found_all(&walked, wanted) {
                    true => walked,
                    // Too few among the first things in order: the matches are not so common.
                    false => ordered_by(conn, listing, Plan::FromMatches, wanted, 0)?,
                }
            } else {
                ordered_by(conn, listing, Plan::FromMatches, wanted, 0)?
            };
            (ids, total)
        }
    };
    if listing.sort == Sort::Relevance {
        rank(conn, terms, &mut ids)?;
    }
    Ok((ids, total))
}

/// How many things a search matches, counted as `search` counts them (on PostgreSQL, a
/// common word proved by a walk instead of a count).
fn search_total(
    conn: &mut DbConnection,
    listing: &Listing,
    terms: &SearchTerms,
) -> QueryResult<Total> {
    let limited = Total {
        count: SEARCH_COUNT_LIMIT,
        more: true,
    };
    if matches!(conn, DbConnection::Postgres(_))
        && prove_common(conn, listing, SEARCH_COUNT_LIMIT + 1)?.is_some()
    {
        return Ok(limited);
    }
    let counted = count_matches(conn, listing, terms)?;
    Ok(match counted > SEARCH_COUNT_LIMIT {
        true => limited,
        false => Total::exact(counted),
    })
}

fn found_all(ids: &[i64], wanted: i64) -> bool {
    i64::try_from(ids.len()).is_ok_and(|found| found == wanted)
}

/// The first `proof` matches in order when they are among the first `WALK` things, tried
/// on `QUICK_WALK` things first and on `WALK` only when those held enough matches to hope.
fn prove_common(
    conn: &mut DbConnection,
    listing: &Listing,
    proof: i64,
) -> QueryResult<Option<Vec<i64>>> {
    let quick = ordered_by(
        conn,
        listing,
        Plan::FromOrder {
            walk: QUICK_WALK,
            skip: 0,
        },
        proof,
        0,
    )?;
    if found_all(&quick, proof) {
        return Ok(Some(quick));
    }
    let expected = i64::try_from(quick.len())
        .unwrap_or(0)
        .saturating_mul(WALK / QUICK_WALK);
    if expected < proof {
        return Ok(None);
    }
    // The things after those already tested.
    let rest = Plan::FromOrder {
        walk: WALK - QUICK_WALK,
        skip: QUICK_WALK,
    };
    let missing = proof - i64::try_from(quick.len()).unwrap_or(0);
    let mut walked = quick;
    walked.extend(ordered_by(conn, listing, rest, missing, 0)?);
    Ok(found_all(&walked, proof).then_some(walked))
}

/// "Best match": the `RANKED_CANDIDATES` most tipped matches (the first `ids`) ordered by
/// relevance (ties: most tipped first); the other matches follow, most tipped first.
fn rank(conn: &mut DbConnection, terms: &SearchTerms, ids: &mut [i64]) -> QueryResult<()> {
    let ranked_count = ids
        .len()
        .min(usize::try_from(RANKED_CANDIDATES).unwrap_or(0));
    let texts = search_index::entries(conn, &ids[..ranked_count])?;
    let scores: HashMap<i64, u64> = texts
        .iter()
        .map(|t| {
            let fields = Fields {
                title: &t.title,
                creator: &t.creator,
                description: &t.description,
            };
            (t.id, relevance::score(terms, fields))
        })
        .collect();
    // A stable sort keeps the most tipped first among equals.
    ids[..ranked_count].sort_by_key(|id| std::cmp::Reverse(scores.get(id).copied().unwrap_or(0)));
    Ok(())
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
