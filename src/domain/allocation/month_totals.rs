//! A month added up (`allocation.rs` has the arithmetic): each reader's budget split over
//! their clicks, each thing's and each creator's totals, the fees and the held shares, with
//! every sum checked.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::{AllocationError, add, fee, split};
use crate::domain::leaf_hasher::leaf_hash;
use crate::domain::merkle::Hash;
use crate::domain::{Money, Month, ThingId, UserId};

/// One reader's month, as settlement reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderMonth {
    pub reader: UserId,
    /// The reserved budget.
    pub budget: Money,
    /// The distinct things clicked.
    pub clicks: Vec<ThingId>,
}

/// What a creator earned in a month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Earnings {
    pub clicks: u64,
    pub gross: Money,
    pub fee: Money,
    /// The gross less the fee: what the creator is credited.
    pub net: Money,
}

/// What one thing earned in a month: its owner's gross from it, or, for a thing nobody has
/// claimed yet, money held for whoever proves the page is theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThingEarnings {
    pub owner: UserId,
    pub clicks: u64,
    pub amount: Money,
    pub claimed: bool,
}

/// Who a thing belongs to when its month is settled: its owner, and whether a verified site
/// of the owner covers it (PRODUCT.md, "Claims").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThingOwner {
    pub owner: UserId,
    pub claimed: bool,
}

/// A whole month's settlement, computed in memory: what the job writes and what its
/// self-check compares the database with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthTotals {
    /// Σ budgets of the readers who clicked (those who did not are not charged).
    pub debited: Money,
    pub readers: u64,
    pub clicks: u64,
    /// Per creator: clicks, gross, fee and net.
    pub creators: BTreeMap<UserId, Earnings>,
    /// Per thing: its owner, clicks and amount.
    pub things: BTreeMap<ThingId, ThingEarnings>,
    pub fees: Money,
    /// Σ amounts of the unclaimed things, held: Σ debited = Σ creators' gross + held.
    pub held: Money,
    /// Each reader who clicked and what they are charged (their budget), by reader.
    pub charges: Vec<(UserId, Money)>,
    /// Each charged reader's receipt leaf hash, by reader: the month's Merkle tree's leaves
    /// (PRODUCT.md, "Transparency").
    pub leaves: Vec<(UserId, Hash)>,
}

/// Adds up a month reader by reader, so that a month of millions of clicks streams through
/// it: only per-thing totals and each reader's charge stay in memory. The totals are a hash
/// map while the month streams (tens of millions of updates; a B-tree costs several times
/// more per update; Fx hashing because ids are not chosen by an attacker who could flood one
/// bucket, and SipHash cost a fifth of the settlement's arithmetic), sorted once at the end.
/// Creators are added up from their things at the end: looking up each click's owner and
/// creator while streaming cost two cache misses per click, most of the time of a month.
#[derive(Debug, Clone)]
pub struct MonthAccumulator {
    month: Month,
    debited: Money,
    readers: u64,
    clicks: u64,
    /// Per thing: clicks and amount.
    things: FxHashMap<ThingId, (u64, Money)>,
    charges: Vec<(UserId, Money)>,
    leaves: Vec<(UserId, Hash)>,
}

impl MonthAccumulator {
    pub fn new(month: Month) -> MonthAccumulator {
        MonthAccumulator {
            month,
            debited: Money::ZERO,
            readers: 0,
            clicks: 0,
            things: FxHashMap::default(),
            charges: Vec::new(),
            leaves: Vec::new(),
        }
    }

    /// Splits one reader's budget and counts it; returns the shares, in the order of the
    /// reader's clicks (none for a reader without clicks, who is not charged).
    pub fn add(&mut self, reader: &ReaderMonth) -> Result<Vec<Money>, AllocationError> {
        let shares = split(reader.budget, &reader.clicks, reader.reader, self.month)?;
        if shares.is_empty() {
            return Ok(shares);
        }
        // Each reader's allocation equals their budget, checked on every reader of every run.
        let allocated = shares
            .iter()
            .try_fold(Money::ZERO, |sum, share| add(sum, *share))?;
        if allocated != reader.budget {
            return Err(AllocationError::Inexact(reader.reader.0));
        }
        self.debited = add(self.debited, reader.budget)?;
        self.readers += 1;
        self.charges.push((reader.reader, reader.budget));
        self.leaves
            .push((reader.reader, receipt_leaf(self.month, reader, &shares)));
        for (thing, share) in reader.clicks.iter().zip(&shares) {
            self.clicks += 1;
            let earned = self.things.entry(*thing).or_default();
            earned.0 += 1;
            earned.1 = add(earned.1, *share)?;
        }
        Ok(shares)
    }

    /// Credits each claimed thing's earnings to its owner (`owner_of`), holds the unclaimed
    /// ones', takes each creator's fee on their gross and returns the month's totals.
    pub fn finish(
        self,
        fee_percent: Decimal,
        owner_of: impl Fn(ThingId) -> Option<ThingOwner>,
    ) -> Result<MonthTotals, AllocationError> {
        let mut charges = self.charges;
        charges.sort_unstable();
        let mut leaves = self.leaves;
        leaves.sort_unstable_by_key(|(reader, _)| *reader);
        let mut totals = MonthTotals {
            charges,
            leaves,
            debited: self.debited,
            readers: self.readers,
            clicks: self.clicks,
            ..MonthTotals::default()
        };
        let mut creators: FxHashMap<UserId, (u64, Money)> = FxHashMap::default();
        for (thing, (clicks, amount)) in self.things {
            let ThingOwner { owner, claimed } =
                owner_of(thing).ok_or(AllocationError::UnknownThing(thing.0))?;
            if claimed {
                let creator = creators.entry(owner).or_default();
                creator.0 += clicks;
                creator.1 = add(creator.1, amount)?;
            } else {
                totals.held = add(totals.held, amount)?;
            }
            totals.things.insert(
                thing,
                ThingEarnings {
                    owner,
                    clicks,
                    amount,
                    claimed,
                },
            );
        }
        for (creator, (clicks, gross)) in creators {
            let fee = fee(gross, fee_percent)?;
            totals.fees = add(totals.fees, fee)?;
            totals.creators.insert(
                creator,
                Earnings {
                    clicks,
                    gross,
                    fee,
                    net: gross.checked_sub(fee).ok_or(AllocationError::Overflow)?,
                },
            );
        }
        Ok(totals)
    }
}

/// The reader's receipt leaf hash: their allocations in ascending thing id, as the leaf
/// lists them (settlement reads each reader's clicks in that order already, from the clicks'
/// key, so the sort is a check that costs one pass).
fn receipt_leaf(month: Month, reader: &ReaderMonth, shares: &[Money]) -> Hash {
    let pairs = reader.clicks.iter().copied().zip(shares.iter().copied());
    if reader.clicks.is_sorted() {
        leaf_hash(month, reader.reader, reader.budget, pairs)
    } else {
        let mut sorted: Vec<(ThingId, Money)> = pairs.collect();
        sorted.sort_unstable_by_key(|(thing, _)| *thing);
        leaf_hash(month, reader.reader, reader.budget, sorted)
    }
}

/// What one reader's month gave to the things `chosen` picks: (thing, share) for each click
/// on one of them, with settlement's own split (so the shares are the ones that were paid or
/// held). This is how the end of a hold finds what goes back to each reader.
pub fn shares_for(
    reader: &ReaderMonth,
    month: Month,
    chosen: impl Fn(ThingId) -> bool,
) -> Result<Vec<(ThingId, Money)>, AllocationError> {
    let shares = split(reader.budget, &reader.clicks, reader.reader, month)?;
    Ok(reader
        .clicks
        .iter()
        .zip(shares)
        .filter(|(thing, _)| chosen(**thing))
        .map(|(thing, share)| (*thing, share))
        .collect())
}

/// Settles `readers` for `month` in memory.
pub fn settle_month(
    month: Month,
    readers: &[ReaderMonth],
    fee_percent: Decimal,
    owner_of: impl Fn(ThingId) -> Option<ThingOwner>,
) -> Result<MonthTotals, AllocationError> {
    let mut month_totals = MonthAccumulator::new(month);
    for reader in readers {
        month_totals.add(reader)?;
    }
    month_totals.finish(fee_percent, owner_of)
}
