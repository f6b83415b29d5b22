//! The typed statements of the click. Each is a typed query with a static id, so that diesel
//! prepares it once per connection: it never caches an `UPDATE` built with its DSL, nor a
//! `sql_query`, and parsing them again at every click cost the SQLite writer a sixth of its
//! time.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Text, Timestamp, Untyped};

/// What `CountOnReservation` returns.
#[derive(Debug, QueryableByName)]
pub(super) struct Reservation {
    #[diesel(sql_type = BigInt)]
    pub(super) amount_micros: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) clicks: i64,
}

#[derive(Debug, Clone, QueryId)]
pub(super) struct CountOnReservation {
    pub(super) reader: i64,
    pub(super) month: String,
    pub(super) delta: i64,
}

impl Query for CountOnReservation {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for CountOnReservation {}

impl<DB> QueryFragment<DB> for CountOnReservation
where
    DB: Backend + HasSqlType<BigInt> + HasSqlType<Text>,
    i64: ToSql<BigInt, DB>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE month_budgets SET clicks = clicks + ");
        out.push_bind_param::<BigInt, _>(&self.delta)?;
        out.push_sql(" WHERE reader_id = ");
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(" AND month = ");
        out.push_bind_param::<Text, _>(&self.month)?;
        out.push_sql(" RETURNING amount_micros, clicks");
        Ok(())
    }
}

#[derive(Debug, Clone, QueryId)]
pub(super) struct InsertIfReserved {
    pub(super) reader: i64,
    pub(super) thing: i64,
    pub(super) month: String,
    pub(super) now: NaiveDateTime,
}

impl<Conn> RunQueryDsl<Conn> for InsertIfReserved {}

impl<DB> QueryFragment<DB> for InsertIfReserved
where
    DB: Backend + HasSqlType<BigInt> + HasSqlType<Text> + HasSqlType<Timestamp>,
    i64: ToSql<BigInt, DB>,
    String: ToSql<Text, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "INSERT INTO clicks (reader_id, thing_id, month, created_at) \
             SELECT mb.reader_id, t.id, mb.month, ",
        );
        out.push_bind_param::<Timestamp, _>(&self.now)?;
        out.push_sql(" FROM things t, month_budgets mb WHERE t.id = ");
        out.push_bind_param::<BigInt, _>(&self.thing)?;
        // One's own thing is not clicked, unless nobody has claimed it yet (then its owner is
        // only whoever added it, and the share is held for whoever proves the page).
        out.push_sql(
            " AND NOT t.hidden AND (t.owner_id <> mb.reader_id OR t.site_id IS NULL) AND mb.reader_id = ",
        );
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(" AND mb.month = ");
        out.push_bind_param::<Text, _>(&self.month)?;
        // The WHERE clause also keeps SQLite's parser from reading ON CONFLICT as a join.
        out.push_sql(" ON CONFLICT (month, reader_id, thing_id) DO NOTHING");
        Ok(())
    }
}

/// What `ReserveBudget` returns.
#[derive(Debug, QueryableByName)]
pub(super) struct Reserved {
    #[diesel(sql_type = BigInt)]
    pub(super) amount_micros: i64,
}

#[derive(Debug, Clone, QueryId)]
pub(super) struct ReserveBudget {
    pub(super) reader: i64,
    pub(super) month: String,
    pub(super) now: NaiveDateTime,
}

impl Query for ReserveBudget {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for ReserveBudget {}

impl<DB> QueryFragment<DB> for ReserveBudget
where
    DB: Backend + HasSqlType<BigInt> + HasSqlType<Text> + HasSqlType<Timestamp>,
    i64: ToSql<BigInt, DB>,
    String: ToSql<Text, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "INSERT INTO month_budgets (reader_id, month, amount_micros, clicks, reserved_at) \
             SELECT user_id, ",
        );
        out.push_bind_param::<Text, _>(&self.month)?;
        out.push_sql(", amount_micros, 1, ");
        out.push_bind_param::<Timestamp, _>(&self.now)?;
        out.push_sql(" FROM budgets WHERE user_id = ");
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(
            " AND NOT paused ON CONFLICT (reader_id, month) DO NOTHING RETURNING amount_micros",
        );
        Ok(())
    }
}

#[derive(Debug, Clone, QueryId)]
pub(super) struct InsertIfClickable {
    pub(super) reader: i64,
    pub(super) thing: i64,
    pub(super) month: String,
    pub(super) now: NaiveDateTime,
}

impl<Conn> RunQueryDsl<Conn> for InsertIfClickable {}

impl<DB> QueryFragment<DB> for InsertIfClickable
where
    DB: Backend + HasSqlType<BigInt> + HasSqlType<Text> + HasSqlType<Timestamp>,
    i64: ToSql<BigInt, DB>,
    String: ToSql<Text, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("INSERT INTO clicks (reader_id, thing_id, month, created_at) SELECT ");
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(", t.id, ");
        out.push_bind_param::<Text, _>(&self.month)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&self.now)?;
        out.push_sql(" FROM things t WHERE t.id = ");
        out.push_bind_param::<BigInt, _>(&self.thing)?;
        out.push_sql(" AND NOT t.hidden AND (t.site_id IS NULL OR t.owner_id <> ");
        out.push_bind_param::<BigInt, _>(&self.reader)?;
        out.push_sql(")");
        out.push_sql(" ON CONFLICT (month, reader_id, thing_id) DO NOTHING");
        Ok(())
    }
}
