//! Money: the ledger, vouchers, budgets, card payments and payouts.

diesel::table! {
    ledger_accounts (id) {
        id -> BigInt,
        kind -> Text,
        owner_id -> Nullable<BigInt>,
        balance_micros -> BigInt,
        shard -> Integer,
    }
}

diesel::table! {
    ledger_groups (id) {
        id -> BigInt,
        kind -> Text,
        unique_key -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> BigInt,
        group_id -> BigInt,
        account_id -> BigInt,
        amount_micros -> BigInt,
        balance_after_micros -> BigInt,
    }
}

diesel::table! {
    voucher_batches (id) {
        id -> BigInt,
        amount_micros -> BigInt,
        voucher_count -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    vouchers (id) {
        id -> BigInt,
        batch_id -> BigInt,
        code_hash -> Text,
        amount_micros -> BigInt,
        redeemed_by -> Nullable<BigInt>,
        redeemed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    budgets (user_id) {
        user_id -> BigInt,
        amount_micros -> BigInt,
        paused -> Bool,
        updated_at -> Timestamp,
        unspent -> Text,
    }
}

diesel::table! {
    card_payments (id) {
        id -> BigInt,
        user_id -> BigInt,
        intent_id -> Text,
        amount_micros -> BigInt,
        currency -> Text,
        state -> Text,
        failure_message -> Nullable<Text>,
        refunded_micros -> BigInt,
        refund_shortfall_micros -> BigInt,
        idempotency_key -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    stripe_events (event_id) {
        event_id -> Text,
        kind -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    payouts (id) {
        id -> BigInt,
        user_id -> BigInt,
        amount_micros -> BigInt,
        iban -> Text,
        holder -> Text,
        state -> Text,
        reference -> Nullable<Text>,
        idempotency_key -> Text,
        requested_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    month_donations (month, reader_id) {
        month -> Text,
        reader_id -> BigInt,
        budget_micros -> BigInt,
        amount_micros -> BigInt,
        charity -> Text,
    }
}
