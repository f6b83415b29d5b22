//! What a click comes to, whatever the backend and the path: [`Clicked`] or a [`ClickError`].

use crate::db::batcher::{BatchError, JobError};
use crate::domain::click::{Refusal, click_value};
use crate::domain::ledger::AccountKind;
use crate::domain::{Money, Month};
use crate::models::ledger::PostError;

#[derive(Debug, thiserror::Error)]
pub enum ClickError {
    #[error("no such thing")]
    ThingNotFound,
    #[error("one cannot click one's own thing")]
    OwnThing,
    #[error("no budget, or a paused one")]
    NoBudget,
    #[error("funds are below the month's budget")]
    InsufficientFunds,
    #[error("already clicked this month")]
    AlreadyClicked,
    #[error("no click to undo")]
    NoClick,
    /// The month's settlement has begun: its clicks are final.
    #[error("the month is closed")]
    MonthClosed,
    /// The API token the click came with was revoked.
    #[error("the API token is revoked")]
    TokenRevoked,
    /// A concurrent first click of the month made the reservation: try again.
    #[error("a concurrent request reserved the month first")]
    Conflict,
    /// The batcher's queue is full: the server is overloaded.
    #[error("too many clicks are waiting")]
    Busy,
    /// Another write of the shared commit failed: nothing of this click was kept.
    #[error("the click's batch was rolled back")]
    RolledBack,
    /// The batch this click was part of could not be recorded.
    #[error("click batch failed: {0}")]
    Batch(String),
    #[error(transparent)]
    Ledger(PostError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl From<PostError> for ClickError {
    fn from(e: PostError) -> Self {
        match e {
            PostError::Overdraft(AccountKind::Funds) => ClickError::InsufficientFunds,
            other => ClickError::Ledger(other),
        }
    }
}

impl From<Refusal> for ClickError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::TokenRevoked => ClickError::TokenRevoked,
            Refusal::MonthClosed => ClickError::MonthClosed,
            Refusal::ThingNotFound => ClickError::ThingNotFound,
            Refusal::OwnThing => ClickError::OwnThing,
            Refusal::AlreadyClicked => ClickError::AlreadyClicked,
        }
    }
}

impl JobError for ClickError {
    /// A refusal the reader can act on is decided before anything is written; anything else
    /// may come after some of the click's writes.
    fn poisons(&self) -> bool {
        match self {
            ClickError::ThingNotFound
            | ClickError::OwnThing
            | ClickError::NoBudget
            | ClickError::InsufficientFunds
            | ClickError::AlreadyClicked
            | ClickError::NoClick
            | ClickError::MonthClosed
            | ClickError::TokenRevoked
            | ClickError::Busy
            | ClickError::RolledBack => false,
            ClickError::Conflict
            | ClickError::Batch(_)
            | ClickError::Ledger(_)
            | ClickError::Database(_) => true,
        }
    }

    fn from_batch(error: BatchError) -> Self {
        match error {
            BatchError::Busy => ClickError::Busy,
            BatchError::RolledBack => ClickError::RolledBack,
            BatchError::Failed(reason) => ClickError::Batch(reason),
        }
    }
}

/// What a click did: the month, how many clicks the reader has in it, and what one is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clicked {
    pub month: Month,
    pub budget: Money,
    pub clicks: u64,
    pub click_value: Money,
}

impl Clicked {
    /// The reader's `clicks`-th click of `month`, on a reserved `budget`.
    pub(super) fn new(month: Month, budget: Money, clicks: i64) -> Clicked {
        let clicks = u64::try_from(clicks).unwrap_or(0);
        Clicked {
            month,
            budget,
            clicks,
            click_value: click_value(budget, clicks),
        }
    }
}
