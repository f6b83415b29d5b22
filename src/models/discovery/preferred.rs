//! A listing in every language with one language first: browse's default, so that a visitor
//! sees things in their own language first and still finds the others (an English visitor's
//! search for "élève" finds French things).
//!
//! It is two listings put end to end, each read as the parent module reads one (from its
//! order's index or its matches, bounded work): the preferred language's things, then every
//! other language's, each in the listing's own order. One query ordering by "language first"
//! would read and sort every match, or every thing, instead. Without words the others are
//! read from the order's index (`excluded_language`); a search takes them from the search in
//! every language, less the first language's matches, which it has all by then.

use std::collections::HashSet;

use diesel::QueryResult;

use super::order::{Plan, ordered_by};
use super::search::{search, search_total};
use super::{Listing, Total, browse_count, page_of};
use crate::db::DbConnection;
use crate::domain::thing::ContentLanguage;

/// The page's ids (from `offset`) and the listing's count, `first`'s things first.
pub(super) fn page(
    conn: &mut DbConnection,
    listing: &Listing,
    first: ContentLanguage,
    offset: i64,
) -> QueryResult<(Vec<i64>, Total)> {
    let own = Listing {
        language: Some(first),
        preferred_language: None,
        ..listing.clone()
    };
    let everywhere = Listing {
        language: None,
        preferred_language: None,
        ..listing.clone()
    };
    let per_page = listing.per_page;
    match &listing.terms {
        Some(terms) => {
            let end = offset.saturating_add(per_page);
            let (mut ids, _) = search(conn, &own, terms, end)?;
            let found = i64::try_from(ids.len()).unwrap_or(i64::MAX);
            // The count is every language's: one search without a language, as cheap as a
            // search in one language (a search that excludes one reads that language's whole
            // list in the index, about half of it).
            let total = match found < end {
                true => {
                    // Fewer than the page's end: these are all of the first language's
                    // matches, and the others follow them, in every language's order.
                    let own_ids: HashSet<i64> = ids.iter().copied().collect();
                    let (all, total) = search(conn, &everywhere, terms, end)?;
                    ids.extend(all.into_iter().filter(|id| !own_ids.contains(id)));
                    total
                }
                false => search_total(conn, &everywhere, terms)?,
            };
            Ok((page_of(ids, offset, per_page), total))
        }
        None => {
            let others = Listing {
                excluded_language: Some(first),
                ..everywhere.clone()
            };
            let own_count = browse_count(conn, &own)?;
            let all_count = browse_count(conn, &everywhere)?;
            let mut ids = match offset < own_count {
                true => ordered_by(conn, &own, Plan::Browse, per_page, offset)?,
                false => Vec::new(),
            };
            let missing = per_page - i64::try_from(ids.len()).unwrap_or(per_page);
            if missing > 0 {
                let skip = offset.saturating_sub(own_count).max(0);
                ids.extend(ordered_by(conn, &others, Plan::Browse, missing, skip)?);
            }
            Ok((ids, Total::exact(all_count)))
        }
    }
}
