//! The states and stages Obole stores as text: a settlement run's state and stage, a payout's
//! state, a card payment's state, how a click was made (a hold's is in `hold.rs`, a click's
//! visibility in `click_note.rs`). Each is an enum whose text is
//! the one the database keeps (and its CHECK constraint lists); the models parse it where a
//! row is read, and an unknown text is an error, never a default. Code compares enums; only
//! SQL filters use the text, through `as_str`.

/// A stored state's text that names none of its enum's values: a hand edit, or a row written
/// by a newer version of Obole. Reading such a row fails rather than guessing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {text:?}")]
pub struct UnknownState {
    /// What was being read, e.g. `payout state`.
    pub kind: &'static str,
    /// The text found.
    pub text: String,
}

/// Declares an enum stored as text: `as_str` (the stored text), `parse` (which refuses any
/// other text), `ALL`, `Display`, and `TryFrom<String>` so that a diesel row can read it with
/// `#[diesel(deserialize_as = String)]`. Written as a macro because each enum needs the same
/// four items and a derive crate for this (strum and the like) would bring more than it saves.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $name:ident ($kind:literal) {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The text stored in the database (and shown in the API).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value a stored text names; any other text is refused.
            pub fn parse(text: &str) -> Result<$name, $crate::domain::states::UnknownState> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::domain::states::UnknownState {
                        kind: $kind,
                        text: text.to_owned(),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::TryFrom<String> for $name {
            type Error = $crate::domain::states::UnknownState;

            fn try_from(text: String) -> Result<$name, Self::Error> {
                $name::parse(&text)
            }
        }
    };
}
pub(crate) use stored_enum;

stored_enum! {
    /// Where a month's settlement run stands (`settlement_runs.state`).
    RunState("settlement run state") {
        /// Started, or interrupted and waiting to resume from its stage.
        Running => "running",
        /// Settled and checked.
        Done => "done",
        /// Its self-check failed: it waits for an operator (`obole settle --retry`).
        Failed => "failed",
    }
}

stored_enum! {
    /// The next step of a settlement run (`settlement_runs.stage`), so that a run resumes
    /// where a crash stopped it.
    RunStage("settlement run stage") {
        /// The readers' budgets are to be charged into the clearing account.
        Readers => "readers",
        /// Creators are being credited, chunk by chunk, after the cursor.
        Creators => "creators",
        /// Everything is written; the self-check remains.
        Check => "check",
        /// Checked and settled.
        Done => "done",
    }
}

stored_enum! {
    /// A payout request's state (`payouts.state`, the API's `state`).
    PayoutState("payout state") {
        /// Waiting for an operator's decision.
        Pending => "pending",
        /// Paid by transfer, with the operator's reference.
        Sent => "sent",
        /// Refused, with the operator's reason; the money went back to the revenue.
        Rejected => "rejected",
    }
}

stored_enum! {
    /// A card payment's state (`card_payments.state`, the API's `state`), as Stripe's events
    /// set it.
    CardPaymentState("card payment state") {
        /// The PaymentIntent exists; no outcome yet.
        Created => "created",
        /// Paid: credited to the reader's funds once.
        Succeeded => "succeeded",
        /// The card was refused (with Stripe's message).
        Failed => "failed",
        /// Abandoned before paying.
        Canceled => "canceled",
    }
}

stored_enum! {
    /// How a click was made (`clicks.via`, the API's `via`).
    ClickVia("click origin") {
        /// By the reader, on the button or the API.
        Click => "click",
        /// By the server, for the reader's subscription (flow 9).
        Subscription => "subscription",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_its_own_text() {
        for state in RunState::ALL {
            assert_eq!(RunState::parse(state.as_str()), Ok(*state));
        }
        for stage in RunStage::ALL {
            assert_eq!(RunStage::parse(stage.as_str()), Ok(*stage));
        }
        for state in PayoutState::ALL {
            assert_eq!(PayoutState::try_from(state.to_string()), Ok(*state));
        }
        for state in CardPaymentState::ALL {
            assert_eq!(CardPaymentState::parse(state.as_str()), Ok(*state));
        }
        for via in ClickVia::ALL {
            assert_eq!(ClickVia::parse(via.as_str()), Ok(*via));
        }
    }

    #[test]
    fn an_unknown_text_is_refused_never_defaulted() {
        let refused = PayoutState::parse("Pending").expect_err("case matters");
        assert_eq!(refused.kind, "payout state");
        assert_eq!(
            RunStage::parse("fees")
                .expect_err("an old stage")
                .to_string(),
            "unknown settlement run stage \"fees\""
        );
    }
}
