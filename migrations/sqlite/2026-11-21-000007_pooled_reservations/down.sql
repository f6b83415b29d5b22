-- Possible only while no budget has gone through the pooled accounts: their entries are
-- history, which a migration does not rewrite (the foreign keys of ledger_entries refuse).
PRAGMA defer_foreign_keys = ON;
DELETE FROM ledger_accounts WHERE kind = 'reserved_budgets';
INSERT INTO ledger_accounts (kind, owner_id)
    SELECT 'reserved', u.id FROM users u
    WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.owner_id = u.id AND a.kind = 'reserved');
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

CREATE TABLE creator_month_totals_rebuilt (
    creator_id BIGINT NOT NULL REFERENCES users (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    clicks BIGINT NOT NULL CHECK (clicks >= 0),
    gross_micros BIGINT NOT NULL CHECK (gross_micros >= 0),
    fee_micros BIGINT NOT NULL DEFAULT 0 CHECK (fee_micros >= 0),
    PRIMARY KEY (creator_id, month)
);
INSERT INTO creator_month_totals_rebuilt SELECT creator_id, month, clicks, gross_micros, fee_micros
    FROM creator_month_totals;
DROP TABLE creator_month_totals;
ALTER TABLE creator_month_totals_rebuilt RENAME TO creator_month_totals;
CREATE TABLE thing_month_totals_rebuilt (
    thing_id BIGINT NOT NULL REFERENCES things (id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    clicks BIGINT NOT NULL CHECK (clicks >= 0),
    amount_micros BIGINT NOT NULL CHECK (amount_micros >= 0),
    PRIMARY KEY (thing_id, month)
);
INSERT INTO thing_month_totals_rebuilt SELECT thing_id, month, clicks, amount_micros
    FROM thing_month_totals;
DROP TABLE thing_month_totals;
ALTER TABLE thing_month_totals_rebuilt RENAME TO thing_month_totals;
