-- Reserved budgets pooled (docs/LEDGER.md): a month's first click moves the reader's budget
-- from their funds to one of 64 platform accounts `reserved_budgets` (shard = reader id mod
-- 64) instead of to a `reserved` account of their own; `month_budgets` says whose budget it
-- is. Settlement then takes a month's budgets in one movement of at most 64 postings,
-- instead of one posting and one balance update per reader.
--
-- SQLite cannot change a CHECK constraint: ledger_accounts is rebuilt, ids kept, as in
-- migration 000006 (foreign keys checked at commit).
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE ledger_accounts_copy AS SELECT id, kind, owner_id, balance_micros FROM ledger_accounts;
DROP TABLE ledger_accounts;
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity',
                                       'vouchers_outstanding', 'voucher_sales', 'card_payments',
                                       'settlement_clearing', 'reserved_budgets')),
    owner_id BIGINT REFERENCES users (id),
    -- A cache of SUM(ledger_entries.amount_micros); `obole ledger check` proves it.
    balance_micros BIGINT NOT NULL DEFAULT 0,
    -- The platform's accounts of one kind split in several (reserved budgets only).
    shard INTEGER NOT NULL DEFAULT 0 CHECK (shard >= 0 AND (shard = 0 OR kind = 'reserved_budgets')),
    CHECK ((kind IN ('funds', 'reserved', 'revenue')) = (owner_id IS NOT NULL)),
    CHECK (balance_micros >= 0 OR kind IN ('voucher_sales', 'card_payments'))
);
INSERT INTO ledger_accounts (id, kind, owner_id, balance_micros)
    SELECT id, kind, owner_id, balance_micros FROM ledger_accounts_copy ORDER BY id;
DROP TABLE ledger_accounts_copy;
CREATE UNIQUE INDEX ledger_accounts_per_user ON ledger_accounts (owner_id, kind) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind, shard) WHERE owner_id IS NULL;
WITH RECURSIVE shards (s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM shards WHERE s < 63)
INSERT INTO ledger_accounts (kind, shard) SELECT 'reserved_budgets', s FROM shards;

-- The budgets reserved so far move to the pooled accounts, in one movement.
INSERT INTO ledger_groups (kind, unique_key, created_at)
    SELECT 'budget_reservation', 'migration:000007:pooled reservations',
        strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE EXISTS (SELECT 1 FROM ledger_accounts WHERE kind = 'reserved' AND balance_micros > 0);
INSERT INTO ledger_entries (group_id, account_id, amount_micros, balance_after_micros)
    SELECT g.id, a.id, -a.balance_micros, 0
    FROM ledger_accounts a, ledger_groups g
    WHERE g.unique_key = 'migration:000007:pooled reservations'
      AND a.kind = 'reserved' AND a.balance_micros > 0
    ORDER BY a.id;
INSERT INTO ledger_entries (group_id, account_id, amount_micros, balance_after_micros)
    SELECT g.id, p.id, s.amount, s.amount
    FROM (SELECT owner_id % 64 AS shard, SUM(balance_micros) AS amount
          FROM ledger_accounts WHERE kind = 'reserved' AND balance_micros > 0
          GROUP BY owner_id % 64) s
    JOIN ledger_accounts p ON p.kind = 'reserved_budgets' AND p.owner_id IS NULL AND p.shard = s.shard
    JOIN ledger_groups g ON g.unique_key = 'migration:000007:pooled reservations'
    ORDER BY p.id;
UPDATE ledger_accounts SET balance_micros = (
        SELECT SUM(r.balance_micros) FROM ledger_accounts r
        WHERE r.kind = 'reserved' AND r.balance_micros > 0 AND r.owner_id % 64 = ledger_accounts.shard)
    WHERE kind = 'reserved_budgets' AND owner_id IS NULL AND EXISTS (
        SELECT 1 FROM ledger_accounts r
        WHERE r.kind = 'reserved' AND r.balance_micros > 0 AND r.owner_id % 64 = ledger_accounts.shard);
UPDATE ledger_accounts SET balance_micros = 0 WHERE kind = 'reserved' AND balance_micros > 0;

-- A run left unfinished charged (or began to charge) its readers one by one, from the former
-- accounts: it cannot go on under the pooled scheme and needs an operator.
UPDATE settlement_runs SET state = 'failed',
    error = 'interrupted before the upgrade to pooled reservations: its entries follow the former scheme, so it must not be retried; settle this month by hand'
    WHERE state <> 'done';

-- The monthly statement totals are derived rows, written only by settlement from ids it read
-- in rows whose own foreign keys vouch for them (clicks → things → users; nobody and nothing
-- is ever deleted), and its self-check compares every one of them with a recomputation from
-- the clicks. Their foreign keys checked the same ids again, one lookup per row (on
-- PostgreSQL, a third of a full-size settlement's time; docs/PERFORMANCE.md). Rebuilt
-- without them, as on PostgreSQL.
CREATE TABLE creator_month_totals_rebuilt (
    creator_id BIGINT NOT NULL,
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
    thing_id BIGINT NOT NULL,
    month TEXT NOT NULL CHECK (length(month) = 7),
    clicks BIGINT NOT NULL CHECK (clicks >= 0),
    amount_micros BIGINT NOT NULL CHECK (amount_micros >= 0),
    PRIMARY KEY (thing_id, month)
);
INSERT INTO thing_month_totals_rebuilt SELECT thing_id, month, clicks, amount_micros
    FROM thing_month_totals;
DROP TABLE thing_month_totals;
ALTER TABLE thing_month_totals_rebuilt RENAME TO thing_month_totals;
