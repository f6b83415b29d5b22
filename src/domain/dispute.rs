//! Card disputes (chargebacks): a reader's bank takes a card payment back. Handled like a
//! refund (docs/LEDGER.md): what of the disputed amount is still in the reader's funds leaves
//! them; the rest, already spent on budgets, is the platform's shortfall. Pure: the effects are
//! applied by `use_cases::card_payments::dispute`.

use super::money::Money;
use super::states::stored_enum;

stored_enum! {
    /// A dispute's state (`card_disputes.state`).
    DisputeState("card dispute state") {
        /// The bank took the money back; Stripe has not ruled yet.
        Open => "open",
        /// Closed in the platform's favour: the money came back, and so does the reader's.
        Won => "won",
        /// Closed against the platform: the money stays taken.
        Lost => "lost",
    }
}

stored_enum! {
    /// What one of a dispute's mails tells (the outbox payload's `notice`). Each is queued
    /// by the event that did it and tells that, whatever the dispute has become by the time
    /// it is sent: a dispute won before its first mail went out still owes the reader the
    /// news that money was taken, then the news that it came back.
    DisputeNotice("card dispute notice") {
        /// The bank took the money: what left the funds, and what of it was spent already.
        Withdrawn => "withdrawn",
        /// Won: what the dispute still held is back in the funds.
        Won => "won",
    }
}

/// How Stripe's `status` of a closed dispute ends it. Only `lost` keeps the money taken:
/// `won`, `warning_closed` (an inquiry that never became a chargeback) and `charge_refunded`
/// (the payment was refunded instead: the refund's own event debits it) give it back.
pub fn closing_state(status: &str) -> DisputeState {
    if status == "lost" {
        DisputeState::Lost
    } else {
        DisputeState::Won
    }
}

/// Whether an open dispute's event says the bank took the money: `charge.dispute.
/// funds_withdrawn`, or a chargeback's status (`needs_response`, `under_review`). An
/// inquiry's (`warning_needs_response`, `warning_under_review`: the cardholder's bank only
/// asks, no money moves) does not, nor an update carrying a final status ahead of its
/// `closed` event. An event without a status is taken for a chargeback.
pub fn withdraws(status: Option<&str>, funds_withdrawn: bool) -> bool {
    funds_withdrawn || matches!(status, None | Some("needs_response" | "under_review"))
}

/// What a dispute of `disputed` takes from a reader whose funds hold `available`: the part
/// debited from the funds, and the part the platform bears.
pub fn split(disputed: Money, available: Money) -> (Money, Money) {
    let debit = disputed.min(available.max(Money::ZERO));
    let shortfall = disputed.checked_sub(debit).unwrap_or(Money::ZERO);
    (debit, shortfall)
}

/// The amount a dispute can concern: at most what of the payment was not refunded already
/// (a dispute of a partly refunded payment cannot take the refunded part twice).
pub fn disputable(disputed: Money, paid: Money, refunded: Money) -> Money {
    let left = paid.checked_sub(refunded).unwrap_or(Money::ZERO);
    disputed.min(left).max(Money::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(micros: i64) -> Money {
        Money::from_micros(micros)
    }

    #[test]
    fn the_unspent_part_is_debited_and_the_rest_is_the_shortfall() {
        assert_eq!(split(m(10), m(25)), (m(10), m(0)));
        assert_eq!(split(m(10), m(4)), (m(4), m(6)));
        assert_eq!(split(m(10), m(0)), (m(0), m(10)));
    }

    #[test]
    fn a_refunded_part_cannot_be_disputed_again() {
        assert_eq!(disputable(m(10), m(10), m(4)), m(6));
        assert_eq!(disputable(m(3), m(10), m(4)), m(3));
        assert_eq!(disputable(m(10), m(10), m(10)), m(0));
    }

    #[test]
    fn an_inquiry_takes_nothing_until_the_funds_are_withdrawn() {
        assert!(!withdraws(Some("warning_needs_response"), false));
        assert!(!withdraws(Some("warning_under_review"), false));
        assert!(withdraws(Some("warning_under_review"), true));
        assert!(withdraws(Some("needs_response"), false));
        assert!(withdraws(Some("under_review"), false));
        assert!(withdraws(None, false));
    }

    #[test]
    fn only_a_lost_dispute_keeps_the_money() {
        assert_eq!(closing_state("lost"), DisputeState::Lost);
        for status in ["won", "warning_closed", "charge_refunded"] {
            assert_eq!(closing_state(status), DisputeState::Won, "{status}");
        }
    }
}
