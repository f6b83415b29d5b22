//! The `settlement_heads` and `settlement_leaves` tables: each settled month's Merkle tree
//! head and its leaves, 1024 a row (docs/TRANSPARENCY.md). Written once by the settlement,
//! read by the public pages, the receipts and the settlement's self-check.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{settlement_heads, settlement_leaves};
use crate::domain::tree_head::TreeHead;
use crate::domain::{Money, Month, UserId};

/// A month's published head.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct HeadRow {
    pub month: String,
    pub tree_size: i64,
    /// Lower-case hex.
    pub root: String,
    /// The roots of the chunks of leaves, 32 bytes each, in chunk order.
    pub chunk_roots: Vec<u8>,
    pub readers: i64,
    pub clicks: i64,
    pub debited_micros: i64,
    pub gross_micros: i64,
    pub fees_micros: i64,
    pub held_micros: i64,
    pub fee_percent: String,
    pub signature: Option<String>,
    /// The public key (hex) that made `signature`.
    pub signing_key: Option<String>,
    pub created_at: NaiveDateTime,
}

impl HeadRow {
    /// The head as it is signed.
    pub fn tree_head(&self) -> TreeHead {
        TreeHead {
            month: self.month.clone(),
            tree_size: self.tree_size,
            root: self.root.clone(),
            readers: self.readers,
            clicks: self.clicks,
            debited_micros: self.debited_micros,
            gross_micros: self.gross_micros,
            fees_micros: self.fees_micros,
            held_micros: self.held_micros,
            fee_percent: self.fee_percent.clone(),
        }
    }

    pub fn debited(&self) -> Money {
        Money::from_micros(self.debited_micros)
    }

    pub fn gross(&self) -> Money {
        Money::from_micros(self.gross_micros)
    }

    pub fn fees(&self) -> Money {
        Money::from_micros(self.fees_micros)
    }

    pub fn held(&self) -> Money {
        Money::from_micros(self.held_micros)
    }
}

/// One row of leaves: its number, its first reader, the readers' ids (8 bytes each,
/// big-endian) and their leaf hashes (32 bytes each).
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct LeafChunk {
    pub chunk: i64,
    pub first_reader_id: i64,
    pub readers: Vec<u8>,
    pub hashes: Vec<u8>,
}

/// Writes a month's head and its leaves in the caller's transaction, replacing any earlier
/// ones of the month (the run writes them in one transaction with its stage, so normally
/// there are none).
pub fn replace(conn: &mut DbConnection, head: &HeadRow, chunks: &[LeafChunk]) -> QueryResult<()> {
    diesel::delete(settlement_leaves::table.filter(settlement_leaves::month.eq(&head.month)))
        .execute(conn)?;
    diesel::delete(settlement_heads::table.find(&head.month)).execute(conn)?;
    diesel::insert_into(settlement_heads::table)
        .values((
            settlement_heads::month.eq(&head.month),
            settlement_heads::tree_size.eq(head.tree_size),
            settlement_heads::root.eq(&head.root),
            settlement_heads::chunk_roots.eq(&head.chunk_roots),
            settlement_heads::readers.eq(head.readers),
            settlement_heads::clicks.eq(head.clicks),
            settlement_heads::debited_micros.eq(head.debited_micros),
            settlement_heads::gross_micros.eq(head.gross_micros),
            settlement_heads::fees_micros.eq(head.fees_micros),
            settlement_heads::held_micros.eq(head.held_micros),
            settlement_heads::fee_percent.eq(&head.fee_percent),
            settlement_heads::signature.eq(&head.signature),
            settlement_heads::signing_key.eq(&head.signing_key),
            settlement_heads::created_at.eq(head.created_at),
        ))
        .execute(conn)?;
    for chunk in chunks {
        diesel::insert_into(settlement_leaves::table)
            .values((
                settlement_leaves::month.eq(&head.month),
                settlement_leaves::chunk.eq(chunk.chunk),
                settlement_leaves::first_reader_id.eq(chunk.first_reader_id),
                settlement_leaves::readers.eq(&chunk.readers),
                settlement_leaves::hashes.eq(&chunk.hashes),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The month's head, if it is published.
pub fn head(conn: &mut DbConnection, month: Month) -> QueryResult<Option<HeadRow>> {
    settlement_heads::table
        .find(month.to_string())
        .get_result(conn)
        .optional()
}

/// The published months (their run done), newest first, without their chunk roots.
pub fn months(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64, String, i64)>> {
    use crate::db::schema::settlement_runs;
    use crate::domain::states::RunState;
    settlement_heads::table
        .inner_join(settlement_runs::table.on(settlement_runs::month.eq(settlement_heads::month)))
        .filter(settlement_runs::state.eq(RunState::Done.as_str()))
        .order(settlement_heads::month.desc())
        .select((
            settlement_heads::month,
            settlement_heads::tree_size,
            settlement_heads::root,
            settlement_heads::debited_micros,
        ))
        .load(conn)
}

/// The row of leaves that holds `reader`'s, if any: the last whose first reader is not after
/// them (the caller looks for the reader in it).
pub fn chunk_of(
    conn: &mut DbConnection,
    month: Month,
    reader: UserId,
) -> QueryResult<Option<LeafChunk>> {
    settlement_leaves::table
        .filter(settlement_leaves::month.eq(month.to_string()))
        .filter(settlement_leaves::first_reader_id.le(reader.0))
        .order(settlement_leaves::first_reader_id.desc())
        .select((
            settlement_leaves::chunk,
            settlement_leaves::first_reader_id,
            settlement_leaves::readers,
            settlement_leaves::hashes,
        ))
        .first(conn)
        .optional()
}

/// Each row of the month's leaves, in order, one at a time (the self-check reads them back
/// without holding the month's leaves twice).
pub fn for_each_chunk(
    conn: &mut DbConnection,
    month: Month,
    mut each: impl FnMut(LeafChunk),
) -> QueryResult<()> {
    let rows = settlement_leaves::table
        .filter(settlement_leaves::month.eq(month.to_string()))
        .order(settlement_leaves::chunk.asc())
        .select((
            settlement_leaves::chunk,
            settlement_leaves::first_reader_id,
            settlement_leaves::readers,
            settlement_leaves::hashes,
        ))
        .load_iter::<LeafChunk, diesel::connection::DefaultLoadingMode>(conn)?;
    for row in rows {
        each(row?);
    }
    Ok(())
}

/// Records the month's head signature and the key that made it.
pub fn set_signature(
    conn: &mut DbConnection,
    month: Month,
    signature: &str,
    key: &str,
) -> QueryResult<()> {
    diesel::update(settlement_heads::table.find(month.to_string()))
        .set((
            settlement_heads::signature.eq(signature),
            settlement_heads::signing_key.eq(key),
        ))
        .execute(conn)?;
    Ok(())
}

/// One thing's line of a month's published totals.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ThingLine {
    pub thing_id: i64,
    pub clicks: i64,
    pub amount_micros: i64,
    pub title: String,
    pub hidden: bool,
    /// The share was held (nobody had proved the page theirs when the month closed).
    pub held: bool,
}

/// A page of the month's things' totals, by thing id, and how many there are.
pub fn thing_lines(
    conn: &mut DbConnection,
    month: Month,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ThingLine>, i64)> {
    use crate::db::schema::{holds, thing_month_totals as t, things};
    let text = month.to_string();
    let lines = t::table
        .inner_join(things::table.on(things::id.eq(t::thing_id)))
        .left_join(
            holds::table.on(holds::month
                .eq(t::month)
                .and(holds::thing_id.eq(t::thing_id))),
        )
        .filter(t::month.eq(&text))
        .order(t::thing_id.asc())
        .offset(offset)
        .limit(limit)
        .select((
            t::thing_id,
            t::clicks,
            t::amount_micros,
            things::title,
            things::hidden,
            holds::thing_id.nullable().is_not_null(),
        ))
        .load(conn)?;
    let total = t::table
        .filter(t::month.eq(&text))
        .count()
        .get_result(conn)?;
    Ok((lines, total))
}
