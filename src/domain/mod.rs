//! Pure domain types and rules: no I/O, no HTTP, no SQL, so they can be tested alone.

pub mod account;
pub mod allocation;
pub mod apportion;
pub mod budget;
pub mod click;
pub mod click_note;
pub mod hold;
pub mod ids;
pub mod journey;
pub mod leaf_hasher;
pub mod ledger;
pub mod locale;
pub mod mail;
pub mod merkle;
pub mod money;
pub mod month;
pub mod payout;
pub mod profile;
pub mod receipt;
pub mod relevance;
pub mod search;
pub mod site;
pub mod states;
pub mod thing;
pub mod top_up;
pub mod tree_chunks;
pub mod tree_head;
pub mod voucher;
pub mod year;

pub use account::{AccountInputError, DisplayName, Email, NewAccount, NewPassword};
pub use ids::{ThingId, UserId};
pub use locale::Locale;
pub use money::{AmountError, Currency, Money};
pub use month::Month;
pub use year::Year;
