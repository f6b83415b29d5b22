//! Queries, one module per table or feature. Functions take a `&mut DbConnection` so they run
//! alone or inside a caller's transaction, and never turn a database error into a default.

pub mod api_tokens;
pub mod budgets;
pub mod card_disputes;
pub mod card_payments;
pub mod click_notes;
pub mod clicks;
pub mod creator_profiles;
pub mod discovery;
pub mod donations;
pub mod email_tokens;
pub mod erasure;
pub mod export;
pub mod idempotency;
pub mod ledger;
pub mod ledger_bulk;
pub mod mail_outbox;
pub mod mail_queue;
pub mod monitoring;
pub mod months;
pub mod oauth_identities;
pub mod oauth_signups;
pub mod payout_batches;
pub mod payouts;
pub mod popularity;
pub mod search_index;
pub mod settlement;
pub mod sites;
pub mod statements;
mod stored_state;
pub mod subscriptions;
pub mod thing_counts;
pub mod things;
pub mod transparency;
pub mod users;
pub mod vouchers;
pub mod year_statements;
