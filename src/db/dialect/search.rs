//! The full-text search's SQL: an FTS5 table on SQLite (keyed by `rowid`), a `tsvector` with
//! a GIN index on PostgreSQL (keyed by `thing_id`), both over text `domain::search` normalised.
//! The listings (`models::discovery`) write the parts every backend shares and ask the
//! dialect for these.

use diesel::RunQueryDsl as _;
use diesel::sql_types::{BigInt, Text};

use super::of;
use crate::db::DbConnection;
use crate::db::sql::Sql;
use crate::domain::search::SearchTerms;

/// What a search matches: its words, and the facets (`~language=fr`) that the index alone
/// filters on.
pub struct Match<'a> {
    pub terms: &'a SearchTerms,
    pub facets: Vec<String>,
}

/// Conditions on `things t` a listing adds, each with ` AND ` before it.
pub type ThingsConditions<'a> = &'a dyn Fn(&mut Sql);

/// The search SQL that differs between the backends.
pub trait SearchSql {
    /// The column of `thing_search` that holds the thing's id.
    fn key(&self) -> &'static str;

    /// Whether writing an entry replaces the one there (an upsert); otherwise it is deleted
    /// first.
    fn write_replaces(&self) -> bool;

    /// Writes the entry of thing `$1`: title, creator, description, language and category
    /// (`$2`…`$6`).
    fn write_entry_sql(&self) -> &'static str;

    /// Whether a search proves a common word by walking the order's index before counting
    /// its matches (counting reads every match on PostgreSQL; SQLite counts from its index
    /// alone, cheaper than any walk, which builds the set of all matches).
    fn proves_before_counting(&self) -> bool;

    /// The statement counting up to `limit` matches (a row `total`); `things` when the
    /// listing filters on `things t` beyond the facets.
    fn count_matches(
        &self,
        sql: &mut Sql,
        search: &Match<'_>,
        things: Option<ThingsConditions<'_>>,
        limit: i64,
    );

    /// `SELECT t.id AS id FROM` the matches and their visible things, up to
    /// `WHERE … t.hidden = FALSE`, for the caller's conditions and order to follow.
    fn matches_joined(&self, sql: &mut Sql, search: &Match<'_>);

    /// A condition: thing `t` matches.
    fn is_match(&self, sql: &mut Sql, search: &Match<'_>);
}

/// A thing's text as the index holds it (normalised), and its facets.
pub struct EntryText {
    pub title: String,
    pub creator: String,
    pub description: String,
    pub language: String,
    pub category: String,
}

/// Writes thing `id`'s entry, or takes it out (`None`).
pub fn put_entry(
    conn: &mut DbConnection,
    id: i64,
    entry: Option<&EntryText>,
) -> diesel::QueryResult<()> {
    let dialect = of(conn);
    if entry.is_none() || !dialect.write_replaces() {
        diesel::sql_query(format!(
            "DELETE FROM thing_search WHERE {} = $1",
            dialect.key()
        ))
        .bind::<BigInt, _>(id)
        .execute(conn)?;
    }
    let Some(entry) = entry else {
        return Ok(());
    };
    diesel::sql_query(dialect.write_entry_sql())
        .bind::<BigInt, _>(id)
        .bind::<Text, _>(&entry.title)
        .bind::<Text, _>(&entry.creator)
        .bind::<Text, _>(&entry.description)
        .bind::<Text, _>(&entry.language)
        .bind::<Text, _>(&entry.category)
        .execute(conn)?;
    Ok(())
}
