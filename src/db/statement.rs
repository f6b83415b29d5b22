//! Hand-written statements that diesel prepares once per connection: the [`statement!`]
//! macro declares one as a struct of its bound values and its SQL pieces in order.
//!
//! Why such statements exist: diesel caches a prepared statement only for a query whose type
//! has a static id, and never caches an `UPDATE` built with its DSL nor a `sql_query`.
//! Parsing the click's statements again at every click cost the SQLite writer a sixth of its
//! time, so the statements of hot paths are their own types, with `QueryId` derived (a static
//! id: the type itself). Each used to be thirty lines of `QueryFragment` boilerplate; the
//! macro writes them. Written by hand: diesel offers no declarative form of such a
//! statement, and the macro is a few lines over its `AstPass`.
//!
//! ```ignore
//! crate::statement! {
//!     /// A person's account moved in one statement.
//!     struct MoveUserBalance {
//!         owner: i64,
//!         kind: String,
//!         delta: i64,
//!     }
//!     "UPDATE ledger_accounts SET balance_micros = balance_micros + ", {delta},
//!     " WHERE owner_id = ", {owner}, " AND kind = ", {kind},
//!     " RETURNING id, balance_micros"
//! }
//! // then: MoveUserBalance { owner, kind, delta }.load::<Moved>(conn)?  or  .execute(conn)?
//! ```
//!
//! - Fields are the values bound (with a visibility if the statement is built elsewhere), of the Rust types [`Param`] maps to SQL types (`i64` as
//!   `BIGINT`, `i32` as `INTEGER`, `String` as `TEXT`, `NaiveDateTime` as `TIMESTAMP`,
//!   `bool` as `BOOLEAN`, `Vec<T>` as an array of `T`'s type, `Option<T>` as nullable); add a
//!   mapping there for another type.
//! - After the struct come the pieces, comma-separated: a string (a literal or a `const`) is
//!   SQL written as it is; `{field}` binds that field there. A field may be bound several
//!   times (each time is one more parameter). A value computed from others gets a field of
//!   its own, filled where the statement is built.
//! - Results are `Untyped`: read rows with `load::<T>()` where `T: QueryableByName`, or run
//!   it with `execute`. The same statement serves both backends, so write SQL both accept;
//!   placeholders are numbered by each backend's own query builder.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::query_builder::AstPass;
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, BigInt, Bool, HasSqlType, Integer, Nullable, Text, Timestamp};

/// The SQL type a Rust value is bound as in a [`statement!`].
pub trait Param {
    /// The SQL type of the parameter.
    type Sql: 'static;
}

impl Param for i64 {
    type Sql = BigInt;
}

impl Param for i32 {
    type Sql = Integer;
}

impl Param for String {
    type Sql = Text;
}

impl Param for NaiveDateTime {
    type Sql = Timestamp;
}

impl Param for bool {
    type Sql = Bool;
}

/// Arrays, bound whole (PostgreSQL's `unnest` reads one per column of a batch).
impl<T: Param> Param for Vec<T> {
    type Sql = Array<T::Sql>;
}

impl<T: Param> Param for Option<T> {
    type Sql = Nullable<T::Sql>;
}

/// Binds `value` as its [`Param`] type (used by [`statement!`]).
pub fn bind<'b, DB, T>(out: &mut AstPass<'_, 'b, DB>, value: &'b T) -> diesel::QueryResult<()>
where
    DB: Backend + HasSqlType<T::Sql>,
    T: Param + ToSql<T::Sql, DB>,
{
    out.push_bind_param::<T::Sql, T>(value)
}

/// Declares a statement prepared once per connection; see the [module](self) for its form.
#[macro_export]
macro_rules! statement {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($fvis:vis $field:ident : $ty:ty),* $(,)?
        }
        $($piece:tt),+ $(,)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, diesel::query_builder::QueryId)]
        $vis struct $name {
            $($fvis $field: $ty),*
        }

        impl diesel::query_builder::Query for $name {
            type SqlType = diesel::sql_types::Untyped;
        }

        impl<Conn> diesel::RunQueryDsl<Conn> for $name {}

        impl<DB> diesel::query_builder::QueryFragment<DB> for $name
        where
            DB: diesel::backend::Backend
                $(+ diesel::sql_types::HasSqlType<<$ty as $crate::db::statement::Param>::Sql>)*,
            $($ty: diesel::serialize::ToSql<<$ty as $crate::db::statement::Param>::Sql, DB>,)*
        {
            fn walk_ast<'b>(
                &'b self,
                mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
            ) -> diesel::QueryResult<()> {
                $($crate::statement!(@piece out, self, $piece);)+
                Ok(())
            }
        }
    };
    (@piece $out:ident, $this:ident, { $field:ident }) => {
        $crate::db::statement::bind(&mut $out, &$this.$field)?
    };
    (@piece $out:ident, $this:ident, $sql:expr) => {
        $out.push_sql($sql)
    };
}

#[cfg(test)]
mod tests {
    use diesel::debug_query;
    use diesel::sqlite::Sqlite;

    crate::statement! {
        /// A statement for the test.
        struct Example {
            id: i64,
            name: String,
        }
        "SELECT ", {id}, " AS id WHERE ", {name}, " = ", {name}, SUFFIX
    }

    const SUFFIX: &str = " AND 1 = 1";

    #[test]
    fn pieces_are_written_in_order_and_fields_bound_where_named() {
        let example = Example {
            id: 7,
            name: "a".to_owned(),
        };
        let sql = debug_query::<Sqlite, _>(&example).to_string();
        assert!(
            sql.starts_with("SELECT ? AS id WHERE ? = ? AND 1 = 1"),
            "{sql}"
        );
        assert!(sql.contains("[7, \"a\", \"a\"]"), "{sql}");
    }
}
