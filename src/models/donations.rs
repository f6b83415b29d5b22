//! The `month_donations` table: what each idle month gave to the charity (money rule 6),
//! written by the settlement with its ledger movement, read back by statements.

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::DbConnection;
use crate::db::schema::month_donations;
use crate::domain::{Money, Month, UserId};

/// One reader's gift of one idle month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donation {
    pub reader: UserId,
    /// The budget that applied to the month.
    pub budget: Money,
    /// What was given: the budget, or the funds when they held less.
    pub amount: Money,
    /// The charity's name, as the instance named it then.
    pub charity: String,
}

type Row = (i64, i64, i64, String);

fn from_row((reader, budget, amount, charity): Row) -> Donation {
    Donation {
        reader: UserId(reader),
        budget: Money::from_micros(budget),
        amount: Money::from_micros(amount),
        charity,
    }
}

/// Records the month's gifts, one row each (call inside the settlement's transaction). The
/// primary key (month, reader) refuses a second gift of the same month.
pub fn insert(conn: &mut DbConnection, month: Month, gifts: &[Donation]) -> QueryResult<()> {
    let text = month.to_string();
    for gift in gifts {
        diesel::insert_into(month_donations::table)
            .values((
                month_donations::month.eq(&text),
                month_donations::reader_id.eq(gift.reader.0),
                month_donations::budget_micros.eq(gift.budget.micros()),
                month_donations::amount_micros.eq(gift.amount.micros()),
                month_donations::charity.eq(&gift.charity),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The month's gifts, by reader.
pub fn of_month(conn: &mut DbConnection, month: Month) -> QueryResult<Vec<Donation>> {
    let rows: Vec<Row> = month_donations::table
        .filter(month_donations::month.eq(month.to_string()))
        .order(month_donations::reader_id.asc())
        .select((
            month_donations::reader_id,
            month_donations::budget_micros,
            month_donations::amount_micros,
            month_donations::charity,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// What some readers' idle `month` gave, for those whose month gave something.
pub fn of_readers(
    conn: &mut DbConnection,
    readers: &[i64],
    month: Month,
) -> QueryResult<Vec<Donation>> {
    let rows: Vec<Row> = month_donations::table
        .filter(month_donations::month.eq(month.to_string()))
        .filter(month_donations::reader_id.eq_any(readers))
        .select((
            month_donations::reader_id,
            month_donations::budget_micros,
            month_donations::amount_micros,
            month_donations::charity,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(from_row).collect())
}

#[derive(QueryableByName)]
struct Funds {
    #[diesel(sql_type = BigInt)]
    owner_id: i64,
    #[diesel(sql_type = BigInt)]
    balance_micros: i64,
}

/// The funds of `readers`, read with their rows locked until the caller's transaction ends
/// (an update that changes nothing: PostgreSQL's row lock; SQLite's writer already excludes
/// every other), so that no click reserves from them between reading and giving.
pub fn lock_funds(
    conn: &mut DbConnection,
    readers: &[UserId],
) -> QueryResult<Vec<(UserId, Money)>> {
    let mut funds = Vec::with_capacity(readers.len());
    for chunk in readers.chunks(1_000) {
        // Ids are integers from the database, written as such: nothing typed by a person.
        let ids: Vec<String> = chunk.iter().map(|r| r.0.to_string()).collect();
        let sql = format!(
            "UPDATE ledger_accounts SET balance_micros = balance_micros \
             WHERE kind = 'funds' AND owner_id IN ({}) RETURNING owner_id, balance_micros",
            ids.join(", ")
        );
        let rows: Vec<Funds> = diesel::sql_query(sql).load(conn)?;
        funds.extend(
            rows.into_iter()
                .map(|r| (UserId(r.owner_id), Money::from_micros(r.balance_micros))),
        );
    }
    funds.sort_unstable();
    Ok(funds)
}
