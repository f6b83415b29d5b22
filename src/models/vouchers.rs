//! The `voucher_batches` and `vouchers` tables. Codes are stored as SHA-256 digests.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::{voucher_batches, vouchers};
use crate::domain::voucher::VoucherCode;
use crate::domain::{Money, UserId};
use crate::security::tokens::digest;

pub fn code_hash(code: &VoucherCode) -> String {
    digest(code.canonical())
}

/// Records a batch and its vouchers; returns the batch id.
pub fn insert_batch(
    conn: &mut DbConnection,
    amount: Money,
    codes: &[VoucherCode],
    created_by: Option<UserId>,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    // The wallet caps a batch at MAX_VOUCHERS_PER_BATCH, far below i32::MAX.
    let count = i32::try_from(codes.len()).map_err(|_| {
        diesel::result::Error::QueryBuilderError("too many vouchers in one batch".into())
    })?;
    let batch_id = diesel::insert_into(voucher_batches::table)
        .values((
            voucher_batches::amount_micros.eq(amount.micros()),
            voucher_batches::voucher_count.eq(count),
            voucher_batches::created_by.eq(created_by.map(|u| u.0)),
            voucher_batches::created_at.eq(now.naive_utc()),
        ))
        .returning(voucher_batches::id)
        .get_result::<i64>(conn)?;
    for code in codes {
        diesel::insert_into(vouchers::table)
            .values((
                vouchers::batch_id.eq(batch_id),
                vouchers::code_hash.eq(code_hash(code)),
                vouchers::amount_micros.eq(amount.micros()),
            ))
            .execute(conn)?;
    }
    Ok(batch_id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This request redeemed the voucher.
    Claimed {
        voucher_id: i64,
        amount: Money,
    },
    AlreadyUsed,
    NotFound,
}

/// Marks the voucher redeemed by `user`, if nobody did before. The condition
/// `redeemed_at IS NULL` is checked by the UPDATE itself, so of any number of concurrent
/// claims exactly one succeeds.
pub fn claim(
    conn: &mut DbConnection,
    code: &VoucherCode,
    user: UserId,
    now: DateTime<Utc>,
) -> QueryResult<Claim> {
    let hash = code_hash(code);
    let claimed = diesel::update(
        vouchers::table
            .filter(vouchers::code_hash.eq(&hash))
            .filter(vouchers::redeemed_at.is_null()),
    )
    .set((
        vouchers::redeemed_by.eq(user.0),
        vouchers::redeemed_at.eq(now.naive_utc()),
    ))
    .returning((vouchers::id, vouchers::amount_micros))
    .get_result::<(i64, i64)>(conn)
    .optional()?;
    if let Some((voucher_id, micros)) = claimed {
        return Ok(Claim::Claimed {
            voucher_id,
            amount: Money::from_micros(micros),
        });
    }
    let exists = vouchers::table
        .filter(vouchers::code_hash.eq(&hash))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    Ok(if exists {
        Claim::AlreadyUsed
    } else {
        Claim::NotFound
    })
}

/// A batch as operators see it.
#[derive(Debug, Clone, QueryableByName)]
pub struct BatchSummary {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub amount_micros: i64,
    #[diesel(sql_type = Integer)]
    pub voucher_count: i32,
    #[diesel(sql_type = BigInt)]
    pub redeemed: i64,
    #[diesel(sql_type = Timestamp)]
    pub created_at: NaiveDateTime,
}

/// The newest batches first, with how many of their vouchers were redeemed.
pub fn batches(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<BatchSummary>> {
    diesel::sql_query(
        "SELECT b.id, b.amount_micros, b.voucher_count, b.created_at, \
                CAST(COUNT(v.redeemed_at) AS BIGINT) AS redeemed \
         FROM voucher_batches b LEFT JOIN vouchers v ON v.batch_id = b.id \
         GROUP BY b.id, b.amount_micros, b.voucher_count, b.created_at \
         ORDER BY b.id DESC LIMIT $1",
    )
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// The value of vouchers not yet redeemed, summed exactly.
pub fn outstanding_micros(conn: &mut DbConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Total {
        #[diesel(sql_type = BigInt)]
        total: i64,
    }
    diesel::sql_query("SELECT CAST(COALESCE(SUM(amount_micros), 0) AS BIGINT) AS total FROM vouchers WHERE redeemed_at IS NULL")
        .get_result::<Total>(conn)
        .map(|t| t.total)
}
