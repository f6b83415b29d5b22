//! A search's ids and count: bounded work whatever the number of matches (docs/ARCHITECTURE.md,
//! "Search's bounded work"), and "best match" ranked in Rust.

use std::collections::HashMap;

use diesel::QueryResult;

use super::order::{Plan, ordered_by, search_match, things_conditions};
use super::{Listing, QUICK_WALK, RANKED_CANDIDATES, SEARCH_COUNT_LIMIT, Sort, Total, WALK};
use crate::db::DbConnection;
use crate::db::dialect;
use crate::db::dialect::search::ThingsConditions;
use crate::db::sql::Sql;
use crate::domain::relevance::{self, Fields};
use crate::domain::search::SearchTerms;
use crate::models::search_index;

/// The matches of a search, counted up to one more than `SEARCH_COUNT_LIMIT`.
fn count_matches(
    conn: &mut DbConnection,
    listing: &Listing,
    terms: &SearchTerms,
) -> QueryResult<i64> {
    let needs_things = listing.owner.is_some()
        || listing.clicked_by.is_some()
        || listing.excluded_language.is_some();
    let things = |statement: &mut Sql| things_conditions(statement, listing);
    let things: ThingsConditions<'_> = &things;
    let mut statement = Sql::default();
    dialect::of(conn).count_matches(
        &mut statement,
        &search_match(listing, terms),
        needs_things.then_some(things),
        SEARCH_COUNT_LIMIT + 1,
    );
    statement.count(conn)
}

/// A search's first ids in order, up to `end` (for "best match", at least
/// `RANKED_CANDIDATES`, which it reorders), and its count. Fewer than `end` ids means these
/// are all the matches.
pub(super) fn search(
    conn: &mut DbConnection,
    listing: &Listing,
    terms: &SearchTerms,
    end: i64,
) -> QueryResult<(Vec<i64>, Total)> {
    let wanted = match listing.sort {
        Sort::Relevance => end.max(RANKED_CANDIDATES),
        _ => end,
    };
    // Where counting reads every match, a common word is proved first: more matches than a
    // search counts among the first things in order (`SearchSql::proves_before_counting`).
    let proof = wanted.max(SEARCH_COUNT_LIMIT + 1);
    let proved = match dialect::of(conn).proves_before_counting() {
        true => prove_common(conn, listing, proof)?,
        false => None,
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

/// How many things a search matches, counted as `search` counts them (where the dialect says
/// so, a common word proved by a walk instead of a count).
pub(super) fn search_total(
    conn: &mut DbConnection,
    listing: &Listing,
    terms: &SearchTerms,
) -> QueryResult<Total> {
    let limited = Total {
        count: SEARCH_COUNT_LIMIT,
        more: true,
    };
    if dialect::of(conn).proves_before_counting()
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
