//! What a year's statements read beyond the monthly ones (`models::statements`): the runs of
//! a range of months with the fee rate each kept, a creator's holds of those months, and the
//! payouts sent to them in a span of time.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::DbConnection;
use crate::db::schema::{holds, payouts, settlement_runs};
use crate::domain::hold::HoldState;
use crate::domain::states::{PayoutState, RunState};
use crate::domain::{Month, UserId};

/// A month's settlement run as a statement needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    pub month: String,
    /// The run finished: the month's figures are final.
    pub done: bool,
    /// The fee rate, in percent, the run used (`None`: runs before the rate was kept).
    pub fee_percent: Option<Decimal>,
}

/// The runs of the months from `first` to `last` (inclusive), by month.
pub fn runs(conn: &mut DbConnection, first: Month, last: Month) -> QueryResult<Vec<RunRow>> {
    settlement_runs::table
        .filter(settlement_runs::month.ge(first.to_string()))
        .filter(settlement_runs::month.le(last.to_string()))
        .order(settlement_runs::month.asc())
        .select((
            settlement_runs::month,
            settlement_runs::state,
            settlement_runs::fee_percent,
        ))
        .load::<(String, String, Option<String>)>(conn)?
        .into_iter()
        .map(|(month, state, rate)| {
            Ok(RunRow {
                month,
                done: RunState::parse(&state)? == RunState::Done,
                // A rate is written by settlement from a `Decimal`; one that does not parse
                // back is shown as "not recorded" rather than failing the whole year.
                fee_percent: rate.and_then(|text| text.parse().ok()),
            })
        })
        .collect()
}

/// One month's held share of a thing, as a creator's year reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRow {
    pub month: String,
    /// The creator the month was settled for (whose statement shows the share as held).
    pub creator_id: i64,
    pub state: HoldState,
    /// Who proved the page and was paid the share, for a released hold.
    pub released_to: Option<i64>,
    pub amount_micros: i64,
    /// The fee taken when the hold was released.
    pub fee_micros: Option<i64>,
    /// The prover's own clicks' part, given back to them rather than paid as revenue.
    pub own_micros: i64,
}

/// The holds of the months from `first` to `last` that were settled for `creator` or
/// released to them.
pub fn creator_holds(
    conn: &mut DbConnection,
    creator: UserId,
    first: Month,
    last: Month,
) -> QueryResult<Vec<HoldRow>> {
    holds::table
        .filter(
            holds::creator_id
                .eq(creator.0)
                .or(holds::released_to.eq(creator.0)),
        )
        .filter(holds::month.ge(first.to_string()))
        .filter(holds::month.le(last.to_string()))
        .order((holds::month.asc(), holds::thing_id.asc()))
        .select((
            holds::month,
            holds::creator_id,
            holds::state,
            holds::released_to,
            holds::amount_micros,
            holds::fee_micros,
            holds::own_micros,
        ))
        .load::<(String, i64, String, Option<i64>, i64, Option<i64>, i64)>(conn)?
        .into_iter()
        .map(
            |(month, creator_id, state, released_to, amount, fee, own)| {
                Ok(HoldRow {
                    month,
                    creator_id,
                    state: HoldState::parse(&state)?,
                    released_to,
                    amount_micros: amount,
                    fee_micros: fee,
                    own_micros: own,
                })
            },
        )
        .collect()
}

/// The payouts to `user` that an operator marked sent in `[from, until)`: (when, amount).
pub fn sent_between(
    conn: &mut DbConnection,
    user: UserId,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<(NaiveDateTime, i64)>> {
    let rows: Vec<(Option<NaiveDateTime>, i64)> = payouts::table
        .filter(payouts::user_id.eq(user.0))
        .filter(payouts::state.eq(PayoutState::Sent.as_str()))
        .filter(payouts::decided_at.ge(from.naive_utc()))
        .filter(payouts::decided_at.lt(until.naive_utc()))
        .order(payouts::decided_at.asc())
        .select((payouts::decided_at, payouts::amount_micros))
        .load(conn)?;
    // A sent payout always has its decision's time (the filter above needs one too).
    Ok(rows
        .into_iter()
        .filter_map(|(at, amount)| at.map(|at| (at, amount)))
        .collect())
}
