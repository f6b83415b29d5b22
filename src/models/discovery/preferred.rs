//! A listing in every language with one language first: browse's default, so that a visitor
//! sees things in their own language first and still finds the others (an English visitor's
//! search for "élève" finds French things).
//!
//! It is two listings put end to end, each read as the parent module reads one (from its
//! order's index or its matches, bounded work): the preferred language's things, then every
//! other language's (`excluded_language`), each in the listing's own order. One query
//! ordering by "language first" would read and sort every match, or every thing, instead.

use diesel::QueryResult;

use super::{
    Listing, Plan, SEARCH_COUNT_LIMIT, Total, browse_count, ordered_by, page_of, search,
    search_total,
};
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
    let others = Listing {
        language: None,
        preferred_language: None,
        excluded_language: Some(first),
        ..listing.clone()
    };
    let per_page = listing.per_page;
    match &listing.terms {
        Some(terms) => {
            let end = offset.saturating_add(per_page);
            let (mut ids, own_total) = search(conn, &own, terms, end)?;
            let found = i64::try_from(ids.len()).unwrap_or(i64::MAX);
            // Fewer than the page's end: these are all of the first language's matches,
            // and the others' follow them.
            let others_total = match found < end {
                true => {
                    let (rest, total) = search(conn, &others, terms, end - found)?;
                    ids.extend(rest);
                    total
                }
                false => search_total(conn, &others, terms)?,
            };
            Ok((page_of(ids, offset, per_page), sum(own_total, others_total)))
        }
        None => {
            let own_count = browse_count(conn, &own)?;
            let all_count = browse_count(
                conn,
                &Listing {
                    language: None,
                    preferred_language: None,
                    ..listing.clone()
                },
            )?;
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

/// Two searches' counts as one, still counted up to `SEARCH_COUNT_LIMIT`.
fn sum(a: Total, b: Total) -> Total {
    let count = a.count.saturating_add(b.count);
    Total {
        count: count.min(SEARCH_COUNT_LIMIT),
        more: a.more || b.more || count > SEARCH_COUNT_LIMIT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_to_the_search_limit() {
        let exact = Total::exact;
        assert_eq!(sum(exact(3), exact(4)), exact(7));
        assert_eq!(
            sum(exact(60), exact(41)),
            Total {
                count: SEARCH_COUNT_LIMIT,
                more: true
            }
        );
        assert_eq!(sum(exact(60), exact(40)), exact(100));
        let many = Total {
            count: SEARCH_COUNT_LIMIT,
            more: true,
        };
        assert_eq!(sum(many, exact(0)), many);
        assert_eq!(sum(exact(0), many), many);
    }
}
