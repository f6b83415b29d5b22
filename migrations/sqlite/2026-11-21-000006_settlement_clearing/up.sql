-- The settlement clearing account (docs/SETTLEMENT.md): each chunk of readers moves their
-- reserved budgets into it, and each creator is then credited once for the month from it,
-- instead of once per chunk of readers. It is back at zero when a month is settled.
--
-- SQLite cannot change a CHECK constraint: ledger_accounts is rebuilt, ids kept. Entries
-- refer to it, so the foreign keys are checked at commit (defer_foreign_keys): dropping the
-- table counts its entries as orphans, and inserting the same rows back counts them home.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE ledger_accounts_copy AS SELECT id, kind, owner_id, balance_micros FROM ledger_accounts;
DROP TABLE ledger_accounts;
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity',
                                       'vouchers_outstanding', 'voucher_sales', 'card_payments',
                                       'settlement_clearing')),
    owner_id BIGINT REFERENCES users (id),
    -- A cache of SUM(ledger_entries.amount_micros); `obole ledger check` proves it.
    balance_micros BIGINT NOT NULL DEFAULT 0,
    CHECK ((kind IN ('funds', 'reserved', 'revenue')) = (owner_id IS NOT NULL)),
    CHECK (balance_micros >= 0 OR kind IN ('voucher_sales', 'card_payments'))
);
INSERT INTO ledger_accounts (id, kind, owner_id, balance_micros)
    SELECT id, kind, owner_id, balance_micros FROM ledger_accounts_copy ORDER BY id;
DROP TABLE ledger_accounts_copy;
CREATE UNIQUE INDEX ledger_accounts_per_user ON ledger_accounts (owner_id, kind) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind) WHERE owner_id IS NULL;
INSERT INTO ledger_accounts (kind) VALUES ('settlement_clearing');

-- The second stage now credits creators (and takes the fees) from the clearing account. A run
-- interrupted under the former stages cannot resume under these: it needs an operator.
CREATE TABLE settlement_runs_rebuilt (
    month TEXT PRIMARY KEY CHECK (length(month) = 7),
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    stage TEXT NOT NULL CHECK (stage IN ('readers', 'creators', 'check', 'done')),
    -- Readers up to this id are settled; then creators up to this id are credited.
    reader_cursor BIGINT NOT NULL DEFAULT 0,
    creator_cursor BIGINT NOT NULL DEFAULT 0,
    readers BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    debited_micros BIGINT NOT NULL DEFAULT 0 CHECK (debited_micros >= 0),
    fees_micros BIGINT NOT NULL DEFAULT 0 CHECK (fees_micros >= 0),
    error TEXT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
INSERT INTO settlement_runs_rebuilt
    SELECT month,
        CASE state WHEN 'running' THEN 'failed' ELSE state END,
        CASE stage WHEN 'fees' THEN 'creators' ELSE stage END,
        reader_cursor, creator_cursor, readers, clicks, debited_micros, fees_micros,
        CASE state WHEN 'running'
            THEN 'interrupted before the upgrade to the clearing account: its entries follow the former scheme, so it must not be retried; settle this month by hand'
            ELSE error END,
        started_at, finished_at
    FROM settlement_runs;
DROP TABLE settlement_runs;
ALTER TABLE settlement_runs_rebuilt RENAME TO settlement_runs;
