//! Deleting an account (PRODUCT.md flow 10, docs/PRIVACY.md): refused while money waits for
//! the person (a payout, revenue); the funds left go where they choose; this month's clicks
//! and reservation are released; things hidden, sites released; personal data erased. The
//! ledger and settled statements keep their entries under the account's id, now a pseudonym.
//! All of it in one write transaction: a refusal or a failure leaves the account as it was.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind, Transfer};
use crate::domain::{Money, Month, ThingId, UserId, Zone};
use crate::models::clicks as click_rows;
use crate::models::ledger::{self, PostError};
use crate::models::{erasure, months, payouts, sites, things, users};
use crate::use_cases::claims::{self, ClaimError};
use crate::use_cases::clicks::{ClickError, remove_click};

/// Where the funds left on a deleted account go: the person says so, explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundsChoice {
    /// The charity the operator names (`OBOLE_CHARITY_NAME`).
    Charity,
    /// The platform (its fees account).
    Platform,
}

impl FundsChoice {
    pub fn parse(code: &str) -> Option<FundsChoice> {
        match code {
            "charity" => Some(FundsChoice::Charity),
            "platform" => Some(FundsChoice::Platform),
            _ => None,
        }
    }

    fn account(self) -> AccountRef {
        AccountRef::Platform(match self {
            FundsChoice::Charity => AccountKind::Charity,
            FundsChoice::Platform => AccountKind::Fees,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeletionError {
    #[error("the account does not exist or was deleted")]
    NotFound,
    #[error("a payout waits for an operator's decision")]
    PayoutWaiting,
    #[error("revenue is left: pay it out or move it to funds first")]
    RevenueLeft,
    #[error("funds are left: say where they go")]
    FundsChoiceRequired,
    #[error("the instance names no charity")]
    NoCharity,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for DeletionError {
    fn from(e: diesel::result::Error) -> Self {
        DeletionError::Other(anyhow::Error::new(e).context("deleting an account"))
    }
}

impl From<PostError> for DeletionError {
    fn from(e: PostError) -> Self {
        DeletionError::Other(anyhow::Error::new(e).context("giving away the funds left"))
    }
}

impl From<ClickError> for DeletionError {
    fn from(e: ClickError) -> Self {
        DeletionError::Other(anyhow::Error::new(e).context("releasing this month's clicks"))
    }
}

impl From<ClaimError> for DeletionError {
    fn from(e: ClaimError) -> Self {
        DeletionError::Other(anyhow::Error::new(e).context("releasing the sites"))
    }
}

/// What deleting the account would do, for the confirmation step.
#[derive(Debug, Clone)]
pub struct Preview {
    /// Funds left once this month's reservation is released.
    pub funds: Money,
    pub revenue: Money,
    pub payout_waiting: bool,
    /// Clicks of the open months that would be undone.
    pub open_clicks: usize,
    pub things: usize,
    pub sites: usize,
}

impl Preview {
    /// The refusal deleting would meet now, if any (the order `delete` checks them in).
    pub fn refusal(&self) -> Option<DeletionError> {
        if self.payout_waiting {
            Some(DeletionError::PayoutWaiting)
        } else if self.revenue > Money::ZERO {
            Some(DeletionError::RevenueLeft)
        } else {
            None
        }
    }
}

/// What deleting would do now (`zone`: the instance's, whose calendar says which month `now`
/// is in); `NotFound` for a deleted account. Reads only.
pub fn preview(
    conn: &mut DbConnection,
    user: UserId,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<Preview, DeletionError> {
    if users::is_deleted(conn, user)? {
        return Err(DeletionError::NotFound);
    }
    let balances = ledger::user_balances(conn, user)?;
    let mut funds = balances.funds;
    let mut open_clicks = 0;
    for (month, reserved) in open_reservations(conn, user, false)? {
        funds = funds.checked_add(reserved).unwrap_or(funds);
        open_clicks += click_rows::of_reader(conn, user, month)?.len();
    }
    Ok(Preview {
        funds,
        revenue: balances.revenue,
        payout_waiting: payouts::has_pending(conn, user)?,
        open_clicks,
        things: things::by_owner(conn, user, Month::containing(now, zone))?
            .iter()
            .filter(|(t, _)| !t.hidden)
            .count(),
        sites: sites::live_of(conn, user)?.len(),
    })
}

/// What a deletion changed that memory must learn (browse's click totals).
#[derive(Debug, Default)]
pub struct Deleted {
    /// Things whose clicks of an open month were undone.
    pub unclicked: Vec<ThingId>,
}

/// Deletes `user`'s account (see the module's doc). `charity_named`: whether the instance
/// names a charity. The caller has proven the person (password or a fresh provider log-in).
pub fn delete(
    conn: &mut DbConnection,
    user: UserId,
    choice: Option<FundsChoice>,
    charity_named: bool,
    now: DateTime<Utc>,
) -> Result<Deleted, DeletionError> {
    write_transaction(conn, |conn| {
        // The account's lock first: a concurrent payout request or transfer waits for us.
        users::lock(conn, user)?;
        let Some(row) = users::find(conn, user)? else {
            return Err(DeletionError::NotFound);
        };
        if users::is_deleted(conn, user)? {
            return Err(DeletionError::NotFound);
        }
        if payouts::has_pending(conn, user)? {
            return Err(DeletionError::PayoutWaiting);
        }
        if ledger::balance(conn, AccountRef::User(user, AccountKind::Revenue))? > Money::ZERO {
            return Err(DeletionError::RevenueLeft);
        }
        // The ways to click first: deleting the tokens waits for the clicks already past
        // their token check (its row is share-locked on PostgreSQL), and deleting the
        // subscriptions waits for a subscription's click in flight; after them, no click can
        // start, and the open months below are read with every click that made it.
        erasure::ways_in(conn, user)?;
        erase_reader_choices(conn, user)?;
        let unclicked = release_open_months(conn, user, now)?;
        give_away_funds(conn, user, choice, charity_named, now)?;
        things::hide_all_of(conn, user)?;
        for site in sites::live_of(conn, user)? {
            claims::sites::remove(conn, user, site.id, now)?;
        }
        erasure::public_page(conn, user, now)?;
        erasure::sign_ups_to(conn, &row.email)?;
        erasure::mail(conn, user)?;
        erasure::idempotency_answers(conn, user)?;
        erasure::payout_bank_details(conn, user)?;
        if !users::erase(conn, user, now)? {
            return Err(DeletionError::NotFound);
        }
        tracing::info!(user_id = user.0, "an account was deleted");
        Ok(Deleted { unclicked })
    })
}

/// The reader's choices about others' things and their own months: the budget, the
/// subscriptions, and every click's visibility and note (settled clicks stay, private).
pub fn erase_reader_choices(conn: &mut DbConnection, user: UserId) -> Result<(), DeletionError> {
    erasure::budget(conn, user)?;
    erasure::subscriptions(conn, user)?;
    erasure::click_notes(conn, user)?;
    Ok(())
}

/// The months with a reservation whose clicks may still change (not closed for settlement),
/// with the budget reserved; `hold`: each held open for the caller's write transaction.
fn open_reservations(
    conn: &mut DbConnection,
    user: UserId,
    hold: bool,
) -> Result<Vec<(Month, Money)>, DeletionError> {
    let mut open = Vec::new();
    for text in click_rows::months_of_reader(conn, user)? {
        let Ok(month) = Month::parse(&text) else {
            continue;
        };
        // A closed month is settlement's, which reads a snapshot: it keeps its clicks.
        let is_open = if hold {
            months::hold_open(conn, month)?
        } else {
            !months::is_closed(conn, month)?
        };
        if !is_open {
            continue;
        }
        if let Some(reserved) = click_rows::reservation(conn, user, month)? {
            open.push((month, reserved));
        }
    }
    Ok(open)
}

/// Undoes every click of the open months, as the reader's own undo would: the last one of a
/// month gives its reservation back to the funds.
fn release_open_months(
    conn: &mut DbConnection,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<ThingId>, DeletionError> {
    let mut unclicked = Vec::new();
    for (month, _) in open_reservations(conn, user, true)? {
        for click in click_rows::of_reader(conn, user, month)? {
            let thing = ThingId(click.thing_id);
            remove_click(conn, user, thing, month, now)?;
            unclicked.push(thing);
        }
    }
    Ok(unclicked)
}

/// The funds left, in one balanced movement to the charity or the platform, as chosen. No
/// default: funds without a choice are refused.
fn give_away_funds(
    conn: &mut DbConnection,
    user: UserId,
    choice: Option<FundsChoice>,
    charity_named: bool,
    now: DateTime<Utc>,
) -> Result<(), DeletionError> {
    let from = AccountRef::User(user, AccountKind::Funds);
    let funds = ledger::balance(conn, from)?;
    if funds <= Money::ZERO {
        return Ok(());
    }
    let choice = choice.ok_or(DeletionError::FundsChoiceRequired)?;
    if choice == FundsChoice::Charity && !charity_named {
        return Err(DeletionError::NoCharity);
    }
    let transfer = Transfer::between(MovementKind::AccountClosed, from, choice.account(), funds)
        .map_err(|e| anyhow::anyhow!("an unbalanced movement: {e}"))?;
    ledger::post(
        conn,
        &transfer,
        Some(&format!("account_closed:{}", user.0)),
        now,
    )?;
    Ok(())
}
