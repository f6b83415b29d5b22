-- Payouts, the mail outbox and one-time mail links (issue 6).
--
-- SQLite cannot change a CHECK constraint: ledger_accounts is rebuilt, ids kept, as in
-- migration 000007 (foreign keys checked at commit).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE ledger_accounts_copy AS SELECT id, kind, owner_id, balance_micros, shard FROM ledger_accounts;
DROP TABLE ledger_accounts;
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity',
                                       'vouchers_outstanding', 'voucher_sales', 'card_payments',
                                       'settlement_clearing', 'reserved_budgets',
                                       'pending_payouts', 'payouts_sent')),
    owner_id BIGINT REFERENCES users (id),
    -- A cache of SUM(ledger_entries.amount_micros); `obole ledger check` proves it.
    balance_micros BIGINT NOT NULL DEFAULT 0,
    -- The platform's accounts of one kind split in several (reserved budgets only).
    shard INTEGER NOT NULL DEFAULT 0 CHECK (shard >= 0 AND (shard = 0 OR kind = 'reserved_budgets')),
    CHECK ((kind IN ('funds', 'reserved', 'revenue')) = (owner_id IS NOT NULL)),
    CHECK (balance_micros >= 0 OR kind IN ('voucher_sales', 'card_payments'))
);
INSERT INTO ledger_accounts (id, kind, owner_id, balance_micros, shard)
    SELECT id, kind, owner_id, balance_micros, shard FROM ledger_accounts_copy ORDER BY id;
DROP TABLE ledger_accounts_copy;
CREATE UNIQUE INDEX ledger_accounts_per_user ON ledger_accounts (owner_id, kind) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind, shard) WHERE owner_id IS NULL;
INSERT INTO ledger_accounts (kind) VALUES ('pending_payouts'), ('payouts_sent');

-- A creator's payout request (docs/LEDGER.md): the amount leaves their revenue for the
-- platform's `pending_payouts` when they ask, and `payouts_sent` (money that left the
-- platform) or their revenue again when an operator decides. Payouts are whole cents.
CREATE TABLE payouts (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    amount_micros BIGINT NOT NULL CHECK (amount_micros > 0 AND amount_micros % 10000 = 0),
    iban TEXT NOT NULL,
    holder TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'rejected')),
    reference TEXT,
    -- The client's Idempotency-Key (or the form's): a retried request finds its payout.
    idempotency_key TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by BIGINT REFERENCES users (id),
    UNIQUE (user_id, idempotency_key),
    CHECK ((state = 'pending') = (decided_at IS NULL))
);
-- One request waits at a time per creator: concurrent requests cannot make two.
CREATE UNIQUE INDEX payouts_one_pending ON payouts (user_id) WHERE state = 'pending';
CREATE INDEX payouts_by_state ON payouts (state, id);

-- Mail waiting to be sent (src/mail/): a worker renders each message when it sends it, in
-- the recipient's language, and retries with a growing delay while SMTP fails. The dedupe
-- key makes enqueueing the same message twice a no-op.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    -- What the template needs beyond the recipient's rows (a one-time link, a month); a
    -- one-time link is erased once the message is sent.
    payload TEXT NOT NULL DEFAULT '{}',
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A worker that took the message; another may take it after this instant.
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

-- One-time links sent by mail (address verification, password reset); only their SHA-256
-- is kept.
CREATE TABLE email_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX email_tokens_by_user ON email_tokens (user_id, purpose);

-- When the month's statement mails were queued (once per settled month).
ALTER TABLE settlement_runs ADD COLUMN statements_queued_at TIMESTAMP;
-- Months settled before mail existed are not mailed now, months or years later.
UPDATE settlement_runs SET statements_queued_at = finished_at WHERE state = 'done';
