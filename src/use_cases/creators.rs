//! Public pages (`/c/{handle}`): a person's name, description, links and things, and, if
//! they chose so, what they clicked this month.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::profile::{Handle, ProfileInput};
use crate::domain::{Month, UserId};
use crate::models::creator_profiles::{self, CreatorProfileRow, SaveProfileError};
use crate::models::discovery::{self, ListedThing, Listing, Sort};

/// Things shown on a public page, in each of its lists.
pub const PAGE_THINGS: i64 = 100;

/// Saves `user`'s public page; their things are found by the new name from then on.
pub fn save(
    conn: &mut DbConnection,
    user: UserId,
    profile: &ProfileInput,
    now: DateTime<Utc>,
) -> Result<(), SaveProfileError> {
    write_transaction(conn, |conn| {
        creator_profiles::save(conn, user, profile, now)
    })
}

pub struct PublicPage {
    pub profile: CreatorProfileRow,
    /// Their visible things, most clicked this month first, and how many there are.
    pub things: Vec<ListedThing>,
    pub things_total: i64,
    /// The sum of the month's clicks on all their visible things.
    pub month_clicks: i64,
    /// What they clicked this month, when they made it public.
    pub clicked: Option<Vec<ListedThing>>,
}

/// The public page of `handle`, or `None`.
pub fn public_page(
    conn: &mut DbConnection,
    handle: &str,
    month: Month,
) -> diesel::QueryResult<Option<PublicPage>> {
    let Ok(handle) = Handle::parse(handle) else {
        return Ok(None);
    };
    let Some(profile) = creator_profiles::find_by_handle(conn, handle.as_str())? else {
        return Ok(None);
    };
    let owner = UserId(profile.user_id);
    let listing = Listing {
        owner: Some(owner),
        sort: Sort::Popular,
        page: 1,
        per_page: PAGE_THINGS,
        ..Listing::default()
    };
    let (things, things_total) = discovery::list(conn, month, &listing)?;
    let month_clicks = crate::models::things::owner_month_clicks(conn, owner, month)?;
    let clicked = if profile.clicks_public {
        let listing = Listing {
            clicked_by: Some((owner, month)),
            sort: Sort::New,
            page: 1,
            per_page: PAGE_THINGS,
            ..Listing::default()
        };
        Some(discovery::list(conn, month, &listing)?.0)
    } else {
        None
    };
    Ok(Some(PublicPage {
        profile,
        things,
        things_total: things_total.count,
        month_clicks,
        clicked,
    }))
}
