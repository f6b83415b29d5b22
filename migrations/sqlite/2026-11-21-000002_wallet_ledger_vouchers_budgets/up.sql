-- The double-entry ledger. Every movement of money is a group of entries that sums to zero.
-- Holding accounts (a reader's funds and reserved funds, a creator's revenue, the fee, charity
-- and outstanding-voucher accounts) can never go negative: the CHECK below refuses the update
-- that would overdraw one, which is what keeps concurrent requests honest. Boundary accounts
-- (voucher sales, card payments) stand for the outside world and go negative as money enters.
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity',
                                       'vouchers_outstanding', 'voucher_sales', 'card_payments')),
    owner_id BIGINT REFERENCES users (id),
    -- A cache of SUM(ledger_entries.amount_micros); `obole ledger check` proves it.
    balance_micros BIGINT NOT NULL DEFAULT 0,
    CHECK ((kind IN ('funds', 'reserved', 'revenue')) = (owner_id IS NOT NULL)),
    CHECK (balance_micros >= 0 OR kind IN ('voucher_sales', 'card_payments'))
);
CREATE UNIQUE INDEX ledger_accounts_per_user ON ledger_accounts (owner_id, kind) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind) WHERE owner_id IS NULL;
INSERT INTO ledger_accounts (kind) VALUES ('fees'), ('charity'), ('vouchers_outstanding'),
    ('voucher_sales'), ('card_payments');
INSERT INTO ledger_accounts (kind, owner_id) SELECT 'funds', id FROM users;
INSERT INTO ledger_accounts (kind, owner_id) SELECT 'reserved', id FROM users;
INSERT INTO ledger_accounts (kind, owner_id) SELECT 'revenue', id FROM users;

-- One row per balanced movement. `unique_key`, when set, makes recording it twice impossible
-- (deterministic keys for settlement, voucher redemptions…).
CREATE TABLE ledger_groups (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    unique_key TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- Immutable: entries are only ever inserted.
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES ledger_groups (id),
    account_id BIGINT NOT NULL REFERENCES ledger_accounts (id),
    amount_micros BIGINT NOT NULL CHECK (amount_micros <> 0),
    -- The account's balance just after this entry, for statements.
    balance_after_micros BIGINT NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);
CREATE INDEX ledger_entries_group ON ledger_entries (group_id);

-- Prepaid cards. Only the SHA-256 of a code is kept; a code is redeemed at most once.
CREATE TABLE voucher_batches (
    id INTEGER PRIMARY KEY,
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0 AND amount_micros % 10000 = 0),
    voucher_count INTEGER NOT NULL CHECK (voucher_count > 0),
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE vouchers (
    id INTEGER PRIMARY KEY,
    batch_id BIGINT NOT NULL REFERENCES voucher_batches (id),
    code_hash TEXT NOT NULL UNIQUE,
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0),
    redeemed_by BIGINT REFERENCES users (id),
    redeemed_at TIMESTAMP,
    CHECK ((redeemed_by IS NULL) = (redeemed_at IS NULL))
);

-- A reader's monthly budget as currently chosen. A month's budget is fixed by its first click,
-- which reserves this amount; later changes apply from the next month.
CREATE TABLE budgets (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0 AND amount_micros % 10000 = 0),
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL
);

-- Idempotency keys of money-moving requests: a retry gets the stored first response.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);
