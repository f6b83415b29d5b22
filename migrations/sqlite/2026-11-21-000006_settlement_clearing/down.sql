PRAGMA defer_foreign_keys = ON;
DELETE FROM ledger_accounts WHERE kind = 'settlement_clearing';
CREATE TEMP TABLE ledger_accounts_copy AS SELECT id, kind, owner_id, balance_micros FROM ledger_accounts;
DROP TABLE ledger_accounts;
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity',
                                       'vouchers_outstanding', 'voucher_sales', 'card_payments')),
    owner_id BIGINT REFERENCES users (id),
    balance_micros BIGINT NOT NULL DEFAULT 0,
    CHECK ((kind IN ('funds', 'reserved', 'revenue')) = (owner_id IS NOT NULL)),
    CHECK (balance_micros >= 0 OR kind IN ('voucher_sales', 'card_payments'))
);
INSERT INTO ledger_accounts (id, kind, owner_id, balance_micros)
    SELECT id, kind, owner_id, balance_micros FROM ledger_accounts_copy ORDER BY id;
DROP TABLE ledger_accounts_copy;
CREATE UNIQUE INDEX ledger_accounts_per_user ON ledger_accounts (owner_id, kind) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind) WHERE owner_id IS NULL;

CREATE TABLE settlement_runs_rebuilt (
    month TEXT PRIMARY KEY CHECK (length(month) = 7),
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    stage TEXT NOT NULL CHECK (stage IN ('readers', 'fees', 'check', 'done')),
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
    SELECT month, state, CASE stage WHEN 'creators' THEN 'fees' ELSE stage END,
        reader_cursor, creator_cursor, readers, clicks, debited_micros, fees_micros, error,
        started_at, finished_at
    FROM settlement_runs;
DROP TABLE settlement_runs;
ALTER TABLE settlement_runs_rebuilt RENAME TO settlement_runs;
