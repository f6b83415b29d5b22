-- The settlement clearing account (docs/SETTLEMENT.md): each chunk of readers moves their
-- reserved budgets into it, and each creator is then credited once for the month from it,
-- instead of once per chunk of readers. It is back at zero when a month is settled.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('funds', 'reserved', 'revenue', 'fees', 'charity', 'vouchers_outstanding',
                    'voucher_sales', 'card_payments', 'settlement_clearing'));
INSERT INTO ledger_accounts (kind) VALUES ('settlement_clearing');

-- The second stage now credits creators (and takes the fees) from the clearing account. A run
-- interrupted under the former stages cannot resume under these: it needs an operator.
UPDATE settlement_runs SET state = 'failed',
    error = 'interrupted before the upgrade to the clearing account: its entries follow the former scheme, so it must not be retried; settle this month by hand'
    WHERE state = 'running';
ALTER TABLE settlement_runs DROP CONSTRAINT settlement_runs_stage_check;
UPDATE settlement_runs SET stage = 'creators' WHERE stage = 'fees';
ALTER TABLE settlement_runs ADD CONSTRAINT settlement_runs_stage_check
    CHECK (stage IN ('readers', 'creators', 'check', 'done'));

-- Balances change at every reservation and settlement, and no index covers them: with room
-- left in each page, PostgreSQL updates a balance in place (a HOT update) instead of writing
-- a new row version into every index of the table.
ALTER TABLE ledger_accounts SET (fillfactor = 80);
