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
);

diesel::table! {
    things (id) {
        id -> BigInt,
        owner_id -> BigInt,
        url -> Text,
        url_key -> Text,
        title -> Text,
        description -> Text,
        category -> Text,
        language -> Text,
        hidden -> Bool,
        created_at -> Timestamp,
        month_clicks -> BigInt,
        all_time_clicks -> BigInt,
        site_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    sites (id) {
        id -> BigInt,
        user_id -> BigInt,
        url -> Text,
        url_key -> Text,
        token -> Text,
        created_at -> Timestamp,
        verified_at -> Nullable<Timestamp>,
        method -> Nullable<Text>,
        vouched_by -> Nullable<BigInt>,
        superseded_at -> Nullable<Timestamp>,
        removed_at -> Nullable<Timestamp>,
        last_failure -> Nullable<Text>,
        last_checked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    claim_changes (id) {
        id -> BigInt,
        thing_id -> BigInt,
        previous_owner -> BigInt,
        previous_site_id -> Nullable<BigInt>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    retired_handles (handle) {
        handle -> Text,
        user_id -> BigInt,
        retired_at -> Timestamp,
    }
}

diesel::table! {
    holds (month, thing_id) {
        month -> Text,
        thing_id -> BigInt,
        creator_id -> BigInt,
        amount_micros -> BigInt,
        state -> Text,
        released_to -> Nullable<BigInt>,
        fee_micros -> Nullable<BigInt>,
        own_micros -> BigInt,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    held_returns (month, reader_id) {
        month -> Text,
        reader_id -> BigInt,
        amount_micros -> BigInt,
        donated -> Bool,
    }
}

diesel::table! {
    creator_profiles (user_id) {
        user_id -> BigInt,
        handle -> Text,
        public_name -> Text,
        description -> Text,
        links -> Text,
        clicks_public -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(creator_profiles -> users (user_id));

diesel::table! {
    clicks (id) {
        id -> BigInt,
        reader_id -> BigInt,
        thing_id -> BigInt,
        month -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    month_budgets (reader_id, month) {
        reader_id -> BigInt,
        month -> Text,
        amount_micros -> BigInt,
        clicks -> BigInt,
        reserved_at -> Timestamp,
    }
}

diesel::table! {
    thing_month_counts (thing_id, month, shard) {
        thing_id -> BigInt,
        month -> Text,
        shard -> Integer,
        clicks -> BigInt,
    }
}

diesel::joinable!(clicks -> things (thing_id));
diesel::joinable!(thing_month_counts -> things (thing_id));
diesel::joinable!(things -> users (owner_id));

diesel::table! {
    settlement_runs (month) {
        month -> Text,
        state -> Text,
        stage -> Text,
        reader_cursor -> BigInt,
        creator_cursor -> BigInt,
        readers -> BigInt,
        clicks -> BigInt,
        debited_micros -> BigInt,
        fees_micros -> BigInt,
        error -> Nullable<Text>,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        statements_queued_at -> Nullable<Timestamp>,
        fee_percent -> Nullable<Text>,
    }
}

diesel::table! {
    months (month) {
        month -> Text,
        closed_at -> Nullable<Timestamp>,
        claims_seq -> Nullable<BigInt>,
    }
}

diesel::table! {
    creator_month_totals (creator_id, month) {
        creator_id -> BigInt,
        month -> Text,
        clicks -> BigInt,
        gross_micros -> BigInt,
        fee_micros -> BigInt,
    }
}

diesel::table! {
    thing_month_totals (thing_id, month) {
        thing_id -> BigInt,
        month -> Text,
        clicks -> BigInt,
        amount_micros -> BigInt,
        creator_id -> BigInt,
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
    mail_outbox (id) {
        id -> BigInt,
        kind -> Text,
        user_id -> Nullable<BigInt>,
        payload -> Text,
        dedupe_key -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    oauth_signups (id) {
        id -> BigInt,
        provider -> Text,
        subject -> Text,
        email -> Text,
        display_name -> Text,
        locale -> Text,
        code_hash -> Text,
        attempts -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    email_tokens (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(payouts -> users (user_id));
diesel::joinable!(mail_outbox -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));

diesel::table! {
    oauth_identities (id) {
        id -> BigInt,
        user_id -> BigInt,
        provider -> Text,
        subject -> Text,
        email -> Nullable<Text>,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
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

diesel::joinable!(oauth_identities -> users (user_id));
diesel::joinable!(card_payments -> users (user_id));
