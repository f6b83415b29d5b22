//! The ids of a listing's page in its order, read from the order's index or from a search's
//! matches as the plan says, and the conditions every listing puts on `things`.

use diesel::QueryResult;

use super::{Listing, Sort};
use crate::db::DbConnection;
use crate::db::dialect;
use crate::db::dialect::search::Match;
use crate::db::sql::{Sql, Value};
use crate::domain::search::SearchTerms;
use crate::models::search_index::facet;

/// How a search finds its matches.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Plan {
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

/// Conditions on `things t`, with ` AND ` before each.
pub(super) fn things_conditions(statement: &mut Sql, listing: &Listing) {
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

pub(super) fn count_things(conn: &mut DbConnection, listing: &Listing) -> QueryResult<i64> {
    let mut statement = Sql::default();
    statement.push("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM things t WHERE t.hidden = FALSE");
    things_conditions(&mut statement, listing);
    statement.count(conn)
}

/// The ids of `limit` things from `offset` in the listing's order (`Relevance` meaning most
/// tipped: `rank` reorders them), found as `plan` says.
pub(super) fn ordered_by(
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
    let dialect = dialect::of(conn);
    let mut statement = Sql::default();
    match (plan, listing.terms.as_ref()) {
        (Plan::FromMatches, Some(terms)) => {
            dialect.matches_joined(&mut statement, &search_match(listing, terms));
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
            dialect.is_match(&mut statement, &search_match(listing, terms));
        }
        _ => {
            statement.push("SELECT t.id AS id FROM things t WHERE t.hidden = FALSE");
            things_conditions(&mut statement, listing);
        }
    }
    statement.push(&format!(" ORDER BY {order} LIMIT {limit} OFFSET {offset}"));
    statement.ids(conn)
}

/// What a search matches, language and category included so that the index alone filters
/// (`thing_search` holds visible things only).
pub(super) fn search_match<'a>(listing: &Listing, terms: &'a SearchTerms) -> Match<'a> {
    let facets = [
        listing.language.map(|l| facet("language", l.code())),
        listing.category.map(|c| facet("category", c.code())),
    ]
    .into_iter()
    .flatten()
    .collect();
    Match { terms, facets }
}
