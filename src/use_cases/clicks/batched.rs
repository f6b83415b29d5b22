//! A click recorded with its neighbours by the database's batcher (`db::writes`), whichever
//! backend is behind it: SQLite runs the general click in its shared commit; PostgreSQL sends
//! the click to its batched statement, whose row is judged here by the same rules.

use chrono::{DateTime, Utc};

use super::general::click_with_token;
use super::outcome::{ClickError, Clicked};
use crate::db::writes::ClickRow;
use crate::db::writes::{ClickRequest, Writes};
use crate::domain::click::{ClickFacts, Gate, Next, ThingSeen, judge};
use crate::domain::{Money, Month, ThingId, UserId, Zone};
use crate::models::things::shard_of;

/// What a batched click came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batched {
    Clicked(Clicked),
    /// The month's first click, which moves money into the reservation and so is not batched:
    /// run [`super::first_click`] for it.
    FirstOfMonth,
}

/// Records `reader`'s click on `thing` at `now` (in its month on the calendar of `zone`, the
/// instance's) with the clicks that arrive together; `token`
/// is the digest of the API token it came with, which must still be live. Answers once the
/// click is durable.
pub async fn record(
    writes: &Writes,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    zone: Zone,
    token: Option<String>,
) -> Result<Batched, ClickError> {
    let month = Month::containing(now, zone);
    let request = ClickRequest {
        reader,
        thing,
        month,
        shard: shard_of(reader),
        at: now,
        token: token.clone(),
    };
    let in_commit = move |conn: &mut crate::db::DbConnection| {
        click_with_token(conn, reader, thing, now, zone, token.as_deref()).map(Batched::Clicked)
    };
    let from_row = |row: ClickRow| judge_row(reader, month, &row);
    writes.click(request, in_commit, from_row).await
}

/// What the batched statement's row for one click comes to.
fn judge_row(reader: UserId, month: Month, row: &ClickRow) -> Result<Batched, ClickError> {
    if let Some(clicks) = row.clicks {
        let budget = Money::from_micros(row.budget.unwrap_or(0));
        return Ok(Batched::Clicked(Clicked::new(month, budget, clicks)));
    }
    let thing = match row.owner_id {
        None => ThingSeen::Missing,
        Some(0) => ThingSeen::Unclaimed,
        Some(owner) => ThingSeen::ClaimedBy(UserId(owner)),
    };
    let facts = ClickFacts {
        gate: Gate {
            token_live: !row.revoked,
            month_open: !row.closed,
        },
        thing,
        reserved: row.reserved,
        // Not recorded on a reserved month with everything else allowed: the click exists
        // (or came twice in the batch).
        clicked: row.reserved,
    };
    match judge(reader, &facts)? {
        Next::ReserveFirst => Ok(Batched::FirstOfMonth),
        // Not reached (`clicked` follows `reserved`).
        Next::Record => Err(ClickError::Conflict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(owner_id: Option<i64>, reserved: bool, clicks: Option<i64>) -> ClickRow {
        ClickRow {
            ord: 1,
            revoked: false,
            closed: false,
            owner_id,
            reserved,
            budget: clicks.map(|_| 3_000_000),
            clicks,
        }
    }

    #[test]
    fn a_row_comes_to_what_the_rules_say() {
        let reader = UserId(5);
        let month = Month::containing(chrono::Utc::now(), Zone::UTC);
        let recorded = judge_row(reader, month, &row(Some(9), true, Some(3)));
        assert!(
            matches!(recorded, Ok(Batched::Clicked(c)) if c.clicks == 3 && c.click_value == Money::from_micros(1_000_000))
        );
        let first = judge_row(reader, month, &row(Some(0), false, None));
        assert!(matches!(first, Ok(Batched::FirstOfMonth)));
        let own = judge_row(reader, month, &row(Some(5), true, None));
        assert!(matches!(own, Err(ClickError::OwnThing)));
        let again = judge_row(reader, month, &row(Some(9), true, None));
        assert!(matches!(again, Err(ClickError::AlreadyClicked)));
        let mut closed = row(None, true, None);
        closed.closed = true;
        assert!(matches!(
            judge_row(reader, month, &closed),
            Err(ClickError::MonthClosed)
        ));
        closed.revoked = true;
        assert!(matches!(
            judge_row(reader, month, &closed),
            Err(ClickError::TokenRevoked)
        ));
    }
}
