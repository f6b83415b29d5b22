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
//! independently of the settlement's reading. The idle months given to the charity must be
//! exactly the month's `month_donations` rows: each giver's funds gave their row's amount,
//! never more than their budget, the charity received their sum, and no giver clicked.

use diesel::prelude::*;
use std::collections::BTreeMap;

use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use super::chunks::{charges_by_shard, count, creator_totals, held_shares, thing_totals};
use super::{SettlementError, sum};
use crate::db::DbConnection;
use crate::db::backend::text_range_sql;
use crate::domain::allocation::MonthTotals;
use crate::domain::ledger::AccountKind;
use crate::domain::{Money, Month, UserId};
use crate::models::settlement::{self as rows, HeldShare, RunFigures};
use crate::models::{donations, ledger};

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

fn compare_written(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
    problems: &mut Vec<String>,
) -> Result<(), SettlementError> {
    let run = rows::find_run(conn, month)?.ok_or(diesel::result::Error::NotFound)?;
    let expected_figures = RunFigures {
        readers: count(expected.readers),
        clicks: count(expected.clicks),
        debited: expected.debited,
        fees: expected.fees,
    };
    if run.figures() != expected_figures {
        problems.push(format!(
            "run {:?} != computed {expected_figures:?}",
            run.figures()
        ));
    }
    let creators = rows::creator_totals(conn, month)?;
    if !creators.iter().copied().eq(creator_totals(expected)) {
        problems.push("creator totals differ from the month's computed totals".into());
    }
    if rows::thing_totals(conn, month)? != thing_totals(expected) {
        problems.push("thing totals differ from the month's computed totals".into());
    }
    let holds = rows::month_holds(conn, month)?;
    let expected_holds: Vec<HeldShare> = held_shares(expected).collect();
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
    let mut charged: BTreeMap<i32, Money> = BTreeMap::new();
    let mut credited: Vec<(UserId, Money)> = Vec::with_capacity(expected.creators.len());
    let (mut fees, mut clearing, mut held) = (Money::ZERO, Money::ZERO, Money::ZERO);
    let mut given: Vec<(UserId, Money)> = Vec::new();
    let mut charity = Money::ZERO;
    let add = |sum: &mut Money, amount: Money| -> Result<(), SettlementError> {
        *sum = sum.checked_add(amount).ok_or(SettlementError::Overflow)?;
        Ok(())
    };
    for entry in entries {
        let Entry {
            kind,
            owner,
            shard,
            amount,
        } = entry?;
        let amount = Money::from_micros(amount);
        match (AccountKind::parse(&kind), owner) {
            (Some(AccountKind::ReservedBudgets), None) => {
                // A shard gives: its entries are negative, what it gave is their opposite.
                let given = amount.checked_neg().ok_or(SettlementError::Overflow)?;
                add(charged.entry(shard).or_default(), given)?;
            }
            (Some(AccountKind::Revenue), Some(creator)) => credited.push((UserId(creator), amount)),
            (Some(AccountKind::Fees), None) => add(&mut fees, amount)?,
            (Some(AccountKind::SettlementClearing), None) => add(&mut clearing, amount)?,
            (Some(AccountKind::Held), None) => add(&mut held, amount)?,
            (Some(AccountKind::Funds), Some(reader)) => given.push((
                UserId(reader),
                amount.checked_neg().ok_or(SettlementError::Overflow)?,
            )),
            (Some(AccountKind::Charity), None) => add(&mut charity, amount)?,
            _ => problems.push(format!("a {kind} entry in the month's movements")),
        }
    }
    credited.sort_unstable();
    // Each shard gave the budgets of its readers who clicked, exactly and once.
    let expected_charges = charges_by_shard(&expected.charges)?;
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
    let expected_credits: Vec<(UserId, Money)> = expected
        .creators
        .iter()
        .filter(|(_, e)| e.net > Money::ZERO)
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
    let debits = sum(charged.values().copied())?;
    let credits = sum(credited.iter().map(|(_, amount)| *amount))?;
    if debits != sum([credits, fees, held])?
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
    if clearing != Money::ZERO {
        problems.push(format!("the clearing account kept {clearing} of the month"));
    }
    compare_donations(conn, month, expected, given, charity, problems)?;
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
    if (counters.readers, counters.clicks) != (count(expected.readers), count(expected.clicks)) {
        problems.push(format!(
            "the click counters say {} reader(s) and {} click(s), the clicks read {} and {}",
            counters.readers, counters.clicks, expected.readers, expected.clicks
        ));
    }
    Ok(())
}

/// The idle months given (money rule 6): the ledger's funds entries and charity credit of the
/// month against its `month_donations` rows.
fn compare_donations(
    conn: &mut DbConnection,
    month: Month,
    expected: &MonthTotals,
    mut given: Vec<(UserId, Money)>,
    charity: Money,
    problems: &mut Vec<String>,
) -> Result<(), SettlementError> {
    given.sort_unstable();
    let rows = donations::of_month(conn, month)?;
    let recorded: Vec<(UserId, Money)> = rows.iter().map(|d| (d.reader, d.amount)).collect();
    if given != recorded {
        problems.push(format!(
            "{} reader(s) gave from their funds in the ledger, {} gift(s) recorded",
            given.len(),
            recorded.len()
        ));
    }
    let total = sum(recorded.iter().map(|(_, amount)| *amount))?;
    if charity != total {
        problems.push(format!(
            "the charity received {charity}, the month's gifts add up to {total}"
        ));
    }
    let clicked = rows.iter().filter(|d| {
        expected
            .charges
            .binary_search_by_key(&d.reader, |(r, _)| *r)
            .is_ok()
    });
    let too_much = rows
        .iter()
        .filter(|d| d.amount > d.budget || d.amount <= Money::ZERO);
    let (clicked, too_much) = (clicked.count(), too_much.count());
    if clicked + too_much > 0 {
        problems.push(format!(
            "{clicked} gift(s) from readers who clicked, {too_much} beyond the budget"
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
