//! The typed statements of the click, declared with [`crate::statement!`]: each is prepared
//! once per connection, and parsing them again at every click cost the SQLite writer a sixth
//! of its time.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

/// What `CountOnReservation` returns.
#[derive(Debug, QueryableByName)]
pub(super) struct Reservation {
    #[diesel(sql_type = BigInt)]
    pub(super) amount_micros: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) clicks: i64,
}

/// What `ReserveBudget` returns.
#[derive(Debug, QueryableByName)]
pub(super) struct Reserved {
    #[diesel(sql_type = BigInt)]
    pub(super) amount_micros: i64,
}

crate::statement! {
    /// Counts a click (or an undo, `delta` -1) on the month's reservation.
    pub(super) struct CountOnReservation {
        pub(super) reader: i64,
        pub(super) month: String,
        pub(super) delta: i64,
    }
    "UPDATE month_budgets SET clicks = clicks + ",
    {delta},
    " WHERE reader_id = ",
    {reader},
    " AND month = ",
    {month},
    " RETURNING amount_micros, clicks",
}

crate::statement! {
    /// Records a click on a visible thing, when the reader's month is reserved.
    pub(super) struct InsertIfReserved {
        pub(super) reader: i64,
        pub(super) thing: i64,
        pub(super) month: String,
        pub(super) now: NaiveDateTime,
    }
    "INSERT INTO clicks (reader_id, thing_id, month, created_at) \
             SELECT mb.reader_id, t.id, mb.month, ",
    {now},
    " FROM things t, month_budgets mb WHERE t.id = ",
    {thing},
    // One's own thing is not clicked, unless nobody has claimed it yet (then its owner is
    // only whoever added it, and the share is held for whoever proves the page).
    " AND NOT t.hidden AND (t.owner_id <> mb.reader_id OR t.site_id IS NULL) AND mb.reader_id = ",
    {reader},
    " AND mb.month = ",
    {month},
    // The WHERE clause also keeps SQLite's parser from reading ON CONFLICT as a join.
    " ON CONFLICT (month, reader_id, thing_id) DO NOTHING",
}

crate::statement! {
    /// Reserves the month's budget from the reader's current budget, unless paused.
    pub(super) struct ReserveBudget {
        pub(super) reader: i64,
        pub(super) month: String,
        pub(super) now: NaiveDateTime,
    }
    "INSERT INTO month_budgets (reader_id, month, amount_micros, clicks, reserved_at) \
             SELECT user_id, ",
    {month},
    ", amount_micros, 1, ",
    {now},
    " FROM budgets WHERE user_id = ",
    {reader},
    " AND NOT paused ON CONFLICT (reader_id, month) DO NOTHING RETURNING amount_micros",
}

crate::statement! {
    /// Records a click on a visible thing that is not the reader's own claimed one.
    pub(super) struct InsertIfClickable {
        pub(super) reader: i64,
        pub(super) thing: i64,
        pub(super) month: String,
        pub(super) now: NaiveDateTime,
    }
    "INSERT INTO clicks (reader_id, thing_id, month, created_at) SELECT ",
    {reader},
    ", t.id, ",
    {month},
    ", ",
    {now},
    " FROM things t WHERE t.id = ",
    {thing},
    " AND NOT t.hidden AND (t.site_id IS NULL OR t.owner_id <> ",
    {reader},
    ")",
    " ON CONFLICT (month, reader_id, thing_id) DO NOTHING",
}
