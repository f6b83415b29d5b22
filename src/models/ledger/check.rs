//! The ledger's self-check (`obole ledger check`, settlement before and after a run).

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::NOT_YET_CHARGED;
use crate::db::DbConnection;
use crate::domain::ledger::RESERVATION_SHARDS;

/// What [`check`] found wrong; empty lists mean the ledger is sound.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LedgerReport {
    /// Groups whose entries do not sum to zero.
    pub unbalanced_groups: Vec<i64>,
    /// Accounts whose cached balance differs from the sum of their entries.
    pub cache_mismatches: Vec<i64>,
    /// Holding accounts below zero (the CHECK constraint should make this impossible).
    pub negative_holdings: Vec<i64>,
    /// Shards of the reserved budgets whose balance differs from the budgets reserved in
    /// `month_budgets` for the months not yet charged.
    pub reservation_mismatches: Vec<i64>,
    /// The pending payouts account, if it differs from the payout requests waiting.
    pub pending_payout_mismatches: Vec<i64>,
    /// The card payments account, if it differs from the card payments credited less the
    /// refunds and the disputes (not won) debited.
    pub card_payment_mismatches: Vec<i64>,
    /// The held account, if it differs from the holds still `held`.
    pub held_mismatches: Vec<i64>,
}

impl LedgerReport {
    pub fn is_sound(&self) -> bool {
        self.unbalanced_groups.is_empty()
            && self.cache_mismatches.is_empty()
            && self.negative_holdings.is_empty()
            && self.reservation_mismatches.is_empty()
            && self.pending_payout_mismatches.is_empty()
            && self.card_payment_mismatches.is_empty()
            && self.held_mismatches.is_empty()
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Proves money rule 5 on the whole ledger: every group sums to zero, every cached balance
/// equals the sum of its entries, and no holding account is negative. Sums are computed by
/// the database as BIGINT (`CAST`), never through floating point.
pub fn check(conn: &mut DbConnection) -> QueryResult<LedgerReport> {
    let ids = |conn: &mut DbConnection, sql: &str| -> QueryResult<Vec<i64>> {
        Ok(diesel::sql_query(sql)
            .load::<Id>(conn)?
            .into_iter()
            .map(|row| row.id)
            .collect())
    };
    Ok(LedgerReport {
        unbalanced_groups: ids(
            conn,
            "SELECT group_id AS id FROM ledger_entries GROUP BY group_id \
             HAVING CAST(SUM(amount_micros) AS BIGINT) <> 0 ORDER BY group_id",
        )?,
        cache_mismatches: ids(
            conn,
            "SELECT a.id AS id FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id \
             GROUP BY a.id, a.balance_micros \
             HAVING a.balance_micros <> CAST(COALESCE(SUM(e.amount_micros), 0) AS BIGINT) ORDER BY a.id",
        )?,
        negative_holdings: ids(
            conn,
            "SELECT id FROM ledger_accounts WHERE balance_micros < 0 \
             AND kind NOT IN ('voucher_sales', 'card_payments') ORDER BY id",
        )?,
        reservation_mismatches: reservation_mismatches(conn)?,
        pending_payout_mismatches: ids(
            conn,
            "SELECT a.id AS id FROM ledger_accounts a \
             WHERE a.kind = 'pending_payouts' AND a.owner_id IS NULL AND a.balance_micros <> \
             (SELECT CAST(COALESCE(SUM(p.amount_micros), 0) AS BIGINT) FROM payouts p \
              WHERE p.state = 'pending')",
        )?,
        card_payment_mismatches: ids(
            conn,
            "SELECT a.id AS id FROM ledger_accounts a \
             WHERE a.kind = 'card_payments' AND a.owner_id IS NULL AND a.balance_micros <> \
             (SELECT CAST(COALESCE(SUM(c.refunded_micros - c.refund_shortfall_micros \
              - c.amount_micros), 0) AS BIGINT) FROM card_payments c \
              WHERE c.state = 'succeeded') \
             + (SELECT CAST(COALESCE(SUM(d.debited_micros), 0) AS BIGINT) FROM card_disputes d \
              WHERE d.state <> 'won')",
        )?,
        held_mismatches: ids(
            conn,
            "SELECT a.id AS id FROM ledger_accounts a \
             WHERE a.kind = 'held' AND a.owner_id IS NULL AND a.balance_micros <> \
             (SELECT CAST(COALESCE(SUM(h.amount_micros), 0) AS BIGINT) FROM holds h \
              WHERE h.state = 'held')",
        )?,
    })
}

/// The shards of the reserved budgets that do not hold exactly the budgets reserved for the
/// months not yet charged. One statement, so one snapshot: a click that reserves meanwhile
/// is seen in both tables or in neither.
pub fn reservation_mismatches(conn: &mut DbConnection) -> QueryResult<Vec<i64>> {
    let sql = format!(
        "SELECT a.id AS id FROM ledger_accounts a LEFT JOIN \
         (SELECT b.reader_id % {shards} AS shard, SUM(b.amount_micros) AS reserved \
          FROM month_budgets b WHERE {NOT_YET_CHARGED} GROUP BY b.reader_id % {shards}) o \
         ON o.shard = a.shard \
         WHERE a.kind = 'reserved_budgets' AND a.owner_id IS NULL \
         AND a.balance_micros <> CAST(COALESCE(o.reserved, 0) AS BIGINT) ORDER BY a.id",
        shards = RESERVATION_SHARDS
    );
    Ok(diesel::sql_query(sql)
        .load::<Id>(conn)?
        .into_iter()
        .map(|row| row.id)
        .collect())
}
