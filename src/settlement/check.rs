//! The self-check before a month is marked settled: what the run wrote (its row, the monthly
//! totals, the ledger) must equal a recomputation made independently from the month's clicks,
//! and the ledger must say Σ debited budgets = Σ creator credits + fees, each reader charged
//! exactly their budget.

use std::collections::HashMap;

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{SettlementError, input};
use crate::db::DbConnection;
use crate::db::schema::{ledger_accounts, ledger_entries, ledger_groups, month_budgets};
use crate::domain::Month;
use crate::domain::allocation::{MonthAccumulator, MonthTotals};
use crate::domain::ledger::AccountKind;
use crate::models::settlement as rows;

pub fn verify(
    conn: &mut DbConnection,
    month: Month,
    fee_percent: Decimal,
) -> Result<(), SettlementError> {
    let mut problems: Vec<String> = Vec::new();
    let expected = recompute(conn, month, fee_percent)?;
    compare_written(conn, month, &expected, &mut problems)?;
    compare_ledger(conn, month, &expected, &mut problems)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SettlementError::CheckFailed {
            month,
            reason: problems.join("; "),
        })
    }
}

fn recompute(
    conn: &mut DbConnection,
    month: Month,
    fee_percent: Decimal,
) -> Result<MonthTotals, SettlementError> {
    let mut totals = MonthAccumulator::new(month);
    input::for_each_reader(conn, month, 1..=i64::MAX, |reader| {
        totals.add(&reader)?;
        Ok(())
    })?;
    Ok(totals.finish(fee_percent)?)
}

fn compare_written(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
    problems: &mut Vec<String>,
) -> Result<(), SettlementError> {
    let run = rows::find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)?;
    let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let run_figures = (run.readers, run.clicks, run.debited_micros, run.fees_micros);
    let expected_figures = (
        as_i64(expected.readers),
        as_i64(expected.clicks),
        expected.debited,
        expected.fees,
    );
    if run_figures != expected_figures {
        problems.push(format!(
            "run (readers, clicks, debited, fees) {run_figures:?} != recomputed {expected_figures:?}"
        ));
    }
    let creators: Vec<(i64, i64, i64)> = rows::creator_totals(conn, month)?
        .into_iter()
        .map(|(creator, _, gross, fee)| (creator, gross, fee))
        .collect();
    let expected_creators: Vec<(i64, i64, i64)> = expected
        .creators
        .iter()
        .map(|(creator, e)| (creator.0, e.gross, e.fee))
        .collect();
    if creators != expected_creators {
        problems.push("creator totals differ from the recomputation".into());
    }
    let things = rows::thing_totals(conn, month)?;
    let expected_things: Vec<(i64, i64, i64)> = expected
        .things
        .iter()
        .map(|(thing, (clicks, amount))| (thing.0, as_i64(*clicks), *amount))
        .collect();
    if things != expected_things {
        problems.push("thing totals differ from the recomputation".into());
    }
    Ok(())
}

fn compare_ledger(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
    problems: &mut Vec<String>,
) -> Result<(), SettlementError> {
    let budgets: HashMap<i64, i64> = month_budgets::table
        .filter(month_budgets::month.eq(month.to_string()))
        .filter(month_budgets::clicks.gt(0))
        .select((month_budgets::reader_id, month_budgets::amount_micros))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let (mut reserved, mut revenue, mut fees_out, mut fees_in) = (0_i64, 0_i64, 0_i64, 0_i64);
    let mut charged = 0_usize;
    let mut wrong_charges = 0_usize;
    for prefix in ["settlement", "settlement_fee"] {
        let entries = ledger_entries::table
            .inner_join(ledger_groups::table)
            .inner_join(ledger_accounts::table)
            .filter(ledger_groups::unique_key.like(format!("{prefix}:{month}:%")))
            .select((
                ledger_accounts::kind,
                ledger_accounts::owner_id,
                ledger_entries::amount_micros,
            ))
            .load::<(String, Option<i64>, i64)>(conn)?;
        for (kind, owner, amount) in entries {
            match (prefix, AccountKind::parse(&kind)) {
                ("settlement", Some(AccountKind::Reserved)) => {
                    reserved += amount;
                    charged += 1;
                    let budget = owner.and_then(|reader| budgets.get(&reader));
                    if budget != Some(&-amount) {
                        wrong_charges += 1;
                    }
                }
                ("settlement", Some(AccountKind::Revenue)) => revenue += amount,
                ("settlement_fee", Some(AccountKind::Revenue)) => fees_out += amount,
                ("settlement_fee", Some(AccountKind::Fees)) => fees_in += amount,
                _ => problems.push(format!("an unexpected {kind} entry in a {prefix} movement")),
            }
        }
    }
    if -reserved != expected.debited {
        problems.push(format!(
            "the ledger debited {} from reservations, the recomputation {}",
            -reserved, expected.debited
        ));
    }
    // Σ debited budgets = Σ creator credits (net of fees) + fees.
    if -reserved != (revenue + fees_out) + fees_in || fees_in != expected.fees {
        problems.push(format!(
            "debits {} != credits {} + fees {} (recomputed fees {})",
            -reserved,
            revenue + fees_out,
            fees_in,
            expected.fees
        ));
    }
    if wrong_charges > 0 || u64::try_from(charged).unwrap_or(0) != expected.readers {
        problems.push(format!(
            "{wrong_charges} reader(s) charged other than their budget; {charged} charged, {} expected",
            expected.readers
        ));
    }
    Ok(())
}
