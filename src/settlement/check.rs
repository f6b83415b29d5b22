//! The self-check before a month is marked settled. The expected figures are the month's
//! totals as computed from its clicks during this run (`MonthAccumulator`, the dry run's
//! arithmetic), never read back from what the run wrote; the database must agree with them:
//! the run row, every creator's and every thing's totals, and the ledger, entry by entry:
//! each shard of the reserved budgets gave exactly the budgets of its readers who clicked,
//! once; each creator was credited exactly their net; Σ debited budgets = Σ creator credits +
//! fees + held (the shares of unclaimed things, one `holds` row each); the clearing account
//! gave out all it received. Each shard must then hold exactly
//! the budgets still reserved for later months: so every budget charged had been reserved
//! from its reader's funds, and nothing else was taken. The month's click counters kept by
//! the click path (`month_budgets.clicks`) must also add up to the clicks read: a count made
//! independently of the settlement's reading.

use diesel::prelude::*;
use std::collections::BTreeMap;

use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use super::SettlementError;
use crate::db::DbConnection;
use crate::db::backend::text_range_sql;
use crate::domain::allocation::MonthTotals;
use crate::domain::ledger::{AccountKind, reservation_shard};
use crate::domain::{Month, UserId};
use crate::models::ledger;
use crate::models::settlement as rows;

pub fn verify(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
) -> Result<(), SettlementError> {
    let mut problems: Vec<String> = Vec::new();
    compare_written(conn, month, expected, &mut problems)?;
    compare_ledger(conn, month, expected, &mut problems)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SettlementError::CheckFailed {
            month,
            reason: problems.join("; "),
        })
    }
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn compare_written(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
    problems: &mut Vec<String>,
) -> Result<(), SettlementError> {
    let run = rows::find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)?;
    let run_figures = (run.readers, run.clicks, run.debited_micros, run.fees_micros);
    let expected_figures = (
        as_i64(expected.readers),
        as_i64(expected.clicks),
        expected.debited,
        expected.fees,
    );
    if run_figures != expected_figures {
        problems.push(format!(
            "run (readers, clicks, debited, fees) {run_figures:?} != computed {expected_figures:?}"
        ));
    }
    let creators = rows::creator_totals(conn, month)?;
    let same_creators = creators.len() == expected.creators.len()
        && creators
            .iter()
            .zip(&expected.creators)
            .all(|(row, (id, e))| *row == (id.0, as_i64(e.clicks), e.gross, e.fee));
    if !same_creators {
        problems.push("creator totals differ from the month's computed totals".into());
    }
    let things = rows::thing_totals(conn, month)?;
    let same_things = things.len() == expected.things.len()
        && things
            .iter()
            .zip(&expected.things)
            .all(|(row, (id, t))| *row == (id.0, as_i64(t.clicks), t.amount, t.owner.0));
    if !same_things {
        problems.push("thing totals differ from the month's computed totals".into());
    }
    let holds = rows::month_holds(conn, month)?;
    let expected_holds: Vec<(i64, i64, i64)> = expected
        .things
        .iter()
        .filter(|(_, t)| !t.claimed && t.amount > 0)
        .map(|(id, t)| (id.0, t.owner.0, t.amount))
        .collect();
    if holds != expected_holds {
        problems.push(format!(
            "{} hold(s) recorded, {} unclaimed thing(s) expected",
            holds.len(),
            expected_holds.len()
        ));
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Counters {
    #[diesel(sql_type = BigInt)]
    readers: i64,
    #[diesel(sql_type = BigInt)]
    clicks: i64,
}

fn compare_ledger(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
    problems: &mut Vec<String>,
) -> Result<(), SettlementError> {
    // The month's movements are the groups keyed `settlement:<month>:…` (run.rs); their
    // entries are read once, in whatever order, and sorted here.
    let prefix = format!("settlement:{month}:");
    let sql = format!(
        "SELECT a.kind, a.owner_id, a.shard, e.amount_micros FROM ledger_groups g \
         JOIN ledger_entries e ON e.group_id = g.id JOIN ledger_accounts a ON a.id = e.account_id \
         WHERE {}",
        text_range_sql(conn, "g.unique_key")
    );
    let entries = diesel::sql_query(sql)
        .bind::<Text, _>(&prefix)
        .bind::<Text, _>(format!("settlement:{month};"))
        .load_iter::<Entry, diesel::connection::DefaultLoadingMode>(conn)?;
    let mut charged: BTreeMap<i32, i64> = BTreeMap::new();
    let mut credited: Vec<(UserId, i64)> = Vec::with_capacity(expected.creators.len());
    let (mut fees, mut clearing, mut held) = (0_i64, 0_i64, 0_i64);
    for entry in entries {
        let Entry {
            kind,
            owner,
            shard,
            amount,
        } = entry?;
        match (AccountKind::parse(&kind), owner) {
            (Some(AccountKind::ReservedBudgets), None) => {
                *charged.entry(shard).or_default() -= amount;
            }
            (Some(AccountKind::Revenue), Some(creator)) => credited.push((UserId(creator), amount)),
            (Some(AccountKind::Fees), None) => fees += amount,
            (Some(AccountKind::SettlementClearing), None) => clearing += amount,
            (Some(AccountKind::Held), None) => held += amount,
            _ => problems.push(format!("a {kind} entry in the month's movements")),
        }
    }
    credited.sort_unstable();
    // Each shard gave the budgets of its readers who clicked, exactly and once.
    let mut expected_charges: BTreeMap<i32, i64> = BTreeMap::new();
    for (reader, charge) in &expected.charges {
        *expected_charges
            .entry(reservation_shard(reader.0))
            .or_default() += charge;
    }
    if charged != expected_charges {
        let wrong = expected_charges
            .iter()
            .filter(|(shard, sum)| charged.get(shard) != Some(sum))
            .count();
        problems.push(format!(
            "the shards of the reserved budgets gave {} sum(s), {} expected, {wrong} differing",
            charged.len(),
            expected_charges.len()
        ));
    }
    let expected_credits: Vec<(UserId, i64)> = expected
        .creators
        .iter()
        .filter(|(_, e)| e.net > 0)
        .map(|(creator, e)| (*creator, e.net))
        .collect();
    if credited != expected_credits {
        problems.push(format!(
            "{} creator credit(s) in the ledger differ from the {} expected",
            credited.len(),
            expected_credits.len()
        ));
    }
    // Money rule 5: Σ debited budgets = Σ creator credits + fees + held, to the micro-unit.
    let debits: i64 = charged.values().sum();
    let credits: i64 = credited.iter().map(|(_, amount)| amount).sum();
    if debits != credits + fees + held
        || debits != expected.debited
        || fees != expected.fees
        || held != expected.held
    {
        problems.push(format!(
            "debits {debits} != credits {credits} + fees {fees} + held {held} (computed: debits \
             {}, fees {}, held {})",
            expected.debited, expected.fees, expected.held
        ));
    }
    if clearing != 0 {
        problems.push(format!("the clearing account kept {clearing} of the month"));
    }
    let mismatched = ledger::reservation_mismatches(conn)?;
    if !mismatched.is_empty() {
        problems.push(format!(
            "{} shard(s) of the reserved budgets do not hold the budgets reserved for later months",
            mismatched.len()
        ));
    }
    let counters: Counters = diesel::sql_query(
        "SELECT COUNT(*) AS readers, CAST(COALESCE(SUM(clicks), 0) AS BIGINT) AS clicks \
         FROM month_budgets WHERE month = $1 AND clicks > 0",
    )
    .bind::<Text, _>(month.to_string())
    .get_result(conn)?;
    if (counters.readers, counters.clicks) != (as_i64(expected.readers), as_i64(expected.clicks)) {
        problems.push(format!(
            "the click counters say {} reader(s) and {} click(s), the clicks read {} and {}",
            counters.readers, counters.clicks, expected.readers, expected.clicks
        ));
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Entry {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<BigInt>, column_name = owner_id)]
    owner: Option<i64>,
    #[diesel(sql_type = Integer)]
    shard: i32,
    #[diesel(sql_type = BigInt, column_name = amount_micros)]
    amount: i64,
}
