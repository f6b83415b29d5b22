//! The kinds of message Obole sends.

/// What a message is about; its code names its templates (`templates/emails/{code}.txt` and
/// `.html`) and its subject (`mail-{code}-subject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    VerifyEmail,
    ResetPassword,
    ReaderStatement,
    CreatorStatement,
    PayoutStatus,
    /// The code that finishes a sign-up through a provider that did not vouch for the
    /// address; sent to an address that has no account yet.
    ConfirmSignUp,
    /// Someone proved a site that covers things the recipient had added: those things (and
    /// what was held for them) are now the prover's.
    ThingsClaimed,
    /// A subscription could not be clicked this month: the reader's funds are below their
    /// budget (at most one a month per reader).
    SubscriptionFunds,
    /// A card payment of the recipient's was disputed: what it took from their funds.
    CardDispute,
}

impl MailKind {
    pub const ALL: [MailKind; 9] = [
        MailKind::VerifyEmail,
        MailKind::ResetPassword,
        MailKind::ReaderStatement,
        MailKind::CreatorStatement,
        MailKind::PayoutStatus,
        MailKind::ConfirmSignUp,
        MailKind::ThingsClaimed,
        MailKind::SubscriptionFunds,
        MailKind::CardDispute,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MailKind::VerifyEmail => "verify_email",
            MailKind::ResetPassword => "reset_password",
            MailKind::ReaderStatement => "reader_statement",
            MailKind::CreatorStatement => "creator_statement",
            MailKind::PayoutStatus => "payout_status",
            MailKind::ConfirmSignUp => "confirm_sign_up",
            MailKind::ThingsClaimed => "things_claimed",
            MailKind::SubscriptionFunds => "subscription_funds",
            MailKind::CardDispute => "card_dispute",
        }
    }

    pub fn parse(code: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Messages whose payload holds a one-time link, erased once sent.
    pub fn carries_secret(self) -> bool {
        matches!(
            self,
            MailKind::VerifyEmail | MailKind::ResetPassword | MailKind::ConfirmSignUp
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.code()), Some(kind));
        }
        assert!(MailKind::VerifyEmail.carries_secret());
        assert!(!MailKind::ReaderStatement.carries_secret());
    }
}
