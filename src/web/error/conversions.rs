//! Each use case's refusals as the codes users see; a database failure stays internal.

use super::{AppError, ErrorCode};
use crate::domain::AccountInputError;
use crate::domain::budget::BudgetError;
use crate::domain::click_note::NoteInputError;
use crate::domain::payout::PayoutError;
use crate::domain::profile::ProfileInputError;
use crate::domain::thing::ThingInputError;
use crate::models::creator_profiles::SaveProfileError;
use crate::use_cases::claims::ClaimError;
use crate::use_cases::clicks::ClickError;
use crate::use_cases::payouts::PayoutRequestError;
use crate::use_cases::payouts::batch::BatchError;
use crate::use_cases::statements::StatementError;
use crate::use_cases::subscriptions::SubscriptionError;
use crate::use_cases::supporters::NoteError;
use crate::use_cases::things::ThingError;
use crate::use_cases::transparency::TransparencyError;
use crate::use_cases::wallet::WalletError;

impl From<AccountInputError> for AppError {
    fn from(e: AccountInputError) -> Self {
        AppError::User(match e {
            AccountInputError::InvalidEmail => ErrorCode::InvalidEmail,
            AccountInputError::PasswordTooShort | AccountInputError::PasswordTooLong => {
                ErrorCode::InvalidPassword
            }
            AccountInputError::InvalidDisplayName => ErrorCode::InvalidDisplayName,
            AccountInputError::InvalidLocale => ErrorCode::InvalidLocale,
        })
    }
}

impl From<WalletError> for AppError {
    fn from(e: WalletError) -> Self {
        let code = match e {
            WalletError::VoucherNotFound => ErrorCode::VoucherNotFound,
            WalletError::VoucherUsed => ErrorCode::VoucherUsed,
            WalletError::InvalidBatch => ErrorCode::InvalidVoucherBatch,
            WalletError::Budget(BudgetError::InvalidAmount(_)) => ErrorCode::InvalidAmount,
            WalletError::Budget(BudgetError::BelowMinimum) => ErrorCode::BudgetBelowMinimum,
            WalletError::Budget(BudgetError::AboveMaximum) => ErrorCode::BudgetAboveMaximum,
            WalletError::NoCharity => ErrorCode::NoCharity,
            other => {
                return AppError::Internal(
                    anyhow::Error::new(other).context("wallet operation failed"),
                );
            }
        };
        AppError::User(code)
    }
}

impl From<ClickError> for AppError {
    fn from(e: ClickError) -> Self {
        let code = match e {
            ClickError::ThingNotFound => ErrorCode::NotFound,
            ClickError::OwnThing => ErrorCode::OwnThing,
            ClickError::NoBudget => ErrorCode::NoBudget,
            ClickError::InsufficientFunds => ErrorCode::InsufficientFunds,
            ClickError::AlreadyClicked => ErrorCode::AlreadyClicked,
            ClickError::NoClick => ErrorCode::NoClick,
            ClickError::MonthClosed => ErrorCode::MonthClosed,
            ClickError::TokenRevoked => ErrorCode::Unauthorized,
            // Overloaded, or rolled back with another write of its batch: a retry is safe.
            ClickError::Busy | ClickError::RolledBack => ErrorCode::Unavailable,
            other => return AppError::Internal(anyhow::Error::new(other).context("click failed")),
        };
        AppError::User(code)
    }
}

impl From<SubscriptionError> for AppError {
    fn from(e: SubscriptionError) -> Self {
        let code = match e {
            SubscriptionError::NotFound => ErrorCode::NotFound,
            SubscriptionError::OwnThing => ErrorCode::OwnThing,
            SubscriptionError::AlreadySubscribed => ErrorCode::AlreadySubscribed,
            SubscriptionError::Click(e) => return e.into(),
            SubscriptionError::Database(e) => return e.into(),
        };
        AppError::User(code)
    }
}

impl From<ThingError> for AppError {
    fn from(e: ThingError) -> Self {
        let code = match e {
            ThingError::NotFound => ErrorCode::NotFound,
            ThingError::Exists => ErrorCode::ThingExists,
            ThingError::NotOwner => ErrorCode::NotYourThing,
            ThingError::UrlLocked => ErrorCode::UrlLocked,
            ThingError::Claim(e) => return e.into(),
            ThingError::Database(e) => return e.into(),
        };
        AppError::User(code)
    }
}

impl From<ClaimError> for AppError {
    fn from(e: ClaimError) -> Self {
        let code = match e {
            ClaimError::NotFound => ErrorCode::NotFound,
            ClaimError::NoSuchUser => ErrorCode::NoSuchUser,
            ClaimError::Conflict => ErrorCode::Unavailable,
            ClaimError::Database(e) => return e.into(),
            other => return AppError::Internal(anyhow::Error::new(other).context("claim failed")),
        };
        AppError::User(code)
    }
}

impl From<ThingInputError> for AppError {
    fn from(e: ThingInputError) -> Self {
        AppError::User(match e {
            ThingInputError::InvalidUrl => ErrorCode::InvalidUrl,
            ThingInputError::InvalidTitle => ErrorCode::InvalidTitle,
            ThingInputError::InvalidDescription => ErrorCode::InvalidDescription,
            ThingInputError::InvalidCategory => ErrorCode::InvalidCategory,
            ThingInputError::InvalidLanguage => ErrorCode::InvalidLanguage,
        })
    }
}

impl From<ProfileInputError> for AppError {
    fn from(e: ProfileInputError) -> Self {
        AppError::User(match e {
            ProfileInputError::InvalidHandle => ErrorCode::InvalidHandle,
            ProfileInputError::InvalidPublicName => ErrorCode::InvalidPublicName,
            ProfileInputError::InvalidProfileDescription => ErrorCode::InvalidProfileDescription,
            ProfileInputError::InvalidLinks => ErrorCode::InvalidLinks,
        })
    }
}

impl From<SaveProfileError> for AppError {
    fn from(e: SaveProfileError) -> Self {
        match e {
            SaveProfileError::HandleTaken => AppError::User(ErrorCode::HandleTaken),
            SaveProfileError::Database(e) => e.into(),
        }
    }
}

impl From<PayoutRequestError> for AppError {
    fn from(e: PayoutRequestError) -> Self {
        let code = match e {
            PayoutRequestError::Rule(rule) => match rule {
                PayoutError::InvalidIban => ErrorCode::InvalidIban,
                PayoutError::InvalidHolder => ErrorCode::InvalidHolder,
                PayoutError::BelowMinimum => ErrorCode::PayoutBelowMinimum,
                PayoutError::AboveRevenue => ErrorCode::PayoutAboveRevenue,
                PayoutError::InvalidAmount => ErrorCode::InvalidAmount,
            },
            PayoutRequestError::EmailNotVerified => ErrorCode::EmailNotVerified,
            PayoutRequestError::AlreadyPending => ErrorCode::PayoutWaiting,
            PayoutRequestError::NotFound => ErrorCode::NotFound,
            PayoutRequestError::AlreadyDecided => ErrorCode::PayoutDecided,
            PayoutRequestError::OwnPayout => ErrorCode::OwnPayout,
            PayoutRequestError::InvalidReference => ErrorCode::InvalidReference,
            PayoutRequestError::InOpenBatch => ErrorCode::PayoutInBatch,
            // The revenue changed between the check and the movement (a concurrent transfer).
            PayoutRequestError::Ledger(crate::models::ledger::PostError::Overdraft(_)) => {
                ErrorCode::PayoutAboveRevenue
            }
            other => {
                return AppError::Internal(anyhow::Error::new(other).context("payout failed"));
            }
        };
        AppError::User(code)
    }
}

impl From<PayoutError> for AppError {
    fn from(e: PayoutError) -> Self {
        PayoutRequestError::Rule(e).into()
    }
}

impl From<TransparencyError> for AppError {
    fn from(e: TransparencyError) -> Self {
        match e {
            TransparencyError::NotSettled => AppError::User(ErrorCode::NotSettled),
            TransparencyError::NoReceipt => AppError::User(ErrorCode::NoReceipt),
            other => AppError::Internal(anyhow::Error::new(other).context("transparency")),
        }
    }
}

impl From<StatementError> for AppError {
    fn from(e: StatementError) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("statement"))
    }
}

impl From<BudgetError> for AppError {
    fn from(e: BudgetError) -> Self {
        WalletError::Budget(e).into()
    }
}

impl From<NoteInputError> for AppError {
    fn from(e: NoteInputError) -> Self {
        AppError::User(match e {
            NoteInputError::InvalidNote => ErrorCode::InvalidNote,
            NoteInputError::InvalidVisibility => ErrorCode::InvalidVisibility,
        })
    }
}

impl From<NoteError> for AppError {
    fn from(e: NoteError) -> Self {
        match e {
            NoteError::NoClick => AppError::User(ErrorCode::NoClick),
            NoteError::Conflict => AppError::User(ErrorCode::Unavailable),
            NoteError::Database(e) => AppError::Internal(anyhow::Error::new(e).context("note")),
        }
    }
}
impl From<crate::use_cases::deletion::DeletionError> for AppError {
    fn from(e: crate::use_cases::deletion::DeletionError) -> Self {
        use crate::use_cases::deletion::DeletionError;
        AppError::User(match e {
            DeletionError::NotFound => ErrorCode::Unauthorized,
            DeletionError::PayoutWaiting => ErrorCode::PayoutWaiting,
            DeletionError::RevenueLeft => ErrorCode::RevenueLeft,
            DeletionError::FundsChoiceRequired => ErrorCode::FundsChoiceRequired,
            DeletionError::NoCharity => ErrorCode::NoCharity,
            DeletionError::Other(e) => return AppError::Internal(e),
        })
    }
}

impl From<BatchError> for AppError {
    fn from(e: BatchError) -> Self {
        let code = match e {
            BatchError::NothingToPay => ErrorCode::NoPayoutWaiting,
            BatchError::NotFound => ErrorCode::NotFound,
            BatchError::OwnPayout => ErrorCode::OwnPayout,
            BatchError::Cancelled => ErrorCode::BatchCancelled,
            BatchError::Payout(inner) => return inner.into(),
            other => {
                return AppError::Internal(anyhow::Error::new(other).context("SEPA batch failed"));
            }
        };
        AppError::User(code)
    }
}
