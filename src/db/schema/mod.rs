//! The schema, kept by hand in types both backends share (diesel's `print-schema` would emit
//! backend-specific ones). Keep it in step with both migration folders.
//!
//! One file per area; every table is re-exported here (`crate::db::schema::things`), where the
//! joins and the tables that may appear in one query are declared.

mod accounts;
mod catalogue;
mod money;
mod operations;
mod settlement;

pub use accounts::*;
pub use catalogue::*;
pub use money::*;
pub use operations::*;
pub use settlement::*;

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(ledger_entries -> ledger_groups (group_id));
diesel::joinable!(ledger_entries -> ledger_accounts (account_id));
diesel::joinable!(vouchers -> voucher_batches (batch_id));
diesel::joinable!(budgets -> users (user_id));
diesel::joinable!(creator_profiles -> users (user_id));
diesel::joinable!(clicks -> things (thing_id));
diesel::joinable!(thing_month_counts -> things (thing_id));
diesel::joinable!(things -> users (owner_id));
diesel::joinable!(payouts -> users (user_id));
diesel::joinable!(mail_outbox -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(oauth_identities -> users (user_id));
diesel::joinable!(card_payments -> users (user_id));
diesel::joinable!(subscriptions -> things (thing_id));
diesel::joinable!(payout_batch_items -> payouts (payout_id));
diesel::joinable!(payout_batch_items -> payout_batches (batch_id));
diesel::joinable!(card_disputes -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_tokens,
    ledger_accounts,
    ledger_groups,
    ledger_entries,
    voucher_batches,
    vouchers,
    budgets,
    idempotency_keys,
    things,
    sites,
    claim_changes,
    retired_handles,
    holds,
    held_returns,
    clicks,
    month_budgets,
    thing_month_counts,
    settlement_runs,
    months,
    creator_month_totals,
    thing_month_totals,
    payouts,
    mail_outbox,
    email_tokens,
    oauth_identities,
    oauth_signups,
    card_payments,
    stripe_events,
    creator_profiles,
    click_notes,
    subscriptions,
    month_donations,
    settlement_heads,
    settlement_leaves,
    payout_batches,
    payout_batch_items,
    card_disputes,
);
