//! Held money released (PRODUCT.md, "Claims"): when a thing becomes claimed, what its
//! unclaimed months hold goes to its owner of now, less the platform's fee taken then: on
//! each held month of the thing, at the rate that month's settlement used (the rate its
//! readers' money was settled under), rounded down as settlement rounds; one ledger movement
//! per owner. Each hold moves from `held` to `released` by a conditional update in the same
//! transaction, so it is released once, whatever runs concurrently.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::ClaimError;
use crate::db::DbConnection;
use crate::db::schema::{holds, things};
use crate::domain::allocation::{ReaderMonth, fee, shares_for};
use crate::domain::hold::HoldState;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::{Money, Month, ThingId, UserId};
use crate::models::{clicks as click_rows, ledger, statements};

/// What one owner received from held money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    pub owner: UserId,
    pub gross: Money,
    pub fee: Money,
    /// The owner's own share (their clicks on the thing that month): back to their funds.
    pub own: Money,
}

/// Serialises everything that writes holds (a settlement holding a month, a claim releasing
/// them) on the held account's row, taken first: whichever commits second sees the other's
/// holds and claims. SQLite has one writer at a time already.
pub fn lock_holds(conn: &mut DbConnection) -> QueryResult<()> {
    ledger::lock_platform_account(conn, AccountKind::Held)
}

/// The fee rate the settlement of `month` used.
fn month_rate(conn: &mut DbConnection, month: &str) -> Result<Decimal, ClaimError> {
    let parsed = Month::parse(month).map_err(|_| ClaimError::NoFeeRate(month.to_owned()))?;
    statements::fee_rate(conn, parsed)?.ok_or_else(|| ClaimError::NoFeeRate(month.to_owned()))
}

/// What `owner` gave `thing` in `month` (their share of it, by settlement's split), zero if
/// they did not click it.
fn own_share(
    conn: &mut DbConnection,
    owner: UserId,
    month: &str,
    thing: ThingId,
) -> Result<i64, ClaimError> {
    let parsed = Month::parse(month).map_err(|_| ClaimError::NoFeeRate(month.to_owned()))?;
    let clicked = statements::reader_month_things(conn, owner, parsed)?;
    if !clicked.contains(&thing.0) {
        return Ok(0);
    }
    let Some(budget) = click_rows::reservation(conn, owner, parsed)? else {
        return Ok(0);
    };
    let reader = ReaderMonth {
        reader: owner,
        budget,
        clicks: clicked.into_iter().map(ThingId).collect(),
    };
    // One thing: one share at most, so the sum cannot overflow.
    Ok(shares_for(&reader, parsed, |t| t == thing)?
        .iter()
        .map(|(_, share)| share.micros())
        .sum())
}

/// Releases the held months of `claimed` (things that are claimed now) to their owners.
pub fn release_held(
    conn: &mut DbConnection,
    claimed: &[ThingId],
    now: DateTime<Utc>,
) -> Result<Vec<Released>, ClaimError> {
    let ids: Vec<i64> = claimed.iter().map(|t| t.0).collect();
    let mut waiting: Vec<(i64, String, i64, i64)> = Vec::new();
    for chunk in ids.chunks(10_000) {
        waiting.extend(
            holds::table
                .inner_join(things::table.on(things::id.eq(holds::thing_id)))
                .filter(holds::thing_id.eq_any(chunk))
                .filter(holds::state.eq(HoldState::Held.as_str()))
                .filter(things::site_id.is_not_null())
                .select((
                    things::owner_id,
                    holds::month,
                    holds::thing_id,
                    holds::amount_micros,
                ))
                .load::<(i64, String, i64, i64)>(conn)?,
        );
    }
    waiting.sort();
    let mut released = Vec::new();
    // Each held month's rate, read once whatever the number of its holds.
    let mut rates: std::collections::BTreeMap<String, Decimal> = Default::default();
    for group in waiting.chunk_by(|a, b| a.0 == b.0) {
        let Some((owner, first_month, first_thing, _)) = group.first() else {
            continue;
        };
        let owner = UserId(*owner);
        let (mut gross, mut fees, mut own_total) = (0_i64, 0_i64, 0_i64);
        for (_, month, thing, amount) in group {
            let rate = match rates.get(month) {
                Some(rate) => *rate,
                None => {
                    let rate = month_rate(conn, month)?;
                    rates.insert(month.clone(), rate);
                    rate
                }
            };
            // Nobody tips their own thing: what the new owner gave it that month goes back to
            // their funds, and the fee is taken on the rest.
            let own = own_share(conn, owner, month, ThingId(*thing))?.min(*amount);
            let taken = fee(Money::from_micros(amount - own), rate)?.micros();
            let moved = diesel::update(
                holds::table
                    .filter(holds::month.eq(month))
                    .filter(holds::thing_id.eq(thing))
                    .filter(holds::state.eq(HoldState::Held.as_str())),
            )
            .set((
                holds::state.eq(HoldState::Released.as_str()),
                holds::released_to.eq(Some(owner.0)),
                holds::fee_micros.eq(Some(taken)),
                holds::own_micros.eq(own),
                holds::resolved_at.eq(Some(now.naive_utc())),
            ))
            .execute(conn)?;
            if moved != 1 {
                return Err(ClaimError::Conflict);
            }
            gross += amount;
            fees += taken;
            own_total += own;
        }
        let mut postings = vec![(
            AccountRef::Platform(AccountKind::Held),
            Money::from_micros(-gross),
        )];
        let net = gross - fees - own_total;
        if net > 0 {
            postings.push((
                AccountRef::User(owner, AccountKind::Revenue),
                Money::from_micros(net),
            ));
        }
        if own_total > 0 {
            postings.push((
                AccountRef::User(owner, AccountKind::Funds),
                Money::from_micros(own_total),
            ));
        }
        if fees > 0 {
            postings.push((
                AccountRef::Platform(AccountKind::Fees),
                Money::from_micros(fees),
            ));
        }
        let transfer =
            Transfer::new(MovementKind::HeldRelease, postings).map_err(ClaimError::Transfer)?;
        // The first hold names the movement: each hold is released once, so no two
        // movements start with the same one.
        let key = format!("held_release:{first_month}:{first_thing}");
        ledger::post(conn, &transfer, Some(&key), now)?;
        released.push(Released {
            owner,
            gross: Money::from_micros(gross),
            fee: Money::from_micros(fees),
            own: Money::from_micros(own_total),
        });
    }
    Ok(released)
}
