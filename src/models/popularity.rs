//! The click totals browse sorts by (`things.month_clicks`, `things.all_time_clicks`), copied
//! from the sharded counters. Only rows whose totals changed are written.

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::DbConnection;
use crate::domain::{Month, ThingId};

/// Sets the totals of `things` (all things when `None`) from `thing_month_counts`, `month`
/// being the current month. Returns the rows changed.
pub fn refresh(
    conn: &mut DbConnection,
    month: Month,
    things: Option<&[ThingId]>,
) -> QueryResult<usize> {
    // Ids are integers of our own: written into the statement, they cannot inject anything.
    let only = match things {
        None => String::new(),
        Some([]) => return Ok(0),
        Some(ids) => {
            let list: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
            format!("WHERE thing_id IN ({})", list.join(", "))
        }
    };
    diesel::sql_query(format!(
        "UPDATE things SET month_clicks = s.month_clicks, all_time_clicks = s.all_time_clicks \
         FROM (SELECT thing_id, \
                 CAST(SUM(CASE WHEN month = $1 THEN clicks ELSE 0 END) AS BIGINT) AS month_clicks, \
                 CAST(SUM(clicks) AS BIGINT) AS all_time_clicks \
               FROM thing_month_counts {only} GROUP BY thing_id) AS s \
         WHERE things.id = s.thing_id \
           AND (things.month_clicks <> s.month_clicks OR things.all_time_clicks <> s.all_time_clicks)"
    ))
    .bind::<Text, _>(month.to_string())
    .execute(conn)
}
