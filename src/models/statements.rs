//! What settled months paid, read for statements: a creator's monthly totals and their
//! things', a settled month's flag, and the titles and owners that statements name.

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::DbConnection;
use crate::db::schema::{
    creator_month_totals, holds, settlement_runs, thing_month_totals, things, users,
};
use crate::domain::hold::HoldState;
use crate::domain::states::RunState;
use crate::domain::{Money, Month, UserId};

/// The earliest month whose statements hold something for `creator`: their things' totals
/// (settled for them, claimed or held), or held money released to them later. `None`: none.
pub fn first_creator_month(
    conn: &mut DbConnection,
    creator: UserId,
) -> QueryResult<Option<String>> {
    use diesel::dsl::min;
    let settled: Option<String> = thing_month_totals::table
        .filter(thing_month_totals::creator_id.eq(creator.0))
        .select(min(thing_month_totals::month))
        .get_result(conn)?;
    let released: Option<String> = holds::table
        .filter(holds::released_to.eq(creator.0))
        .select(min(holds::month))
        .get_result(conn)?;
    Ok(settled.into_iter().chain(released).min())
}

/// The earliest month `reader` reserved a budget in (`None`: never).
pub fn first_reader_month(conn: &mut DbConnection, reader: UserId) -> QueryResult<Option<String>> {
    use crate::db::schema::month_budgets;
    month_budgets::table
        .filter(month_budgets::reader_id.eq(reader.0))
        .select(diesel::dsl::min(month_budgets::month))
        .get_result(conn)
}

/// The fee rate, in percent, the month's run used (`None`: not recorded, or not settled).
pub fn fee_rate(conn: &mut DbConnection, month: Month) -> QueryResult<Option<Decimal>> {
    let rate: Option<Option<String>> = settlement_runs::table
        .find(month.to_string())
        .select(settlement_runs::fee_percent)
        .get_result(conn)
        .optional()?;
    Ok(rate.flatten().and_then(|text| text.parse().ok()))
}

/// Whether the month's settlement has finished (its figures are final).
pub fn is_settled(conn: &mut DbConnection, month: Month) -> QueryResult<bool> {
    let state: Option<String> = settlement_runs::table
        .find(month.to_string())
        .select(settlement_runs::state)
        .get_result(conn)
        .optional()?;
    Ok(state.map(|text| RunState::parse(&text)).transpose()? == Some(RunState::Done))
}

/// What a settled month paid a creator, as settlement wrote it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CreatorMonth {
    pub clicks: i64,
    pub gross: Money,
    pub fee: Money,
}

impl CreatorMonth {
    fn from_row((clicks, gross, fee): (i64, i64, i64)) -> CreatorMonth {
        CreatorMonth {
            clicks,
            gross: Money::from_micros(gross),
            fee: Money::from_micros(fee),
        }
    }

    /// The gross less the fee. Both are never negative (CHECK constraints), so the
    /// difference always fits.
    pub fn net(&self) -> Money {
        Money::from_micros(self.gross.micros() - self.fee.micros())
    }
}

/// A creator's settled month, or `None` if nothing was earned.
pub fn creator_month(
    conn: &mut DbConnection,
    creator: UserId,
    month: Month,
) -> QueryResult<Option<CreatorMonth>> {
    Ok(creator_month_totals::table
        .find((creator.0, month.to_string()))
        .select((
            creator_month_totals::clicks,
            creator_month_totals::gross_micros,
            creator_month_totals::fee_micros,
        ))
        .get_result(conn)
        .optional()?
        .map(CreatorMonth::from_row))
}

/// A creator's months from `first` to `last` (inclusive), in order: (month, its figures).
pub fn creator_months(
    conn: &mut DbConnection,
    creator: UserId,
    first: Month,
    last: Month,
) -> QueryResult<Vec<(String, CreatorMonth)>> {
    let rows: Vec<(String, i64, i64, i64)> = creator_month_totals::table
        .filter(creator_month_totals::creator_id.eq(creator.0))
        .filter(creator_month_totals::month.ge(first.to_string()))
        .filter(creator_month_totals::month.le(last.to_string()))
        .order(creator_month_totals::month.asc())
        .select((
            creator_month_totals::month,
            creator_month_totals::clicks,
            creator_month_totals::gross_micros,
            creator_month_totals::fee_micros,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(month, clicks, gross, fee)| (month, CreatorMonth::from_row((clicks, gross, fee))))
        .collect())
}

/// A thing's line of a settled month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThingMonth {
    pub thing_id: i64,
    pub title: String,
    pub clicks: i64,
    pub amount: Money,
    /// The thing's hold that month (`None`: it was claimed, and paid at settlement).
    pub hold: Option<HoldState>,
}

/// What each of a creator's things earned in a settled month, by thing id.
pub fn thing_months(
    conn: &mut DbConnection,
    creator: UserId,
    month: Month,
) -> QueryResult<Vec<ThingMonth>> {
    // The creator the month was settled for, not the thing's owner of today: a statement
    // stays with its creator when the thing changes hands.
    thing_month_totals::table
        .inner_join(things::table.on(things::id.eq(thing_month_totals::thing_id)))
        .left_join(
            holds::table.on(holds::thing_id
                .eq(thing_month_totals::thing_id)
                .and(holds::month.eq(thing_month_totals::month))),
        )
        .filter(thing_month_totals::creator_id.eq(creator.0))
        .filter(thing_month_totals::month.eq(month.to_string()))
        .order(things::id.asc())
        .select((
            things::id,
            things::title,
            thing_month_totals::clicks,
            thing_month_totals::amount_micros,
            holds::state.nullable(),
        ))
        .load::<(i64, String, i64, i64, Option<String>)>(conn)?
        .into_iter()
        .map(|(thing_id, title, clicks, amount, hold)| {
            Ok(ThingMonth {
                thing_id,
                title,
                clicks,
                amount: Money::from_micros(amount),
                hold: hold.map(|text| HoldState::parse(&text)).transpose()?,
            })
        })
        .collect()
}

/// What a month's held shares paid `creator` later, once they proved the pages: Σ (amount −
/// fee − their own share) of the month's holds released to them.
pub fn released_to(conn: &mut DbConnection, creator: UserId, month: Month) -> QueryResult<i64> {
    let rows: Vec<(i64, Option<i64>, i64)> = holds::table
        .filter(holds::released_to.eq(creator.0))
        .filter(holds::month.eq(month.to_string()))
        .filter(holds::state.eq(HoldState::Released.as_str()))
        .select((holds::amount_micros, holds::fee_micros, holds::own_micros))
        .load(conn)?;
    Ok(rows
        .iter()
        .map(|(amount, fee, own)| amount - fee.unwrap_or(0) - own)
        .sum())
}

/// What a creator's month still holds for them: Σ of their holds still `held`.
pub fn held_for(conn: &mut DbConnection, creator: UserId, month: Month) -> QueryResult<i64> {
    let amounts: Vec<i64> = holds::table
        .filter(holds::creator_id.eq(creator.0))
        .filter(holds::month.eq(month.to_string()))
        .filter(holds::state.eq(HoldState::Held.as_str()))
        .select(holds::amount_micros)
        .load(conn)?;
    Ok(amounts.iter().sum())
}

/// The readers among `readers` whose share of a month's holds, returned when the holds
/// ended, went to the charity (money rule 6) rather than back to their funds.
pub fn returns_donated(
    conn: &mut DbConnection,
    readers: &[i64],
    month: Month,
) -> QueryResult<Vec<i64>> {
    use crate::db::schema::held_returns;
    held_returns::table
        .filter(held_returns::month.eq(month.to_string()))
        .filter(held_returns::reader_id.eq_any(readers))
        .filter(held_returns::donated.eq(true))
        .select(held_returns::reader_id)
        .load(conn)
}

/// One clicked thing of a reader's month, as the reader's statement names it, with the
/// thing's hold that month (`None`: it was claimed and paid at settlement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderLine {
    pub reader_id: i64,
    pub thing_id: i64,
    pub title: String,
    pub url: String,
    pub owner_id: i64,
    pub owner_name: String,
    /// The hold's state, and whom it was released to.
    pub hold: Option<(HoldState, Option<i64>)>,
}

type ReaderLineRow = (
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

/// The clicked things of some readers' month, by reader then thing id: what settlement split
/// each budget over, with titles, owners and holds, in one query for all of them. The
/// thing's owner of today names it; a thing missing from the catalogue gets empty names.
pub fn reader_lines(
    conn: &mut DbConnection,
    readers: &[i64],
    month: Month,
) -> QueryResult<Vec<ReaderLine>> {
    use crate::db::schema::clicks;
    let text = month.to_string();
    clicks::table
        .left_join(things::table.on(things::id.eq(clicks::thing_id)))
        .left_join(users::table.on(users::id.eq(things::owner_id)))
        .left_join(
            holds::table.on(holds::thing_id
                .eq(clicks::thing_id)
                .and(holds::month.eq(clicks::month))),
        )
        .filter(clicks::month.eq(&text))
        .filter(clicks::reader_id.eq_any(readers))
        .order((clicks::reader_id.asc(), clicks::thing_id.asc()))
        .select((
            clicks::reader_id,
            clicks::thing_id,
            things::title.nullable(),
            things::url.nullable(),
            users::id.nullable(),
            users::display_name.nullable(),
            holds::state.nullable(),
            holds::released_to.nullable(),
        ))
        .load::<ReaderLineRow>(conn)?
        .into_iter()
        .map(
            |(reader_id, thing_id, title, url, owner, name, state, to)| {
                Ok(ReaderLine {
                    reader_id,
                    thing_id,
                    title: title.unwrap_or_default(),
                    url: url.unwrap_or_default(),
                    owner_id: owner.unwrap_or(0),
                    owner_name: name.unwrap_or_default(),
                    hold: state
                        .map(|text| HoldState::parse(&text).map(|state| (state, to)))
                        .transpose()?,
                })
            },
        )
        .collect()
}

/// A thing as a reader's statement names it.
#[derive(Debug, Clone, Queryable)]
pub struct ThingWithOwner {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub owner_id: i64,
    pub owner_name: String,
}

/// Titles and owners of some things, for a reader's statement.
pub fn things_with_owners(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<Vec<ThingWithOwner>> {
    things::table
        .inner_join(users::table)
        .filter(things::id.eq_any(ids))
        .select((
            things::id,
            things::title,
            things::url,
            users::id,
            users::display_name,
        ))
        .load(conn)
}

/// Clicked things of a reader's month, by thing id (what settlement split the budget over).
pub fn reader_month_things(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> QueryResult<Vec<i64>> {
    use crate::db::schema::clicks;
    clicks::table
        .filter(clicks::reader_id.eq(reader.0))
        .filter(clicks::month.eq(month.to_string()))
        .order(clicks::thing_id.asc())
        .select(clicks::thing_id)
        .load(conn)
}
