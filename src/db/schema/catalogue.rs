//! Things, their claims and clicks.

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
    clicks (id) {
        id -> BigInt,
        reader_id -> BigInt,
        thing_id -> BigInt,
        month -> Text,
        created_at -> Timestamp,
        /// `click` or `subscription` (made by the server for a subscription).
        via -> Text,
    }
}

diesel::table! {
    /// A reader's standing click on a thing, made by the server once a month.
    subscriptions (reader_id, thing_id) {
        reader_id -> BigInt,
        thing_id -> BigInt,
        since -> Timestamp,
        /// The last month the server took this subscription in (`YYYY-MM`).
        last_month -> Nullable<Text>,
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

diesel::table! {
    click_notes (reader_id, thing_id, month) {
        reader_id -> BigInt,
        thing_id -> BigInt,
        month -> Text,
        visibility -> Text,
        note -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}
