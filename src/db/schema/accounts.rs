//! Accounts: people, their tokens, sessions' links and sign-ins, public pages.

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
        deleted_at -> Nullable<Timestamp>,
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

diesel::table! {
    retired_handles (handle) {
        handle -> Text,
        user_id -> BigInt,
        retired_at -> Timestamp,
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
