//! The ledger's vocabulary and its first rule: a movement of money is a group of postings that
//! sums to zero (PRODUCT.md money rule 5). Pure: the database side is `models::ledger`.

use std::fmt;

use super::ids::UserId;
use super::money::Money;

/// What an account holds. Holding accounts never go negative; boundary accounts stand for the
/// outside world (money entering through voucher sales or card payments) and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountKind {
    /// A reader's available money, spent only through budgets.
    Funds,
    /// A reader's reserved budget under the former scheme (before migration 000007). Budgets
    /// are now set aside in the pooled `ReservedBudgets`; these accounts keep their history.
    Reserved,
    /// A creator's earnings, paid out on request.
    Revenue,
    /// The platform's fees.
    Fees,
    /// Unspent budgets that readers chose to donate.
    Charity,
    /// The value of issued vouchers nobody has redeemed yet.
    VouchersOutstanding,
    /// Boundary: money received for vouchers (negative).
    VoucherSales,
    /// Boundary: money received by card (negative).
    CardPayments,
    /// Settlement in progress: a month's debited budgets on their way to its creators. Each
    /// chunk of readers pays into it, each creator is credited from it once; back at zero
    /// when the month is settled.
    SettlementClearing,
    /// Readers' budgets set aside by each month's first click, until the month is settled:
    /// the platform's, in [`RESERVATION_SHARDS`] accounts (a reader's shard is their id
    /// modulo that), so that concurrent first clicks rarely wait for the same row, and so
    /// that settlement takes a month's budgets in one movement of a few postings rather than
    /// one posting per reader. Who reserved what is in `month_budgets`; the self-check and
    /// `obole ledger check` prove each shard holds exactly the budgets not yet settled.
    ReservedBudgets,
    /// Payouts that creators asked for and an operator has not decided yet.
    PendingPayouts,
    /// Boundary: money paid out to creators, which has left the platform (it only grows).
    PayoutsSent,
    /// The shares of things nobody has claimed yet (docs/LEDGER.md): released to the owner
    /// who proves the page is theirs, or returned to the readers when the hold ends. Equals
    /// the `holds` still `held`.
    Held,
}

/// How many accounts share the reserved budgets.
pub const RESERVATION_SHARDS: i64 = 64;

/// The account that holds `reader`'s reserved budgets.
pub fn reservation_account(reader: UserId) -> AccountRef {
    AccountRef::Shard(AccountKind::ReservedBudgets, reservation_shard(reader.0))
}

/// A reader's shard of the reserved budgets.
pub fn reservation_shard(reader: i64) -> i32 {
    i32::try_from(reader.rem_euclid(RESERVATION_SHARDS)).unwrap_or(0)
}

impl AccountKind {
    pub const ALL: [AccountKind; 13] = [
        AccountKind::Funds,
        AccountKind::Reserved,
        AccountKind::Revenue,
        AccountKind::Fees,
        AccountKind::Charity,
        AccountKind::VouchersOutstanding,
        AccountKind::VoucherSales,
        AccountKind::CardPayments,
        AccountKind::SettlementClearing,
        AccountKind::ReservedBudgets,
        AccountKind::PendingPayouts,
        AccountKind::PayoutsSent,
        AccountKind::Held,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountKind::Funds => "funds",
            AccountKind::Reserved => "reserved",
            AccountKind::Revenue => "revenue",
            AccountKind::Fees => "fees",
            AccountKind::Charity => "charity",
            AccountKind::VouchersOutstanding => "vouchers_outstanding",
            AccountKind::VoucherSales => "voucher_sales",
            AccountKind::CardPayments => "card_payments",
            AccountKind::SettlementClearing => "settlement_clearing",
            AccountKind::ReservedBudgets => "reserved_budgets",
            AccountKind::PendingPayouts => "pending_payouts",
            AccountKind::PayoutsSent => "payouts_sent",
            AccountKind::Held => "held",
        }
    }

    pub fn parse(code: &str) -> Option<AccountKind> {
        AccountKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    /// Each account holder has one account of these kinds; the others are the platform's.
    pub fn is_per_user(self) -> bool {
        matches!(
            self,
            AccountKind::Funds | AccountKind::Reserved | AccountKind::Revenue
        )
    }

    /// Whether the balance may be negative (the database enforces the same rule).
    pub fn may_go_negative(self) -> bool {
        matches!(self, AccountKind::VoucherSales | AccountKind::CardPayments)
    }
}

/// An account, named by what it is rather than by its row id. Postings sort in this order,
/// so that a movement takes a person's accounts first and the platform's shared ones last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountRef {
    User(UserId, AccountKind),
    Platform(AccountKind),
    /// One of the platform's accounts of a kind that is split in shards.
    Shard(AccountKind, i32),
}

impl AccountRef {
    pub fn kind(self) -> AccountKind {
        match self {
            AccountRef::User(_, kind) | AccountRef::Platform(kind) | AccountRef::Shard(kind, _) => {
                kind
            }
        }
    }

    /// The platform account's shard (0 for an account that is not split).
    pub fn shard(self) -> i32 {
        match self {
            AccountRef::Shard(_, shard) => shard,
            AccountRef::User(..) | AccountRef::Platform(_) => 0,
        }
    }
}

/// Why a movement is recorded; shown to people as the "kind" of a movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementKind {
    VoucherIssue,
    VoucherRedemption,
    /// A month's first click sets the month's budget aside: funds → reserved budgets.
    BudgetReservation,
    /// The month's last click was undone: reserved budgets → funds.
    ReservationRelease,
    /// Month-end settlement: the month's reserved budgets → the clearing account.
    Settlement,
    /// Month-end settlement, a chunk of creators: the clearing account → each creator's
    /// revenue (the month's gross less the platform's fee) and the fees.
    SettlementCredit,
    /// A creator asked for a payout: revenue → pending payouts.
    PayoutRequest,
    /// An operator sent a payout: pending payouts → payouts sent.
    PayoutSent,
    /// An operator rejected a payout: pending payouts → the creator's revenue.
    PayoutRejected,
    /// A creator moved revenue into their own funds, to spend it through budgets.
    RevenueToFunds,
    /// A card payment succeeded (Stripe's verified webhook): card payments → funds.
    CardPayment,
    /// A card payment was refunded: the unspent part leaves the funds → card payments.
    CardRefund,
    /// Month-end settlement: the shares of the month's unclaimed things, the clearing
    /// account → held.
    SettlementHold,
    /// A page was proven: its held shares → the new owner's revenue, less the fee.
    HeldRelease,
    /// A hold ended unclaimed: held → each reader's funds (or the charity).
    HeldReturn,
    /// An account was deleted: the funds it left go to the charity or the platform's fees,
    /// as its holder chose.
    AccountClosed,
    /// Month-end settlement: the budgets of readers who clicked nothing and chose to give an
    /// idle month away, each reader's funds → the charity (money rule 6).
    IdleDonation,
    /// A card payment was disputed (a chargeback): the unspent part leaves the funds → card
    /// payments, as a refund's does.
    CardDispute,
    /// A dispute was won: what it debited comes back, card payments → funds.
    CardDisputeWon,
}

impl MovementKind {
    pub const ALL: [MovementKind; 19] = [
        MovementKind::VoucherIssue,
        MovementKind::VoucherRedemption,
        MovementKind::BudgetReservation,
        MovementKind::ReservationRelease,
        MovementKind::Settlement,
        MovementKind::SettlementCredit,
        MovementKind::PayoutRequest,
        MovementKind::PayoutSent,
        MovementKind::PayoutRejected,
        MovementKind::RevenueToFunds,
        MovementKind::CardPayment,
        MovementKind::CardRefund,
        MovementKind::SettlementHold,
        MovementKind::HeldRelease,
        MovementKind::HeldReturn,
        MovementKind::AccountClosed,
        MovementKind::IdleDonation,
        MovementKind::CardDispute,
        MovementKind::CardDisputeWon,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MovementKind::VoucherIssue => "voucher_issue",
            MovementKind::VoucherRedemption => "voucher_redemption",
            MovementKind::BudgetReservation => "budget_reservation",
            MovementKind::ReservationRelease => "reservation_release",
            MovementKind::Settlement => "settlement",
            MovementKind::SettlementCredit => "settlement_credit",
            MovementKind::PayoutRequest => "payout_request",
            MovementKind::PayoutSent => "payout_sent",
            MovementKind::PayoutRejected => "payout_rejected",
            MovementKind::RevenueToFunds => "revenue_to_funds",
            MovementKind::CardPayment => "card_payment",
            MovementKind::CardRefund => "card_refund",
            MovementKind::SettlementHold => "settlement_hold",
            MovementKind::HeldRelease => "held_release",
            MovementKind::HeldReturn => "held_return",
            MovementKind::AccountClosed => "account_closed",
            MovementKind::IdleDonation => "idle_donation",
            MovementKind::CardDispute => "card_dispute",
            MovementKind::CardDisputeWon => "card_dispute_won",
        }
    }

    pub fn parse(code: &str) -> Option<MovementKind> {
        MovementKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

impl fmt::Display for MovementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    #[error("a movement needs at least two postings")]
    TooFewPostings,
    #[error("a posting of zero moves nothing")]
    ZeroPosting,
    #[error("the postings do not sum to zero")]
    Unbalanced,
    #[error("an account appears twice in one movement")]
    RepeatedAccount,
}

/// A balanced movement, ready to record. It cannot be built unbalanced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    kind: MovementKind,
    postings: Vec<(AccountRef, Money)>,
}

impl Transfer {
    pub fn new(
        kind: MovementKind,
        mut postings: Vec<(AccountRef, Money)>,
    ) -> Result<Transfer, TransferError> {
        if postings.len() < 2 {
            return Err(TransferError::TooFewPostings);
        }
        if postings.iter().any(|(_, amount)| *amount == Money::ZERO) {
            return Err(TransferError::ZeroPosting);
        }
        let total = postings
            .iter()
            .try_fold(Money::ZERO, |sum, (_, amount)| sum.checked_add(*amount));
        if total != Some(Money::ZERO) {
            return Err(TransferError::Unbalanced);
        }
        // A fixed order, so that concurrent movements lock accounts in the same order.
        postings.sort_by_key(|(account, _)| *account);
        if postings.windows(2).any(|pair| pair[0].0 == pair[1].0) {
            return Err(TransferError::RepeatedAccount);
        }
        Ok(Transfer { kind, postings })
    }

    /// Moves `amount` (positive) from one account to another.
    pub fn between(
        kind: MovementKind,
        from: AccountRef,
        to: AccountRef,
        amount: Money,
    ) -> Result<Transfer, TransferError> {
        let out = amount.checked_neg().ok_or(TransferError::Unbalanced)?;
        Transfer::new(kind, vec![(from, out), (to, amount)])
    }

    pub fn kind(&self) -> MovementKind {
        self.kind
    }

    pub fn postings(&self) -> &[(AccountRef, Money)] {
        &self.postings
    }
}

#[cfg(test)]
mod tests;
