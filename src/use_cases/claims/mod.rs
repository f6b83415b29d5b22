//! Claims (PRODUCT.md, "Claims"): a person proves a site is theirs, the things under it
//! become theirs, and what was held for those things is released to them.
//!
//! `sites.rs` (add, list, remove, vouch), `verify.rs` (look for the proof on the site),
//! `ownership.rs` (owners and claims follow the longest current proof), `release.rs` (held
//! money to the new owner, less the fee), `mails.rs` (the previous owners are told);
//! `address.rs` (which IP addresses may be reached), `fetch/` (fetching a claimed page
//! without letting a claim reach Obole's own network), `proof.rs` (the proofs a page can
//! carry, parsed as browsers do).

pub mod address;
pub mod command;
pub mod fetch;
pub mod mails;
pub mod ownership;
pub mod proof;
pub mod release;
pub mod sites;
pub mod verify;

use crate::domain::allocation::AllocationError;
use crate::domain::ledger::TransferError;
use crate::models::ledger::PostError;

#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error("no such site")]
    NotFound,
    #[error("no account with that address")]
    NoSuchUser,
    /// A hold changed while it was being released: the transaction is rolled back.
    #[error("the held money changed meanwhile; try again")]
    Conflict,
    /// A held month without the fee rate of its settlement (which every run records).
    #[error("the settlement of {0} recorded no fee rate")]
    NoFeeRate(String),
    #[error("an unbalanced release: {0:?}")]
    Transfer(TransferError),
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    #[error(transparent)]
    Click(crate::use_cases::clicks::ClickError),
    #[error(transparent)]
    Ledger(#[from] PostError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}
