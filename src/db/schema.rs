//! The schema, kept by hand in types both backends share (diesel's `print-schema` would emit
//! backend-specific ones). Keep it in step with both migration folders.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Nullable<Text>,
        display_name -> Text,
        locale -> Text,
        is_operator -> Bool,
        email_verified_at -> Nullable<Timestamp>,
        session_epoch -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(api_tokens -> users (user_id));

diesel::table! {
    ledger_accounts (id) {
        id -> BigInt,
        kind -> Text,
        owner_id -> Nullable<BigInt>,
        balance_micros -> BigInt,
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
    }
}

diesel::table! {
    idempotency_keys (user_id, idempotency_key) {
        user_id -> BigInt,
        idempotency_key -> Text,
        request_hash -> Text,
        response_status -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(ledger_entries -> ledger_groups (group_id));
diesel::joinable!(ledger_entries -> ledger_accounts (account_id));
diesel::joinable!(vouchers -> voucher_batches (batch_id));
diesel::joinable!(budgets -> users (user_id));
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
);
