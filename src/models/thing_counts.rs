//! Visible things per language and category (`thing_counts`): the totals browse shows.
//! Counting 100,000 things for each page would cost more than the page (5 to 15 ms); these
//! rows are kept by `things::insert` and `things::update` in the writer's transaction, so
//! they are exact.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::DbConnection;
use crate::domain::thing::{Category, ContentLanguage};

#[derive(QueryableByName)]
struct Sum {
    #[diesel(sql_type = BigInt)]
    things: i64,
}

/// One more visible thing in `language` and `category`.
pub fn increment(conn: &mut DbConnection, language: &str, category: &str) -> QueryResult<()> {
    // The same upsert on both backends (SQLite has had it since 3.24).
    diesel::sql_query(
        "INSERT INTO thing_counts (language, category, things) VALUES ($1, $2, 1) \
         ON CONFLICT (language, category) DO UPDATE SET things = thing_counts.things + 1",
    )
    .bind::<Text, _>(language)
    .bind::<Text, _>(category)
    .execute(conn)?;
    Ok(())
}

/// One visible thing less in `language` and `category`. An update only: an insert of -1,
/// even one that would become an update, fails the table's CHECK first.
pub fn decrement(conn: &mut DbConnection, language: &str, category: &str) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE thing_counts SET things = things - 1 WHERE language = $1 AND category = $2",
    )
    .bind::<Text, _>(language)
    .bind::<Text, _>(category)
    .execute(conn)?;
    Ok(())
}

/// The visible things in `language` and `category` (`None`: any).
pub fn count(
    conn: &mut DbConnection,
    language: Option<ContentLanguage>,
    category: Option<Category>,
) -> QueryResult<i64> {
    let rows: Vec<Sum> = diesel::sql_query(
        "SELECT CAST(COALESCE(SUM(things), 0) AS BIGINT) AS things FROM thing_counts \
         WHERE ($1 = '' OR language = $1) AND ($2 = '' OR category = $2)",
    )
    .bind::<Text, _>(language.map_or("", ContentLanguage::code))
    .bind::<Text, _>(category.map_or("", Category::code))
    .load(conn)?;
    Ok(rows.first().map_or(0, |row| row.things))
}

/// Counts again from `things`: for catalogues written by other means (the benchmark's seed).
pub fn recount(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM thing_counts").execute(conn)?;
    diesel::sql_query(RECOUNT).execute(conn)?;
    Ok(())
}

/// The statement that filled the table in its migration.
const RECOUNT: &str = "INSERT INTO thing_counts (language, category, things) \
     SELECT language, category, COUNT(*) FROM things WHERE hidden = FALSE \
     GROUP BY language, category";
