//! Months and the month-end settlement.

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
    settlement_heads (month) {
        month -> Text,
        tree_size -> BigInt,
        root -> Text,
        chunk_roots -> Binary,
        readers -> BigInt,
        clicks -> BigInt,
        debited_micros -> BigInt,
        gross_micros -> BigInt,
        fees_micros -> BigInt,
        held_micros -> BigInt,
        fee_percent -> Text,
        signature -> Nullable<Text>,
        signing_key -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    settlement_leaves (month, chunk) {
        month -> Text,
        chunk -> BigInt,
        first_reader_id -> BigInt,
        readers -> Binary,
        hashes -> Binary,
    }
}
