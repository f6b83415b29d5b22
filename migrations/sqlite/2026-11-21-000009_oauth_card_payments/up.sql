-- Sign-in through OAuth2 providers and card top-ups through Stripe (issue 7).

-- An account's identity at a provider: the provider's stable subject, never its email
-- (addresses change hands). One per provider and account.
CREATE TABLE oauth_identities (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    provider TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 40),
    subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    -- The address the provider vouched for when linked, for the settings page.
    email TEXT,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    UNIQUE (provider, subject),
    UNIQUE (user_id, provider)
);

-- A card top-up: a Stripe PaymentIntent this instance created. Funds are credited only by a
-- verified `payment_intent.succeeded` webhook whose amount and currency match this row
-- (card_payments → funds, ledger key `card_payment:<intent>`); a refund debits what of it is
-- still unspent (funds → card_payments) and records the rest as a shortfall the platform bore.
CREATE TABLE card_payments (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    intent_id TEXT NOT NULL UNIQUE,
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0 AND amount_micros % 10000 = 0),
    currency TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'created'
        CHECK (state IN ('created', 'succeeded', 'failed', 'canceled')),
    failure_message TEXT,
    refunded_micros BIGINT NOT NULL DEFAULT 0
        CHECK (refunded_micros >= 0 AND refunded_micros <= amount_micros),
    refund_shortfall_micros BIGINT NOT NULL DEFAULT 0
        CHECK (refund_shortfall_micros >= 0 AND refund_shortfall_micros <= refunded_micros),
    -- The Idempotency-Key sent to Stripe: a resubmitted form finds the same intent.
    idempotency_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX card_payments_user ON card_payments (user_id, id);

-- Every Stripe event applied, by its id: a redelivered event changes nothing.
CREATE TABLE stripe_events (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL
);
