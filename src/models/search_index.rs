//! The full-text index of things (`thing_search`): an FTS5 table on SQLite, a `tsvector`
//! column with a GIN index on PostgreSQL, both holding text `domain::search` normalised.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::db::dialect;
use crate::db::dialect::search::{self, EntryText};
use crate::domain::search::normalise;
use crate::domain::{ThingId, UserId};

/// What a thing is found by: its title, its creator's names, its description; and what a
/// search filters on: its language and category.
#[derive(Debug, QueryableByName)]
struct Document {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    creator: String,
    #[diesel(sql_type = Text)]
    description: String,
    #[diesel(sql_type = Text)]
    language: String,
    #[diesel(sql_type = Text)]
    category: String,
    #[diesel(sql_type = Bool)]
    hidden: bool,
}

/// The creator is found by the public page's name and handle, else by the account's name.
const DOCUMENTS: &str = "SELECT t.id, t.title, t.description, t.language, t.category, t.hidden, \
     COALESCE(p.public_name || ' ' || p.handle, u.display_name) AS creator \
     FROM things t JOIN users u ON u.id = t.owner_id \
     LEFT JOIN creator_profiles p ON p.user_id = t.owner_id";

/// Writes a thing's entry, or takes it out when the thing is hidden: the index holds what
/// the public may find and nothing else, so that a search needs no look at `things` to
/// leave hidden things out.
fn put(conn: &mut DbConnection, doc: &Document) -> QueryResult<()> {
    let entry = (!doc.hidden).then(|| EntryText {
        title: normalise(&doc.title),
        creator: normalise(&doc.creator),
        description: normalise(&doc.description),
        language: facet("language", &doc.language),
        category: facet("category", &doc.category),
    });
    search::put_entry(conn, doc.id, entry.as_ref())
}

/// How the index holds a thing's language or category (`~language=fr`): a word no searched
/// word can match, since searched words have letters and digits only.
pub fn facet(name: &str, code: &str) -> String {
    format!("~{name}={code}")
}

fn index_where(conn: &mut DbConnection, filter: &str, value: i64) -> QueryResult<usize> {
    let docs: Vec<Document> = diesel::sql_query(format!("{DOCUMENTS} WHERE {filter}"))
        .bind::<BigInt, _>(value)
        .load(conn)?;
    for doc in &docs {
        put(conn, doc)?;
    }
    Ok(docs.len())
}

/// (Re)indexes one thing, after it was added or edited (in the same transaction).
pub fn index_thing(conn: &mut DbConnection, id: ThingId) -> QueryResult<()> {
    index_where(conn, "t.id = $1", id.0).map(|_| ())
}

/// Reindexes an owner's things, after their public name or handle changed.
pub fn index_owner(conn: &mut DbConnection, owner: UserId) -> QueryResult<()> {
    index_where(conn, "t.owner_id = $1", owner.0).map(|_| ())
}

/// Indexes the visible things that have no entry yet: those added before this index existed
/// (run at start, after the migrations). Each chunk is one transaction; returns how many were indexed.
pub fn index_missing(conn: &mut DbConnection) -> QueryResult<usize> {
    // NOT EXISTS: an anti-join on both backends (PostgreSQL may run `NOT IN` as a scan of
    // the index table for each thing, minutes for 100,000 things).
    let indexed = format!(
        "SELECT 1 FROM thing_search s WHERE s.{} = t.id",
        dialect::of(conn).key()
    );
    let mut total = 0;
    loop {
        let done = write_transaction(conn, |conn| {
            let docs: Vec<Document> = diesel::sql_query(format!(
                "{DOCUMENTS} WHERE t.hidden = FALSE AND NOT EXISTS ({indexed}) ORDER BY t.id LIMIT 2000"
            ))
            .load(conn)?;
            for doc in &docs {
                put(conn, doc)?;
            }
            Ok::<_, diesel::result::Error>(docs.len())
        })?;
        total += done;
        if done == 0 {
            return Ok(total);
        }
    }
}

/// A thing's entry as the index holds it (normalised text), for ranking.
#[derive(Debug, QueryableByName)]
pub struct Entry {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub creator: String,
    #[diesel(sql_type = Text)]
    pub description: String,
}

/// The entries of these things (those that have one).
pub fn entries(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Entry>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let key = dialect::of(conn).key();
    // Ids are integers of our own: written into the statement, they cannot inject anything.
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    diesel::sql_query(format!(
        "SELECT {key} AS id, title, creator, description FROM thing_search WHERE {key} IN ({})",
        list.join(", ")
    ))
    .load(conn)
}
