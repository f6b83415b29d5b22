//! Operations: SEPA payout batches and card disputes (issue 24).

diesel::table! {
    payout_batches (id) {
        id -> BigInt,
        message_id -> Text,
        payout_count -> Integer,
        control_sum_micros -> BigInt,
        state -> Text,
        document -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        sent_by -> Nullable<BigInt>,
        sent_at -> Nullable<Timestamp>,
        cancelled_by -> Nullable<BigInt>,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    payout_batch_items (payout_id) {
        payout_id -> BigInt,
        batch_id -> BigInt,
        end_to_end_id -> Text,
    }
}

diesel::table! {
    card_disputes (id) {
        id -> BigInt,
        dispute_id -> Text,
        payment_id -> BigInt,
        user_id -> BigInt,
        amount_micros -> BigInt,
        debited_micros -> BigInt,
        shortfall_micros -> BigInt,
        state -> Text,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
    }
}
