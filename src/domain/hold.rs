//! Held money (PRODUCT.md, "Claims"): the share of a thing nobody has claimed yet waits in the
//! held account until its page is proven (released to the owner) or the hold ends (returned
//! to the readers). These are the states a hold and a reader's share go through.

use super::states::stored_enum;

stored_enum! {
    /// Where a held month of a thing stands (`holds.state`).
    HoldState("hold state") {
        /// Waiting for someone to prove the page.
        Held => "held",
        /// The page was proven: the money went to its owner, less the fee.
        Released => "released",
        /// Nobody proved the page in time: the money went back to the readers.
        Returned => "returned",
    }
}

/// What became of one share of a reader's budget (the API's `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareStatus {
    /// The creator has it (at settlement, or when they proved the page later).
    Paid,
    /// Held for a creator who has not proven the page yet.
    Held,
    /// Back in the reader's funds: nobody proved the page in time.
    Returned,
    /// Given to the instance's charity, as the reader chose, when the hold ended.
    Donated,
}

impl ShareStatus {
    /// A share's status from its thing's hold that month (none: it was paid at settlement)
    /// and, for a returned hold, whether the reader's return went to the charity.
    pub fn of(hold: Option<HoldState>, donated: bool) -> ShareStatus {
        match hold {
            None | Some(HoldState::Released) => ShareStatus::Paid,
            Some(HoldState::Held) => ShareStatus::Held,
            Some(HoldState::Returned) if donated => ShareStatus::Donated,
            Some(HoldState::Returned) => ShareStatus::Returned,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ShareStatus::Paid => "paid",
            ShareStatus::Held => "held",
            ShareStatus::Returned => "returned",
            ShareStatus::Donated => "donated",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_follows_its_hold() {
        assert_eq!(ShareStatus::of(None, false), ShareStatus::Paid);
        assert_eq!(
            ShareStatus::of(Some(HoldState::Released), false),
            ShareStatus::Paid
        );
        assert_eq!(
            ShareStatus::of(Some(HoldState::Held), false),
            ShareStatus::Held
        );
        assert_eq!(
            ShareStatus::of(Some(HoldState::Returned), false),
            ShareStatus::Returned
        );
        assert_eq!(
            ShareStatus::of(Some(HoldState::Returned), true),
            ShareStatus::Donated
        );
        for state in [HoldState::Held, HoldState::Released, HoldState::Returned] {
            assert_eq!(HoldState::parse(state.as_str()), Ok(state));
        }
    }
}
