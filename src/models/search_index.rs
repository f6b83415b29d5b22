//! The full-text index of things (`thing_search`): an FTS5 table on SQLite, a `tsvector`
//! column with a GIN index on PostgreSQL, both holding text `domain::search` normalised.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::search::normalise;
use crate::domain::{ThingId, UserId};

/// What a thing is found by: its title, its creator's names, its description.
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
}

/// The creator is found by the public page's name and handle, else by the account's name.
const DOCUMENTS: &str = "SELECT t.id, t.title, t.description, \
     COALESCE(p.public_name || ' ' || p.handle, u.display_name) AS creator \
     FROM things t JOIN users u ON u.id = t.owner_id \
     LEFT JOIN creator_profiles p ON p.user_id = t.owner_id";

fn put(conn: &mut DbConnection, doc: &Document) -> QueryResult<()> {
    let (title, creator, description) = (
        normalise(&doc.title),
        normalise(&doc.creator),
        normalise(&doc.description),
    );
    let insert = match conn {
        DbConnection::Sqlite(_) => {
            diesel::sql_query("DELETE FROM thing_search WHERE rowid = $1")
                .bind::<BigInt, _>(doc.id)
                .execute(conn)?;
            "INSERT INTO thing_search (rowid, title, creator, description) VALUES ($1, $2, $3, $4)"
        }
        DbConnection::Postgres(_) => {
            "INSERT INTO thing_search (thing_id, title, creator, description) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (thing_id) DO UPDATE SET title = excluded.title, \
             creator = excluded.creator, description = excluded.description"
        }
    };
    diesel::sql_query(insert)
        .bind::<BigInt, _>(doc.id)
        .bind::<Text, _>(title)
        .bind::<Text, _>(creator)
        .bind::<Text, _>(description)
        .execute(conn)?;
    Ok(())
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

/// Indexes the things that have no entry yet: those added before this index existed (run at
/// start, after the migrations). Each chunk is one transaction; returns how many were indexed.
pub fn index_missing(conn: &mut DbConnection) -> QueryResult<usize> {
    // NOT EXISTS: an anti-join on both backends (PostgreSQL may run `NOT IN` as a scan of
    // the index table for each thing, minutes for 100,000 things).
    let indexed = match conn {
        DbConnection::Sqlite(_) => "SELECT 1 FROM thing_search s WHERE s.rowid = t.id",
        DbConnection::Postgres(_) => "SELECT 1 FROM thing_search s WHERE s.thing_id = t.id",
    };
    let mut total = 0;
    loop {
        let done = write_transaction(conn, |conn| {
            let docs: Vec<Document> = diesel::sql_query(format!(
                "{DOCUMENTS} WHERE NOT EXISTS ({indexed}) ORDER BY t.id LIMIT 2000"
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
