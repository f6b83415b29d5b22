-- Reserved budgets pooled (docs/LEDGER.md): a month's first click moves the reader's budget
-- from their funds to one of 64 platform accounts `reserved_budgets` (shard = reader id mod
-- 64) instead of to a `reserved` account of their own; `month_budgets` says whose budget it
-- is. Settlement then takes a month's budgets in one movement of at most 64 postings,
-- instead of one posting and one balance update per reader.
ALTER TABLE ledger_accounts ADD COLUMN shard INTEGER NOT NULL DEFAULT 0
    CHECK (shard >= 0 AND (shard = 0 OR kind = 'reserved_budgets'));
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity', 'vouchers_outstanding',
                    'voucher_sales', 'card_payments', 'settlement_clearing', 'reserved_budgets'));
DROP INDEX ledger_accounts_platform;
CREATE UNIQUE INDEX ledger_accounts_platform ON ledger_accounts (kind, shard) WHERE owner_id IS NULL;
INSERT INTO ledger_accounts (kind, shard) SELECT 'reserved_budgets', s FROM generate_series(0, 63) AS s;

-- The budgets reserved so far move to the pooled accounts, in one movement.
INSERT INTO ledger_groups (kind, unique_key, created_at)
    SELECT 'budget_reservation', 'migration:000007:pooled reservations', now() AT TIME ZONE 'UTC'
    WHERE EXISTS (SELECT 1 FROM ledger_accounts WHERE kind = 'reserved' AND balance_micros > 0);
INSERT INTO ledger_entries (group_id, account_id, amount_micros, balance_after_micros)
    SELECT g.id, a.id, -a.balance_micros, 0
    FROM ledger_accounts a, ledger_groups g
    WHERE g.unique_key = 'migration:000007:pooled reservations'
      AND a.kind = 'reserved' AND a.balance_micros > 0
    ORDER BY a.id;
INSERT INTO ledger_entries (group_id, account_id, amount_micros, balance_after_micros)
    SELECT g.id, p.id, s.amount, s.amount
    FROM (SELECT owner_id % 64 AS shard, SUM(balance_micros)::BIGINT AS amount
          FROM ledger_accounts WHERE kind = 'reserved' AND balance_micros > 0
          GROUP BY owner_id % 64) s
    JOIN ledger_accounts p ON p.kind = 'reserved_budgets' AND p.owner_id IS NULL AND p.shard = s.shard,
    ledger_groups g
    WHERE g.unique_key = 'migration:000007:pooled reservations'
    ORDER BY p.id;
UPDATE ledger_accounts p SET balance_micros = s.amount
    FROM (SELECT owner_id % 64 AS shard, SUM(balance_micros)::BIGINT AS amount
          FROM ledger_accounts WHERE kind = 'reserved' AND balance_micros > 0
          GROUP BY owner_id % 64) s
    WHERE p.kind = 'reserved_budgets' AND p.owner_id IS NULL AND p.shard = s.shard;
UPDATE ledger_accounts SET balance_micros = 0 WHERE kind = 'reserved' AND balance_micros > 0;

-- A run left unfinished charged (or began to charge) its readers one by one, from the former
-- accounts: it cannot go on under the pooled scheme and needs an operator.
UPDATE settlement_runs SET state = 'failed',
    error = 'interrupted before the upgrade to pooled reservations: its entries follow the former scheme, so it must not be retried; settle this month by hand'
    WHERE state <> 'done';

-- The monthly statement totals are derived rows, written only by settlement from ids it read
-- in rows whose own foreign keys vouch for them (clicks → things → users; nobody and nothing
-- is ever deleted), and its self-check compares every one of them with a recomputation from
-- the clicks. Their foreign keys checked the same ids again, one locked lookup per row: a
-- third of the time of a full-size settlement on PostgreSQL (docs/PERFORMANCE.md).
ALTER TABLE creator_month_totals DROP CONSTRAINT creator_month_totals_creator_id_fkey;
ALTER TABLE thing_month_totals DROP CONSTRAINT thing_month_totals_thing_id_fkey;

-- Room for balance updates in place (HOT updates, which write no index entry): settlement
-- credits the revenue accounts of every creator in a page at once, which 20 % left free
-- (000006) could not hold; at 50 % the credits of a full-size month took 3.2 s instead of
-- 5.1 s. Applies to pages written from now on (VACUUM FULL rewrites the others).
ALTER TABLE ledger_accounts SET (fillfactor = 50);
